import Foundation
import GRDB
@testable import HotlineStore
import HotlineTestSupport
import Testing

/// A database in a folder this user cannot write: commands that only read open it immutable where
/// that is safe (no `-wal`: every commit is in the file), leaving nothing beside it; commands that
/// write are refused naming the folder and the fix (it was "SQLite error 1544" for both).
@Suite struct ReadOnlyFolderTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func theOpenModeFollowsWhatIsBesideTheFile() {
        let path = "/srv/shared/hotline.sqlite"
        #expect(HotlineDatabase.readMode(path: path, folderWritable: true, walExists: false, shmExists: false) == .shared)
        #expect(HotlineDatabase.readMode(path: path, folderWritable: true, walExists: true, shmExists: false) == .shared)
        #expect(HotlineDatabase.readMode(path: path, folderWritable: false, walExists: false, shmExists: false) == .immutable)
        // A stale -shm without a log: every commit is in the file.
        #expect(HotlineDatabase.readMode(path: path, folderWritable: false, walExists: false, shmExists: true) == .immutable)
        // A log with its index: SQLite reads both, read-only.
        #expect(HotlineDatabase.readMode(path: path, folderWritable: false, walExists: true, shmExists: true) == .shared)
        guard case .refused(let message, let fix) = HotlineDatabase.readMode(path: path, folderWritable: false, walExists: true, shmExists: false) else {
            Issue.record("a log without its index in an unwritable folder must be refused")
            return
        }
        #expect(message.contains("/srv/shared") && message.contains("hotline.sqlite-wal"), "\(message)")
        #expect(fix.contains("wal_checkpoint") && fix.contains("/srv/shared"), "\(fix)")
    }

    /// The immutable URI of a real seeded file, in a folder whose name holds URI characters, reads
    /// every case and leaves the folder exactly as it was (no -wal, no -shm).
    @Test func anImmutableOpenReadsARealFileAndLeavesNothingBesideIt() throws {
        let folder = TemporaryFolder()
        let odd = folder.url.appendingPathComponent("shared ?#%;=& folder")
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
        let path = odd.appendingPathComponent("hotline.sqlite").path
        do {
            let store = try CaseStore.open(path: path)
            _ = try store.seed(try SampleData.load(folder: Repository.sampleData), sla: try SLATable.load(path: Repository.slaTable), at: seedTime, reset: false)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: odd.path) == ["hotline.sqlite"])
        let before = try Self.bytes(path)
        let location = try #require(HotlineDatabase.readLocation(path: path, mode: .immutable))
        #expect(location.hasPrefix("file:/") && location.hasSuffix("?immutable=1") && !location.dropLast(12).contains("?"))
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: location, configuration: configuration)
            let count = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM support_case") }
            #expect(count == 30)
            #expect(throws: (any Error).self) { try queue.write { db in try db.execute(sql: "DELETE FROM support_case") } }
            try queue.close()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: odd.path) == ["hotline.sqlite"])
        #expect(try Self.bytes(path) == before)
    }

    /// For real where the machine allows it: an immutable folder (`chattr +i`, which root cannot
    /// write either). Reading works and leaves nothing; writing is refused naming the folder.
    @Test func aFolderThatCannotBeWrittenIsReadAndRefusesWrites() throws {
        let folder = TemporaryFolder()
        let shared = folder.url.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        let path = shared.appendingPathComponent("hotline.sqlite").path
        do {
            let store = try CaseStore.open(path: path)
            _ = try store.seed(try SampleData.load(folder: Repository.sampleData), sla: try SLATable.load(path: Repository.slaTable), at: seedTime, reset: false)
        }
        guard Self.chattr("+i", shared.path) else { return }  // not here (no chattr, not root, another file system)
        defer { _ = Self.chattr("-i", shared.path) }
        guard !HotlineDatabase.folderIsWritable(path) else { return }
        let before = try Self.bytes(path)
        let database = try HotlineDatabase.openForReading(path: path)
        #expect(try CaseStore(database: database).listCases(at: seedTime).count == 30)
        #expect(throws: StoreError.self) { try HotlineDatabase.open(path: path) }
        do {
            _ = try HotlineDatabase.open(path: path)
        } catch {
            #expect(error.message.contains("its folder \(shared.path) cannot be written") && error.fix?.contains("chmod u+w") == true, "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path) == ["hotline.sqlite"])
        #expect(try Self.bytes(path) == before)
    }

    static func chattr(_ flag: String, _ path: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
