import Foundation
import HotlineCore
import Yams

/// A YAML file being read, and every problem found in it so far.
///
/// The reusable front half of every Hotline file reader (flows, scenarios, rotas): it reads the
/// text, composes it with Yams, and collects errors instead of stopping at the first, so a user sees
/// everything wrong with a file in one run. Typical use:
///
/// ```swift
/// let file = YAMLFile(path: path)                     // never throws: problems go into `errors`
/// guard let root = file.root,
///       let top = file.fields(of: root, in: "a scenario", allowed: ["name", "caller", "steps"])
/// else { throw FlowFileDiagnostics(file.errors) }
/// let name = top.string("name", required: true)       // a missing key is reported, nil returned
/// let gap = top.duration("gap") ?? .seconds(1)         // `500ms`, `2s`, `1.5s`, `2m`, `3`
/// for step in top.value("steps").flatMap({ file.list($0, in: "`steps`") }) ?? [] {
///     guard let fields = file.fields(of: step, in: "a step", allowed: ["press", "say", "expect"]),
///           let kind = fields.exactlyOne(of: ["press", "say", "expect"]) else { continue }
///     …
/// }
/// if !file.errors.isEmpty { throw FlowFileDiagnostics(file.errors) }
/// ```
///
/// Duplicate keys: Yams rejects a mapping with a repeated key outright. `YAMLFile` reports each
/// repeated key at the line of its second occurrence and keeps reading, ignoring the repeat, so the
/// rest of the file is still checked.
///
/// Not thread-safe: one reader per file, used by one task.
public final class YAMLFile {
    /// The path as given, used in every error.
    public let path: String
    /// The file's text (empty when it could not be read).
    public let text: String
    /// The composed document, or `nil` when the file is unreadable, empty or not valid YAML.
    public private(set) var root: Yams.Node?
    /// Every problem found so far, in the order found.
    public private(set) var errors: [FlowFileError] = []
    /// Keys renamed to get past a duplicate; readers skip them.
    private var renamedDuplicates: Set<String> = []

