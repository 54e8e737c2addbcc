import Foundation
@testable import HotlineStore
import Testing

/// A call record's path is written without `JSONEncoder` (it was a large part of a call's
/// instructions): the text must stay byte for byte what `JSONEncoder` wrote, so old and new rows
/// read alike.
@Suite struct CallPathJSONTests {
    @Test func theSameBytesAsJSONEncoder() throws {
        let paths: [[String]] = [
            [], ["answer"], ["answer", "main_menu", "cc_escalated_on_call"],
            ["a/b", #"quote " and \ backslash"#, "tab\there", "line\nbreak\r", "\u{01}\u{08}\u{0C}\u{1F}", "é ü 日本 🙂", ""],
        ]
        for path in paths {
            let expected = String(decoding: try JSONEncoder().encode(path), as: UTF8.self)
            #expect(CaseStore.jsonArray(path) == expected)
            #expect(try JSONDecoder().decode([String].self, from: Data(CaseStore.jsonArray(path).utf8)) == path)
        }
    }
}
