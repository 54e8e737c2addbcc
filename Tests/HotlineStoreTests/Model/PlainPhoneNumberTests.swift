@testable import HotlineStore
import Testing

/// The byte-level reading of a plain caller ID gives what the full rules give, and leaves every
/// number it cannot read plainly (brackets, other characters, counts the rules refuse) to them
/// (issue 16: three caller IDs are parsed per call).
@Suite struct PlainPhoneNumberTests {
    static let inputs = [
        "+1 408 555 0100", "+14085550100", "4085550100", "408-555-0100", "408.555.0100", "1 408 555 0100", "14085550100", " 1 408 555 0100 ",
        "011 44 20 7946 0011", "01144207946001122", "0114420794600112233", "0115551234", "011555123", "+44 20 7946 0011", "+0 20 7946 0011",
        "+1234567", "+12345678", "+123456789012345", "+1234567890123456", "24085550100", "408555010", "40855501000", "1+4085550100",
        "+1+408", "++14085550100", "+ 1 408/555-0100", "- +1 408 555 0100", "+1 (408) 555-0100", "+49 (0)30 901820", "(0)20 7946 0011",
        "408 555 0100\t", "\u{00A0}4085550100", "408-555-01OO", "", " ", "+", "anonymous", "+1 408 555 0100 ext 5", "４０８５５５０１００",
    ]

    @Test(arguments: inputs)
    func plainReadingAgreesWithTheRules(_ text: String) {
        let rules: String? = try? PhoneNumber.e164(byTheRules: text)
        if let plain = PhoneNumber.plainE164(text) {
            #expect(plain == rules)
        } else {
            // Left to the rules: only brackets, other characters or a refused count.
            #expect(rules == nil || text.contains("(") || text.unicodeScalars.contains { !" +-./0123456789".unicodeScalars.contains($0) })
        }
    }

    @Test func theCallersOfTheReferenceCallAreReadPlainly() {
        #expect(PhoneNumber.plainE164("+1 408 555 0100") == "+14085550100")
        #expect(PhoneNumber.plainE164("4085550100") == "+14085550100")
        #expect(PhoneNumber.plainE164("011 44 20 7946 0011") == "+442079460011")
    }
}
