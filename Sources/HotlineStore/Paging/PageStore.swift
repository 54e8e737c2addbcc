import Foundation
import GRDB
import HotlineCore

/// A page as stored: the outbox row written before the page is delivered.
public struct PageRecord: Sendable, Hashable, Codable {
    /// Where a page stands.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Out, waiting for an acknowledgement.
        case sent
        /// Someone acknowledged the escalation while this was its latest page (also after the
        /// escalation ran out of levels: a late acknowledgement still counts).
        case acknowledged
        /// Not acknowledged in time; the next level was paged.
        case escalated
        /// Not acknowledged, and nobody was left to page.
        case exhausted
    }

    /// `PG-000001`.
    public var id: String
    /// The escalation, named as on the case's feed (`ESC-86`): the pages of one escalation share it.
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
    /// Raised by a simulated caller (`serve --simulate-calls-per-hour`), not by a real one: the
    /// escalation was opened by a simulated call, so all its pages are (column
    /// `oncall_escalation.simulated`).
    public var simulated: Bool = false

    /// Where a page came from, as the lists filter it (`source=simulated|real`).
    public enum Source: String, Sendable, Hashable, CaseIterable {
        case simulated
        case real
    }

    public var source: Source { simulated ? .simulated : .real }
}

/// An escalation's row in `oncall_escalation`: one per case escalation that paged.
struct EscalationRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "oncall_escalation"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var caseNumber: String
    var reason: String
    /// Seconds since 1970.
    var createdAt: Double
    /// The case feed entry that opened the escalation (`ESC-<id>`); `nil` on rows written before
    /// pages shared the case's escalation id.
    var caseEscalation: Int64?
    /// Raised by a simulated caller.
    var simulated = false

    enum Columns {
        static let caseEscalation = Column("case_escalation")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(id: Int64?, caseNumber: String, reason: String, createdAt: Double, caseEscalation: Int64?, simulated: Bool = false) {
        self.id = id
        self.caseNumber = caseNumber
        self.reason = reason
        self.createdAt = createdAt
        self.caseEscalation = caseEscalation
        self.simulated = simulated
    }

    // Columns read and written by hand: GRDB's Codable path converted every key from and to
    // snake case on every row (thousands of instructions per page of a call).
    init(row: Row) throws {
        id = try row.decode(Int64?.self, forColumn: "id")
        caseNumber = try row.decode(String.self, forColumn: "case_number")
        reason = try row.decode(String.self, forColumn: "reason")
        createdAt = try row.decode(Double.self, forColumn: "created_at")
        caseEscalation = try row.decode(Int64?.self, forColumn: "case_escalation")
        simulated = try row.decode(Bool?.self, forColumn: "simulated") ?? false
    }

    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["case_number"] = caseNumber
        container["reason"] = reason
        container["created_at"] = createdAt
        container["case_escalation"] = caseEscalation
        container["simulated"] = simulated
    }

    /// `insert(_:)` on a statement compiled once per connection (GRDB's persistence builds the
    /// columns into a container for every row); sets `id`.
    mutating func insertCached(_ db: Database) throws {
        try db.execute(
            cached: "INSERT INTO oncall_escalation (id, case_number, reason, created_at, case_escalation, simulated) VALUES (?, ?, ?, ?, ?, ?)"
        ) { values in
            values.add(id)
            values.add(caseNumber)
            values.add(reason)
            values.add(createdAt)
            values.add(caseEscalation)
            values.add(simulated ? 1 : 0)  // as GRDB stores a Bool
        }
        id = db.lastInsertedRowID
    }

    /// The paging escalation of a case escalation (one argument: its feed id) and its latest page
    /// (NULLs when it has none), the page's columns as `PageView.select` lists them.
    static let pagingSQL = """
        SELECT e.id AS paging_id, p.id, p.escalation_id, e.case_escalation, e.case_number, e.reason, p.level, p.round, p.person, p.state,
               p.sent_at, p.ack_deadline, p.acknowledged_by, p.acknowledged_at, p.delivered_at, e.simulated
        FROM oncall_escalation e
        LEFT JOIN oncall_page p ON p.id = (SELECT id FROM oncall_page WHERE escalation_id = e.id ORDER BY id DESC LIMIT 1)
        WHERE e.case_escalation = ? LIMIT 1
        """

    /// `ESC-86`, or `ESC-000001` for a row from before the ids were shared.
    static func displayID(row: Int64, caseEscalation: Int64?) -> String {
        // `CaseLifecycle.escalationID(feedID:)`'s text (`PageStore.prefixedID` writes it without interpolation).
        caseEscalation.map { PageStore.prefixedID("ESC-", $0, width: 0) } ?? PageStore.prefixedID("ESC-", row, width: 6)
    }
}

