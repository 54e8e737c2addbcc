import Foundation
import HotlineDiagnostics
import Yams

/// A parsed YAML file with helpers whose errors name the file, line and column at fault: the store's
/// view of the one YAML layer (``YAMLFile``), so the sample data and the SLA table get the same
/// content checks (binary, not UTF-8), duplicate-key reports and messages as every other file.
struct YAMLDocument {
    var file: String
    var node: Yams.Node
    /// Problems found while reading items; thrown together by ``throwIfErrors()``.
    let reader: YAMLFile

    static func load(path: String) throws(StoreError) -> YAMLDocument {
        let reader = YAMLFile(path: path)
        // Duplicate keys are recorded and dropped: reading goes on, and they are thrown with the rest.
        guard let root = reader.root else { throw StoreError.fixture(reader.errors) }
        return YAMLDocument(file: path, node: root, reader: reader)
    }

    func error(_ node: Yams.Node, _ message: String, fix: String? = nil) -> StoreError {
        StoreError.fixture(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, message, fix: fix)
    }

    /// Runs `body` for one item (an account, a case, a tier), recording what it throws so the next
    /// item is still read: every problem in the file is reported at once.
    func each<T>(_ body: () throws(StoreError) -> T) -> T? {
        do {
            return try body()
        } catch {
            reader.record(error.diagnostics.isEmpty ? [Diagnostic(.structure, file: file, line: 1, column: 1, message: error.message, fix: error.fix)] : error.diagnostics)
            return nil
        }
    }

    /// Runs a parser whose error has no position, and gives it the node's position.
    func at<T>(_ node: Yams.Node, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw self.error(node, error.message, fix: error.fix)
        }
    }

    /// Runs `body`; when it throws, throws that together with every problem recorded so far (a
    /// duplicate key found while reading, say), so none is lost.
    func withRecorded<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            let own = error.diagnostics.isEmpty ? [Diagnostic(.structure, file: file, line: 1, column: 1, message: error.message, fix: error.fix)] : error.diagnostics
            throw StoreError.fixture(reader.errors + own)
        }
    }

    /// Throws every problem recorded by ``each(_:)``.
    func throwIfErrors() throws(StoreError) {
        if !reader.errors.isEmpty { throw StoreError.fixture(reader.errors) }
    }

    func mapping(_ node: Yams.Node, what: String) throws(StoreError) -> [(String, Yams.Node)] {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping (`key: value` lines)", fix: "write `key: value` lines") }
        return mapping.map { ($0.key.string ?? "", $0.value) }
    }

    func sequence(_ node: Yams.Node, what: String) throws(StoreError) -> [Yams.Node] {
        guard let sequence = node.sequence else { throw error(node, "\(what) must be a list (`- …` lines)", fix: "write one `- …` line per item") }
        return Array(sequence)
    }

    func string(_ node: Yams.Node, what: String) throws(StoreError) -> String {
        guard let scalar = node.scalar else { throw error(node, "\(what) must be a single value", fix: "write one value after the colon") }
        return scalar.string
    }

    func int(_ node: Yams.Node, what: String) throws(StoreError) -> Int {
        guard let value = node.scalar.flatMap({ Int($0.string) }) else { throw error(node, "\(what) must be a whole number", fix: "write a number such as 250") }
        return value
    }

    /// A duration such as `15m`, `1h`, `8h`, `1h30m`, `2d`, or a bare number of minutes, at most a year.
    func minutes(_ node: Yams.Node, what: String) throws(StoreError) -> Int {
        let text = try string(node, what: what)
        switch DurationText.read(text, bare: .minutes, maximum: .seconds(366 * 86_400)) {
        case .success(let duration):
            let minutes = Int(duration.components.seconds / 60)
            guard minutes > 0 else { throw error(node, "\(what) '\(text)' is less than a minute", fix: "write durations like 15m, 1h, 8h or 1h30m") }
            return minutes
        case .failure(let problem):
            let said = DurationText.explain(problem, text: text, what: what)
            throw error(node, said.message, fix: "write durations like 15m, 1h, 8h or 1h30m (at most a year)")
        }
    }
}

/// Durations written for people: `15m`, `1h`, `1h30m`, `2d`, `45` (minutes).
public enum MinutesText {
    /// `1h 30m`, `15m`, `2d 4h` — for output.
    public static func format(minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : ""
        var rest = abs(minutes)
        var parts: [String] = []
        if rest >= 24 * 60 {
            parts.append("\(rest / (24 * 60))d")
            rest %= 24 * 60
        }
        if rest >= 60 {
            parts.append("\(rest / 60)h")
            rest %= 60
        }
        if rest > 0 || parts.isEmpty { parts.append("\(rest)m") }
        return sign + parts.joined(separator: " ")
    }
}
