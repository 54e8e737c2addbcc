import Foundation
import GRDB
import GRDBSQLite
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

/// A scenario worker keeps its connection and gives it the template's content again for each
/// scenario (issue 16): whatever the last scenario wrote is gone, byte for byte, and the
/// connection's compiled statements stay compiled.
@Suite struct MemoryCopyRestoreTests {
    /// A template with a table of notes (AUTOINCREMENT, so `sqlite_sequence` counts) and one row.
    static func image() throws -> (HotlineDatabase.MemoryImage, URL) {
        let folder = try MemoryCopyTests.folder()
        let path = folder.appendingPathComponent("template.sqlite").path
        let file = try HotlineDatabase.open(path: path)
        try file.writer.write { db in
            try db.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)")
            try db.execute(sql: "INSERT INTO note (text) VALUES ('from the template')")
        }
        try file.checkpoint()
        return (try HotlineDatabase.MemoryImage(copying: path), folder)
    }

    static func serialized(_ database: HotlineDatabase) throws -> [UInt8] {
        try database.writer.writeWithoutTransaction { db in
            var size: Int64 = 0
            let data = try #require(sqlite3_serialize(db.sqliteConnection, "main", &size, 0))
            defer { sqlite3_free(data) }
            return [UInt8](UnsafeBufferPointer(start: data, count: Int(size)))
        }
    }

    /// The bytes without the change counter and its "version valid for" (which a restore moves on).
    static func content(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        for offset in [24, 25, 26, 27, 92, 93, 94, 95] where offset < bytes.count { bytes[offset] = 0 }
        return bytes
    }

    @Test func aRestoredCopyHoldsExactlyTheTemplateAgainWhateverWasWritten() throws {
        let (image, folder) = try Self.image()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = try HotlineDatabase.MemoryCopy(of: image)
        let fresh = try Self.content(Self.serialized(copy.database))
        let firstID = try copy.database.writer.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO note (text) VALUES ('scenario A')")
            return db.lastInsertedRowID
        }
        // Enough rows to grow the file well past the template's pages, and a changed row.
        try copy.database.writer.write { db in
            for index in 0..<2_000 { try db.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: ["row \(index) " + String(repeating: "x", count: 100)]) }
            try db.execute(sql: "UPDATE note SET text = 'changed' WHERE id = 1")
        }
        #expect(try Self.serialized(copy.database).count > fresh.count)
        try copy.restore()

        let notes = try copy.database.writer.read { db in try String.fetchAll(db, sql: "SELECT text FROM note ORDER BY id") }
        #expect(notes == ["from the template"])
        #expect(try Self.content(Self.serialized(copy.database)) == fresh)
        #expect(try copy.database.integrityCheck() == ["ok"])
        // Scenario B's first row gets the id scenario A's got: the sequence is the template's too.
        let secondID = try copy.database.writer.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO note (text) VALUES ('scenario B')")
            return db.lastInsertedRowID
        }
        #expect(secondID == firstID)
        #expect(try copy.database.integrityCheck() == ["ok"])
    }

    @Test func theConnectionsCompiledStatementsSurviveARestore() throws {
        let (image, folder) = try Self.image()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = try HotlineDatabase.MemoryCopy(of: image)
        let sql = "SELECT count(*) FROM note"
        func count() throws -> [Int] {
            // Not `read`: GRDB's read-only guard on a queue (`PRAGMA query_only`) expires every
            // statement by itself; this test is about what `restore()` does.
            try copy.database.writer.writeWithoutTransaction { db in
                let statement = try db.cachedStatement(sql: sql)
                let rows = try Int.fetchOne(statement) ?? -1
                return [rows, Int(sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_REPREPARE, 0))]
            }
        }
        #expect(try count() == [1, 0])
        try copy.database.writer.write { db in try db.execute(sql: "INSERT INTO note (text) VALUES ('scenario A')") }
        #expect(try count() == [2, 0])
        try copy.restore()
        // The same statement, not compiled again, reads the template's rows.
        #expect(try count() == [1, 0])
    }

    @Test func twoCopiesOfOneImageAreIndependent() throws {
        let (image, folder) = try Self.image()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try HotlineDatabase.MemoryCopy(of: image)
        let second = try HotlineDatabase.MemoryCopy(of: image)
        try first.database.writer.write { db in try db.execute(sql: "INSERT INTO note (text) VALUES ('first')") }
        try second.restore()
        #expect(try second.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM note") } == 1)
        #expect(try first.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM note") } == 2)
        #expect(try first.database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") } == 1)
    }
}