/// A page's row in `oncall_page`.
struct PageRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "oncall_page"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var escalationId: Int64
    var level: Int
    var round: Int
    var person: String
    var state: PageRecord.State
    var sentAt: Double
    var ackDeadline: Double
    var acknowledgedBy: String?
    var acknowledgedAt: Double?
    var deliveredAt: Double?

    enum Columns {
        static let id = Column("id")
        static let escalationId = Column("escalation_id")
        static let state = Column("state")
        static let ackDeadline = Column("ack_deadline")
        static let deliveredAt = Column("delivered_at")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(
        id: Int64?, escalationId: Int64, level: Int, round: Int, person: String, state: PageRecord.State, sentAt: Double, ackDeadline: Double,
        acknowledgedBy: String? = nil, acknowledgedAt: Double? = nil, deliveredAt: Double? = nil
    ) {
        self.id = id
        self.escalationId = escalationId
        self.level = level
        self.round = round
        self.person = person
        self.state = state
        self.sentAt = sentAt
        self.ackDeadline = ackDeadline
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.deliveredAt = deliveredAt
    }

    // By hand, as `EscalationRow`'s: no snake-case conversion per key and row.
    init(row: Row) throws {
        id = try row.decode(Int64?.self, forColumn: "id")
        escalationId = try row.decode(Int64.self, forColumn: "escalation_id")
        level = try row.decode(Int.self, forColumn: "level")
        round = try row.decode(Int.self, forColumn: "round")
        person = try row.decode(String.self, forColumn: "person")
        state = try row.decode(PageRecord.State.self, forColumn: "state")
        sentAt = try row.decode(Double.self, forColumn: "sent_at")
        ackDeadline = try row.decode(Double.self, forColumn: "ack_deadline")
        acknowledgedBy = try row.decode(String?.self, forColumn: "acknowledged_by")
        acknowledgedAt = try row.decode(Double?.self, forColumn: "acknowledged_at")
        deliveredAt = try row.decode(Double?.self, forColumn: "delivered_at")
    }

    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["escalation_id"] = escalationId
        container["level"] = level
        container["round"] = round
        container["person"] = person
        container["state"] = state
        container["sent_at"] = sentAt
        container["ack_deadline"] = ackDeadline
        container["acknowledged_by"] = acknowledgedBy
        container["acknowledged_at"] = acknowledgedAt
        container["delivered_at"] = deliveredAt
    }

    /// `insert(_:)` on a statement compiled once per connection, as `EscalationRow.insertCached`; sets `id`.
    mutating func insertCached(_ db: Database) throws {
        try db.execute(
            cached: """
                INSERT INTO oncall_page (id, escalation_id, level, round, person, state, sent_at, ack_deadline, acknowledged_by, acknowledged_at, delivered_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ) { values in
            values.add(id)
            values.add(escalationId)
            values.add(level)
            values.add(round)
            values.add(person)
            values.add(state.rawValue)
            values.add(sentAt)
            values.add(ackDeadline)
            values.add(acknowledgedBy)
            values.add(acknowledgedAt)
            values.add(deliveredAt)
        }
        id = db.lastInsertedRowID
    }

    /// The latest page of an escalation: its state is the escalation's.
    static func latest(escalation: Int64, _ db: Database) throws -> PageRow? {
        try PageRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM oncall_page WHERE escalation_id = ? ORDER BY id DESC LIMIT 1"), arguments: [escalation])
    }
}

extension PageRecord.State: DatabaseValueConvertible {}

/// A page row with its escalation's columns, as `pages list` shows it.
struct PageView: Decodable, FetchableRecord {
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    var id: Int64
    var escalationId: Int64
    var caseEscalation: Int64?
    var caseNumber: String
    var reason: String
    var level: Int
    var round: Int
    var person: String
    var state: PageRecord.State
    var sentAt: Double
    var ackDeadline: Double
    var acknowledgedBy: String?
    var acknowledgedAt: Double?
    var deliveredAt: Double?
    var simulated: Bool

    static let select = """
        SELECT p.id, p.escalation_id, e.case_escalation, e.case_number, e.reason, p.level, p.round, p.person, p.state,
               p.sent_at, p.ack_deadline, p.acknowledged_by, p.acknowledged_at, p.delivered_at, e.simulated
        FROM oncall_page p JOIN oncall_escalation e ON e.id = p.escalation_id
        """
    static let byIDSQL = select + " WHERE p.id = ?"

    /// A page just inserted (`page.id` set) of a paging escalation just inserted, as `select` reads
    /// it back: the values written are the values stored (integers, text and doubles round-trip).
    init(page: PageRow, escalation: EscalationRow) {
        id = page.id ?? 0
        escalationId = page.escalationId
        caseEscalation = escalation.caseEscalation
        caseNumber = escalation.caseNumber
        reason = escalation.reason
        level = page.level
        round = page.round
        person = page.person
        state = page.state
        sentAt = page.sentAt
        ackDeadline = page.ackDeadline
        acknowledgedBy = page.acknowledgedBy
        acknowledgedAt = page.acknowledgedAt
        deliveredAt = page.deliveredAt
        simulated = escalation.simulated
    }

    // The columns of `select`, in its order, read by position (no Codable, no name lookups).
    init(row: Row) throws {
        try self.init(columns: row)
    }

    /// A row of `select`, from a `Row` or read in place (`Database.fetchFirst`); a bad stored value
    /// names the table, the page and the column.
    init(columns row: some StoredColumns) throws(StoreError) {
        let table = "oncall_page"
        id = try row.stored(0, "id", table: table, key: "a page")
        let key = "page \(id)"
        escalationId = try row.stored(1, "escalation_id", table: table, key: key)
        caseEscalation = try row.storedIfPresent(2, "case_escalation", table: "oncall_escalation", key: key)
        caseNumber = try row.stored(3, "case_number", table: "oncall_escalation", key: key)
        reason = try row.stored(4, "reason", table: "oncall_escalation", key: key)
        level = try row.stored(5, "level", table: table, key: key)
        round = try row.stored(6, "round", table: table, key: key)
        person = try row.stored(7, "person", table: table, key: key)
        state = try row.stored(8, "state", table: table, key: key)
        sentAt = try row.stored(9, "sent_at", table: table, key: key)
        ackDeadline = try row.stored(10, "ack_deadline", table: table, key: key)
        acknowledgedBy = try row.storedIfPresent(11, "acknowledged_by", table: table, key: key)
        acknowledgedAt = try row.storedIfPresent(12, "acknowledged_at", table: table, key: key)
        deliveredAt = try row.storedIfPresent(13, "delivered_at", table: table, key: key)
        let flag: Int64? = try row.storedIfPresent(14, "simulated", table: "oncall_escalation", key: key)
        simulated = (flag ?? 0) != 0
    }

    var record: PageRecord {
        PageRecord(
            id: PageStore.pageID(id), escalation: EscalationRow.displayID(row: escalationId, caseEscalation: caseEscalation),
            caseNumber: caseNumber, reason: reason, level: level, round: round, person: person, state: state,
            sentAt: Date(timeIntervalSince1970: sentAt), ackDeadline: Date(timeIntervalSince1970: ackDeadline),
            acknowledgedBy: acknowledgedBy, acknowledgedAt: acknowledgedAt.map(Date.init(timeIntervalSince1970:)),
            deliveredAt: deliveredAt.map(Date.init(timeIntervalSince1970:)), simulated: simulated)
    }
}

/// Pages on SQLite, in the same database as the cases (`StoreSchema` registers the migrations).
public struct PageStore: Sendable {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) { self.writer = writer }

    /// Registers the paging tables in a migrator shared with the rest of the database.
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
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
        // Pages carry the case's escalation id (`ESC-86`, the feed entry that opened it).
        migrator.registerMigration("pages-v2") { db in
            try db.alter(table: "oncall_escalation") { table in
                table.add(column: "case_escalation", .integer)
            }
            try db.create(index: "oncall_escalation_case", on: "oncall_escalation", columns: ["case_escalation"])
        }
    }

    /// An escalation (and so its pages) raised by a simulated caller of `serve
    /// --simulate-calls-per-hour`; every older one was real. Registered after the store's earlier
    /// migrations (`StoreSchema`).
    static func registerSimulatedMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("pages-v3-simulated") { db in
            try db.execute(sql: "ALTER TABLE oncall_escalation ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0")
        }
    }

    static func pageID(_ row: Int64) -> String { prefixedID("PG-", row, width: 6) }

    /// `prefix` and a row in decimal, zero-padded to `width` digits (`PG-000042`, `ESC-86`): the
    /// text of `prefix + CivilTime.pad(Int(row), width)`, written straight into the string's bytes
    /// for the rows the store writes (0 and up) — every record of a page carries two such ids.
    static func prefixedID(_ prefix: StaticString, _ row: Int64, width: Int) -> String {
        guard row >= 0 else { return prefix.description + CivilTime.pad(Int(row), width) }
        var digits = 1
        var rest = row / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let length = prefix.utf8CodeUnitCount + max(digits, width)
        return String(unsafeUninitializedCapacity: length) { bytes in
            var index = 0
            prefix.withUTF8Buffer { marker in
                for byte in marker {
                    bytes[index] = byte
                    index += 1
                }
            }
            while index < length - digits {
                bytes[index] = UInt8(ascii: "0")
                index += 1
            }
            var value = row
            var end = length
            repeat {
                end -= 1
                bytes[end] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            return length
        }
    }

    /// `PG-000042` or `42` → 42.
    static func rowID(_ text: String, prefix: String) -> Int64? {
        // ASCII text (every id the store writes) is read on its bytes, in place; anything else as before.
        var text = text
        var prefix = prefix
        if let parsed = text.withUTF8({ bytes in prefix.withUTF8 { marker in rowID(ascii: bytes, prefix: marker) } }) {
            return parsed
        }
        let upper = text.uppercased()
        let digits = upper.hasPrefix(prefix + "-") ? String(upper.dropFirst(prefix.count + 1)) : upper
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int64(digits)
    }

    /// `rowID(_:prefix:)` on the UTF-8 bytes of an ASCII text (the prefix matched whatever its
    /// letters' case); `.none` when the text is not ASCII.
    private static func rowID(ascii text: UnsafeBufferPointer<UInt8>, prefix: UnsafeBufferPointer<UInt8>) -> Int64?? {
        for byte in text where byte >= 0x80 { return .none }
        var start = 0
        if text.count > prefix.count + 1, text[prefix.count] == UInt8(ascii: "-") {
            var same = true
            for index in 0..<prefix.count where text[index] & 0xDF != prefix[index] & 0xDF {
                same = false
                break
            }
            if same { start = prefix.count + 1 }
        }
        let count = text.count - start
        guard count > 0, count <= 18 else { return .some(nil) }
        var value: Int64 = 0
        for index in start..<text.count {
            let byte = text[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .some(nil) }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return .some(value)
    }

    /// Pages, oldest first; for one case when given.
    public func pages(caseNumber: String? = nil) throws -> [PageRecord] {
        try writer.readTransaction { db in
            // A scenario asks this for every page fact it checks: compiled once per connection.
            if let caseNumber {
                return try PageView.fetchAll(db.cachedStatement(sql: PageView.select + " WHERE e.case_number = ? ORDER BY p.id"), arguments: [caseNumber]).map(\.record)
            }
            return try PageView.fetchAll(db.cachedStatement(sql: PageView.select + " ORDER BY p.id")).map(\.record)
        }
    }

    /// The cases whose latest paging escalation a simulated caller raised (``PageRecord/simulated``):
    /// the escalated cases a trainer should read as simulated.
    public func simulatedEscalationCases() throws -> Set<String> {
        try writer.readTransaction { db in
            var latest: [String: Bool] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT case_number, simulated FROM oncall_escalation ORDER BY id") {
                let number: String = row["case_number"] ?? ""
                latest[number] = (row["simulated"] as Int64? ?? 0) != 0
            }
            return Set(latest.filter(\.value).keys)
        }
    }

    /// Pages waiting for an acknowledgement (state `sent`) sent at or after `since` whose deadline is
    /// after `now`, oldest first: what a line that rings pages looks for (the `oncall_page_due` index).
    public func waiting(sentSince since: Date, at now: Date) throws -> [PageRecord] {
        try writer.readTransaction { db in
            try PageView.fetchAll(
                db, sql: PageView.select + " WHERE p.state = 'sent' AND p.ack_deadline > ? AND p.sent_at >= ? ORDER BY p.id",
                arguments: [now.timeIntervalSince1970, since.timeIntervalSince1970]
            ).map(\.record)
        }
    }

    /// One page by id (`PG-000001` or `1`).
    public func page(_ id: String) throws -> PageRecord? {
        guard let row = Self.rowID(id, prefix: "PG") else { return nil }
        return try writer.readTransaction { db in try Self.page(row, db) }
    }

    static func page(_ row: Int64, _ db: Database) throws -> PageRecord? {
        try db.fetchFirst(cached: PageView.byIDSQL, arguments: [row]) { columns in try PageView(columns: columns).record }
    }

    /// The paging escalation of a case escalation (its feed id) and its latest page, if it has
    /// any: one statement (`EscalationRow.pagingSQL`); `nil` when the case escalation never paged.
    static func pagingEscalation(caseEscalation: Int64, _ db: Database) throws -> PagingEscalation? {
        try db.fetchFirst(cached: EscalationRow.pagingSQL, binding: { $0.add(caseEscalation) }) { row in
            let id = try row.stored(0, "paging_id", as: Int64.self, table: "oncall_escalation", key: "the paging escalation of ESC-\(caseEscalation)")
            let latest = row.databaseValue(at: 1).isNull ? nil : try PageView(columns: ShiftedColumns(row, by: 1)).record
            return PagingEscalation(id: id, latest: latest)
        }
    }

    /// Whether a case escalation (its feed id) has a paging escalation: the `oncall_escalation_case`
    /// index alone. A page for a case asks this first: its escalation is new far more often than
    /// joined, and `pagingEscalation` (a join and a sub-query) costs more even when it finds nothing.
    static func isPaging(caseEscalation: Int64, _ db: Database) throws -> Bool {
        try db.fetchFirst(cached: "SELECT 1 FROM oncall_escalation WHERE case_escalation = ? LIMIT 1", binding: { $0.add(caseEscalation) }) { _ in true } ?? false
    }

    /// A paging escalation's row id and its latest page.
    struct PagingEscalation {
        var id: Int64
        var latest: PageRecord?
    }

}