    /// Reads and composes the file at `path`; problems are recorded in `errors`.
    public convenience init(path: String) {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            self.init(path: path, text: text)
        } catch {
            self.init(path: path, text: "", unreadable: true)
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            errors.append(FlowFileError(file: path, line: 1, column: 1, message: reason, fix: "check the path (it is relative to the current folder)"))
        }
    }

    /// Composes `text` as if read from `path`.
    public convenience init(path: String, text: String) {
        self.init(path: path, text: text, unreadable: false)
    }

    private init(path: String, text: String, unreadable: Bool) {
        self.path = path
        self.text = text
        if !unreadable { compose() }
    }

    // MARK: - Errors

    /// Records a problem at a node (its first character), or at the top of the file when `node` is nil.
    public func error(_ message: String, at node: Yams.Node?, fix: String? = nil) {
        error(message, at: node?.mark, fix: fix)
    }

    /// Records a problem at a mark.
    public func error(_ message: String, at mark: Yams.Mark?, fix: String? = nil) {
        errors.append(FlowFileError(file: path, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message, fix: fix))
    }

    /// Records a problem at a source location.
    public func error(_ message: String, at location: SourceLocation?, fix: String? = nil) {
        errors.append(FlowFileError(file: path, line: location?.line ?? 1, column: location?.column ?? 1, message: message, fix: fix))
    }

    /// Where a node was written.
    public func location(of node: Yams.Node?) -> SourceLocation {
        SourceLocation(file: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    // MARK: - Reading

    /// Reads `node` as a mapping whose keys must be among `allowed`.
    ///
    /// Reports (and returns nil for) a node that is not a mapping, and reports each unknown key with
    /// the closest allowed one ("did you mean"). `context` names the thing being read in errors
    /// ("menu node 'main_menu'"). Keys must be plain strings.
    public func fields(of node: Yams.Node, in context: String, allowed: [String]) -> YAMLFields? {
        guard let mapping = mapping(of: node, in: context, expecting: "a mapping of " + allowed.map { "`\($0)`" }.joined(separator: ", ")) else {
            return nil
        }
        var values: [String: (key: Yams.Node, value: Yams.Node)] = [:]
        var order: [String] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            if !allowed.contains(name) {
                let hint = Suggestions.closest(to: name, in: allowed).map { "did you mean `\($0)`?" }
                error("unknown key '\(name)' in \(context)" + (hint.map { "; \($0)" } ?? ""), at: key,
                      fix: hint == nil ? "allowed keys: \(allowed.joined(separator: ", "))" : "rename it to the suggested key")
                continue
            }
            values[name] = (key, value)
            order.append(name)
        }
        return YAMLFields(file: self, node: node, context: context, values: values, order: order)
    }

    /// The key/value pairs of a mapping node, in file order, without keys dropped as duplicates.
    /// Reports and returns nil when the node is not a mapping.
    public func mapping(of node: Yams.Node, in context: String, expecting: String = "a mapping") -> [(key: Yams.Node, value: Yams.Node)]? {
        guard let mapping = node.mapping else {
            error("\(context) must be \(expecting), not \(Self.describe(node))", at: node)
            return nil
        }
        return mapping.filter { !renamedDuplicates.contains($0.key.string ?? "") }.map { (key: $0.key, value: $0.value) }
    }

    /// A scalar's text; reports and returns nil for a sequence or mapping.
    public func scalar(_ node: Yams.Node, in context: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(context) must be a single value, not \(Self.describe(node))", at: node)
            return nil
        }
        return scalar.string
    }

    /// The items of a sequence; a single scalar counts as a list of one. Reports a mapping.
    public func list(_ node: Yams.Node, in context: String) -> [Yams.Node]? {
        switch node {
        case .sequence(let sequence): return Array(sequence)
        case .scalar: return [node]
        case .mapping, .alias:
            error("\(context) must be a value or a list, not \(Self.describe(node))", at: node)
            return nil
        }
    }

    /// A short description of a node's kind, for errors.
    public static func describe(_ node: Yams.Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "'\(scalar.string)'"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    // MARK: - Composing with duplicate-key recovery

    private func compose() {
        var working = text
        for attempt in 0..<64 {
            do {
                root = try Yams.compose(yaml: working)
                if root == nil {
                    error("the file is empty", at: nil as Yams.Mark?, fix: "write the document's top-level mapping")
                }
                return
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                guard let (line, column, keyText) = Self.secondOccurrence(of: duplicates, after: context.mark, in: working) else {
                    error("duplicate key '\(duplicates.joined(separator: "', '"))' in one mapping", at: context.mark,
                          fix: "each key may appear once; merge or remove the repeats")
                    return
                }
                let key = duplicates.first { Self.keyMatches(keyText, $0) } ?? duplicates[0]
                error("duplicate key '\(key)': it is already set at line \(context.mark.line)", at: SourceLocation(file: path, line: line, column: column),
                      fix: "each key may appear once in a mapping; merge the two or remove one")
                let placeholder = "hotline-duplicate-\(attempt)-\(key)"
                renamedDuplicates.insert(placeholder)
                working = Self.replacing(in: working, line: line, column: column, length: keyText.count, with: Self.quoted(placeholder))
            } catch {
                var syntax = FlowFileError.yamlSyntax(file: path, error: error)
                if let hint = Self.keypadHint(near: syntax.line, in: working) { syntax.fix = hint }
                errors.append(syntax)
                root = nil
                return
            }
        }
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }

    /// YAML reads an unquoted `*` as an alias and `&` as an anchor: say so when a syntax error is
    /// on (or just after) a line that starts a key or value with one.
    private static func keypadHint(near line: Int, in text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for number in [line, line - 1] where number >= 1 && number <= lines.count {
            let trimmed = lines[number - 1].trimmingCharacters(in: .whitespaces)
            let starts = [trimmed, trimmed.hasPrefix("- ") ? String(trimmed.dropFirst(2)) : ""]
            let afterColon = trimmed.range(of: ": ").map { String(trimmed[$0.upperBound...]).trimmingCharacters(in: .whitespaces) } ?? ""
            if (starts + [afterColon]).contains(where: { $0.hasPrefix("*") || $0.hasPrefix("&") }) {
                return "quote keypad keys and values that start with * or &: write \"*\" (unquoted, YAML reads * as an alias)"
            }
        }
        return nil
    }

    private static func keyMatches(_ written: String, _ key: String) -> Bool {
        written == key || written == "\"\(key)\"" || written == "'\(key)'"
    }

    /// Finds the second occurrence of a duplicated key after the first one's mark: the same key at the
    /// same column in a later line (block mapping), or after a `,` on the same line (flow mapping).
    private static func secondOccurrence(of keys: [String], after mark: Mark, in text: String) -> (line: Int, column: Int, text: String)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let candidates = keys.flatMap { [$0, "\"\($0)\"", "'\($0)'"] }.map { Array($0.unicodeScalars) }

        func keyAt(_ scalars: [Unicode.Scalar], _ index: Int) -> [Unicode.Scalar]? {
            for candidate in candidates where index + candidate.count <= scalars.count {
                guard Array(scalars[index..<(index + candidate.count)]) == candidate else { continue }
                var after = index + candidate.count
                while after < scalars.count, scalars[after] == " " { after += 1 }
                if after < scalars.count, scalars[after] == ":" { return candidate }
            }
            return nil
        }

        // Flow mapping on the key's own line.
        let first = lines[mark.line - 1]
        var index = mark.column  // just past the first key's first character (columns are 1-based)
        var depth = 0
        while index < first.count {
            let scalar = first[index]
            if scalar == "{" || scalar == "[" { depth += 1 }
            if scalar == "}" || scalar == "]" { depth -= 1; if depth < 0 { break } }
            if scalar == ",", depth == 0 {
                var start = index + 1
                while start < first.count, first[start] == " " { start += 1 }
                if let key = keyAt(first, start) { return (mark.line, start + 1, String(String.UnicodeScalarView(key))) }
            }
            index += 1
        }
        // Block mapping: later lines at the same indentation.
        let column = mark.column - 1
        var lineIndex = mark.line
        while lineIndex < lines.count {
            let scalars = lines[lineIndex]
            var indent = 0
            while indent < scalars.count, scalars[indent] == " " { indent += 1 }
            let blank = indent == scalars.count || scalars[indent] == "#"
            if !blank {
                if indent < column { return nil }
                if indent == column, let key = keyAt(scalars, indent) {
                    return (lineIndex + 1, column + 1, String(String.UnicodeScalarView(key)))
                }
            }
            lineIndex += 1
        }
        return nil
    }

    private static func replacing(in text: String, line: Int, column: Int, length: Int, with replacement: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let start = column - 1
        lines[line - 1].replaceSubrange(start..<(start + length), with: Array(replacement.unicodeScalars))
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }
}

