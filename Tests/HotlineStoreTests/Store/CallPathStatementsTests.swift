import Foundation
import GRDB
import HotlineCore
import HotlineRota
@testable import HotlineStore
import HotlineTestSupport
import Testing

/// The call path's statements after issue 16's last cuts: a case's lifecycle in one statement,
/// arguments bound in place, page ids read on their bytes. Each must answer exactly what the
/// code it replaced answered.
@Suite struct CallPathStatementsTests {
    let folder = TemporaryFolder()

    // MARK: - The lifecycle in one statement

    /// The lifecycle as it was read before: the whole case, then its latest entry's time, then
    /// (while escalated) its latest escalation entry — three queries.
    static func lifecycleAsBefore(_ number: String, _ db: Database) throws -> CaseLifecycle {
        let supportCase = try CaseStore.fetchCase(number, db)
        let last = try String.fetchOne(db, sql: "SELECT at FROM case_feed WHERE case_number = ? ORDER BY at DESC LIMIT 1", arguments: [number])
            .flatMap { StoredTime.date($0.databaseValue) }
        var open: String?
        if supportCase.status == .escalated, let row = try Row.fetchOne(
            db, sql: "SELECT id, ref FROM case_feed WHERE case_number = ? AND kind = 'escalation' ORDER BY id DESC LIMIT 1", arguments: [number])
        {
            open = (row["ref"] as String?) ?? CaseLifecycle.escalationID(feedID: row["id"])
        }
        return CaseLifecycle(supportCase, lastEntryAt: last ?? supportCase.createdAt, openEscalation: open)
    }

    @Test func theLifecycleInOneStatementIsTheLifecycleOfThreeQueries() throws {
        let store = try seededStore(in: folder)
        let author = CaseStore.Author("Ana Support", role: .support)
        // Cases in every state a change meets: escalated (and joined, whose entry has a ref),
        // commented, closed (seeded so), and untouched.
        _ = try store.escalate(caseNumber: "00345678", reason: "first", channel: .phone, by: author, at: seedTime)
        _ = try store.escalate(caseNumber: "00345678", reason: "joins", channel: .web, by: author, at: seedTime.addingTimeInterval(60))
        _ = try store.comment(caseNumber: "00345679", text: "looking", by: author, at: seedTime)
        let numbers = try store.database.writer.read { db in try String.fetchAll(db, sql: "SELECT number FROM support_case ORDER BY number") }
        #expect(numbers.count > 5)
        let read = try store.database.writer.read { db in
            try numbers.map { number in (number, try CaseStore.lifecycle(number, db), try Self.lifecycleAsBefore(number, db)) }
        }
        for (number, now, before) in read {
            #expect(now == before, "case \(number)")
        }
        #expect(read.first { $0.0 == "00345678" }?.1.openEscalation != nil)
        #expect(read.first { $0.0 == "00345680" }?.1.status == .closed)
    }

