import Foundation
import HotlineCore
import Yams

/// A problem in an agents, queues or staffing-plan file, said as `file:line:column: error: message (fix: …)`,
/// the same shape as the flow files' errors so editors and CI jump to the spot.
///
/// Never carries a caller's phone number or case data: only file positions, names from the file and the fix.
public struct RoutingFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake, for tests and tools that want to branch on it.
    public enum Code: String, Sendable, Hashable {
        case unreadable
        case syntax
        case structure
        case unknownKey
        case unknownSkill
        case unknownTeam
        case unknownLevel
        case unknownStrategy
        case unknownQueue
        case unknownAgent
        case duplicate
        case badValue
        case impossibleTier
        case unservedQueue
    }

    public var code: Code
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var fix: String?

    public init(_ code: Code, file: String, line: Int, column: Int, message: String, fix: String?) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    init(_ code: Code, file: String, node: Yams.Node?, message: String, fix: String?) {
        self.init(code, file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message: message, fix: fix)
    }

    init(_ code: Code, at location: SourceLocation?, file: String, message: String, fix: String?) {
        self.init(
            code, file: location?.file ?? file, line: location?.line ?? 0, column: location?.column ?? 0, message: message,
            fix: fix)
    }

    static func yamlSyntax(file: String, error: any Error) -> RoutingFileError {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
                return RoutingFileError(
                    .syntax, file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)",
                    fix: "check indentation and quoting near this line")
            case .composer(_, let problem, let mark, _):
                return RoutingFileError(.syntax, file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)", fix: nil)
            default:
                break
            }
        }
        return RoutingFileError(.syntax, file: file, line: 1, column: 1, message: "YAML: \(error)", fix: nil)
    }

    public var description: String {
        "\(file):\(line):\(column): error: \(message)" + (fix.map { " (fix: \($0))" } ?? "")
    }
}

/// A problem with a request to the router at run time (not in a file), such as an unknown queue name.
public struct RouterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var fix: String?
    public init(message: String, fix: String?) {
        self.message = message
        self.fix = fix
    }
    public var description: String { "error: \(message)" + (fix.map { " (fix: \($0))" } ?? "") }
}

/// "Did you mean" suggestions: the closest known name by edit distance.
enum Suggest {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= max(2, candidate.count / 3), distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    static func fix(for word: String, in candidates: [String], what: String) -> String {
        let list = candidates.joined(separator: ", ")
        if let near = closest(to: word, in: candidates) {
            return "did you mean '\(near)'? \(what) are: \(list)"
        }
        return "\(what) are: \(list)"
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = Swift.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = Swift.min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
