import Foundation
import Yams

/// A problem in a rota or escalation-policy file, said as `file:line:column: error: message (fix: …)`,
/// the same shape as the flow files' errors, so editors and CI jump to the line.
public struct RotaFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, for callers that react to some of them.
    public enum Code: String, Sendable, Hashable {
        case unreadable
        case syntax
        case structure
        case unknownZone
        case emptyRotation
        case badTime
        case badRotation
        case overlappingOverrides
        case unknownPerson
        case gap
        case doubleBooked
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

    static func yamlSyntax(file: String, error: any Error) -> RotaFileError {
        guard let yaml = error as? YamlError else {
            return RotaFileError(.syntax, file: file, line: 1, column: 1, message: "YAML: \(error)", fix: nil)
        }
        switch yaml {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return RotaFileError(.syntax, file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)", fix: "check indentation and quoting near this line")
        case .composer(_, let problem, let mark, _):
            return RotaFileError(.syntax, file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)", fix: nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return RotaFileError(.syntax, file: file, line: context.mark.line, column: context.mark.column, message: "key '\(duplicates.joined(separator: "', '"))' appears twice in one mapping", fix: "keep one of them (merge their contents)")
        case .reader(let problem, _, _, _):
            return RotaFileError(.unreadable, file: file, line: 1, column: 1, message: "cannot read the text: \(problem)", fix: "save the file as UTF-8")
        case .dataCouldNotBeDecoded:
            return RotaFileError(.unreadable, file: file, line: 1, column: 1, message: "the file is not UTF-8 text", fix: "save the file as UTF-8")
        case .no, .memory, .writer, .emitter, .representer:
            return RotaFileError(.syntax, file: file, line: 1, column: 1, message: "YAML: \(yaml)", fix: nil)
        }
    }

    public var description: String {
        "\(file):\(line):\(column): error: \(message)" + (fix.map { " (fix: \($0))" } ?? "")
    }
}

/// Where in a file something was defined, for errors found after loading (gaps found by `check`).
public struct RotaSourceLocation: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    init(file: String, node: Yams.Node?) {
        self.init(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0)
    }
}