    @Test func anUnknownCaseIsStillNotFound() throws {
        let store = try seededStore(in: folder)
        #expect(throws: CaseDeskError.caseNotFound(caseNumber: "00999998")) {
            try store.database.writer.read { db in try CaseStore.lifecycle("00999998", db) }
        }
    }

    /// The latest entry's time is an index seek inside the lifecycle's statement too.
    @Test func theLifecycleStatementSortsNothing() throws {
        let store = try seededStore(in: folder)
        let plan = try store.database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + CaseStore.lifecycleSQL, arguments: ["00345678"]).map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("case_feed_case_at") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    // MARK: - Arguments bound in place

    @Test func boundValuesAreStoredAsGRDBStoresThem() throws {
        let queue = try DatabaseQueue()
        let at = Date(timeIntervalSince1970: 1_798_196_400.125)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a, b, c, d, e, f, g)")
            try db.execute(cached: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)") { values in
                values.add("é / \"quoted\" 日本")
                values.add("")
                values.add(nil as String?)
                values.add(Int64(-42))
                values.add(2.5)
                values.add(at)
                values.add(7)
            }
            try db.execute(
                sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: ["é / \"quoted\" 日本", "", nil as String?, Int64(-42), 2.5, StoredTime.databaseValue(at), 7])
            let rows = try Row.fetchAll(db, sql: "SELECT a, b, c, d, e, f, g, typeof(b), typeof(f) FROM t")
            #expect(rows.count == 2)
            #expect(rows[0] == rows[1], "\(rows)")
            #expect(rows[0][1] as String? == "", "an empty text is text, not NULL")
        }
    }

    @Test func aWrongNumberOfValuesIsRefusedBeforeAnythingRuns() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a, b)")
            #expect(throws: DatabaseError.self) {
                try db.execute(cached: "INSERT INTO t VALUES (?, ?)") { values in values.add("only one") }
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(cached: "INSERT INTO t VALUES (?, ?)") { values in
                    values.add("one")
                    values.add("two")
                    values.add("three")
                }
            }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 0)
            // The statement is fine for the next, right use.
            try db.execute(cached: "INSERT INTO t VALUES (?, ?)") { values in
                values.add("one")
                values.add("two")
            }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 1)
        }
    }

    // MARK: - The paging check before the paging escalation's join

    /// `isPaging` says what `pagingEscalation` finds, without its join: before any page, once a
    /// case escalation pages, for an escalation that joined it, and for a case escalation that
    /// never paged.
    @Test func isPagingIsWhetherThePagingEscalationIsFound() throws {
        let store = try seededStore(in: folder)
        let service = PagingService(policy: try referencePolicy(), store: PageStore(writer: store.database.writer), delivery: FanOutDelivery([]))
        let customer = CaseStore.Author("Olivia Hart", role: .customer)
        let t0 = seedTime.addingTimeInterval(3600)
        func agree(_ feedIDs: [Int64]) throws -> [Bool] {
            try store.database.writer.read { db in
                try feedIDs.map { id in
                    let found = try PageStore.pagingEscalation(caseEscalation: id, db) != nil
                    #expect(try PageStore.isPaging(caseEscalation: id, db) == found, "ESC-\(id)")
                    return found
                }
            }
        }
        let first = try #require(try store.escalate(caseNumber: "00345678", reason: "down", channel: .web, by: customer, at: t0).escalationID)
        let firstID = try #require(PageStore.rowID(first, prefix: "ESC"))
        let unpaged = try #require(try store.escalate(caseNumber: "00345679", reason: "slow", channel: .web, by: customer, at: t0).escalationID)
        let unpagedID = try #require(PageStore.rowID(unpaged, prefix: "ESC"))
        #expect(try agree([firstID, unpagedID, 0, 999_999]) == [false, false, false, false])
        #expect(try service.page(caseNumber: "00345678", reason: "down", at: t0).sent.count == 1)
        #expect(try agree([firstID, unpagedID]) == [true, false])
        let joined = try service.page(caseNumber: "00345678", reason: "again", at: t0.addingTimeInterval(60))
        #expect(joined.joined && joined.sent.isEmpty && joined.latest?.id == "PG-000001")
        #expect(try agree([firstID, unpagedID]) == [true, false])
    }

    // MARK: - Page and escalation ids on their bytes

    /// The rule as it was written (uppercased, then digits): the byte path must agree with it.
    static func rowIDAsBefore(_ text: String, prefix: String) -> Int64? {
        let upper = text.uppercased()
        let digits = upper.hasPrefix(prefix + "-") ? String(upper.dropFirst(prefix.count + 1)) : upper
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int64(digits)
    }

    @Test(arguments: [
        "PG-000001", "pg-000042", "Pg-7", "42", "ESC-86", "esc-86", "ESC-", "PG-", "PG", "ESC86", "-86", "PG--1", "PG-+1", "+1", "",
        "PG-123456789012345678", "PG-1234567890123456789", "123456789012345678", "1234567890123456789", "PG-12a", "PG 12", "PQ-12",
        "PG-١٢", "ＰＧ-12", "PG-12é",
    ])
    func pageAndEscalationIdsReadAsBefore(_ text: String) {
        for prefix in ["PG", "ESC"] {
            #expect(PageStore.rowID(text, prefix: prefix) == Self.rowIDAsBefore(text, prefix: prefix), "\(text) with \(prefix)")
        }
    }
}

/// Page and escalation ids written into their bytes read as the formatting they replaced.
@Suite struct PagingIdentifierTextTests {
    @Test(arguments: [0, 1, 9, 10, 42, 99_999, 999_999, 1_000_000, 123_456_789, Int64.max, -1, -42, -1_000_000, Int64.min] as [Int64])
    func idsReadAsBefore(_ row: Int64) {
        #expect(PageStore.pageID(row) == "PG-" + CivilTime.pad(Int(row), 6))
        #expect(EscalationRow.displayID(row: row, caseEscalation: nil) == "ESC-" + CivilTime.pad(Int(row), 6))
        #expect(EscalationRow.displayID(row: 7, caseEscalation: row) == CaseLifecycle.escalationID(feedID: row))
        #expect(PageStore.rowID(PageStore.pageID(row), prefix: "PG") == (row >= 0 && row < 1_000_000_000_000_000_000 ? row : nil))
    }
}
