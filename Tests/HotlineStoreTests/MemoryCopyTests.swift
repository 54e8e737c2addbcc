import Foundation
import HotlineTestSupport
import GRDB
import HotlineStore
import Testing

/// A scenario's database is an in-memory copy of a seeded template (issue 16): the same rows,
/// each copy on its own, and nothing written back to the template or anywhere on disk.
@Suite struct MemoryCopyTests {
    static func folder() throws -> URL {
        try TestFolders.make("memory-copy")
    }

    @Test func copiesHoldTheTemplatesRowsAndKeepTheirOwnChanges() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("template.sqlite").path
        do {
            let file = try HotlineDatabase.open(path: path)
            try file.writer.write { db in
                try db.execute(sql: "CREATE TABLE note (text TEXT NOT NULL)")
                try db.execute(sql: "INSERT INTO note (text) VALUES ('from the template')")
            }
            try file.checkpoint()
        }
        let fileMigrations = try HotlineDatabase.open(path: path).appliedMigrations()
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let templateBefore = try Data(contentsOf: URL(fileURLWithPath: path))

        let image = try HotlineDatabase.MemoryImage(copying: path)
        let first = try HotlineDatabase.open(copyOf: image)
        let second = try HotlineDatabase.open(copyOf: image)
        try first.writer.write { db in try db.execute(sql: "INSERT INTO note (text) VALUES ('only in the first copy')") }

        #expect(try first.writer.read { db in try String.fetchAll(db, sql: "SELECT text FROM note ORDER BY rowid") } == ["from the template", "only in the first copy"])
        #expect(try second.writer.read { db in try String.fetchAll(db, sql: "SELECT text FROM note ORDER BY rowid") } == ["from the template"])
        #expect(try first.appliedMigrations() == fileMigrations)
        #expect(try first.integrityCheck() == ["ok"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == templateBefore)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") } == filesBefore)
        // Foreign keys hold in a copy as in the file.
        #expect(try first.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") } == 1)
    }

    @Test func aMissingOrForeignTemplateIsRefusedWithAFix() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.sqlite").path
        #expect { try HotlineDatabase.MemoryImage(copying: missing) } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .cannotOpen && error.message.contains(missing) && error.fix != nil
        }
        let text = folder.appendingPathComponent("notes.txt").path
        try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try HotlineDatabase.MemoryImage(copying: text) } throws: { error in
            (error as? StoreError)?.code == .notADatabase
        }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "not a database")
    }
}
