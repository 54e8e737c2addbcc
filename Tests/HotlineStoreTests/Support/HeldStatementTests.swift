import Foundation
import GRDB
import HotlineCore
@testable import HotlineStore
import HotlineTestSupport
import Testing

/// `HeldStatement`: the call path's statements found per connection without hashing their SQL,
/// and bound without GRDB's clearing after their first use. Each must behave as GRDB's own cache.
@Suite struct HeldStatementTests {
    let folder = TemporaryFolder()

    @Test func aConnectionGetsTheSameCompiledStatementAsGRDBsCache() throws {
        let held = HeldStatement("SELECT ? + 1")
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            let first = try held.statement(db).statement
            #expect(try held.statement(db).statement === first)
            #expect(try db.cachedStatement(sql: held.sql) === first, "the statement is GRDB's cached one")
            #expect(try db.fetchFirst(held, binding: { $0.add(41) }) { row in try row.stored(0, "? + 1", as: Int.self, table: "t", key: "k") } == 42)
            #expect(try db.fetchFirst(held, binding: { $0.add(1) }) { row in try row.stored(0, "? + 1", as: Int.self, table: "t", key: "k") } == 2)
        }
        #expect(held.connectionCount == 1)
    }

    @Test func eachConnectionHasItsOwn() throws {
        let held = HeldStatement("SELECT count(*) FROM sqlite_master")
        let one = try DatabaseQueue(path: folder.path("one.sqlite"))
        let two = try DatabaseQueue(path: folder.path("two.sqlite"))
        let first = try one.inDatabase { db in ObjectIdentifier(try held.statement(db).statement) }
        let second = try two.inDatabase { db in ObjectIdentifier(try held.statement(db).statement) }
        #expect(first != second)
        #expect(held.connectionCount == 2)
        let again = try one.inDatabase { db in ObjectIdentifier(try held.statement(db).statement) }
        #expect(again == first)
    }

    /// The reference is weak: a connection closes as before (GRDB refuses to close one whose
    /// statements are still alive), and a new one compiles its own.
    @Test func heldStatementsDoNotKeepAConnectionOpen() throws {
        let held = HeldStatement("INSERT INTO t VALUES (?)")
        let path = folder.path("closing.sqlite")
        var queue: DatabaseQueue? = try DatabaseQueue(path: path)
        try queue?.inDatabase { db in
            try db.execute(sql: "CREATE TABLE t (a)")
            try db.execute(held) { $0.add("before") }
        }
        try queue?.close()
        queue = nil
        #expect(held.connectionCount == 0)
        let reopened = try DatabaseQueue(path: path)
        try reopened.inDatabase { db in
            try db.execute(held) { $0.add("after") }
            #expect(try String.fetchAll(db, sql: "SELECT a FROM t ORDER BY rowid") == ["before", "after"])
        }
    }

    /// Entries of connections gone are dropped without reading them, once there are more than a
    /// process keeps open: the list stays short, and a live connection whose entry went finds its
    /// statement again (GRDB's, the same one).
    @Test func theListStaysShortAsConnectionsComeAndGo() throws {
        let held = HeldStatement("SELECT 1")
        let kept = try DatabaseQueue()
        let first = try kept.inDatabase { db in ObjectIdentifier(try held.statement(db).statement) }
        for _ in 0..<(3 * HeldStatement.maxConnections) {
            let queue = try DatabaseQueue()
            try queue.inDatabase { db in _ = try held.statement(db) }
            #expect(held.entryCount <= HeldStatement.maxConnections)
        }
        let again = try kept.inDatabase { db in ObjectIdentifier(try held.statement(db).statement) }
        #expect(again == first)
        #expect(held.entryCount <= HeldStatement.maxConnections)
    }

    /// GRDB's own `execute(arguments:)` on the same cached statement in between: the held path
    /// must bind its own values again, not run with GRDB's.
    @Test func valuesStayRightWhenGRDBUsesTheSameStatementInBetween() throws {
        let held = HeldStatement("INSERT INTO t VALUES (?, ?)")
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE t (a, b)")
            try db.execute(held) { values in
                values.add("held 1")
                values.add(1)
            }
            try db.execute(cached: held.sql, arguments: ["grdb", 2])
            try db.execute(held) { values in
                values.add("held 3")
                values.add(3)
            }
            try db.cachedStatement(sql: held.sql).setArguments(["set", 4])
            try db.execute(held) { values in
                values.add("held 5")
                values.add(5)
            }
            try db.execute(held) { values in
                values.add(nil as String?)
                values.add(6)
            }
            let rows = try Row.fetchAll(db, sql: "SELECT a, b FROM t ORDER BY rowid").map { [$0[0] as String?, ($0[1] as Int?).map(String.init)] }
            #expect(rows == [["held 1", "1"], ["grdb", "2"], ["held 3", "3"], ["held 5", "5"], [nil, "6"]])
        }
    }

    /// `fetchEvery` steps its cursor to the end itself (not `Array(cursor)`): every row, in order,
    /// and the statement is ready for the next use.
    @Test func everyRowInOrderAndAgain() throws {
        let held = HeldStatement("SELECT value FROM generate WHERE value <= ? ORDER BY value DESC")
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE generate (value INTEGER)")
            for value in 1...5 { try db.execute(sql: "INSERT INTO generate VALUES (?)", arguments: [value]) }
            func read(_ limit: Int) throws -> [Int] {
                try db.fetchEvery(held, binding: { $0.add(limit) }) { row in try row.stored(0, "value", as: Int.self, table: "generate", key: "a row") }
            }
            #expect(try read(4) == [4, 3, 2, 1])
            #expect(try read(2) == [2, 1])
            #expect(try read(0) == [])
            #expect(try db.fetchEvery(cached: held.sql, binding: { $0.add(5) }) { row in try row.stored(0, "value", as: Int.self, table: "generate", key: "a row") }.count == 5)
        }
    }

    @Test func aWrongNumberOfValuesIsStillRefusedAfterTheFirstUse() throws {
        let held = HeldStatement("INSERT INTO t VALUES (?, ?)")
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE t (a, b)")
            try db.execute(held) { values in
                values.add("one")
                values.add("two")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(held) { values in values.add("only one") }
            }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 1)
        }
    }

    /// GRDB drops a statement that failed from its cache; the held one goes with it and the next
    /// use runs a freshly compiled one.
    @Test func aStatementThatFailedIsCompiledAgain() throws {
        let held = HeldStatement("INSERT INTO t VALUES (?)")
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE t (a PRIMARY KEY)")
            try db.execute(held) { $0.add("x") }
            #expect(throws: DatabaseError.self) { try db.execute(held) { $0.add("x") } }
            try db.execute(held) { $0.add("y") }
            #expect(try String.fetchAll(db, sql: "SELECT a FROM t ORDER BY a") == ["x", "y"])
        }
    }

    /// A bad stored value read through a held statement still names its table, case and column.
    @Test func aBadStoredValueStillNamesTableCaseAndColumn() throws {
        let store = try seededStore(in: folder)
        try store.database.writer.write { db in try db.execute(sql: "UPDATE support_case SET created_at = 'yesterday' WHERE number = '00345678'") }
        for _ in 0..<2 {
            do {
                _ = try store.database.writer.read { db in try CaseStore.lifecycle("00345678", db) }
                Issue.record("a bad priority was read")
            } catch {
                #expect("\(error)".contains("support_case.created_at for case 00345678"), "\(error)")
            }
        }
    }
}
