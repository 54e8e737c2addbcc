import Foundation
import GRDB
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

    public static func open(path: String) throws -> TrainingSessions {
        let queue = try DatabaseQueue(path: path)
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
        try migrator.migrate(queue)
        return TrainingSessions(queue: queue)
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
