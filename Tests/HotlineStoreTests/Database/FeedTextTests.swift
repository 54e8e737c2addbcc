import Foundation
import HotlineStore
import HotlineTestSupport
import Testing

/// A comment is stored exactly — escape sequences included — and shown with them escaped, so it
/// cannot drive the reader's terminal (issue 12, defect 20).
@Suite struct FeedTextTests {
    @Test func controlCharactersAreStoredExactlyAndShownEscaped() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let text = "first line\n\u{1B}[2J\u{1B}]0;owned\u{07}second\r\n\u{9B}31m"
        let entry = try store.comment(caseNumber: "00345678", text: text, by: .init("Sam\u{1B}[8m", role: .support), at: seedTime)
        let stored = try #require(try store.feed(caseNumber: "00345678").last)
        #expect(stored.body == text)
        #expect(stored.author == "Sam\u{1B}[8m")
        let lines = entry.textLines
        #expect(lines.allSatisfy { line in !line.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x0D } })
        #expect(lines[0].hasSuffix("by Sam\\u{1B}[8m [support]"))
        #expect(lines[1] == "    first line")
        // A Windows line end is a line end; a lone CR would be escaped.
        #expect(lines[2] == "    \\u{1B}[2J\\u{1B}]0;owned\\u{7}second")
        #expect(lines[3] == "    \\u{9B}31m")
    }
}
