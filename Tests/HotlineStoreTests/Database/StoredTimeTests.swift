import Foundation
import GRDB
import HotlineCore
@testable import HotlineStore
import HotlineTestSupport
import Testing

/// Times the database cannot hold are refused when written, and a bad value read back is an
/// error naming the table, row and column — never a trap (issue 12, defect 3).
@Suite struct StoredTimeTests {
    static let lastSecond = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z

    @Test func seedingInTheLastSecondOfTheYear9999IsRefusedNotTrapped() throws {
        let folder = TemporaryFolder()
        let store = try CaseStore.open(path: folder.path("late.sqlite"))
        #expect {
            _ = try store.seed(try SampleData.load(folder: Repository.sampleData), sla: try SLATable.load(path: Repository.slaTable), at: Self.lastSecond, reset: false)
        } throws: { error in
            let text = "\(error)"
            return (error as? StoreError)?.code == .invalidTime && text.contains("response due time") && text.contains("10000-01-01")
        }
        // The transaction rolled back: nothing half-seeded.
        #expect(try store.accounts().isEmpty)
    }

    @Test func aCaseWhoseDueTimeWouldPassTheYear9999IsRefused() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let before = try store.listCases(at: seedTime).count
        #expect {
            try store.openCase(.init(accountID: "100001", priority: .p3, skill: "vpn", summary: "late"), by: .init("Dana", role: .customer), at: Self.lastSecond)
        } throws: { error in
            (error as? StoreError)?.code == .invalidTime && "\(error)".contains("P3")
        }
        #expect(try store.listCases(at: seedTime).count == before)
        // A comment dated outside the range is refused too, and the feed is unchanged.
        let feed = try store.feed(caseNumber: "00345678").count
        #expect(throws: StoreError.self) {
            try store.comment(caseNumber: "00345678", text: "x", by: .init("Sam", role: .support), at: Date(timeIntervalSince1970: 1e13))
        }
        #expect(try store.feed(caseNumber: "00345678").count == feed)
    }

    @Test(arguments: [
        ("support_case", "response_due_at", "'10000-01-01 00:00:00.000'", "'10000-01-01 00:00:00.000' in support_case.response_due_at for case 00345678"),
        ("support_case", "created_at", "'yesterday'", "'yesterday' in support_case.created_at for case 00345678"),
        ("sla_policy", "p1_minutes", "'fifteen'", "'fifteen' in sla_policy.p1_minutes for case 00345678"),
    ])
    func aBadStoredValueIsAnErrorNamingTableRowAndColumn(table: String, column: String, value: String, expected: String) throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        // Another program writes what Hotline never would.
        try store.database.writer.write { db in
            let filter = table == "support_case" ? "number = '00345678'" : "tier = 'platinum'"
            try db.execute(sql: "UPDATE \(table) SET \(column) = \(value) WHERE \(filter)")
        }
        #expect {
            try store.supportCase("00345678")
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .invalidStoredValue && error.description.contains(expected) && error.description.contains("(fix: ")
        }
        #expect(throws: StoreError.self) { try store.listCases(at: seedTime) }
    }

    /// The account and feed decoders read by position (issue 16); a bad value still names its
    /// table, row and column.
    @Test func aBadAccountOrFeedValueNamesTableRowAndColumn() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let first = try #require(try store.feed(caseNumber: "00345678").first)
        try store.database.writer.write { db in
            try db.execute(sql: "UPDATE account SET users = 'many' WHERE id = '100001'")
            // The feed is append-only for Hotline; another program can drop the guard.
            try db.execute(sql: "DROP TRIGGER case_feed_no_update")
            try db.execute(sql: "UPDATE case_feed SET at = 'noon' WHERE id = ?", arguments: [first.id])
        }
        #expect {
            try store.account(id: "100001")
        } throws: { error in
            "\(error)".contains("'many' in account.users for account 100001") && "\(error)".contains("(fix: ")
        }
        #expect {
            try store.feed(caseNumber: "00345678")
        } throws: { error in
            "\(error)".contains("'noon' in case_feed.at for feed entry \(first.id)")
        }
    }
}

/// A value GRDB itself cannot decode (record types decode through it) is said without the rest of
/// the row, which holds customer data.
@Suite struct RowDecodingMessageTests {
    @Test func theMessageNamesTheColumnAndValueButNotTheRow() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        try store.database.writer.write { db in
            try db.execute(sql: "UPDATE support_case SET response_due_at = '10000-01-01 00:00:00.000' WHERE number = '00345678'")
        }
        let error = try store.database.writer.read { db -> (any Error)? in
            let row = try Row.fetchOne(db, sql: "SELECT summary, response_due_at FROM support_case WHERE number = '00345678'")
            do {
                _ = try row?.decode(Date.self, forColumn: "response_due_at")
                return nil
            } catch {
                return error
            }
        }
        #expect(error != nil)
        let described = HotlineDatabase.describe(error)
        #expect(described.contains("response_due_at"))
        #expect(described.contains("10000-01-01"))
        #expect(!described.contains("Pulse Connect"))  // the case's summary, in the same row
    }
}
