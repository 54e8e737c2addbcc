import Foundation
import HotlineCore
import Yams

/// A YAML file being read, and every problem found in it so far.
///
/// The one front half of every Hotline file reader (flows, the prompt catalog, scenarios, the rota
/// and escalation policy, agents, queues, staffing plans, sample data, the SLA table): it reads the
/// text, composes it with Yams, and collects errors instead of stopping at the first, so a user sees
/// everything wrong with a file in one run. Typical use:
///
/// ```swift
/// let file = YAMLFile(path: path)                     // never throws: problems go into `errors`
/// guard let root = file.root,
///       let top = file.fields(of: root, in: "a scenario", allowed: ["name", "caller", "steps"])
/// else { throw Diagnostics(file.errors) }
/// let name = top.string("name", required: true)       // a missing key is reported, nil returned
/// let gap = top.duration("gap") ?? .seconds(1)         // `500ms`, `2s`, `1.5s`, `2m`, `3`
/// for step in top.value("steps").flatMap({ file.list($0, in: "`steps`") }) ?? [] {
///     guard let fields = file.fields(of: step, in: "a step", allowed: ["press", "say", "expect"]),
///           let kind = fields.exactlyOne(of: ["press", "say", "expect"]) else { continue }
///     …
/// }
/// try file.throwIfErrors()
/// ```
///
/// Duplicate keys: Yams rejects a mapping with a repeated key outright. `YAMLFile` reports each
/// repeated key at the line of its second occurrence and keeps reading, ignoring the repeat, so the
/// rest of the file is still checked.
///
/// Unreadable content is said for what it is (no such file, a folder, binary, not UTF-8 — see
/// ``TextFile``), and every YAML error Yams reports is mapped in one place (``Diagnostic/yaml(file:error:)``).
///
/// Readers built on throwing helpers use ``attempt(_:)`` around each item (a layer, a queue, an
/// agent) so one bad item is recorded and the next one is still read.
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
    public private(set) var errors: [Diagnostic] = []
    /// Keys renamed to get past a duplicate; readers skip them.
    private var renamedDuplicates: Set<String> = []

    /// Reads and composes the file at `path`; problems are recorded in `errors`.
    public convenience init(path: String) {
        switch TextFile.read(path) {
        case .success(let text):
            self.init(path: path, text: text)
        case .failure(let problem):
            self.init(path: path, text: "", unreadable: true)
            errors.append(problem)
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

    /// Whether any problem has been found.
    public var hasErrors: Bool { !errors.isEmpty }

    /// Throws every problem found so far, if there is one.
    public func throwIfErrors() throws(Diagnostics) {
        if !errors.isEmpty { throw Diagnostics(errors) }
    }

    /// Records a problem at a node (its first character), or at the top of the file when `node` is nil.
    public func error(_ message: String, at node: Yams.Node?, fix: String? = nil, code: Diagnostic.Code = .structure) {
        error(message, at: node?.mark, fix: fix, code: code)
    }

    /// Records a problem at a mark.
    public func error(_ message: String, at mark: Yams.Mark?, fix: String? = nil, code: Diagnostic.Code = .structure) {
        errors.append(Diagnostic(code, file: path, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message, fix: fix))
    }

    /// Records a problem at a source location.
    public func error(_ message: String, at location: SourceLocation?, fix: String? = nil, code: Diagnostic.Code = .structure) {
        errors.append(Diagnostic(code, file: path, line: location?.line ?? 1, column: location?.column ?? 1, message: message, fix: fix))
    }

    /// Records a problem found elsewhere (a throwing helper, a cross-file check).
    public func record(_ problem: Diagnostic) {
        errors.append(problem)
    }

    /// Records several problems.
    public func record(_ problems: some Sequence<Diagnostic>) {
        errors.append(contentsOf: problems)
    }

    /// Runs `body`, recording what it throws instead of stopping: the way a reader built on throwing
    /// helpers goes on to the next item and reports every problem at once. Returns nil when it threw.
    public func attempt<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let problem as Diagnostic {
            errors.append(problem)
        } catch let problems as Diagnostics {
            errors.append(contentsOf: problems.errors)
        } catch {
            errors.append(Diagnostic(.structure, file: path, line: 1, column: 1, message: "\(error)", fix: nil))
        }
        return nil
    }

    /// Where a node was written.
    public func location(of node: Yams.Node?) -> SourceLocation {
        SourceLocation(file: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    /// A diagnostic at a node, to throw from a helper (recorded by ``attempt(_:)``).
    public func problem(_ code: Diagnostic.Code, at node: Yams.Node?, _ message: String, fix: String?) -> Diagnostic {
        Diagnostic(code, file: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message, fix: fix)
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
                      fix: hint == nil ? "allowed keys: \(allowed.joined(separator: ", "))" : "rename it to the suggested key", code: .unknownKey)
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
            error("\(context) must be \(expecting), not \(Self.describe(node))", at: node, fix: "write it as `key: value` lines indented under it")
            return nil
        }
        return mapping.filter { !renamedDuplicates.contains($0.key.string ?? "") }.map { (key: $0.key, value: $0.value) }
    }

    /// A scalar's text; reports and returns nil for a sequence or mapping.
    public func scalar(_ node: Yams.Node, in context: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(context) must be a single value, not \(Self.describe(node))", at: node, fix: "write one value, not a list or a mapping")
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
            error("\(context) must be a value or a list, not \(Self.describe(node))", at: node, fix: "write one value, or a list such as [a, b]")
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

    /// Every scalar stays a string: readers ask for the type they need (`string`, `int`, `bool`,
    /// `float`, which read the text whatever its tag). Yams' default resolver matched every scalar
    /// against seven regular expressions to guess its type, and Yams hashes each mapping's keys,
    /// tags included, to find duplicates: most of what reading a scenario file cost (issue 16). A
    /// key written twice is a duplicate however it is quoted (`1:` and `"1":` too).
    static let resolver = Resolver.basic

    private func compose() {
        var working = text
        for attempt in 0..<64 {
            do {
                root = try Yams.compose(yaml: working, Self.resolver, .default, .utf8)
                if root == nil {
                    error("the file is empty", at: nil as Yams.Mark?, fix: "write the document's top-level mapping", code: .empty)
                }
                if let composed = root, !renamedDuplicates.isEmpty {
                    root = Self.removing(keys: renamedDuplicates, from: composed)
                }
                return
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                guard let (line, column, keyText) = Self.secondOccurrence(of: duplicates, after: context.mark, in: working) else {
                    error("duplicate key '\(duplicates.joined(separator: "', '"))' in one mapping", at: context.mark,
                          fix: "each key may appear once; merge or remove the repeats", code: .duplicateKey)
                    return
                }
                let key = duplicates.first { Self.keyMatches(keyText, $0) } ?? duplicates[0]
                error("duplicate key '\(key)': it is already set at line \(context.mark.line)", at: SourceLocation(file: path, line: line, column: column),
                      fix: "each key may appear once in a mapping; merge the two or remove one", code: .duplicateKey)
                let placeholder = "hotline-duplicate-\(attempt)-\(key)"
                renamedDuplicates.insert(placeholder)
                working = Self.replacing(in: working, line: line, column: column, length: keyText.count, with: Self.quoted(placeholder))
            } catch {
                var syntax = Diagnostic.yaml(file: path, error: error)
                if let hint = Self.keypadHint(near: syntax.line, in: working) { syntax.fix = hint }
                if syntax.code == .syntax, Self.isTab(line: syntax.line, column: syntax.column, in: working) {
                    // libyaml's "found character that cannot start any token" says nothing of the tab.
                    syntax.message = "YAML syntax: a tab character, where YAML allows only spaces for indentation"
                    syntax.fix = "indent with spaces instead of tabs (e.g. `expand -t 2 FILE`)"
                }
                errors.append(syntax)
                root = nil
                return
            }
        }
    }

    /// The tree without the pairs whose key is in `keys` (the renamed duplicates), so readers that walk
    /// mappings themselves never see them. Iterative: a deeply nested file cannot exhaust the stack.
    static func removing(keys: Set<String>, from root: Yams.Node) -> Yams.Node {
        struct Frame {
            let node: Yams.Node
            let children: [Yams.Node]
            var built: [Yams.Node] = []
        }
        func frame(_ node: Yams.Node) -> Frame? {
            switch node {
            case .mapping(let mapping):
                return Frame(node: node, children: mapping.filter { !keys.contains($0.key.string ?? "") }.flatMap { [$0.key, $0.value] })
            case .sequence(let sequence):
                return Frame(node: node, children: Array(sequence))
            case .scalar, .alias:
                return nil
            }
        }
        func assemble(_ frame: Frame) -> Yams.Node {
            switch frame.node {
            case .mapping(let mapping):
                let pairs = stride(from: 0, to: frame.built.count - 1, by: 2).map { (frame.built[$0], frame.built[$0 + 1]) }
                return .mapping(Yams.Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
            case .sequence(let sequence):
                return .sequence(Yams.Node.Sequence(frame.built, sequence.tag, sequence.style, sequence.mark))
            case .scalar, .alias:
                return frame.node
            }
        }
        guard let first = frame(root) else { return root }
        var stack = [first]
        while let top = stack.last {
            if top.built.count < top.children.count {
                let child = top.children[top.built.count]
                if let nested = frame(child) {
                    stack.append(nested)
                } else {
                    stack[stack.count - 1].built.append(child)
                }
                continue
            }
            stack.removeLast()
            let node = assemble(top)
            guard !stack.isEmpty else { return node }
            stack[stack.count - 1].built.append(node)
        }
        return root
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }

    /// YAML reads an unquoted `*` as an alias and `&` as an anchor: say so when a syntax error is
    /// on (or just after) a line that starts a key or value with one.
    /// Whether the character at a 1-based line and column is a tab.
    private static func isTab(line: Int, column: Int, in text: String) -> Bool {
        guard line >= 1, column >= 1 else { return false }
        let lines = text.split(separator: "\n", maxSplits: line, omittingEmptySubsequences: false)
        guard line <= lines.count else { return false }
        let scalars = lines[line - 1].unicodeScalars
        guard column <= scalars.count else { return false }
        return scalars[scalars.index(scalars.startIndex, offsetBy: column - 1)] == "\t"
    }

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
            file.error("`\(key)` in \(context) must be a whole number, not '\(text)'", at: node, fix: "write a number such as 3", code: .badValue)
            return nil
        }
        if let range, !range.contains(number) {
            file.error("`\(key)` in \(context) is \(number); it must be between \(range.lowerBound) and \(range.upperBound)", at: node, fix: "use a value in that range", code: .badValue)
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
            file.error("`\(key)` in \(context) must be true or false, not '\(text)'", at: node, fix: "write true or false", code: .badValue)
            return nil
        }
    }

    /// A duration: `500ms`, `5s`, `1.5s`, `2m`, `1h`, `1h30m`, or a bare number of seconds, at most
    /// `maximum` (one day unless the format says otherwise).
    public func duration(_ key: String, required: Bool = false, maximum: Duration = DurationText.day) -> Duration? {
        guard let node = value(key, required: required), let text = file.scalar(node, in: "`\(key)` in \(context)") else { return nil }
        switch DurationText.read(text, maximum: maximum) {
        case .success(let duration):
            return duration
        case .failure(let problem):
            let said = DurationText.explain(problem, text: text, what: "`\(key)` in \(context)")
            file.error(said.message, at: node, fix: said.fix, code: .badDuration)
            return nil
        }
    }

    /// One of a fixed set of words (an enum's raw values), with "did you mean" when it is not.
    public func choice(_ key: String, from allowed: [String], required: Bool = false) -> String? {
        guard let node = value(key, required: required), let text = file.scalar(node, in: "`\(key)` in \(context)") else { return nil }
        guard allowed.contains(text) else {
            let hint = Suggestions.closest(to: text, in: allowed)
            file.error("`\(key)` in \(context) is '\(text)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: node,
                       fix: "use one of \(allowed.joined(separator: ", "))", code: .badValue)
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


extension Diagnostic {
    /// The one mapping of Yams's errors to diagnostics, used for every file Hotline reads.
    public static func yaml(file: String, error: any Error) -> Diagnostic {
        guard let yaml = error as? YamlError else {
            return Diagnostic(.syntax, file: file, line: 1, column: 1, message: "YAML: \(error)", fix: nil)
        }
        switch yaml {
        case .scanner(_, let problem, let mark, _) where problem.contains("nesting level"),
            .parser(_, let problem, let mark, _) where problem.contains("nesting level"):
            return Diagnostic(
                .syntax, file: file, line: mark.line, column: mark.column, message: "YAML nested deeper than the reader allows",
                fix: "flatten the structure: no Hotline file needs more than a few levels")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let started = context.map { " (\($0.text) that starts at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return Diagnostic(
                .syntax, file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(started)",
                fix: "check indentation, brackets and quoting between those two places")
        case .composer(_, let problem, let mark, _):
            return Diagnostic(.syntax, file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)", fix: nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(
                .duplicateKey, file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key '\(duplicates.joined(separator: "', '"))' in one mapping", fix: "each key may appear once; merge or remove the repeats")
        case .reader(let problem, let offset, let value, let text):
            let (line, column) = offset.map { TextFile.position(of: min($0, text.utf8.count), in: Array(text.utf8), from: 0) } ?? (1, 1)
            let byte = value >= 0 ? String(format: " (character U+%04X)", value) : ""
            return Diagnostic(
                .notUTF8, file: file, line: line, column: column, message: "the file cannot be read as YAML text: \(problem)\(byte)",
                fix: "remove control characters and save the file as UTF-8")
        case .dataCouldNotBeDecoded:
            return Diagnostic(.notUTF8, file: file, line: 1, column: 1, message: "the file is not UTF-8 text", fix: "save the file as UTF-8")
        case .no, .memory, .writer, .emitter, .representer:
            return Diagnostic(.syntax, file: file, line: 1, column: 1, message: "YAML: \(yaml)", fix: nil)
        }
    }
}

extension Diagnostic {
    /// A diagnostic at a YAML node (its first character); line and column 0 when there is no node.
    public init(_ code: Code = .structure, file: String, node: Yams.Node?, message: String, fix: String?) {
        self.init(code, file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message: message, fix: fix)
    }
}

extension SourceLocation {
    /// Where a YAML mark is in `file`; line and column 0 without a mark.
    public init(file: String, mark: Yams.Mark?) {
        self.init(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    /// Where a YAML node starts in `file`; line and column 0 without a node.
    public init(file: String, node: Yams.Node?) {
        self.init(file: file, mark: node?.mark)
    }
}
