import Foundation
import GRDB
import HotlineStore
import HotlineTestSupport
import Testing

/// What is at a database path is looked at before SQLite writes anything: another application's
/// SQLite file, a FIFO or a device are refused and left as they were (issue 12, defects 10 and
/// 13), and reading never writes (defect 12).
@Suite struct DatabaseFileTests {
    /// The bytes of a file, for before/after comparisons (small files only).
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// A SQLite file as another application would leave it (rollback journal, its own tables).
    static func foreignDatabase(at path: String, withGRDBMigrations: Bool = false) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')")
            if withGRDBMigrations {
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1')")
            }
        }
        try queue.close()
    }

    @Test(arguments: [false, true])
    func anotherApplicationsDatabaseIsRefusedAndLeftByteForByte(withGRDBMigrations: Bool) throws {
        let folder = TemporaryFolder()
        let path = folder.path("other-app.sqlite")
        try Self.foreignDatabase(at: path, withGRDBMigrations: withGRDBMigrations)
        let before = try Self.bytes(path)
        for open in [{ _ = try HotlineDatabase.open(path: path) }, { _ = try HotlineDatabase.openForReading(path: path) }] as [() throws -> Void] {
            #expect {
                try open()
            } throws: { error in
                guard let error = error as? StoreError else { return false }
                return error.code == .foreignDatabase && error.description.contains("another application") && error.description.contains("notes")
                    && error.description.contains(path)
            }
        }
        #expect(try Self.bytes(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["other-app.sqlite"])
    }

    /// Another process creating the same new file has, for an instant, only GRDB's empty
    /// migrations table in it: that file is being made, not another application's (before, a
    /// second process opening it then was refused).
    @Test func aFileWithOnlyAnEmptyMigrationsTableIsBeingCreatedNotForeign() throws {
        let folder = TemporaryFolder()
        let path = folder.path("being-created.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)") }
        try queue.close()
        #expect(try HotlineDatabase.inspect(path: path) == .blank)
        _ = try HotlineDatabase.open(path: path)
        guard case .hotline = try HotlineDatabase.inspect(path: path) else {
            Issue.record("not a Hotline database after open")
            return
        }
    }

    @Test func aSQLiteFileWithoutTablesBecomesAHotlineDatabase() throws {
        let folder = TemporaryFolder()
        let path = folder.path("blank.sqlite")
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "PRAGMA user_version = 1") }
        #expect(try HotlineDatabase.inspect(path: path) == .blank)
        _ = try HotlineDatabase.open(path: path)
        guard case .hotline(let migrations) = try HotlineDatabase.inspect(path: path) else {
            Issue.record("not a Hotline database after open")
            return
        }
        #expect(migrations.first == "store-v1")
    }

    @Test func aFIFOIsRefusedWithoutOpeningIt() throws {
        let folder = TemporaryFolder()
        let path = folder.path("pipe.sqlite")
        #expect(mkfifo(path, 0o644) == 0)
        // Opening a FIFO for reading would wait for a writer for ever: the refusal must come first.
        #expect {
            _ = try HotlineDatabase.open(path: path)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .notADatabase && error.description.contains("FIFO") && error.description.contains(path)
        }
        #expect(throws: StoreError.self) { _ = try HotlineDatabase.openForReading(path: path) }
    }

    @Test func aDeviceIsRefusedWithAHintAboutTheFile() {
        #expect {
            _ = try HotlineDatabase.open(path: "/dev/null")
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .notADatabase && error.description.contains("/dev/null is a character device")
                && error.description.contains("regular file") && !error.description.contains("folder")
        }
    }

    @Test func readingLeavesTheFileByteForByte() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        do { _ = try seededStore(in: folder) }
        let before = try Self.bytes(path)
        for _ in 0..<3 {
            let store = CaseStore(database: try HotlineDatabase.openForReading(path: path))
            #expect(try store.accounts().count == 11)
            #expect(try store.listCases(at: seedTime).count == 30)
            // A write through a reading handle fails and changes nothing.
            #expect(throws: (any Error).self) {
                try store.comment(caseNumber: "00345678", text: "x", by: .init("Sam", role: .support), at: seedTime)
            }
        }
        #expect(try Self.bytes(path) == before)
    }

    /// A read leaves the folder as it found it: no `-wal` or `-shm` beside the file (a read-only
    /// connection cannot remove them, so every reading command left them), even while a
    /// `PageStore` outlives the `HotlineDatabase` it came from.
    @Test func readingLeavesNoWALOrSHMFileBehind() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        do { _ = try seededStore(in: folder) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["hotline.sqlite"])
        let before = try Self.bytes(path)
        #expect(try HotlineDatabase.inspect(path: path) != .blank)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["hotline.sqlite"])
        do {
            let pages: PageStore
            do {
                let database = try HotlineDatabase.openForReading(path: path)
                #expect(try CaseStore(database: database).listCases(at: seedTime).count == 30)
                #expect(FileManager.default.fileExists(atPath: path + "-wal"))
                pages = PageStore(writer: database.writer)
            }
            // The pool is still in use: nothing is removed under it.
            #expect(try pages.pages().isEmpty)
            #expect(FileManager.default.fileExists(atPath: path + "-shm"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["hotline.sqlite"])
        #expect(try Self.bytes(path) == before)
    }

    /// With a writer that has the database open (a server), a read leaves the writer's files alone,
    /// the writer goes on writing, and its own close removes them.
    @Test func readingBesideAWriterLeavesTheWritersFilesAlone() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        do {
            let writer = try seededStore(in: folder)
            _ = try writer.comment(caseNumber: "00345678", text: "first", by: .init("Sam", role: .support), at: seedTime)
            do {
                let reader = CaseStore(database: try HotlineDatabase.openForReading(path: path))
                #expect(try reader.feed(caseNumber: "00345678").contains { $0.body == "first" })
            }
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            #expect(FileManager.default.fileExists(atPath: path + "-shm"))
            _ = try writer.comment(caseNumber: "00345678", text: "second", by: .init("Sam", role: .support), at: seedTime)
            // A reader that opened while the writer had the files does not remove them later.
            let reader = CaseStore(database: try HotlineDatabase.openForReading(path: path))
            #expect(try reader.feed(caseNumber: "00345678").contains { $0.body == "second" })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["hotline.sqlite"])
        let reader = CaseStore(database: try HotlineDatabase.openForReading(path: path))
        #expect(try reader.feed(caseNumber: "00345678").filter { $0.body == "first" || $0.body == "second" }.count == 2)
    }

    /// A database with a migration this Hotline does not know was made by a newer one: it was
    /// read and written as if it were this one's (`db migrate` even listed the unknown migration
    /// as its own); it is refused, untouched, by the writers and the readers alike.
    @Test func aDatabaseFromANewerHotlineIsRefusedAndLeftByteForByte() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        do { _ = try seededStore(in: folder) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('store-v99'); CREATE TABLE future (id INTEGER PRIMARY KEY)")
        }
        try queue.close()
        let before = try Self.bytes(path)
        let opens: [() throws -> Void] = [
            { _ = try HotlineDatabase.open(path: path) }, { _ = try HotlineDatabase.openForReading(path: path) },
            { _ = try CaseStore.open(path: path) },
        ]
        for open in opens {
            #expect {
                try open()
            } throws: { error in
                "\(error)" == "the database \(path) was made by a newer Hotline (it has the migration 'store-v99', which this one does not know); it was left untouched"
                    + " (fix: use the Hotline that made it, or another --db (hotline db seed --db NEW.sqlite makes a new one))"
                    && (error as? StoreError)?.code == .newerSchema
            }
        }
        #expect(try Self.bytes(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["hotline.sqlite"])
    }

    @Test func aReadOnlyFileCanBeRead() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        do { _ = try seededStore(in: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let store = CaseStore(database: try HotlineDatabase.openForReading(path: path))
        #expect(try store.supportCase("00345678").number == "00345678")
    }

    @Test func readingRefusesAMissingEmptyOrOutdatedFileWithTheCommandThatFixesIt() throws {
        let folder = TemporaryFolder()
        let missing = folder.path("missing.sqlite")
        #expect {
            _ = try HotlineDatabase.openForReading(path: missing)
        } throws: { error in
            "\(error)" == "no database at \(missing) (fix: hotline db seed --db \(missing))"
        }
        #expect(!FileManager.default.fileExists(atPath: missing))

        let empty = folder.path("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect {
            _ = try HotlineDatabase.openForReading(path: empty)
        } throws: { error in
            (error as? StoreError)?.code == .noDatabase && "\(error)".contains("hotline db seed --db \(empty)")
        }

        // Made by a Hotline without a later migration.
        let old = folder.path("old.sqlite")
        _ = try HotlineDatabase.open(path: old)
        let later: HotlineDatabase.MigrationRegistration = { migrator in
            migrator.registerMigration("later-v1") { db in try db.execute(sql: "CREATE TABLE later (id INTEGER PRIMARY KEY)") }
        }
        #expect {
            _ = try HotlineDatabase.openForReading(path: old, extraMigrations: [later])
        } throws: { error in
            (error as? StoreError)?.code == .outdatedSchema && "\(error)".contains("hotline db migrate --db \(old)")
        }
    }
}
