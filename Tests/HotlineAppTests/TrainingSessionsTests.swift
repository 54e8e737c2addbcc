import Foundation
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
}