/// The store's reads on an in-memory copy keep the connection's compiled statements (issue 16):
/// GRDB's read guard on a single connection (`PRAGMA query_only`, set and cleared around each read)
/// made SQLite expire every statement at every read, so each was compiled again at its next use.
@Suite struct StoreReadsOnACopyTests {
    static func reprepared(_ database: HotlineDatabase) -> Int32 {
        database.writer.writeWithoutTransaction { db in
            var total: Int32 = 0
            var statement = sqlite3_next_stmt(db.sqliteConnection, nil)
            while let current = statement {
                total += sqlite3_stmt_status(current, SQLITE_STMTSTATUS_REPREPARE, 0)
                statement = sqlite3_next_stmt(db.sqliteConnection, current)
            }
            return total
        }
    }

    @Test func eachStatementIsCompiledOnceAcrossReadsWritesAndRestores() throws {
        let folder = TemporaryFolder()
        let seeded = try seededStore(in: folder)
        try seeded.database.checkpoint()
        let copy = try HotlineDatabase.MemoryCopy(of: try HotlineDatabase.MemoryImage(copying: folder.path("hotline.sqlite")))
        let store = CaseStore(database: copy.database)
        for _ in 0..<3 {
            #expect(try store.supportCase("00345678").status == .open)
            _ = try store.recordEscalation(caseNumber: "00345678", reason: "again", channel: .phone, by: "Dana Whitfield", at: seedTime)
            #expect(try store.supportCase("00345678").status == .escalated)
            #expect(try store.feed(caseNumber: "00345678").filter { $0.kind == .escalation }.count == 1)
            try copy.restore()
        }
        #expect(Self.reprepared(copy.database) == 0)
    }

    /// The live-call board reads with the store's `readTransaction` too: its reads between the
    /// case store's statements leave them compiled (GRDB's `read` on this queue toggled
    /// `query_only` and made every statement of the connection compile again).
    @Test func theLiveCallBoardsReadsKeepTheStatementsCompiled() throws {
        let folder = TemporaryFolder()
        let seeded = try seededStore(in: folder)
        try seeded.database.checkpoint()
        let copy = try HotlineDatabase.MemoryCopy(of: try HotlineDatabase.MemoryImage(copying: folder.path("hotline.sqlite")))
        // The board's table first: a schema change expires every statement once, by design.
        let board = try LiveCallStore(database: copy.database)
        let store = CaseStore(database: copy.database)
        for step in 0..<3 {
            #expect(try store.supportCase("00345678").status == .open)
            try board.report(
                id: "call-\(step)", channel: "phone", callerID: "+14085550100", dialled: "+18447517629", sipCallID: nil, host: "test", processID: 1,
                startedAt: seedTime, at: seedTime, node: "welcome", waiting: "keys", newLines: ["answered"], outcome: nil, caseNumber: nil)
            #expect(try board.inProgress().count == step + 1)
            #expect(try board.call(id: "call-\(step)")?.node == "welcome")
            #expect(try !board.fingerprint().isEmpty)
            #expect(try store.supportCase("00345678").status == .open)
        }
        #expect(try LiveCallStore.reading(copy.database) != nil)
        #expect(try store.supportCase("00345678").priority == .p1)
        #expect(Self.reprepared(copy.database) == 0)
    }
}
