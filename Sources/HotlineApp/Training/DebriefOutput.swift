import Foundation
import HotlineTraining

/// A debrief as text (the terminal), one JSON object, or JUnit XML (a training programme tracks it
/// like a test suite: one test case per check).
public enum DebriefOutput {
    public static func text(_ debrief: Debrief, persona: Persona) -> String {
        var lines = ["Training call: \(persona.title) (\(persona.id)) — trainee \(debrief.trainee)", "", "Transcript:"]
        lines += debrief.transcript.map { "  " + $0.line }
        lines += ["", "Checks:"]
        for check in debrief.checks {
            let mark = !check.applies ? "n/a " : check.passed ? "PASS" : "MISS"
            let moment = check.moment.map { " at " + stamp($0) } ?? ""
            lines.append("  [\(mark)] \(check.id) (\(check.weight)) — \(check.title)\(moment): \(check.detail)")
            if check.applies && !check.passed { lines.append("         rule: \(check.rule)") }
        }
        lines += ["", "Score: \(debrief.score)/100"]
        return lines.joined(separator: "\n")
    }

    public static func stamp(_ offset: Double) -> String {
        let seconds = Int(offset.rounded(.down))
        return String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }

    /// One JSON object: `score`, `persona`, `trainee`, `checks` (each `id`, `passed`, `applies`,
    /// `weight`, `moment`, `detail`, `rule`), `transcript`.
    public static func json(_ debrief: Debrief) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(debrief), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    /// An exam as one JSON document: the exam's `seed`, its `score` (the mean of the calls' scores,
    /// rounded down), `personas` in drawn order and `calls`, one debrief object per persona call
    /// (each with `score`, `checks`, …, as ``json(_:)``).
    public static func examJSON(seed: UInt64, _ debriefs: [Debrief]) -> String {
        struct Exam: Encodable {
            var seed: UInt64
            var score: Int
            var personas: [String]
            var calls: [Debrief]
        }
        let total = debriefs.isEmpty ? 0 : debriefs.reduce(0) { $0 + $1.score } / debriefs.count
        let exam = Exam(seed: seed, score: total, personas: debriefs.map(\.persona), calls: debriefs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(exam), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    public static func junit(_ debriefs: [Debrief]) -> String {
        var xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<testsuites name=\"hotline training\">"]
        for debrief in debriefs {
            let failures = debrief.checks.filter { $0.applies && !$0.passed }.count
            xml.append("  <testsuite name=\"\(escape(debrief.persona))\" tests=\"\(debrief.checks.count)\" failures=\"\(failures)\">")
            xml.append("    <properties><property name=\"trainee\" value=\"\(escape(debrief.trainee))\"/><property name=\"score\" value=\"\(debrief.score)\"/></properties>")
            for check in debrief.checks {
                let name = "<testcase classname=\"\(escape(debrief.persona))\" name=\"\(escape(check.id))\""
                if !check.applies {
                    xml.append("    \(name)><skipped message=\"\(escape(check.detail))\"/></testcase>")
                } else if check.passed {
                    xml.append("    \(name)/>")
                } else {
                    let at = check.moment.map { " at " + stamp($0) } ?? ""
                    xml.append("    \(name)><failure message=\"\(escape(check.detail + at))\">\(escape(check.rule))</failure></testcase>")
                }
            }
            xml.append("  </testsuite>")
        }
        xml.append("</testsuites>")
        return xml.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
