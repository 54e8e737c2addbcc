import Foundation
import GRDB
import Testing

/// The database at `--db`, as the commands treat it (issue 12, defects 3, 10, 11, 12, 13): one
/// rule for a missing file, read-only commands that never write a byte, and files that are not
/// Hotline's left alone.
@Suite struct DatabaseCommandTests {
    /// The file's bytes, for before/after comparisons.
    static func digest(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A seeded database in a new folder.
    static func seeded() throws -> (folder: URL, path: String) {
        let folder = try Repository.temporaryFolder()
        let path = folder.appendingPathComponent("hotline.sqlite").path
        let seed = try Repository.run(["db", "seed", "--db", path, "--at", "2026-12-01T09:00Z"])
        #expect(seed.status == 0, "\(seed.output)")
        return (folder, path)
    }

    /// Runs `hotline` in `directory` (not the repository root), both streams together.
    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try hotline())
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_DB"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func commandsThatOnlyReadLeaveTheFileByteForByte() throws {
        let (folder, path) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.digest(path)
        let commands: [[String]] = [
            ["cases", "list", "--at", "2026-12-01T10:00Z"], ["cases", "show", "00345678", "--at", "2026-12-01T10:00Z"], ["cases", "feed", "00345678"],
            ["cases", "accounts", "--at", "2026-12-01T10:00Z"], ["cases", "identify", "+1 408 555 0100", "--at", "2026-12-01T10:00Z"], ["cases", "calls"],
            ["pages", "list"], ["db", "check"], ["test", "Fixtures/scenarios/page-call", "--quiet"],
        ]
        for command in commands {
            let result = try Repository.run(command + ["--db", path])
            #expect(result.status == 0, "\(command): \(result.output)")
            #expect(try Self.digest(path) == before, "\(command) changed the file")
            // And the folder as it was: no -wal or -shm left beside the file (as the sqlite3 shell).
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["hotline.sqlite"], "\(command) left files")
        }
    }

    @Test func aReadOnlyDatabaseCanBeRead() throws {
        let (folder, path) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let result = try Repository.run(["cases", "show", "00345678", "--db", path, "--at", "2026-12-01T10:00Z"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Case 00345678"))
    }

    /// The one rule: a missing database is created and seeded, and the command says so.
    @Test(arguments: [["cases", "list"], ["cases", "comment", "00345678", "hello"], ["pages", "list"]])
    func aMissingDatabaseIsCreatedAndSeeded(command: [String]) throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("new.sqlite").path
        let result = try Repository.run(command + ["--db", path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("database: \(path) created; seeded with the sample data (11 accounts"), "\(result.output)")
        let list = try Repository.run(["cases", "list", "--db", path, "--open"])
        #expect(list.output.contains("00345678"), "\(list.output)")
        #expect(!list.output.contains("created"))
    }

    @Test func anEmptyFileIsSeededToo() throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mktemp.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let result = try Repository.run(["cases", "show", "00345678", "--db", path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("created; seeded with the sample data"), "\(result.output)")
        #expect(result.output.contains("Case 00345678"))
    }

    @Test func withoutTheSampleDataAMissingDatabaseIsAnErrorAndNothingIsCreated() throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("new.sqlite").path
        for command in [["cases", "list"], ["cases", "open", "--account", "100001", "--priority", "P3", "--summary", "s"], ["db", "check"]] {
            let result = try Self.run(command + ["--db", path], in: folder)
            #expect(result.status != 0)
            #expect(result.output.contains("no database at \(path) (fix: hotline db seed --db \(path)"), "\(command): \(result.output)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func anotherApplicationsSQLiteFileIsRefusedAndLeftByteForByte() throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A SQLite file made by another program (rollback journal, its own tables).
        let path = folder.appendingPathComponent("other.sqlite").path
        do {
            let other = try DatabaseQueue(path: path)
            try other.write { db in try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')") }
            try other.close()
        }
        let before = try Self.digest(path)
        for command in [["db", "seed"], ["db", "migrate"], ["cases", "list"], ["cases", "open", "--account", "100001", "--priority", "P3", "--summary", "s"]] {
            let result = try Repository.run(command + ["--db", path])
            #expect(result.status != 0)
            #expect(result.output.contains("is a SQLite database of another application"), "\(command): \(result.output)")
            #expect(try Self.digest(path) == before)
        }
    }

    @Test(arguments: ["/dev/null", "/dev/zero"])
    func aDeviceIsRefusedAsNotARegularFile(path: String) throws {
        let result = try Repository.run(["cases", "list", "--db", path])
        #expect(result.status != 0)
        #expect(result.output.contains("\(path) is a character device, not a database file"), "\(result.output)")
        #expect(!result.output.contains("folder"))
    }

    /// Defect 3: a date in the year 9999 is an error, not a trap (exit 132/133/134).
    @Test(arguments: [
        ["db", "seed", "--at", "9999-12-31T23:59:59Z"], ["cases", "open", "--account", "100001", "--priority", "P1", "--summary", "s", "--at", "9999-12-31T23:59Z"],
    ])
    func aTimeInTheYear9999IsAnErrorNotATrap(command: [String]) throws {
        let (folder, path) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        let result = try Repository.run(command + ["--db", command[1] == "seed" ? fresh : path])
        #expect((1...2).contains(result.status) || result.status == 64, "exit \(result.status): \(result.output)")
        #expect(result.output.contains("outside the"), "\(result.output)")
        #expect(!result.output.contains("Fatal error"))
    }
}
