import Foundation
import GRDB
import GRDBSQLite
import HotlineApp
import HotlineCore
import HotlineRuntime
import HotlineStore
import Synchronization

/// What one reference call writes, observed on the writer connection with SQL tracing.
struct WriteProfile {
    /// Rows inserted, updated or deleted (`sqlite3_total_changes` delta).
    var rowsChanged: Int
    /// Transactions that changed at least one row: each is one commit to the write-ahead log.
    var writingTransactions: Int
    /// Every transaction the call opened on the writer, writing or not.
    var transactions: Int
    /// The data-changing statements, in order, one per line (SQL with `?` placeholders).
    var statements: [String]
}

enum StoreBenchmarks {
    /// Runs one reference call with SQL tracing on the writer connection and reports what it wrote.
    static func profile(_ bench: BenchSystems) throws -> WriteProfile {
        let pool = bench.systems.database.writer
        let log = TraceLog()
        let before = pool.writeWithoutTransaction { db -> Int in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { log.append(statement.sql) }
            }
            return db.totalChangesCount
        }
        var call = bench.makeCall()
        ReferenceCall.run(&call)
        let after = pool.writeWithoutTransaction { db -> Int in
            db.trace(options: [])
            return db.totalChangesCount
        }
        guard call.machine.end?.outcome == "completed", call.machine.trail.contains(.entered(node: "cc_escalated_on_call")) else {
            throw BenchError("the reference call did not page and complete (ended \(call.machine.end?.outcome ?? "not at all")); Fixtures or the bench's script are out of date")
        }
        var statements: [String] = []
        var transactions = 0
        var writing = 0
        var wroteInThis = false
        for sql in log.lines {
            let head = sql.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            if head.hasPrefix("BEGIN") {
                transactions += 1
                wroteInThis = false
            } else if head.hasPrefix("COMMIT") || head.hasPrefix("END") {
                if wroteInThis { writing += 1 }
            } else if head.hasPrefix("INSERT") || head.hasPrefix("UPDATE") || head.hasPrefix("DELETE") || head.hasPrefix("REPLACE") {
                wroteInThis = true
                statements.append(sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
            }
        }
        return WriteProfile(rowsChanged: after - before, writingTransactions: writing, transactions: transactions, statements: statements)
    }

    /// The reference call end to end on the real systems, one process, one thread. Before each
    /// call the reference case is set back to open (`BenchSystems.reopen`, not timed), so each
    /// call writes what the profiled call and the ceiling write; only the calls are timed.
    static func scriptedCalls(_ bench: BenchSystems, seconds budget: Double) throws -> Double {
        let pool = bench.systems.database.writer
        func pagingEscalations() throws -> Int { try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM oncall_escalation") ?? 0 } }
        let before = try pagingEscalations()
        var made = 0
        func calls(_ count: Int) throws -> Double {
            var seconds = 0.0
            for _ in 0..<count {
                try bench.reopen()
                let start = Stopwatch.now()
                var call = bench.makeCall()
                ReferenceCall.run(&call)
                seconds += Stopwatch.seconds(since: start)
            }
            made += count
            return Double(count) / seconds
        }
        // The warm-up also says how many calls fill a third of the budget.
        let perRound = max(100, Int(try calls(200) * budget / 3))
        var rates: [Double] = []
        for _ in 0..<3 { rates.append(try calls(perRound)) }
        let paged = try pagingEscalations() - before
        guard paged == made else {
            throw BenchError("\(made) reference calls made \(paged) paging escalations, not one each: the bench would compare less work with the ceiling's")
        }
        return rates.max()!
    }

    /// The same rows, in the same number of commits, written by bare prepared statements through
    /// the SQLite C API on a copy of the same database (same schema, indexes, triggers, journal
    /// mode and `synchronous`): the most the store could do on this disk.
    static func ceiling(_ bench: BenchSystems, seconds budget: Double) throws -> (rate: Double, rowsPerCall: Int, commitsPerCall: Int) {
        let writer = try CeilingWriter(bench)
        defer { writer.close() }
        let changesBefore = writer.db.totalChanges
        try writer.oneCall()
        let rowsPerCall = writer.db.totalChanges - changesBefore
        for _ in 0..<200 { try writer.oneCall() }
        var rates: [Double] = []
        for _ in 0..<3 {
            var calls = 0
            let start = Stopwatch.now()
            repeat {
                for _ in 0..<50 { try writer.oneCall() }
                calls += 50
            } while Stopwatch.seconds(since: start) < budget / 3
            rates.append(Double(calls) / Stopwatch.seconds(since: start))
        }
        return (rates.max()!, rowsPerCall, CeilingWriter.commitsPerCall)
    }

    /// The ceiling's writes `count` times and nothing else, on the bench's seeded database: what
    /// `valgrind --tool=callgrind hotline-bench --ceiling-calls N` counts, to compare instructions
    /// per call with `--scripted-calls N`.
    static func ceilingCalls(_ count: Int) throws {
        let bench = try BenchSystems()
        let writer = try CeilingWriter(bench)
        defer { writer.close() }
        try withExtendedLifetime(bench) {
            for _ in 0..<count { try writer.oneCall() }
        }
    }
}

/// The ceiling's connection and statements: the rows one reference call writes, in its commits.
final class CeilingWriter {
    static let commitsPerCall = 4
    let db: RawSQLite
    private let feed, caseUpdate, escalation, page, delivered, record, begin, commit: RawStatement
    private let at = "2026-12-05 11:00:00.000"
    private let path = #"["answer","welcome","main_menu","customer_care","cc_menu","cc_case_number","cc_confirm","cc_escalate","cc_page","cc_escalated","cc_escalated_on_call","goodbye"]"#
    private let seconds = ReferenceCall.at.timeIntervalSince1970

