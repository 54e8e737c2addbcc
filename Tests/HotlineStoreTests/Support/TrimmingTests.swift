import Foundation
@testable import HotlineStore
import Testing

/// The trimming fast paths give exactly what Foundation gives, for what needs trimming and what does not.
@Suite struct TrimmingTests {
    static let samples = [
        "", " ", "00345678", " 00345678", "00345678 ", "\t100001\t", "P1", "p1", " L2 ", "escalated", "+1 408 555 0100",
        "Dana Whitfield", "Dana Whitfield\n", "\u{00A0}x\u{00A0}", "\u{3000}日本\u{3000}", "é", "x\u{2028}", "\r\nx", "\u{0B}x\u{0C}", "a\u{7F}",
    ]

    @Test(arguments: samples) func sameAsFoundation(_ text: String) {
        #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespaces))
        #expect(text.trimmingWhitespaceAndNewlines == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func storedWordsAndTypedOnesParseAlike() throws {
        #expect(try Priority(parsing: "P1") == .p1)
        #expect(try Priority(parsing: " p2 ") == .p2)
        #expect(try Priority(parsing: "3") == .p3)
        #expect(throws: StoreError.self) { try Priority(parsing: "P9") }
        #expect(try CaseNumber(parsing: " 00345678 ").text == "00345678")
    }
}
