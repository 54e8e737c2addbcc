import Foundation
import Testing

/// Text on the command line at the store's edge (issue 12, defects 18 and 20): empty values are
/// refused, bytes that are not UTF-8 are refused instead of replaced, a long comment comes from a
/// file or standard input and is stored exactly, and the feed never prints control characters raw.
@Suite struct ArgumentTextTests {
    /// After the seed time: changes are refused before a case's history.
    static let after = "2026-12-01T10:00Z"

    static func seeded() throws -> (folder: URL, path: String) {
        let folder = try Repository.temporaryFolder()
        let path = folder.appendingPathComponent("hotline.sqlite").path
        let seed = try Repository.run(["db", "seed", "--db", path, "--at", "2026-12-01T09:00Z"])
        #expect(seed.status == 0, "\(seed.output)")
        return (folder, path)
    }

    /// The case's comments, as `cases feed --json` gives them.
    static func comments(_ path: String) throws -> [String] {
        let result = try Repository.run(["cases", "feed", "00345678", "--json", "--db", path])
        let entries = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]] ?? []
        return entries.filter { $0["kind"] as? String == "comment" }.compactMap { $0["body"] as? String }
    }

    @Test(arguments: [
        (["pages", "ack", "PG-000001", "--by", ""], "--by is empty"),
        (["cases", "escalate", "00345678", "--reason", ""], "--reason is empty"),
        (["cases", "escalate", "00345678", "--reason", "  "], "--reason is empty"),
        (["cases", "comment", "00345678", "hello", "--by", ""], "--by is empty"),
        (["cases", "calls", "--last=-1"], "--last must be at least 1"),
        (["pages", "send", "--case", "00345678", "--reason", ""], "--reason is empty"),
    ])
    func emptyValuesAreRefused(arguments: [String], message: String) throws {
        let (folder, path) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try Repository.run(arguments + ["--db", path])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func textThatIsNotUTF8IsRefusedNotReplaced() throws {
        let (folder, path) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Swift strings cannot hold the byte 0xE9 alone: the shell puts it in the argument.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #""$0" cases comment 00345678 "$(printf 'caf\351')" --db "$1""#, try hotline(), path]
        process.currentDirectoryURL = Repository.root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 64, "\(output)")
        #expect(output.contains("argument 4 is not UTF-8 text: byte 4 is 0xE9"), "\(output)")
        #expect(!(try Self.comments(path)).contains { $0.hasPrefix("caf") })
    }

    @Test func aLongCommentComesFromStandardInputAndIsStoredExactly() throws {
        let (folder, path) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Up to the comment's limit (10,000 characters), with lines, tabs and a trailing newline.
        let text = (0..<270).map { "line \($0)\twith some text — ünïcödé\n" }.joined()
        #expect(text.count > 9_000 && text.count <= 10_000)
        let result = try Repository.run(["cases", "comment", "00345678", "--body-file", "-", "--db", path, "--at", Self.after], input: text)
        #expect(result.status == 0, "\(result.output)")
        #expect(try Self.comments(path).last == text)
        // Longer than one argument may be (128 KiB) is over the case's limit: refused, nothing stored.
        let long = (0..<4000).map { "line \($0)\twith some text — ünïcödé\n" }.joined()
        #expect(long.utf8.count > 131_072)
        let refused = try Repository.run(["cases", "comment", "00345678", "--body-file", "-", "--db", path, "--at", Self.after], input: long)
        #expect(refused.status != 0 && refused.output.contains("at most 10000 are kept"), "\(refused.output)")
        #expect(try Self.comments(path).last == text)

        let file = folder.appendingPathComponent("comment.txt")
        try Data("from a file\r\n".utf8).write(to: file)
        let fromFile = try Repository.run(["cases", "comment", "00345678", "--body-file", file.path, "--db", path, "--at", Self.after])
        #expect(fromFile.status == 0, "\(fromFile.output)")
        #expect(try Self.comments(path).last == "from a file\r\n")

        let both = try Repository.run(["cases", "comment", "00345678", "text", "--body-file", file.path, "--db", path])
        #expect(both.status == 64)
        #expect(both.output.contains("either as text or with --body-file"))
    }

    @Test func theFeedShowsControlCharactersEscaped() throws {
        let (folder, path) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let comment = "\u{1B}[2J\u{1B}]0;owned\u{07}hello"
        let added = try Repository.run(["cases", "comment", "00345678", comment, "--db", path, "--at", Self.after])
        #expect(added.status == 0, "\(added.output)")
        #expect(try Self.comments(path).last == comment)
        let feed = try Repository.run(["cases", "feed", "00345678", "--db", path])
        #expect(feed.output.contains("    \\u{1B}[2J\\u{1B}]0;owned\\u{7}hello"), "\(feed.output)")
        #expect(!feed.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }
}
