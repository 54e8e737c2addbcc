import Foundation
import GRDB
@testable import HotlineStore
import Testing

/// `storedDate` reads the store's own time form in place (no `String`, no `DatabaseValue`): for
/// every stored value it must give what `stored(_:_:as: Date.self, …)` gives — the same instant,
/// or the same error naming table, row and column.
@Suite struct ColumnReadingTests {
    typealias Outcome = Result<Date?, StoreError>

    static let values: [DatabaseValue] = [
        StoredTime.databaseValue(Date(timeIntervalSince1970: 1_798_196_400.125)),
        StoredTime.databaseValue(Date(timeIntervalSince1970: -2_208_988_800)),
        StoredTime.databaseValue(Date(timeIntervalSince1970: 253_402_300_799.999)),
        "2026-12-25 11:00:00".databaseValue, "2026-12-25".databaseValue, "2026-12-25T11:00:00.000".databaseValue,
        "2026-02-30 11:00:00.000".databaseValue, "2026-12-25 11:00:00.00\u{0}".databaseValue, "yesterday".databaseValue,
        1_798_196_400.databaseValue, 1_798_196_400.5.databaseValue, DatabaseValue.null, Data([1, 2]).databaseValue,
    ]

    @Test func theSameInstantOrErrorAsStored() throws {
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, at)")
            for value in Self.values { try db.execute(sql: "INSERT INTO t (at) VALUES (?)", arguments: [value]) }
            let rows = try db.fetchEvery(cached: "SELECT at FROM t ORDER BY id") { row in
                func outcome(_ read: () throws(StoreError) -> Date?) -> Outcome {
                    do { return .success(try read()) } catch { return .failure(error) }
                }
                return (
                    required: outcome { () throws(StoreError) in try row.storedDate(0, "at", table: "t", key: "row") },
                    requiredBefore: outcome { () throws(StoreError) in try row.stored(0, "at", as: Date.self, table: "t", key: "row") },
                    optional: outcome { () throws(StoreError) in try row.storedDateIfPresent(0, "at", table: "t", key: "row") },
                    optionalBefore: outcome { () throws(StoreError) in try row.storedIfPresent(0, "at", as: Date.self, table: "t", key: "row") })
            }
            #expect(rows.count == Self.values.count)
            for (value, row) in zip(Self.values, rows) {
                #expect(row.required == row.requiredBefore, "\(value)")
                #expect(row.optional == row.optionalBefore, "\(value)")
            }
            // The store's own form is read in place, and reads as it was written.
            #expect(try rows[0].required.get() == StoredTime.date(Self.values[0]))
            #expect(throws: StoreError.self) { try rows[8].required.get() }
        }
    }
}
