import Foundation
import HotlineCore
import HotlineDiagnostics
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

    /// Reads a catalog file; every problem is reported at once, each naming the file, line and column.
    public static func load(path: String) throws(Diagnostics) -> PromptCatalog {
        let file = YAMLFile(path: path)
        guard let root = file.root, let top = file.fields(of: root, in: "a prompt catalog", allowed: ["language", "prompts"]) else {
            throw Diagnostics(file.errors)
        }
        let folder = (path as NSString).deletingLastPathComponent
        let language = top.string("language") ?? "en-US"
        var entries: [Entry] = []
        var seen: Set<String> = []
        if let prompts = top.value("prompts", required: true, fix: "add `prompts:` with one entry per prompt id"),
            let pairs = file.mapping(of: prompts, in: "`prompts`", expecting: "a mapping of prompt id to entry")
        {
            for (idNode, entryNode) in pairs {
                guard let id = file.scalar(idNode, in: "a prompt id"), !id.isEmpty else { continue }
                var text: String?
                var name = "\(id).wav"
                if case .scalar(let scalar) = entryNode {
                    text = scalar.string
                } else if let fields = file.fields(of: entryNode, in: "prompt '\(id)'", allowed: ["text", "file"]) {
                    text = fields.string("text")
                    name = fields.string("file") ?? name
                } else {
                    continue
                }
                guard let text, !text.isEmpty else {
                    file.error("prompt '\(id)' has no transcript", at: entryNode, fix: "add `text: …` with what the prompt says")
                    continue
                }
                guard seen.insert(id).inserted else { continue }  // a repeated id is reported as a duplicate key
                let absolute = name.hasPrefix("/") ? name : (folder as NSString).appendingPathComponent(name)
                entries.append(Entry(id: id, text: text, file: absolute, location: SourceLocation(file: path, mark: idNode.mark)))
            }
        }
        try file.throwIfErrors()
        return PromptCatalog(path: path, language: language, entries: entries)
    }
}
