import Foundation
import HotlineStore
import HotlineCore
import GRDB

/// A page as stored: the outbox row written before the page is delivered.
public struct PageRecord: Sendable, Hashable, Codable {
    /// Where a page stands.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Out, waiting for an acknowledgement.
        case sent
        /// Someone acknowledged the escalation while this was its outstanding page.
        case acknowledged
        /// Not acknowledged in time; the next level was paged.
        case escalated
        /// Not acknowledged, and nobody was left to page.
        case exhausted
    }

    /// `PG-000001`.
    public var id: String
    /// `ESC-000001`: the pages of one escalation share it.
    public var escalation: String
    public var caseNumber: String
    public var reason: String
    public var level: Int
    public var round: Int
    public var person: String
    public var state: State
    public var sentAt: Date
    public var ackDeadline: Date
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    /// When delivery succeeded; `nil` while the page waits in the outbox.
    public var deliveredAt: Date?
}

/// Pages on SQLite. The database belongs to `HotlineStore`; this type only needs a writer and its
/// migrations registered (`registerMigrations`), identifiers prefixed `pages-`.
public struct PageStore: Sendable {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) { self.writer = writer }

    /// Registers the paging tables in a migrator shared with the rest of the database.
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("pages-v1") { db in
            try db.create(table: "oncall_escalation") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("case_number", .text).notNull()
                table.column("reason", .text).notNull()
                table.column("created_at", .double).notNull()
            }
            try db.create(table: "oncall_page") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("escalation_id", .integer).notNull().references("oncall_escalation", onDelete: .cascade)
                table.column("level", .integer).notNull()
                table.column("round", .integer).notNull()
                table.column("person", .text).notNull()
                table.column("state", .text).notNull().check { ["sent", "acknowledged", "escalated", "exhausted"].contains($0) }
                table.column("sent_at", .double).notNull()
                table.column("ack_deadline", .double).notNull()
                table.column("acknowledged_by", .text)
                table.column("acknowledged_at", .double)
                table.column("delivered_at", .double)
            }
            try db.create(index: "oncall_page_due", on: "oncall_page", columns: ["state", "ack_deadline"])
            try db.create(index: "oncall_page_escalation", on: "oncall_page", columns: ["escalation_id"])
        }
    }

    /// Opens (creating if needed) a database file with only the paging tables: for `hotline pages`
    /// until `HotlineStore` opens the shared database with these migrations registered.
    public static func open(path: String) throws -> PageStore {
        let pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        registerMigrations(&migrator)
        try migrator.migrate(pool)
        return PageStore(writer: pool)
    }

    static func pageID(_ row: Int64) -> String { "PG-" + CivilTime.pad(Int(row), 6) }
    static func escalationID(_ row: Int64) -> String { "ESC-" + CivilTime.pad(Int(row), 6) }

    /// `PG-000042` or `42` → 42.
    static func rowID(_ text: String, prefix: String) -> Int64? {
        let upper = text.uppercased()
        let digits = upper.hasPrefix(prefix + "-") ? String(upper.dropFirst(prefix.count + 1)) : upper
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
        return Int64(digits)
    }

    static let selectPages = """
        SELECT p.id, p.escalation_id, e.case_number, e.reason, p.level, p.round, p.person, p.state, p.sent_at,
               p.ack_deadline, p.acknowledged_by, p.acknowledged_at, p.delivered_at
        FROM oncall_page p JOIN oncall_escalation e ON e.id = p.escalation_id
        """

    static func record(_ row: Row) -> PageRecord {
        let stateText: String = row[7]
        return PageRecord(
            id: pageID(row[0]), escalation: escalationID(row[1]), caseNumber: row[2], reason: row[3], level: row[4],
            round: row[5], person: row[6], state: PageRecord.State(rawValue: stateText) ?? .sent,
            sentAt: Date(timeIntervalSince1970: row[8]), ackDeadline: Date(timeIntervalSince1970: row[9]),
            acknowledgedBy: row[10], acknowledgedAt: (row[11] as Double?).map(Date.init(timeIntervalSince1970:)),
            deliveredAt: (row[12] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// Pages, oldest first; for one case when given.
    public func pages(caseNumber: String? = nil) throws -> [PageRecord] {
        try writer.read { db in
            if let caseNumber {
                return try Row.fetchAll(db, cached: Self.selectPages + " WHERE e.case_number = ? ORDER BY p.id", arguments: [caseNumber]).map(Self.record)
            }
            return try Row.fetchAll(db, cached: Self.selectPages + " ORDER BY p.id").map(Self.record)
        }
    }

    /// One page by id (`PG-000001` or `1`).
    public func page(_ id: String) throws -> PageRecord? {
        guard let row = Self.rowID(id, prefix: "PG") else { return nil }
        return try writer.read { db in
            try Row.fetchOne(db, cached: Self.selectPages + " WHERE p.id = ?", arguments: [row]).map(Self.record)
        }
    }
}