/// The fields of one YAML mapping, read by name with typed accessors.
///
/// Each accessor reports a value of the wrong type (and a missing value when `required`) to the
/// ``YAMLFile`` and returns nil, so readers can carry on and find more problems.
public struct YAMLFields {
    public let file: YAMLFile
    /// The mapping node itself (its mark is where "missing key" errors point).
    public let node: Yams.Node
    /// What is being read, for errors ("collect node 'cc_case_number'").
    public let context: String
    private let values: [String: (key: Yams.Node, value: Yams.Node)]
    /// Keys present, in file order.
    public let keys: [String]

    init(file: YAMLFile, node: Yams.Node, context: String, values: [String: (key: Yams.Node, value: Yams.Node)], order: [String]) {
        self.file = file
        self.node = node
        self.context = context
        self.values = values
        self.keys = order
    }

    public func has(_ key: String) -> Bool { values[key] != nil }

    /// The value node of a key; reports a missing key when `required`.
    public func value(_ key: String, required: Bool = false, fix: String? = nil) -> Yams.Node? {
        if let found = values[key] { return found.value }
        if required {
            file.error("\(context) is missing `\(key)`", at: node, fix: fix ?? "add `\(key): …`")
        }
        return nil
    }

    /// The key node itself (for errors about the key).
    public func keyNode(_ key: String) -> Yams.Node? { values[key]?.key }

    public func string(_ key: String, required: Bool = false, fix: String? = nil) -> String? {
        guard let node = value(key, required: required, fix: fix) else { return nil }
        guard let text = file.scalar(node, in: "`\(key)` in \(context)") else { return nil }
        if required && text.isEmpty {
            file.error("`\(key)` in \(context) is empty", at: node, fix: fix ?? "give it a value")
            return nil
        }
        return text
    }

