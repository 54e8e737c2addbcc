import Foundation
import HotlineCore
import HotlineStore
import Testing

@Suite("Identifiers")
struct IdentifiersTests {
    @Test(arguments: ["+1 (408) 555-0100", "408-555-0100", "14085550100", "4085550100", "+14085550100", " 1 408 555 0100 ", "408.555.0100", "011 1 408 555 0100"])
    func nanpFormsAreOneNumber(_ text: String) throws {
        #expect(try PhoneNumber(parsing: text).e164 == "+14085550100")
    }

    @Test func internationalNumbersKeepTheirCountryCode() throws {
        #expect(try PhoneNumber(parsing: "+44 20 7946 0011").e164 == "+442079460011")
        #expect(try PhoneNumber(parsing: "011 44 20 7946 0011").e164 == "+442079460011")
    }

    /// The usual UK (and European) written form puts the national trunk prefix in brackets after
    /// the country code; it is not dialled from abroad and is not part of the E.164 number.
    @Test(arguments: [
        "+44 (0)20 7946 0011", "+44(0)2079460011", "+44 (0) 20 7946 0011", "011 44 (0)20 7946 0011", "+44 ( 0 ) 20-7946-0011",
    ])
    func aBracketedTrunkPrefixIsDropped(_ text: String) throws {
        #expect(try PhoneNumber(parsing: text).e164 == "+442079460011")
    }

    @Test func onlyABracketedZeroAfterTheCountryCodeIsATrunkPrefix() throws {
        // Brackets around real digits are kept: the area code of a NANP number.
        #expect(try PhoneNumber(parsing: "+1 (408) 555-0100").e164 == "+14085550100")
        // Germany, Switzerland: the same form.
        #expect(try PhoneNumber(parsing: "+49 (0)30 901820").e164 == "+4930901820")
        #expect(try PhoneNumber(parsing: "+41 (0)44 668 18 00").e164 == "+41446681800")
        // Without a country code the bracketed 0 is a digit like any other: 11 digits, not NANP, refused.
        #expect(throws: StoreError.self) { try PhoneNumber(parsing: "(0)20 7946 0011") }
        // Nothing before the bracket: not a trunk prefix, so E.164's "not starting with 0" rule refuses it.
        #expect(throws: StoreError.self) { try PhoneNumber(parsing: "+(0)44 20 7946 0011") }
    }

