import Foundation
import Yams

/// A parsed YAML file with helpers whose errors name the file, line and column at fault.
struct YAMLDocument {
    var file: String
    var node: Yams.Node

    static func load(path: String) throws(StoreError) -> YAMLDocument {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StoreError(.fixture, "\(path): cannot read the file: \(error.localizedDescription)", fix: "check the path, or run from the repository root")
        }
        let composed: Yams.Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch let yaml as YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw StoreError.fixture(file: path, line: mark.line, column: mark.column, "YAML syntax: \(problem)", fix: "check indentation and quoting near this line")
            default:
                throw StoreError.fixture(file: path, line: 1, column: 1, "YAML: \(yaml)")
            }
        } catch {
            throw StoreError.fixture(file: path, line: 1, column: 1, "YAML: \(error)")
        }
        guard let composed else {
            throw StoreError.fixture(file: path, line: 1, column: 1, "the file is empty")
        }
        return YAMLDocument(file: path, node: composed)
    }

    func error(_ node: Yams.Node, _ message: String, fix: String? = nil) -> StoreError {
        StoreError.fixture(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, message, fix: fix)
    }

    func mapping(_ node: Yams.Node, what: String) throws(StoreError) -> [(String, Yams.Node)] {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping (`key: value` lines)") }
        return mapping.map { ($0.key.string ?? "", $0.value) }
    }

    func sequence(_ node: Yams.Node, what: String) throws(StoreError) -> [Yams.Node] {
        guard let sequence = node.sequence else { throw error(node, "\(what) must be a list (`- …` lines)") }
        return Array(sequence)
    }

    func string(_ node: Yams.Node, what: String) throws(StoreError) -> String {
        guard let scalar = node.scalar else { throw error(node, "\(what) must be a single value") }
        return scalar.string
    }

    func int(_ node: Yams.Node, what: String) throws(StoreError) -> Int {
        guard let value = node.scalar.flatMap({ Int($0.string) }) else { throw error(node, "\(what) must be a whole number") }
        return value
    }

    /// A duration such as `15m`, `1h`, `8h`, `1h30m`, `2d`, or a bare number of minutes.
    func minutes(_ node: Yams.Node, what: String) throws(StoreError) -> Int {
        let text = try string(node, what: what)
        guard let minutes = MinutesText.minutes(text), minutes > 0 else {
            throw error(node, "\(what) '\(text)' is not a duration", fix: "write durations like 15m, 1h, 8h or 1h30m")
        }
        return minutes
    }
}

/// Durations written for people: `15m`, `1h`, `1h30m`, `2d`, `45` (minutes).
public enum MinutesText {
    static func minutes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let plain = Int(trimmed) { return plain }
        var total = 0
        var number = ""
        var sawUnit = false
        for character in trimmed {
            if character.isNumber {
                number.append(character)
            } else {
                guard let value = Int(number) else { return nil }
                switch character {
                case "d": total += value * 24 * 60
                case "h": total += value * 60
                case "m": total += value
                default: return nil
                }
                number = ""
                sawUnit = true
            }
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }

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
