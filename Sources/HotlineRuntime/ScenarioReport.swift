import Foundation
import HotlineCore
import HotlineFlowFile

/// Reports of a scenario run: the console lines, JUnit XML and flow coverage.
public enum ScenarioReport {
    /// One line per scenario.
    public static func line(_ result: ScenarioResult) -> String {
        let status = result.passed ? "PASS" : "FAIL"
        return "\(status)  \(result.scenario.name)  (\(result.scenario.file), call \(CallLogEntry.format(result.callDuration)))"
    }

    /// What a failure prints: where it diverged, and the whole call as heard.
    public static func failureDetail(_ result: ScenarioResult) -> String {
        guard let failure = result.failure else { return "" }
        var text = "  \(failure)\n  transcript:\n"
        text += result.transcript.map { "    " + $0.line }.joined(separator: "\n")
        return text
    }

    /// The closing line, exactly `N passed, N failed`.
    public static func summary(_ results: [ScenarioResult]) -> String {
        let passed = results.filter(\.passed).count
        return "\(passed) passed, \(results.count - passed) failed"
    }

    /// JUnit XML, as CI servers read it.
    public static func junit(_ results: [ScenarioResult], name: String = "hotline scenarios") -> String {
        let failures = results.filter { !$0.passed }.count
        let time = results.reduce(0) { $0 + $1.wallSeconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(escape(name))\" tests=\"\(results.count)\" failures=\"\(failures)\" time=\"\(format(time))\">\n"
        xml += "  <testsuite name=\"\(escape(name))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(format(time))\">\n"
        for result in results {
            let classname = ((result.scenario.file as NSString).deletingLastPathComponent as NSString).lastPathComponent
            xml += "    <testcase name=\"\(escape(result.scenario.name))\" classname=\"\(escape(classname))\" file=\"\(escape(result.scenario.file))\" time=\"\(format(result.wallSeconds))\">\n"
            if let failure = result.failure {
                xml += "      <failure message=\"\(escape(failure.description))\" type=\"ScenarioFailure\">\(escape(failureDetail(result)))</failure>\n"
            }
            xml += "      <system-out>\(escape(result.transcript.map(\.line).joined(separator: "\n")))</system-out>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n", "\t", "\r": result.unicodeScalars.append(scalar)
            default:
                // XML 1.0 forbids most control characters.
                if scalar.value < 0x20 { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Which nodes and menu options of a flow the scenarios visited.
public struct FlowCoverage: Sendable {
    public var flowPath: String
    public var nodes: [String]
    public var unvisitedNodes: [String]
    /// Menu options (`node: key` or `node: say: intent`).
    public var options: [String]
    public var unvisitedOptions: [String]

    public init(flow: Flow, path: String, results: [ScenarioResult]) {
        var entered = Set<String>()
        var taken = Set<String>()
        for result in results where result.flowPath == path {
            for step in result.trail {
                switch step {
                case .entered(let node): entered.insert(node)
                case .took(let node, let edge): taken.insert("\(node): \(edge)")
                }
            }
        }
        flowPath = path
        nodes = flow.order
        unvisitedNodes = flow.order.filter { !entered.contains($0) }
        var options: [String] = []
        for node in flow.orderedNodes {
            guard case .menu(let menu) = node.kind else { continue }
            options += menu.options.map { "\(node.id): \($0.key)" }
            options += menu.intents.map { "\(node.id): say: \($0.name)" }
        }
        self.options = options
        unvisitedOptions = options.filter { !taken.contains($0) }
    }

    public var isComplete: Bool { unvisitedNodes.isEmpty && unvisitedOptions.isEmpty }

    public var report: String {
        var text = "coverage of \(flowPath): \(nodes.count - unvisitedNodes.count)/\(nodes.count) nodes, \(options.count - unvisitedOptions.count)/\(options.count) menu options"
        if !unvisitedNodes.isEmpty { text += "\n  nodes never visited: " + unvisitedNodes.joined(separator: ", ") }
        if !unvisitedOptions.isEmpty { text += "\n  options never taken: " + unvisitedOptions.joined(separator: ", ") }
        return text
    }
}
