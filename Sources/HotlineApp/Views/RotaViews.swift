import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineRota

/// What `hotline rota …` prints.
public enum RotaViews {
    /// `rota who`: who is on call on every line at an instant.
    public static func who(_ rota: Rota, at instant: Date) -> [String] {
        let details = rota.detail(at: instant)
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        var lines = ["\(rota.name) at \(InstantParser.utcString(seconds))"]
        let width = details.map(\.line.count).max() ?? 0
        for detail in details {
            let label = detail.line.padding(toLength: width, withPad: " ", startingAt: 0)
            let until = stamp(detail.until).map { "until \($0)" } ?? "for more than 35 days"
            if let person = detail.person {
                lines.append("  \(label)  \(person)  [\(detail.source ?? "")]  \(until)")
            } else {
                lines.append("  \(label)  — nobody on call — \(until)")
            }
        }
        return lines
    }

    /// `rota who --json`: `{"at", "rota", LINE: {"name", "layer", "since", "until"} or null}`.
    public static func whoJSON(_ rota: Rota, at instant: Date) throws -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        var object: [String: Any] = ["at": InstantParser.utcString(seconds), "rota": rota.name]
        for detail in rota.detail(at: instant) {
            guard let person = detail.person else {
                object[detail.line] = NSNull()
                continue
            }
            var entry: [String: Any] = ["name": person]
            entry["layer"] = detail.source
            entry["since"] = stamp(detail.since)
            entry["until"] = stamp(detail.until)
            object[detail.line] = entry
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }

    static func stamp(_ date: Date?) -> String? { date.map { InstantParser.utcString(Int($0.timeIntervalSince1970)) } }

    /// `rota check`: the rota's notes and problems first (always), then — unless `quiet` —
    /// coverage, overlaps and hours.
    public static func check(_ report: CoverageReport, rota: Rota, days: Int, quiet: Bool) -> [String] {
        var lines = rota.notes.map { "\($0)" } + report.errors.map(\.description)
        guard !quiet else { return lines }
        lines.append("\(rota.name): \(days) days from \(InstantParser.utcString(report.from)) to \(InstantParser.utcString(report.to))")
        lines.append(report.gaps.isEmpty ? "coverage: 24x7 on every line, no gaps" : "coverage: \(report.gaps.count) gap(s)")
        for overlap in report.overlaps {
            lines.append(
                "overlap: \(overlap.line): \(overlap.layers.joined(separator: " + ")) both on call \(overlap.count) time(s), \(CoverageReport.duration(overlap.seconds)) in all; \(overlap.winner) wins by precedence"
            )
        }
        lines.append("hours on call:")
        let width = report.load.map(\.person.count).max() ?? 0
        for load in report.load {
            let hours = String(format: "%8.1f", Double(load.seconds) / 3600)
            lines.append(
                "  \(load.line.padding(toLength: 9, withPad: " ", startingAt: 0)) \(load.person.padding(toLength: width, withPad: " ", startingAt: 0))  \(hours) h  \(load.shifts) shift(s)"
            )
        }
        return lines
    }
}
