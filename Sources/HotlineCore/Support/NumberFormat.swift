import Foundation

/// The formats of the numbers a caller or a file gives by hand: a case number (8 digits) and an
/// account/site number (6 digits). The store's `CaseNumber` and `AccountNumber` and the call
/// variables (``CallVariableRule``) check them here, so every place says the same thing about the
/// same mistake. The value is the user's own input, so the message quotes it back.
public enum NumberFormat {
    /// What is wrong with a number, and how to write it.
    public struct Problem: Error, Sendable, Hashable {
        public let message: String
        public let fix: String
    }

    public static let caseNumberLength = 8
    public static let accountNumberLength = 6

    /// Nil when `trimmed` (already trimmed of white space) is a case number.
    public static func caseNumberProblem(_ trimmed: String) -> Problem? {
        guard !trimmed.isEmpty else {
            return Problem(message: "the case number is empty", fix: "type the 8 digits of the case number, e.g. 00345678")
        }
        if let problem = DigitsProblem(trimmed) {
            return Problem(
                message: "case number \(problem.quoted) contains characters that are not digits 0-9: \(problem.listed)",
                fix: "a case number is 8 digits 0-9, e.g. 00345678; keep the leading zeros" + problem.retype)
        }
        guard trimmed.count == caseNumberLength else {
            return Problem(
                message: "case number '\(trimmed)' has \(trimmed.count) digits, not \(caseNumberLength)",
                fix: "a case number is 8 digits, e.g. 00345678; keep the leading zeros")
        }
        return nil
    }

    /// Nil when `trimmed` (already trimmed of white space) is an account/site number.
    public static func accountNumberProblem(_ trimmed: String) -> Problem? {
        if let problem = DigitsProblem(trimmed) {
            return Problem(
                message: "account number \(problem.quoted) contains characters that are not digits 0-9: \(problem.listed)",
                fix: "an account/site number is 6 digits 0-9, e.g. 100001 (see `hotline cases list`)" + problem.retype)
        }
        guard trimmed.count == accountNumberLength else {
            return Problem(
                message: "account number '\(trimmed)' is not \(accountNumberLength) digits",
                fix: "an account/site number is 6 digits, e.g. 100001 (see `hotline cases list`)")
        }
        return nil
    }
}

/// What is wrong with a number typed with characters other than the ASCII digits 0-9: every
/// offending character is named (once each, in order, with its code point, so a full-width `３`
/// or an Arabic-Indic `٣` is told apart from `3`), and the value is quoted safely for a terminal.
struct DigitsProblem {
    /// The value as typed, quoted, its control characters escaped, cut at 40 characters.
    let quoted: String
    /// `'０' (U+FF10), '３' (U+FF13), …`: every distinct character that is not 0-9.
    let listed: String
    /// When every offending character is a digit of another script: how to retype it.
    let retype: String

    /// Nil when `text` is ASCII digits only (its length is the caller's check).
    init?(_ text: String) {
        var seen = Set<Unicode.Scalar>()
        var offending: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars where !("0"..."9").contains(scalar) && seen.insert(scalar).inserted {
            offending.append(scalar)
        }
        guard !offending.isEmpty else { return nil }
        let shown = TerminalText.escaped(String(text.prefix(40)))
        quoted = "'\(shown)\(text.count > 40 ? "…" : "")'"
        let limit = 20
        var names = offending.prefix(limit).map { scalar -> String in
            let code = String(format: "U+%04X", scalar.value)
            let printable = !TerminalText.isControl(scalar) && !scalar.properties.isWhitespace && scalar.properties.generalCategory != .format
            return printable ? "'\(Character(scalar))' (\(code))" : code
        }
        if offending.count > limit { names.append("and \(offending.count - limit) more") }
        listed = names.joined(separator: ", ")
        let foreignDigits = offending.allSatisfy { $0.properties.numericType == .decimal }
        retype =
            foreignDigits
            ? "; \(offending.count == 1 ? "it is a digit" : "they are digits") of another script (e.g. full-width ０-９): type them as 0-9" : ""
    }
}