    /// A copy of the bench's database, opened as the store opens it.
    init(_ bench: BenchSystems) throws {
        let pool = bench.systems.database.writer
        let synchronous = try pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 2 }
        try bench.systems.database.checkpoint()
        let copy = (bench.folder as NSString).appendingPathComponent("ceiling.sqlite")
        try FileManager.default.copyItem(atPath: bench.path, toPath: copy)
        db = try RawSQLite(path: copy)
        try db.exec("PRAGMA journal_mode = WAL")
        try db.exec("PRAGMA synchronous = \(synchronous)")
        try db.exec("PRAGMA foreign_keys = ON")
        feed = try db.prepare("INSERT INTO case_feed (case_number, at, kind, author, author_role, body, channel, priority, level, status, ref) VALUES (?, ?, 'escalation', ?, 'customer', ?, 'phone', NULL, NULL, 'escalated', NULL)")
        caseUpdate = try db.prepare("UPDATE support_case SET status = 'escalated' WHERE number = ?")
        escalation = try db.prepare("INSERT INTO oncall_escalation (case_number, reason, created_at) VALUES (?, ?, ?)")
        page = try db.prepare("INSERT INTO oncall_page (escalation_id, level, round, person, state, sent_at, ack_deadline) VALUES (?, 1, 1, ?, 'sent', ?, ?)")
        delivered = try db.prepare("UPDATE oncall_page SET delivered_at = ? WHERE id = ?")
        record = try db.prepare("INSERT INTO call_record (caller_id, dialled, started_at, ended_at, path, outcome, case_number, queue, agent, waited_seconds) VALUES (?, ?, ?, ?, ?, 'completed', ?, NULL, NULL, NULL)")
        begin = try db.prepare("BEGIN IMMEDIATE")
        commit = try db.prepare("COMMIT")
    }

    func oneCall() throws {
        try begin.step()
        try feed.bind(ReferenceCall.caseNumber, at, "Dana Whitfield", "Caller asked for an Escalation Manager").step()
        try caseUpdate.bind(ReferenceCall.caseNumber).step()
        try commit.step()
        try begin.step()
        try escalation.bind(ReferenceCall.caseNumber, "Escalation requested by phone", seconds).step()
        try page.bind(db.lastInsertRowID, "Oliver Hughes", seconds, seconds + 900).step()
        let pageID = db.lastInsertRowID
        try commit.step()
        try begin.step()
        try delivered.bind(seconds, pageID).step()
        try commit.step()
        try begin.step()
        try record.bind("+14085550100", "+18447517629", at, at, path, ReferenceCall.caseNumber).step()
        try commit.step()
    }

    func close() { db.close() }
}

final class TraceLog: Sendable {
    private let stored = Mutex<[String]>([])
    func append(_ line: String) { stored.withLock { $0.append(line) } }
    var lines: [String] { stored.withLock { $0 } }
}

/// A SQLite connection through the C API, nothing in between.
final class RawSQLite {
    private var handle: OpaquePointer?
    private var statements: [RawStatement] = []

    init(path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            throw BenchError("cannot open \(path): \(handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory")")
        }
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw error(sql) }
    }

    func prepare(_ sql: String) throws -> RawStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else { throw error(sql) }
        let prepared = RawStatement(statement, connection: self, sql: sql)
        statements.append(prepared)
        return prepared
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var totalChanges: Int { Int(sqlite3_total_changes(handle)) }

    func error(_ sql: String) -> BenchError {
        BenchError("SQLite: \(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
    }

    func close() {
        for statement in statements { statement.finalize() }
        statements = []
        sqlite3_close_v2(handle)
        handle = nil
    }
}

/// One prepared statement, reset and re-bound for every execution.
final class RawStatement {
    private var statement: OpaquePointer?
    private unowned let connection: RawSQLite
    private let sql: String
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: OpaquePointer, connection: RawSQLite, sql: String) {
        self.statement = statement
        self.connection = connection
        self.sql = sql
    }

    @discardableResult
    func bind(_ values: Any...) -> RawStatement {
        sqlite3_reset(statement)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case let text as String: sqlite3_bind_text(statement, position, text, -1, Self.transient)
            case let real as Double: sqlite3_bind_double(statement, position, real)
            case let integer as Int64: sqlite3_bind_int64(statement, position, integer)
            case let integer as Int: sqlite3_bind_int64(statement, position, Int64(integer))
            default: sqlite3_bind_null(statement, position)
            }
        }
        return self
    }

    func step() throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw connection.error(sql) }
    }

    func finalize() {
        sqlite3_finalize(statement)
        statement = nil
    }
}