    /// A whole number, optionally within a range.
    public func int(_ key: String, required: Bool = false, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let node = value(key, required: required), let text = file.scalar(node, in: "`\(key)` in \(context)") else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            file.error("`\(key)` in \(context) must be a whole number, not '\(text)'", at: node, fix: "write a number such as 3")
            return nil
        }
        if let range, !range.contains(number) {
            file.error("`\(key)` in \(context) is \(number); it must be between \(range.lowerBound) and \(range.upperBound)", at: node, fix: "use a value in that range")
            return nil
        }
        return number
    }

    /// `true`/`false` (also `yes`/`no`, `on`/`off`).
    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let node = value(key, required: required), let text = file.scalar(node, in: "`\(key)` in \(context)") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            file.error("`\(key)` in \(context) must be true or false, not '\(text)'", at: node, fix: "write true or false")
            return nil
        }
    }

    /// A duration: `500ms`, `5s`, `1.5s`, `2m`, `1h`, or a bare number of seconds.
    public func duration(_ key: String, required: Bool = false) -> Duration? {
        guard let node = value(key, required: required), let text = file.scalar(node, in: "`\(key)` in \(context)") else { return nil }
        guard let duration = DurationText.parse(text) else {
            file.error("`\(key)` in \(context) is not a duration: '\(text)'", at: node, fix: "write a duration such as 5s, 500ms, 1.5s or 2m")
            return nil
        }
        return duration
    }

    /// One of a fixed set of words (an enum's raw values), with "did you mean" when it is not.
    public func choice(_ key: String, from allowed: [String], required: Bool = false) -> String? {
        guard let node = value(key, required: required), let text = file.scalar(node, in: "`\(key)` in \(context)") else { return nil }
        guard allowed.contains(text) else {
            let hint = Suggestions.closest(to: text, in: allowed)
            file.error("`\(key)` in \(context) is '\(text)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: node,
                       fix: "use one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// The one key of `keys` that is present, for mappings that are one of several kinds (a step is
    /// `press:` or `say:` or …). Reports none or several.
    public func exactlyOne(of keys: [String]) -> String? {
        let present = self.keys.filter(keys.contains)  // in file order
        if present.count == 1 { return present[0] }
        if present.isEmpty {
            file.error("\(context) needs one of " + keys.map { "`\($0)`" }.joined(separator: ", "), at: node, fix: "add one of them")
        } else {
            file.error("\(context) has " + present.map { "`\($0)`" }.joined(separator: " and ") + "; it can only be one of them",
                       at: keyNode(present[1]) ?? node, fix: "split it into separate entries")
        }
        return nil
    }

    /// A list of strings; a single value counts as a list of one.
    public func strings(_ key: String, required: Bool = false) -> [(text: String, node: Yams.Node)]? {
        guard let node = value(key, required: required), let items = file.list(node, in: "`\(key)` in \(context)") else { return nil }
        return items.compactMap { item in file.scalar(item, in: "an item of `\(key)` in \(context)").map { ($0, item) } }
    }
}

/// Durations as written in Hotline files.
public enum DurationText {
    /// Parses `500ms`, `5s`, `1.5s`, `2m`, `1h`, or a bare number of seconds; nil when malformed or negative.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var number = Substring(trimmed)
        var scale = 1000.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = trimmed.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        let digits = number.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(digits), value.isFinite, value >= 0
        else { return nil }
        return .milliseconds(Int64((value * scale).rounded()))
    }

    /// `5s`, `500ms`, `1.5s`, `2m`: the shortest way to write a duration back.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 60_000 == 0, milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}

/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
    /// The candidate closest to `word`, when close enough to be a plausible typo (at most a third of
    /// the word's length, and at most 3 edits), case-insensitively.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = min(3, max(1, (max(word.count, best.candidate.count) + 2) / 3))
        return best.distance <= limit ? best.candidate : nil
    }

    /// Levenshtein distance, with an adjacent transposition counted as one edit.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}

/// A path with `folder/..` and `.` components removed, so errors show `Prompts/en-US/catalog.yaml`
/// rather than `Fixtures/flows/../../Prompts/en-US/catalog.yaml`.
public func normalizedPath(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == "..", let last = parts.last, last != ".." {
            parts.removeLast()
            continue
        }
        if part == "..", path.hasPrefix("/"), parts.isEmpty { continue }
        parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if path.hasPrefix("/") { return "/" + joined }
    return joined.isEmpty ? "." : joined
}

/// Every problem found in a file, thrown when it cannot be used.
public struct FlowFileDiagnostics: Error, Sendable, CustomStringConvertible {
    public var errors: [FlowFileError]
    public init(_ errors: [FlowFileError]) { self.errors = errors }
    /// One `file:line:column: error: …` line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
