import Foundation
import GRDB
import HotlineCore

/// The live-call board in the line's database (table `live_call`): one row per call that a phone
/// of this line (browser, terminal, SIP) runs now or ran lately, updated by the call as it moves
/// and marked finished at its end. Several processes on one database file share it, which is how
/// the trainer's console of `hotline serve` sees a `hotline call` typed in another terminal.
///
/// A row names the process that writes it (host and process id); a row whose process is gone (or,
/// of another host, that has not moved for ``staleAfter``) is marked finished as `lost` by
/// ``expire(at:liveness:)``.
/// The table is created on first use (`CREATE TABLE IF NOT EXISTS`), not by a migration: a line
/// that never publishes calls never has it.
public struct LiveCallStore: Sendable {
    public let database: HotlineDatabase
    /// A row that has not moved for this long is lost (a call waits for its caller at most minutes).
    public static let staleAfter: TimeInterval = 30 * 60
    /// Finished calls kept for the console's replays; older ones are dropped by ``expire(at:liveness:)``.
    public static let finishedKept = 500

    /// One call on the board.
    public struct Row: Sendable, Hashable {
        public var id: String
        public var channel: String
        public var callerID: String
        public var dialled: String
        public var sipCallID: String?
        public var host: String
        public var processID: Int32
        public var startedAt: Date
        public var updatedAt: Date
        public var node: String?
        public var waiting: String
        /// The transcript so far, one line per entry (`[mm:ss.s] …`).
        public var transcript: [String]
        public var endedAt: Date?
        public var outcome: String?
        public var caseNumber: String?
        /// How fast the call's clock runs: real seconds per second of call time (``Pace/factor``;
        /// 0.2 is five times faster than real time).
        public var pace: Double
        /// When the last report was written, on the reporting process's wall clock (`nil`: a row of
        /// an older Hotline, whose call clock was taken to be the wall clock).
        public var reportedAt: Date?

        public var isOver: Bool { endedAt != nil }

        /// The instant on the call's own clock — the time its transcript and record use — when the
        /// wall clock reads `now`: a finished call's end; else the last report's instant, moved on
        /// by the wall time since that report at the call's pace. A simulated call at `--pace 0.2`
        /// is five call seconds further on for each real second; a call placed `--start 03:00`
        /// reads 03:00-and-a-bit, not the wall clock.
        public func callTime(at now: Date) -> Date {
            if let endedAt { return endedAt }
            let since = max(0, now.timeIntervalSince(reportedAt ?? updatedAt))
            return updatedAt.addingTimeInterval(since / (pace > 0 ? pace : 1))
        }

        /// Seconds since the call was answered, in the call's time (``callTime(at:)``).
        public func elapsedSeconds(at now: Date) -> Double {
            max(0, callTime(at: now).timeIntervalSince(startedAt))
        }

        /// Seconds since the call last moved, in the call's time: how long a queued call has waited
        /// (a call in a queue does not move until an agent answers or it leaves).
        public func sinceLastMoveSeconds(at now: Date) -> Double {
            max(0, callTime(at: now).timeIntervalSince(updatedAt))
        }

        public init(
            id: String, channel: String, callerID: String, dialled: String, sipCallID: String?, host: String, processID: Int32, startedAt: Date,
            updatedAt: Date, node: String?, waiting: String, transcript: [String], endedAt: Date?, outcome: String?, caseNumber: String?,
            pace: Double = 1, reportedAt: Date? = nil
        ) {
            self.id = id
            self.channel = channel
            self.callerID = callerID
            self.dialled = dialled
            self.sipCallID = sipCallID
            self.host = host
            self.processID = processID
            self.startedAt = startedAt
            self.updatedAt = updatedAt
            self.node = node
            self.waiting = waiting
            self.transcript = transcript
            self.endedAt = endedAt
            self.outcome = outcome
            self.caseNumber = caseNumber
            self.pace = pace
            self.reportedAt = reportedAt
        }
    }

