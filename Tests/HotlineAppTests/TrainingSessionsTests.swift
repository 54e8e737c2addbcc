import Foundation
import GRDB
import HotlineTraining
import Synchronization
import HotlineApp
import HotlineStore
import HotlineTestSupport
import Testing

/// The training sessions file (`--sessions`) gets the case database's care: what is at the path is
/// looked at before anything is written, and reading never creates a file.
@Suite struct TrainingSessionsTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// `hotline.sqlite` given as `--sessions` got a `training_session` table added to it.
    @Test func theCaseDatabaseIsRefusedAndLeftByteForByte() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        do { _ = try HotlineDatabase.open(path: path) }
        let before = try Self.bytes(path)
        for open in [{ _ = try TrainingSessions.open(path: path) }, { _ = try TrainingSessions.openForReading(path: path) }] as [() throws -> Void] {
            #expect {
                try open()
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix("\(path) is a SQLite database of another kind (tables ") && text.contains("account, call_record")
                    && text.hasSuffix("not a training sessions file; it was left untouched (fix: give --sessions a training sessions file, e.g. training.sqlite (a missing one is created))")
            }
        }
        #expect(try Self.bytes(path) == before)
    }

    /// A file that is not SQLite was "SQLite error 26: file is not a database - while executing …".
    @Test func aFileThatIsNotSQLiteOrAFolderIsRefusedWithItsPath() throws {
        let folder = TemporaryFolder()
        let text = folder.path("notes.txt")
        try "hello\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: TrainingSessionsError.self) { _ = try TrainingSessions.open(path: text) }
        #expect {
            _ = try TrainingSessions.open(path: text)
        } throws: { error in
            "\(error)" == "\(text) is not a SQLite database; it was left untouched (fix: give --sessions a training sessions file, e.g. training.sqlite (a missing one is created))"
        }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "hello\n")
        #expect {
            _ = try TrainingSessions.open(path: folder.url.path)
        } throws: { error in
            "\(error)".hasPrefix("\(folder.url.path) is a folder, not a training sessions file")
        }
    }

    /// `hotline train report` created an empty sessions file where there was none.
    @Test func readingAMissingFileCreatesNothingAndAWrittenOneReadsBack() throws {
        let folder = TemporaryFolder()
        let path = folder.path("training.sqlite")
        #expect(try TrainingSessions.openForReading(path: path) == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try TrainingSessions.open(path: path).sessions().isEmpty)
        #expect(try TrainingSessions.openForReading(path: path)?.sessions().isEmpty == true)
    }

    /// Two trainees at once: a second `hotline train` (or web desk) saving while another one
    /// writes failed with "SQLite error 5: database is locked", and the call taken to the end was lost.
    @Test func aSaveWaitsForAnotherWritersTransactionInsteadOfLosingTheCall() throws {
        let folder = TemporaryFolder()
        let path = folder.path("training.sqlite")
        let sessions = try TrainingSessions.open(path: path)
        let other = try DatabaseQueue(path: path)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        // The other trainee's process holds the write lock until the save has been tried.
        let holder = Thread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                holding.signal()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
        }
        holder.start()
        holding.wait()
        let saved = Mutex<Result<Int64, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let debrief = try JSONDecoder().decode(Debrief.self, from: Data(#"{"persona":"p1-past-target","trainee":"sam","score":100,"checks":[],"transcript":[]}"#.utf8))
        let saver = Thread {
            saved.withLock { $0 = Result { try sessions.save(debrief, actions: [], at: Date(timeIntervalSince1970: 0)) } }
            done.signal()
        }
        saver.start()
        // Let the save meet the lock (without a wait it fails at once), then let the other writer finish.
        _ = done.wait(timeout: .now() + 0.5)
        release.signal()
        done.wait()
        let result = try #require(saved.withLock { $0 })
        #expect(throws: Never.self) { _ = try result.get() }
        #expect(try sessions.sessions().map(\.trainee) == ["sam"])
    }

    /// A sessions file a newer Hotline migrated was written to as if it were this version's.
    @Test func aFileANewerHotlineChangedIsRefusedAndLeftByteForByte() throws {
        let folder = TemporaryFolder()
        let path = folder.path("training.sqlite")
        _ = try TrainingSessions.open(path: path)
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('training-v2')") }
            try queue.close()
        }
        let before = try Self.bytes(path)
        #expect {
            _ = try TrainingSessions.open(path: path)
        } throws: { error in
            "\(error)".hasPrefix("\(path) was written by a newer Hotline (its changes training-v2 are unknown to this one); it was left untouched (fix: ")
        }
        #expect(try Self.bytes(path) == before)
    }
}
