import Foundation
import HotlineTestSupport
import HotlineDiagnostics
import Testing
import Yams

@Suite("One diagnostic type, one way to read text")
struct DiagnosticTests {
    let folder: String = {
        let path = TestFolders.path("diagnostics")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func write(_ bytes: [UInt8], name: String = "file.yaml") throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aDiagnosticRendersFileLineColumnMessageAndFix() {
        let problem = Diagnostic(.badValue, file: "a.yaml", line: 3, column: 7, message: "`count` is 'x'", fix: "write a number")
        #expect(problem.description == "a.yaml:3:7: error: `count` is 'x' (fix: write a number)")
        #expect(Diagnostic(file: "a.yaml", line: 1, column: 1, message: "m", fix: nil).description == "a.yaml:1:1: error: m")
    }

    /// A value from a file with terminal control characters must never reach the terminal raw.
    @Test func controlCharactersFromTheFileAreEscaped() {
        let problem = Diagnostic(.unknownKey, file: "a.yaml", line: 1, column: 1, message: "unknown key '\u{1B}[2Jx\u{0}'", fix: nil)
        #expect(problem.description == "a.yaml:1:1: error: unknown key '\\u{1B}[2Jx\\u{0}'")
        #expect(!problem.description.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func binaryContentIsSaidToBeBinaryAtItsPosition() throws {
        let path = try write(Array("a: 1\nb: x".utf8) + [0, 0, 0])
        let file = YAMLFile(path: path)
        #expect(file.root == nil)
        #expect(file.errors.count == 1)
        let problem = try #require(file.errors.first)
        #expect(problem.code == .binary)
        #expect((problem.line, problem.column) == (2, 5))
        #expect(problem.message.contains("binary"))
        #expect(!problem.description.contains("check the path"))
    }

    @Test func nonUTF8TextNamesTheByteAndItsLine() throws {
        let path = try write(Array("name: ok\nwho: caf".utf8) + [0xE9] + Array("\n".utf8))  // Latin-1 é
        let file = YAMLFile(path: path)
        let problem = try #require(file.errors.first)
        #expect(file.errors.count == 1)
        #expect(problem.code == .notUTF8)
        #expect((problem.line, problem.column) == (2, 9))
        #expect(problem.description.contains("is not UTF-8 text (byte 0xE9 at line 2, column 9)"))
        #expect(problem.fix == "save the file as UTF-8")
    }

    @Test func validUTF8AndAByteOrderMarkRead() throws {
        let path = try write([0xEF, 0xBB, 0xBF] + Array("name: Zoë 🙂\n".utf8))
        let file = YAMLFile(path: path)
        #expect(file.errors.isEmpty)
        #expect(file.root?.mapping?["name"]?.string == "Zoë 🙂")
    }

    @Test func missingFoldersAndDevicesEachGetTheirOwnMessage() {
        #expect(YAMLFile(path: folder + "/nope.yaml").errors.first?.message == "no such file")
        #expect(YAMLFile(path: folder).errors.first?.message.contains("is a folder") == true)
        let device = YAMLFile(path: "/dev/zero")  // would never end if read
        #expect(device.errors.first?.code == .unreadable)
        #expect(device.errors.first?.message.contains("not a regular file") == true)
    }

    @Test func controlCharactersInsideTheYAMLAreAReaderErrorWithAPosition() {
        let file = YAMLFile(path: "c.yaml", text: "a: 1\nb: x\u{7}y\n")
        let problem = file.errors.first
        #expect(problem?.code == .notUTF8)
        #expect(problem?.line == 2)
        #expect(problem?.description.contains("\u{7}") == false)
    }

    /// Duplicates are reported and removed from the tree, so readers that walk mappings themselves
    /// never see the placeholder key.
    @Test func duplicateKeysAreReportedAndDroppedFromTheTree() throws {
        let file = YAMLFile(path: "d.yaml", text: """
            a: 1
            list:
              - {x: 1, x: 2}
              - deep:
                  y: 1
                  y: 2
            a: 3
            """)
        #expect(file.errors.map(\.code) == [.duplicateKey, .duplicateKey, .duplicateKey])
        #expect(file.errors.map(\.line).sorted() == [3, 6, 7])
        let root = try #require(file.root?.mapping)
        #expect(root.keys.compactMap(\.string) == ["a", "list"])
        #expect(root["a"]?.string == "1")
        let items = try #require(root["list"]?.sequence)
        #expect(items[0].mapping?.keys.compactMap(\.string) == ["x"])
        #expect(items[1].mapping?["deep"]?.mapping?.keys.compactMap(\.string) == ["y"])
    }

    @Test func attemptRecordsWhatAHelperThrowsAndGoesOn() {
        let file = YAMLFile(path: "e.yaml", text: "a: 1\n")
        for index in 0..<3 {
            _ = file.attempt { () throws -> Int in
                throw Diagnostic(.badValue, file: "e.yaml", line: index + 1, column: 1, message: "item \(index)", fix: nil)
            }
        }
        #expect(file.errors.map(\.line) == [1, 2, 3])
        #expect(throws: Diagnostics.self) { try file.throwIfErrors() }
    }
}

@Suite("One duration parser, with a bound")
struct DurationTextTests {
    @Test(arguments: [
        ("1h30m", 5_400_000), ("2d", 172_800_000), ("2d 4h", 187_200_000), ("90s", 90_000), ("1m30s", 90_000),
    ])
    func compoundsParse(text: String, milliseconds: Int64) {
        #expect(DurationText.parse(text, maximum: .seconds(86_400 * 30)) == .milliseconds(milliseconds))
    }

    @Test func aBareNumberIsInTheFormatsUnit() {
        #expect(DurationText.parse("45", bare: .minutes) == .seconds(45 * 60))
        #expect(DurationText.parse("45") == .seconds(45))
        #expect(DurationText.parse("1h 45") == nil)  // a unit-less part after a unit is a mistake
    }

    /// `99999999999999999999s` once trapped converting to Int64 (exit 132).
    @Test(arguments: ["99999999999999999999s", "1e400", "25h", "99999999999999999999999999999999999999ms", "2d"])
    func tooLongIsRefusedNotATrap(text: String) {
        let result = DurationText.read(text)
        switch result {
        case .success(let duration): Issue.record("\(text) read as \(duration)")
        case .failure(let problem): #expect(problem == .tooLong(maximum: .seconds(86_400)) || problem == .malformed)
        }
        #expect(DurationText.read("99999999999999999999s") == .failure(.tooLong(maximum: .seconds(86_400))))
    }

    @Test func theExplanationSaysTheLimit() {
        let said = DurationText.explain(.tooLong(maximum: .seconds(86_400)), text: "30h", what: "`timeout` in node 'x'")
        #expect(said.message == "`timeout` in node 'x' is '30h', longer than the 1d allowed")
        #expect(said.fix == "write a duration of at most 1d")
    }
}