    /// Opens the board on the line's database, creating its table when missing.
    public init(database: HotlineDatabase) throws(StoreError) {
        self.database = database
        do {
            try database.writer.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS live_call (
                        id TEXT PRIMARY KEY NOT NULL,
                        channel TEXT NOT NULL,
                        caller_id TEXT NOT NULL,
                        dialled TEXT NOT NULL,
                        sip_call_id TEXT,
                        host TEXT NOT NULL,
                        pid INTEGER NOT NULL,
                        started_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        node TEXT,
                        waiting TEXT NOT NULL,
                        transcript TEXT NOT NULL DEFAULT '',
                        ended_at REAL,
                        outcome TEXT,
                        case_number TEXT
                    );
                    CREATE INDEX IF NOT EXISTS live_call_ended ON live_call(ended_at);
                    """)
                // The call's clock against the wall clock (added later: a board of an older
                // Hotline gets the columns; its rows read as real time).
                let columns = Set(try db.columns(in: "live_call").map(\.name))
                if !columns.contains("pace") { try db.execute(sql: "ALTER TABLE live_call ADD COLUMN pace REAL NOT NULL DEFAULT 1") }
                if !columns.contains("reported_at") { try db.execute(sql: "ALTER TABLE live_call ADD COLUMN reported_at REAL") }
            }
        } catch {
            throw StoreError(
                .database, "cannot make the live-call board (table live_call) in the database: \(error)",
                fix: "open the database for writing (not read-only); run hotline db check --db FILE if it persists")
        }
    }

    private init(existing database: HotlineDatabase) {
        self.database = database
    }

    /// The board of a line's database opened for reading (`hotline queues --db`): nothing is
    /// created or written; `nil` when no call was ever published there (it has no `live_call`).
    public static func reading(_ database: HotlineDatabase) throws(StoreError) -> LiveCallStore? {
        do {
            let exists = try database.writer.readTransaction { db in try db.tableExists("live_call") }
            return exists ? LiveCallStore(existing: database) : nil
        } catch {
            throw StoreError(.database, "cannot read the live-call board of \(database.path): \(error)")
        }
    }

    /// One report of a call (``report(_:)``).
    public struct Report: Sendable, Hashable {
        public var id: String
        public var channel: String
        public var callerID: String
        public var dialled: String
        public var sipCallID: String?
        public var host: String
        public var processID: Int32
        public var startedAt: Date
        public var at: Date
        public var node: String?
        public var waiting: String
        public var newLines: [String]
        public var outcome: String?
        public var caseNumber: String?
        /// Real seconds per second of the call's clock (``Row/pace``).
        public var pace: Double
        /// The reporting process's wall clock at the report (``Row/reportedAt``).
        public var reportedAt: Date?

        public init(
            id: String, channel: String, callerID: String, dialled: String, sipCallID: String?, host: String, processID: Int32, startedAt: Date,
            at: Date, node: String?, waiting: String, newLines: [String], outcome: String?, caseNumber: String?, pace: Double = 1,
            reportedAt: Date? = nil
        ) {
            self.id = id
            self.channel = channel
            self.callerID = callerID
            self.dialled = dialled
            self.sipCallID = sipCallID
            self.host = host
            self.processID = processID
            self.startedAt = startedAt
            self.at = at
            self.node = node
            self.waiting = waiting
            self.newLines = newLines
            self.outcome = outcome
            self.caseNumber = caseNumber
            self.pace = pace
            self.reportedAt = reportedAt
        }
    }

    /// The call's latest state: creates its row on the first report, then appends `newLines` to
    /// its transcript and moves it on. One statement per report.
    public func report(
        id: String, channel: String, callerID: String, dialled: String, sipCallID: String?, host: String, processID: Int32, startedAt: Date,
        at now: Date, node: String?, waiting: String, newLines: [String], outcome: String?, caseNumber: String?
    ) throws(StoreError) {
        try report([
            Report(
                id: id, channel: channel, callerID: callerID, dialled: dialled, sipCallID: sipCallID, host: host, processID: processID,
                startedAt: startedAt, at: now, node: node, waiting: waiting, newLines: newLines, outcome: outcome, caseNumber: caseNumber)
        ])
    }

    /// Several reports, of one call or many, applied in order in one transaction: one statement
    /// each, compiled once per connection (a SIP line reports several times per call: parsing the
    /// upsert each time was a fifth of the line's CPU under load).
    public func report(_ reports: [Report]) throws(StoreError) {
        guard !reports.isEmpty else { return }
        do {
            try database.writer.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO live_call (id, channel, caller_id, dialled, sip_call_id, host, pid, started_at, updated_at, node, waiting,
                                               transcript, ended_at, outcome, case_number, pace, reported_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, CASE WHEN ?13 IS NULL THEN NULL ELSE ?9 END, ?13, ?14, ?15, ?16)
                        ON CONFLICT(id) DO UPDATE SET
                            updated_at = excluded.updated_at, pace = excluded.pace, reported_at = excluded.reported_at, node = COALESCE(excluded.node, live_call.node), waiting = excluded.waiting,
                            transcript = CASE WHEN excluded.transcript = '' THEN live_call.transcript
                                              WHEN live_call.transcript = '' THEN excluded.transcript
                                              ELSE live_call.transcript || char(10) || excluded.transcript END,
                            ended_at = excluded.ended_at, outcome = excluded.outcome,
                            case_number = COALESCE(excluded.case_number, live_call.case_number)
                        """)
                for report in reports {
                    // One line per entry: a typed phrase with a line break in it stays on its line.
                    let added = report.newLines.map { $0.utf8.contains(0x0A) ? $0.replacingOccurrences(of: "\n", with: " ") : $0 }
                        .joined(separator: "\n")
                    try statement.execute(arguments: [
                        report.id, report.channel, report.callerID, report.dialled, report.sipCallID, report.host, Int64(report.processID),
                        report.startedAt.timeIntervalSince1970, report.at.timeIntervalSince1970, report.node, report.waiting, added, report.outcome,
                        report.caseNumber, report.pace > 0 && report.pace.isFinite ? report.pace : 1, report.reportedAt?.timeIntervalSince1970,
                    ])
                }
            }
        } catch {
            throw StoreError(.database, "cannot update call \(reports.map(\.id).joined(separator: ", ")) on the live-call board: \(error)")
        }
    }

    /// Calls going on, oldest first.
    public func inProgress() throws(StoreError) -> [Row] {
        try rows("WHERE ended_at IS NULL ORDER BY started_at, id", [])
    }

    /// Finished calls, latest first.
    public func finished(limit: Int = 50) throws(StoreError) -> [Row] {
        try rows("WHERE ended_at IS NOT NULL ORDER BY ended_at DESC, id LIMIT ?", [limit])
    }

    /// One call, going on or finished.
    public func call(id: String) throws(StoreError) -> Row? {
        try rows("WHERE id = ?", [id]).first
    }

    /// The finished call whose record this is (same caller, same start), when it was on the board.
    public func call(callerID: String, startedAt: Date) throws(StoreError) -> Row? {
        // The record keeps the number in E.164; the board, as the phone gave it.
        func normal(_ text: String) -> String { (try? PhoneNumber(parsing: text))?.e164 ?? text }
        let start = startedAt.timeIntervalSince1970
        return try rows("WHERE started_at BETWEEN ? AND ? ORDER BY ended_at DESC", [start - 0.01, start + 0.01]).first { normal($0.callerID) == normal(callerID) }
    }

    /// Whether the process that writes a row still runs.
    public enum Liveness: Sendable {
        case running
        case gone
        /// Another host's process: its rows are lost once they have not moved for ``LiveCallStore/staleAfter``.
        case unknown
    }

    /// Marks lost the calls whose process is gone, or (another host's) that have not moved for
    /// ``staleAfter``, and drops finished calls beyond the newest ``finishedKept``. Returns how
    /// many calls it marked lost.
    @discardableResult
    public func expire(at now: Date, liveness: (String, Int32) -> Liveness) throws(StoreError) -> Int {
        let going = try inProgress()
        let lost = going.filter { row in
            switch liveness(row.host, row.processID) {
            case .running: false
            case .gone: true
            case .unknown: now.timeIntervalSince(row.reportedAt ?? row.updatedAt) > Self.staleAfter
            }
        }
        do {
            try database.writer.write { db in
                for row in lost {
                    try db.execute(
                        sql: "UPDATE live_call SET ended_at = ?, outcome = 'lost', waiting = 'lost: its process is gone or it stopped moving' WHERE id = ? AND ended_at IS NULL",
                        arguments: [now.timeIntervalSince1970, row.id])
                }
                try db.execute(
                    sql: "DELETE FROM live_call WHERE ended_at IS NOT NULL AND id NOT IN (SELECT id FROM live_call WHERE ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?)",
                    arguments: [Self.finishedKept])
            }
        } catch {
            throw StoreError(.database, "cannot expire lost calls on the live-call board: \(error)")
        }
        return lost.count
    }

    /// Changes whenever a call on the board moves, starts or ends: what the server's clock watches.
    public func fingerprint() throws(StoreError) -> String {
        do {
            return try database.writer.readTransaction { db in
                let row = try Row_.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(MAX(updated_at), 0), COALESCE(SUM(ended_at IS NULL), 0) FROM live_call")
                return row.map { "\($0[0] as Int64? ?? 0):\($0[1] as Double? ?? 0):\($0[2] as Int64? ?? 0)" } ?? ""
            }
        } catch {
            throw StoreError(.database, "cannot read the live-call board: \(error)")
        }
    }

    private func rows(_ tail: String, _ arguments: StatementArguments) throws(StoreError) -> [Row] {
        do {
            return try database.writer.readTransaction { db in
                try Row_.fetchAll(db, sql: "SELECT * FROM live_call " + tail, arguments: arguments).map { row in
                    let transcript: String = row["transcript"] ?? ""
                    return Row(
                        id: row["id"] ?? "", channel: row["channel"] ?? "", callerID: row["caller_id"] ?? "", dialled: row["dialled"] ?? "",
                        sipCallID: row["sip_call_id"], host: row["host"] ?? "", processID: Int32(truncatingIfNeeded: row["pid"] as Int64? ?? 0),
                        startedAt: Date(timeIntervalSince1970: row["started_at"] ?? 0), updatedAt: Date(timeIntervalSince1970: row["updated_at"] ?? 0),
                        node: row["node"], waiting: row["waiting"] ?? "",
                        transcript: transcript.isEmpty ? [] : transcript.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                        endedAt: (row["ended_at"] as Double?).map(Date.init(timeIntervalSince1970:)), outcome: row["outcome"],
                        caseNumber: row["case_number"], pace: row["pace"] ?? 1,
                        reportedAt: (row["reported_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
                }
            }
        } catch {
            throw StoreError(.database, "cannot read the live-call board: \(error)")
        }
    }
}

private typealias Row_ = GRDB.Row
