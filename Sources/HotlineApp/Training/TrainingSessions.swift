import Foundation
import GRDB
import HotlineStore
import HotlineTraining

/// Every training call, stored in SQLite: trainee, persona, when, transcript, desk actions, checks,
/// score. `hotline train report` reads it back.
public struct TrainingSessions: Sendable {
    let queue: DatabaseQueue

    /// One stored training call.
    public struct Session: Sendable, Hashable {
        public var id: Int64
        public var trainee: String
        public var persona: String
        public var at: Date
        public var score: Int
        public var missed: [String]
    }

    /// The migrations this Hotline knows (``open(path:)`` registers them).
    static let knownMigrations: Set = ["training-v1"]

    /// Opens (creating if missing) the sessions file at `path`. What is there is looked at first,
    /// as for the case database: a folder, a device, a file that is not SQLite, or a SQLite
    /// database with other tables (another application's, or `hotline.sqlite` given by mistake) is
    /// refused with a ``TrainingSessionsError`` and left as it was — the `training_session` table
    /// was added to any SQLite file, and an unreadable one was a bare SQLite error.
    public static func open(path: String) throws -> TrainingSessions {
        try inspect(path: path)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration())
        } catch {
            throw TrainingSessionsError(path: path, message: "cannot open the training sessions file \(path): \(HotlineDatabase.describe(error))", fix: "check that \(path) and its folder are readable and writable")
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("training-v1") { db in
            try db.create(table: "training_session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("trainee", .text).notNull().indexed()
                t.column("persona", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("score", .integer).notNull()
                t.column("transcript", .text).notNull()
                t.column("actions", .text).notNull()
                t.column("checks", .text).notNull()
                t.column("missed", .text).notNull()
            }
        }
        do {
            try migrator.migrate(queue)
        } catch {
            throw TrainingSessionsError(path: path, message: "cannot set up the training sessions file \(path): \(HotlineDatabase.describe(error))", fix: "check that \(path) is writable")
        }
        return TrainingSessions(queue: queue)
    }

    /// Two trainees at once (two terminals, a CI job running scripts in parallel, two web desks
    /// finishing together) write the same file: a writer waits for the other one's transaction as
    /// the case database's do, instead of failing with "database is locked" and losing a call that
    /// was taken to the end.
    static func configuration(readonly: Bool = false) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(HotlineDatabase.busyTimeout)
        return configuration
    }

    /// The sessions at `path` for reading (`hotline train report`): `nil` when there is no file
    /// yet, which is not created; anything else is looked at as by ``open(path:)``.
    public static func openForReading(path: String) throws -> TrainingSessions? {
        guard try inspect(path: path) else { return nil }
        return try open(path: path)
    }

    /// Refuses what is not a training sessions file; returns whether a file is there.
    @discardableResult
    static func inspect(path: String) throws -> Bool {
        func refuse(_ message: String, fix: String = "give --sessions a training sessions file, e.g. training.sqlite (a missing one is created)") -> TrainingSessionsError {
            TrainingSessionsError(path: path, message: message, fix: fix)
        }
        guard !path.isEmpty else { throw refuse("the training sessions path is empty") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return false }
        if isFolder.boolValue { throw refuse("\(path) is a folder, not a training sessions file") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else { throw refuse("\(path) is not a regular file (a device, pipe or socket)") }
        guard (attributes?[.size] as? NSNumber)?.intValue ?? 0 > 0 else { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw refuse("cannot read \(path)", fix: "check the permissions of \(path)") }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else { throw refuse("\(path) is not a SQLite database; it was left untouched") }
        let tables: [String]
        var applied: [String] = []
        do {
            let probe = try DatabaseQueue(path: path, configuration: configuration(readonly: true))
            tables = try probe.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
            }
            if tables.contains("grdb_migrations") {
                applied = try probe.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            }
            try probe.close()
        } catch {
            throw refuse("\(path) starts like a SQLite database but cannot be read (\(HotlineDatabase.describe(error))); it was left untouched")
        }
        let own: Set = ["grdb_migrations", "training_session"]
        if !Set(tables).isSubset(of: own) {
            let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            throw refuse("\(path) is a SQLite database of another kind (tables \(shown)), not a training sessions file; it was left untouched")
        }
        // A file a newer Hotline changed: this one would write rows its tables no longer take.
        let newer = applied.filter { !knownMigrations.contains($0) }
        if !newer.isEmpty {
            throw refuse(
                "\(path) was written by a newer Hotline (its changes \(newer.joined(separator: ", ")) are unknown to this one); it was left untouched",
                fix: "use the newer Hotline's `hotline train`, or give --sessions another file")
        }
        return true
    }

    /// Stores one debriefed call; `at` is when it was taken (the command's clock), for progress over time.
    @discardableResult
    public func save(_ debrief: Debrief, actions: [(at: Double, action: String)], at: Date) throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let transcript = String(decoding: try encoder.encode(debrief.transcript), as: UTF8.self)
        let checks = String(decoding: try encoder.encode(debrief.checks), as: UTF8.self)
        let acted = String(decoding: try encoder.encode(actions.map { ["at": String(format: "%.1f", $0.at), "action": $0.action] }), as: UTF8.self)
        return try queue.write { db in
            try db.execute(
                sql: "INSERT INTO training_session (trainee, persona, at, score, transcript, actions, checks, missed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [debrief.trainee, debrief.persona, at, debrief.score, transcript, acted, checks, debrief.missed.joined(separator: ",")])
            return db.lastInsertedRowID
        }
    }

    /// Sessions, oldest first (of one trainee when given).
    public func sessions(trainee: String? = nil) throws -> [Session] {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, trainee, persona, at, score, missed FROM training_session" + (trainee == nil ? "" : " WHERE trainee = ?") + " ORDER BY at, id",
                arguments: trainee.map { [$0] } ?? [])
            return rows.map { row in
                let missed: String = row["missed"]
                return Session(id: row["id"], trainee: row["trainee"], persona: row["persona"], at: row["at"], score: row["score"], missed: missed.split(separator: ",").map(String.init))
            }
        }
    }

    /// Progress over time (per trainee) and the checks most often missed.
    public func report(trainee: String? = nil) throws -> String {
        let all = try sessions(trainee: trainee)
        guard !all.isEmpty else { return trainee.map { "No training sessions for \($0) yet." } ?? "No training sessions yet." }
        var lines: [String] = []
        let formatter = ISO8601DateFormatter()
        for name in Set(all.map(\.trainee)).sorted() {
            let mine = all.filter { $0.trainee == name }
            let average = mine.reduce(0) { $0 + $1.score } / mine.count
            lines.append("\(name): \(mine.count) call(s), average \(average)/100")
            for session in mine {
                lines.append("  \(formatter.string(from: session.at))  \(session.persona)  \(session.score)/100" + (session.missed.isEmpty ? "" : "  missed: \(session.missed.joined(separator: ", "))"))
            }
        }
        var counts: [String: Int] = [:]
        for session in all { for id in session.missed { counts[id, default: 0] += 1 } }
        lines.append("")
        if counts.isEmpty {
            lines.append("No check missed.")
        } else {
            lines.append("Checks most often missed:")
            for (id, count) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { lines.append("  \(count)×  \(id)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// A sessions file that cannot be used: names the file and says how to fix it.
public struct TrainingSessionsError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var fix: String
    public var description: String { "\(message) (fix: \(fix))" }
}
