import Foundation
import HotlineCore
import HotlineStore

/// `hotline call --set NAME=VALUE`: call variables set before the call starts (what an outbound
/// call knows: `page.id`, `page.to`, `case.number`).
///
/// Every assignment is checked before anything starts, and each refusal names the option, the
/// value and the fix:
/// - no `=`, or nothing before it (`--set foo`, `--set =x`);
/// - a name that is not a variable name (letters, digits, `.`, `_`, `-`, starting with a letter);
/// - an empty value (`--set case.number=`): an empty variable is not an unset one — the flow would
///   read the case number back as nothing and act on it — so the variable is left out instead;
/// - the same name twice (which one would count?);
/// - a `case.number` that is not a case number, or a `caller.account` that is not an account
///   number, with the same message as `hotline cases` gives for them.
public enum CallVariableAssignments {
    /// The variables `assignments` set, or the first problem with them.
    public static func parse(_ assignments: [String]) throws(CallVariableError) -> [String: String] {
        var result: [String: String] = [:]
        for assignment in assignments {
            let shown = TerminalText.escaped(String(assignment.prefix(80))) + (assignment.count > 80 ? "…" : "")
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw CallVariableError("--set takes NAME=VALUE (got '\(shown)') (fix: e.g. --set case.number=00345678)")
            }
            let name = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...])
            guard isName(name) else {
                throw CallVariableError(
                    "--set '\(shown)': '\(TerminalText.escaped(String(name.prefix(40))))' is not a variable name "
                        + "(fix: a name is letters, digits, '.', '_' and '-', starting with a letter, e.g. case.number)")
            }
            guard !value.isEmpty else {
                throw CallVariableError(
                    "--set \(name)= has an empty value (fix: give the value, e.g. --set \(name)=\(example(name)), or leave --set \(name) out)")
            }
            guard result[name] == nil else {
                throw CallVariableError("--set \(name) is given twice (fix: set each variable once)")
            }
            do {
                switch name {
                case "case.number": result[name] = try CaseNumber(parsing: value).text
                case "caller.account": result[name] = try AccountNumber(parsing: value).text
                default: result[name] = value
                }
            } catch {
                throw CallVariableError("--set \(name): \(error.message) (fix: \(error.fix ?? "give a valid value"))")
            }
        }
        return result
    }

    /// Letters, digits, `.`, `_`, `-` (ASCII), starting with a letter: the names flows use.
    static func isName(_ text: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard let first = text.unicodeScalars.first, isLetter(first) else { return false }
        return text.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func example(_ name: String) -> String {
        switch name {
        case "case.number": "00345678"
        case "caller.account": "100001"
        case "page.id": "PG-000001"
        case "page.to": "'Oliver Hughes'"
        default: "VALUE"
        }
    }
}

/// A `--set` that cannot be taken, with its fix.
public struct CallVariableError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
