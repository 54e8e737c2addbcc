import Foundation
import HotlineCore
import HotlineStore

/// `hotline call --set NAME=VALUE`: call variables set before the call starts (what an outbound
/// call knows: `page.id`, `page.to`, `case.number`).
///
/// Every assignment is checked before anything starts (by ``CallVariableRule``, as a scenario's
/// `variables:` are), and each refusal names the option, the value and the fix:
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
            // A name given twice is said before what is wrong with its value (which one would count?).
            let twice = CallVariableError("--set \(name) is given twice (fix: set each variable once)")
            switch CallVariableRule.check(name: name, value: value) {
            case .success(let checked):
                guard result[name] == nil else { throw twice }
                result[name] = checked
            case .failure(.notAName):
                throw CallVariableError(
                    "--set '\(shown)': '\(TerminalText.escaped(String(name.prefix(40))))' is not a variable name (fix: \(CallVariableRule.nameFix))")
            case .failure(.emptyValue):
                throw CallVariableError(
                    "--set \(name)= has an empty value (fix: give the value, e.g. --set \(name)=\(CallVariableRule.example(name)), or leave --set \(name) out)")
            case .failure(.badValue(let problem)):
                guard result[name] == nil else { throw twice }
                throw CallVariableError("--set \(name): \(problem.message) (fix: \(problem.fix))")
            }
        }
        return result
    }
}

/// A `--set` that cannot be taken, with its fix.
public struct CallVariableError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
