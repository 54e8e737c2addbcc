import Foundation
import HotlineCore
import Yams

/// The prompt library's index: each prompt's id, WAV file and transcript.
///
/// File format (`Prompts/en-US/catalog.yaml`):
/// ```yaml
/// language: en-US
/// prompts:
///   gsc.welcome:
///     text: Thank you for calling Pulse Secure Global Support.
///     file: gsc.welcome.wav        # optional; defaults to <id>.wav
/// ```
public struct PromptCatalog: Sendable {
    public struct Entry: Sendable, Hashable {
        public var id: String
        public var text: String
        /// The WAV file, as an absolute path.
        public var file: String
        public var location: SourceLocation?
    }

    /// Where the catalog was read from.
    public var path: String
    public var language: String
    public var entries: [Entry]
    private var byID: [String: Int]

    public init(path: String, language: String, entries: [Entry]) {
        self.path = path
        self.language = language
        self.entries = entries
        self.byID = Dictionary(entries.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(id: String) -> Entry? { byID[id].map { entries[$0] } }

    /// How long a transcript takes to say when its WAV cannot tell: 0.4 s a word (a little slower
    /// than espeak-ng's 150 words a minute), at least half a second.
    public static func estimatedLength(of transcript: String) -> Duration {
        let words = transcript.split(whereSeparator: \.isWhitespace).count
        return .milliseconds(max(500, words * 400))
    }

    /// The transcript of a sequence of prompt ids, as a caller would hear it.
    public func transcript(of prompts: [String]) -> String {
        var words: [String] = []
        for id in prompts {
            if let entry = self[id] { words.append(entry.text) } else { words.append("[\(id)]") }
        }
        return words.joined(separator: " ")
    }

    /// Reads a catalog file; errors name the file, line and column.
    public static func load(path: String) throws(FlowFileError) -> PromptCatalog {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FlowFileError(file: path, line: 0, column: 0, message: "cannot read the prompt catalog: \(error.localizedDescription)", fix: "check the path, or run from the repository root")
        }
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw FlowFileError.yamlSyntax(file: path, error: error)
        }
        guard let root = node?.mapping else {
            throw FlowFileError(file: path, line: 1, column: 1, message: "a prompt catalog is a mapping with `language` and `prompts`", fix: nil)
        }
        let folder = (path as NSString).deletingLastPathComponent
        var language = "en-US"
        var entries: [Entry] = []
        for (key, value) in root {
            switch key.string {
            case "language":
                language = value.string ?? language
            case "prompts":
                guard let prompts = value.mapping else {
                    throw FlowFileError(file: path, node: value, message: "`prompts` must be a mapping of prompt id to entry", fix: nil)
                }
                for (idNode, entryNode) in prompts {
                    let id = idNode.string ?? ""
                    var text: String?
                    var file = "\(id).wav"
                    if let plain = entryNode.string {
                        text = plain
                    } else if let fields = entryNode.mapping {
                        for (field, fieldValue) in fields {
                            switch field.string {
                            case "text": text = fieldValue.string
                            case "file": file = fieldValue.string ?? file
                            default:
                                throw FlowFileError(file: path, node: field, message: "unknown key '\(field.string ?? "")' in prompt '\(id)'", fix: "use `text` and `file`")
                            }
                        }
                    }
                    guard let text, !text.isEmpty else {
                        throw FlowFileError(file: path, node: entryNode, message: "prompt '\(id)' has no transcript", fix: "add `text: …` with what the prompt says")
                    }
                    let absolute = file.hasPrefix("/") ? file : (folder as NSString).appendingPathComponent(file)
                    entries.append(Entry(id: id, text: text, file: absolute, location: SourceLocation(file: path, mark: idNode.mark)))
                }
            default:
                throw FlowFileError(file: path, node: key, message: "unknown key '\(key.string ?? "")'", fix: "a catalog has `language` and `prompts`")
            }
        }
        return PromptCatalog(path: path, language: language, entries: entries)
    }
}

/// A problem in a flow, scenario or catalog file, said as `file:line:column: error: message`.
public struct FlowFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var fix: String?

    public init(file: String, line: Int, column: Int, message: String, fix: String?) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    public init(file: String, node: Yams.Node, message: String, fix: String?) {
        self.init(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, message: message, fix: fix)
    }

    static func yamlSyntax(file: String, error: any Error) -> FlowFileError {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
                let started = context.map { " (\($0.text) that starts at line \($0.mark.line), column \($0.mark.column))" } ?? ""
                return FlowFileError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(started)", fix: "check indentation, brackets and quoting between those two places")
            case .composer(_, let problem, let mark, _):
                return FlowFileError(file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)", fix: nil)
            default:
                break
            }
        }
        return FlowFileError(file: file, line: 1, column: 1, message: "YAML: \(error)", fix: nil)
    }

    public var description: String {
        "\(file):\(line):\(column): error: \(message)" + (fix.map { " (fix: \($0))" } ?? "")
    }
}

extension SourceLocation {
    init(file: String, mark: Yams.Mark?) {
        self.init(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }
}
