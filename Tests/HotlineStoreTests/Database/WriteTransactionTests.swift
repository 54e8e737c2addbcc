import Foundation
import GRDB
import HotlineStore
import HotlineTestSupport
import Testing

/// `writeTransaction` is GRDB's `write` with its transaction statements compiled once per
/// connection (issue 16): what it commits is there, what throws leaves nothing, the connection is
/// left outside any transaction, and a read-only connection still refuses to write.
@Suite struct WriteTransactionTests {
    static func count(_ writer: any DatabaseWriter) throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM lookup_failure") ?? -1 }
    }

    static func insert(_ db: Database, _ key: String) throws {
        try db.execute(sql: "INSERT INTO lookup_failure (caller_key, kind, at) VALUES (?, 'case', '2026-12-05 11:00:00.000')", arguments: [key])
    }

    @Test func commitsWhatReturnsAndRollsBackWhatThrows() throws {
        let folder = TemporaryFolder()
        let database = try HotlineDatabase.open(path: folder.path("t.sqlite"))
        let writer = database.writer
        #expect(try writer.writeTransaction { db in try Self.insert(db, "a"); return db.isInsideTransaction })
        #expect(try Self.count(writer) == 1)

        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try writer.writeTransaction { db in
                try Self.insert(db, "b")
                throw Refused()
            }
        }
        #expect(try Self.count(writer) == 1)

        // An SQLite error inside (a NOT NULL column) rolls back the rows written before it.
        #expect(throws: DatabaseError.self) {
            try writer.writeTransaction { db in
                try Self.insert(db, "c")
                try db.execute(sql: "INSERT INTO lookup_failure (caller_key, kind, at) VALUES (NULL, 'case', NULL)")
            }
        }
        #expect(try Self.count(writer) == 1)
        // The writer is outside any transaction again, and the next transaction commits.
        #expect(writer.writeWithoutTransaction { db in db.isInsideTransaction } == false)
        try writer.writeTransaction { db in try Self.insert(db, "d") }
        #expect(try Self.count(writer) == 2)
    }

    @Test func aReadOnlyConnectionStillRefusesToWrite() throws {
        let folder = TemporaryFolder()
        let path = folder.path("t.sqlite")
        _ = try HotlineDatabase.open(path: path)
        let reading = try HotlineDatabase.openForReading(path: path)
        #expect(throws: DatabaseError.self) {
            try reading.writer.writeTransaction { db in try Self.insert(db, "a") }
        }
        #expect(try Self.count(reading.writer) == 0)
    }

    /// `readTransaction`: one snapshot for all its statements (a commit meanwhile is not seen), the
    /// connection left outside any transaction, also when the body throws.
    @Test func aReadTransactionSeesOneSnapshot() throws {
        let folder = TemporaryFolder()
        let database = try HotlineDatabase.open(path: folder.path("t.sqlite"))
        let writer = database.writer
        let (before, after) = try writer.readTransaction { db in
            let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM lookup_failure") ?? -1
            try writer.writeTransaction { db in try Self.insert(db, "a") }
            let after = try Int.fetchOne(db, sql: "SELECT count(*) FROM lookup_failure") ?? -1
            return (before, after)
        }
        #expect(before == 0 && after == 0)
        #expect(try writer.readTransaction { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM lookup_failure") } == 1)

        struct Refused: Error {}
        #expect(throws: Refused.self) { try writer.readTransaction { _ in throw Refused() } }
        #expect(try writer.unsafeRead { db in db.isInsideTransaction } == false)
    }
}
