import Foundation

/// What a call variable set from outside the flow must be: `hotline call --set NAME=VALUE` and a
/// scenario file's `variables:` both check each one here (each says where: the option, or the
/// file's line and column).
///
/// - The name is a variable name: ASCII letters, digits, `.`, `_`, `-`, starting with a letter
///   (the names flows use).
/// - The value is not empty: an empty variable is not an unset one — the flow would read a case
///   number back as nothing and act on it — so the variable is to be left out instead.
/// - `case.number` is a case number and `caller.account` an account number
///   (``NumberFormat``: the same message as `hotline cases` gives for them); they are kept trimmed.
public enum CallVariableRule {
    /// Why a variable cannot be taken.
    public enum Problem: Error, Sendable, Hashable {
        /// The name is not a variable name (``nameFix`` says what one is).
        case notAName
        /// The value is empty (``example(_:)`` gives one to suggest).
        case emptyValue
        /// The value is not of the variable's format.
        case badValue(NumberFormat.Problem)
    }

    /// The fix for a name that is not a variable name.
    public static let nameFix = "a name is letters, digits, '.', '_' and '-', starting with a letter, e.g. case.number"

    /// The value to set `name` to (a case or account number trimmed; any other as given), or why
    /// it cannot be set.
    public static func check(name: String, value: String) -> Result<String, Problem> {
        guard isName(name) else { return .failure(.notAName) }
        guard !value.isEmpty else { return .failure(.emptyValue) }
        switch name {
        case "case.number":
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if let problem = NumberFormat.caseNumberProblem(trimmed) { return .failure(.badValue(problem)) }
            return .success(trimmed)
        case "caller.account":
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if let problem = NumberFormat.accountNumberProblem(trimmed) { return .failure(.badValue(problem)) }
            return .success(trimmed)
        default:
            return .success(value)
        }
    }

    /// Letters, digits, `.`, `_`, `-` (ASCII), starting with a letter: the names flows use.
    public static func isName(_ text: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard let first = text.unicodeScalars.first, isLetter(first) else { return false }
        return text.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// A value to show in a fix for `name`.
    public static func example(_ name: String) -> String {
        switch name {
        case "case.number": "00345678"
        case "caller.account": "100001"
        case "page.id": "PG-000001"
        case "page.to": "'Oliver Hughes'"
        default: "VALUE"
        }
    }
}