    @Test(arguments: ["555-0100", "1-800-FLOWERS", "", "+0 123 456 789", "24085550100", "+1234567", "408 555 0100 x12"])
    func badPhoneNumbersAreRefusedWithoutRepeatingThem(_ text: String) {
        #expect {
            try PhoneNumber(parsing: text)
        } throws: { error in
            guard let error = error as? StoreError, error.code == .invalidPhoneNumber else { return false }
            // Caller data must not leak into error text: no run of 4+ digits from the input appears.
            let digits = text.filter(\.isNumber)
            return digits.count < 4 || !error.description.contains(String(digits.suffix(4)))
        }
    }

    @Test func maskedNumberShowsOnlyTheLastTwoDigits() throws {
        let phone = try PhoneNumber(parsing: "+1 408 555 0100")
        #expect(phone.masked.hasSuffix("00"))
        #expect(!phone.masked.contains("408"))
    }

    @Test func caseNumbersAreEightDigits() throws {
        #expect(try CaseNumber(parsing: "00345678").text == "00345678")
        #expect(try CaseNumber(parsing: " 00345678 ").text == "00345678")
    }

    @Test(arguments: [
        ("0034567A", "not digits"), ("OO345678", "not digits"), ("1234567", "7 digits"), ("123456789", "9 digits"), ("", "empty"),
        ("00345678; DROP TABLE support_case", "not digits"), ("００３４５６７８", "not digits"),
    ])
    func badCaseNumbersSayWhatIsWrong(_ text: String, _ expected: String) {
        #expect {
            try CaseNumber(parsing: text)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .invalidCaseNumber && error.description.contains(expected) && error.description.contains("8 digits")
        }
    }

    /// Every offending character is named, not the first five: a full-width number lists all its
    /// digits and says how to retype them; control characters are escaped, long values cut.
    @Test func everyCharacterThatIsNotADigitIsNamed() {
        func message(_ text: String) -> String {
            do {
                _ = try CaseNumber(parsing: text)
                return ""
            } catch {
                return error.description
            }
        }
        let fullWidth = message("００３４５６７８")
        #expect(
            fullWidth
                == "case number '００３４５６７８' contains characters that are not digits 0-9: '０' (U+FF10), '３' (U+FF13), '４' (U+FF14), "
                + "'５' (U+FF15), '６' (U+FF16), '７' (U+FF17), '８' (U+FF18) (fix: a case number is 8 digits 0-9, e.g. 00345678; keep the "
                + "leading zeros; they are digits of another script (e.g. full-width ０-９): type them as 0-9)")
        let mixed = message("0034abcdef")
        for letter in ["'a' (U+0061)", "'b'", "'c'", "'d'", "'e'", "'f' (U+0066)"] { #expect(mixed.contains(letter), "\(letter)") }
        #expect(!mixed.contains("another script"))
        let control = message("0034\u{1B}[2J5678")
        #expect(control.contains("\\u{1B}") && !control.contains("\u{1B}") && control.contains("U+001B"), "\(control)")
        let long = message(String(repeating: "x", count: 500))
        #expect(long.contains("…'") && long.count < 300, "\(long)")
        #expect {
            try AccountNumber(parsing: "１０００１")
        } throws: { error in
            "\(error)".contains("'１' (U+FF11), '０' (U+FF10)") && "\(error)".contains("type them as 0-9")
        }
    }

    @Test func accountNumbersAreSixDigits() throws {
        #expect(try AccountNumber(parsing: "100001").text == "100001")
        #expect(throws: StoreError.self) { try AccountNumber(parsing: "10001") }
        #expect(throws: StoreError.self) { try AccountNumber(parsing: "10000A") }
    }

    @Test func prioritiesAcceptTheKeypadDigit() throws {
        #expect(try Priority(parsing: "1") == .p1)
        #expect(try Priority(parsing: "p2") == .p2)
        #expect(try Priority(parsing: "P3") == .p3)
        #expect(throws: StoreError.self) { try Priority(parsing: "P4") }
    }

    @Test func businessHoursBecomeACalendar() throws {
        let calendar = try BusinessHours.calendar(name: "Acme", text: "Mon-Fri 08:00-17:00; Sat 09:00-12:00", timeZone: "America/Los_Angeles")
        // Friday 2026-12-25 09:00 PST = 17:00Z: open; 03:00 PST: closed; Saturday 10:00 PST = 18:00Z: open.
        #expect(calendar.isOpen(at: Date(timeIntervalSince1970: 1_798_218_000)))
        #expect(!calendar.isOpen(at: Date(timeIntervalSince1970: 1_798_196_400)))
        #expect(calendar.isOpen(at: Date(timeIntervalSince1970: 1_798_308_000)))
        let gulf = try BusinessHours.calendar(name: "Gulf", text: "Sun-Thu 08:00-17:00", timeZone: "Asia/Dubai")
        #expect(gulf.weekly.keys.sorted() == [1, 2, 3, 4, 5])
        #expect(throws: StoreError.self) { try BusinessHours.calendar(name: "x", text: "weekdays 9 to 5", timeZone: "UTC") }
        #expect(throws: StoreError.self) { try BusinessHours.calendar(name: "x", text: "Mon-Fri 08:00-17:00", timeZone: "Nowhere/Else") }
    }

    /// Defect 24: "an author role", not "a author role".
    @Test func refusalsUseTheRightArticle() throws {
        do {
            _ = try AuthorRole(parsing: "bogus")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("is not an author role"))
        }
        do {
            _ = try Priority(parsing: "P9")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("is not a priority"))
        }
    }
}
