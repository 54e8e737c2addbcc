import Foundation
import HotlineCore

/// A case number: exactly 8 digits, as typed on a keypad (`00345678`).
public struct CaseNumber: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public static let length = NumberFormat.caseNumberLength
    public let text: String

    /// Validates a typed case number. The error says what is wrong with it (length, letters) —
    /// the number is the user's own input, so it is quoted back.
    public init(parsing raw: String) throws(StoreError) {
        let trimmed = raw.trimmingWhitespace
        if let problem = NumberFormat.caseNumberProblem(trimmed) {
            throw StoreError(.invalidCaseNumber, problem.message, fix: problem.fix)
        }
        text = trimmed
    }

    /// Only for numbers already known to be valid (read from the database).
    init(trusted text: String) { self.text = text }

    /// The case number that follows this one (for newly opened cases).
    var successor: CaseNumber {
        let value = (Int(text) ?? 0) + 1
        let digits = String(value)
        return CaseNumber(trusted: String(repeating: "0", count: max(0, Self.length - digits.count)) + digits)
    }

    public var description: String { text }
    public static func < (lhs: CaseNumber, rhs: CaseNumber) -> Bool { lhs.text < rhs.text }
    public init(from decoder: any Decoder) throws { text = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// An account/site number: exactly 6 digits (`100001`).
public struct AccountNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let length = NumberFormat.accountNumberLength
    public let text: String

    public init(parsing raw: String) throws(StoreError) {
        let trimmed = raw.trimmingWhitespace
        if let problem = NumberFormat.accountNumberProblem(trimmed) {
            throw StoreError(.invalidAccountNumber, problem.message, fix: problem.fix)
        }
        text = trimmed
    }

    public var description: String { text }
    public static func < (lhs: AccountNumber, rhs: AccountNumber) -> Bool { lhs.text < rhs.text }
}

/// A phone number in E.164 form (`+14085550100`).
///
/// Caller IDs arrive in many shapes: `+1 (408) 555-0100`, `408-555-0100`, `14085550100`,
/// `011 44 20 7946 0000`, `+44 (0)20 7946 0011`. Ten digits, or eleven starting with 1, are North
/// American (NANP, +1); a leading `+` or the NANP international prefix `011` keeps the country
/// code as given. In an international number, a `(0)` after the country code is the national
/// trunk prefix that a caller dials only from inside the country (the usual written form in the
/// UK and much of Europe): it is not part of the E.164 number, so it is dropped.
/// Errors never repeat the number: a caller ID is customer data.
public struct PhoneNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let e164: String

    public init(parsing raw: String) throws(StoreError) {
        if let plain = Self.plainE164(raw) {
            e164 = plain
        } else {
            e164 = try Self.e164(byTheRules: raw)
        }
    }

    /// The number in E.164 by every rule (trunk prefixes, any white space, the error for each way
    /// it can be wrong).
    static func e164(byTheRules raw: String) throws(StoreError) -> String {
        let trimmed = Self.removingTrunkPrefix(raw.trimmingWhitespace)
        let allowedPunctuation = Set(" -.()/\u{00A0}".unicodeScalars)
        var digits = ""
        var sawPlus = false
        for scalar in trimmed.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                digits.unicodeScalars.append(scalar)
            } else if scalar == "+" && digits.isEmpty && !sawPlus {
                sawPlus = true
            } else if allowedPunctuation.contains(scalar) {
                continue
            } else {
                throw StoreError(
                    .invalidPhoneNumber, "a phone number contains a character that is not a digit, '+', space, '-', '.' or brackets",
                    fix: "write the number as digits, e.g. +1 408 555 0100")
            }
        }
        if sawPlus {
            guard (8...15).contains(digits.count), digits.first != "0" else {
                throw StoreError(
                    .invalidPhoneNumber, "an international phone number has \(digits.count) digits after '+'; E.164 allows 8 to 15, not starting with 0",
                    fix: "write the country code after '+', e.g. +1 408 555 0100")
            }
            return "+" + digits
        } else if digits.hasPrefix("011"), (11...18).contains(digits.count) {
            return "+" + digits.dropFirst(3)
        } else if digits.count == 10 {
            return "+1" + digits
        } else if digits.count == 11, digits.hasPrefix("1") {
            return "+" + digits
        } else {
            throw StoreError(
                .invalidPhoneNumber, "a phone number has \(digits.count) digits; a North American number has 10 (or 11 starting with 1)",
                fix: "write other countries' numbers with '+' and the country code")
        }
    }

    /// The number of a caller ID as every call path meets it (`+1 408 555 0100`, `4085550100`),
    /// read on its bytes: ASCII digits, one `+` before the first digit, spaces, `-`, `.`, `/`,
    /// and a valid digit count. Anything else — brackets (a trunk prefix), other characters,
    /// a count the rules refuse — is `nil`, and `e164(byTheRules:)` reads it (and says what is
    /// wrong). The same result as those rules, without a `String` per scalar.
    static func plainE164(_ raw: String) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var sawPlus = false
        for byte in raw.utf8 {
            switch byte {
            case 48...57:
                guard digits.count < 18 else { return nil }
                digits.append(byte)
            case 43 where digits.isEmpty && !sawPlus:  // +
                sawPlus = true
            case 32, 45, 46, 47:  // space - . /
                continue
            default:
                return nil
            }
        }
        let count = digits.count
        if sawPlus {
            guard (8...15).contains(count), digits[0] != 48 else { return nil }
            return "+" + String(decoding: digits, as: UTF8.self)
        }
        if count >= 11, count <= 18, digits[0] == 48, digits[1] == 49, digits[2] == 49 {  // 011
            return "+" + String(decoding: digits[3...], as: UTF8.self)
        }
        if count == 10 { return "+1" + String(decoding: digits, as: UTF8.self) }
        if count == 11, digits[0] == 49 { return "+" + String(decoding: digits, as: UTF8.self) }
        return nil
    }

    /// Drops a bracketed trunk prefix — `(0)`, spaces inside allowed — from an international
    /// number (one starting with `+` or `011`) when digits precede it (the country code). A `(0)`
    /// anywhere else is left for the digit rules, so `(0)20 7946 0011` alone stays a 10-digit
    /// national number.
    static func removingTrunkPrefix(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        let leadingDigits = String(String.UnicodeScalarView(scalars.filter(isDigit).prefix(3)))
        let international = scalars.first(where: { $0 != " " }) == "+" || leadingDigits == "011"
        guard international else { return text }
        var kept = String.UnicodeScalarView()
        var digitsBefore = 0
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "(", let close = scalars[index...].firstIndex(of: ")") {
                let inside = scalars[(index + 1)..<close].filter { $0 != " " }
                // After `011` alone there is no country code yet.
                let countryCodeSeen = leadingDigits == "011" ? digitsBefore > 3 : digitsBefore > 0
                if inside == ["0"], countryCodeSeen {
                    index = close + 1
                    continue
                }
            }
            if isDigit(scalar) { digitsBefore += 1 }
            kept.append(scalar)
            index += 1
        }
        return String(kept)
    }

    /// Only for numbers already known to be in E.164 form (read from the database).
    init(trusted e164: String) { self.e164 = e164 }

    /// The number with all but the last two digits hidden, for output that must not show it.
    public var masked: String {
        String(repeating: "•", count: max(0, e164.count - 3)) + e164.suffix(2)
    }

    /// The E.164 text. Output that may be logged should use `masked`.
    public var description: String { e164 }
    public static func < (lhs: PhoneNumber, rhs: PhoneNumber) -> Bool { lhs.e164 < rhs.e164 }
}
