import Foundation
import HotlineRouter

/// What `hotline simulate` and `hotline queues` print.
public enum RouterViews {
    /// The reports as JSON (snake_case keys like every `--json`); infinities are written as strings.
    public static func json(_ value: some Encodable) throws -> String {
        try JSONOutput.text(value, escapeSlashes: true)
    }

    /// `timing: N calls, N events in S s: R routed calls/s` — the one place the simulator meets
    /// real time (`--timing`, for the benchmarks).
    public static func timing(calls: Int, events: Int, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(calls) / seconds : 0
        return String(format: "timing: %d calls, %d events in %.3f s: %.0f routed calls/s", calls, events, seconds, rate)
    }

    /// A number as the reports show it: whole numbers without a fraction, others to one decimal.
    public static func fmt(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e12 { return String(Int(value)) }
        return String(format: "%.1f", value)
    }

    /// A share as a percentage, `93.4%`.
    public static func pct(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// Padded, never cut (`padding(toLength:)` cut a long ASA to its first 12 digits), with at
    /// least one space between the columns.
    static func row(_ label: String, _ simulated: String, _ theory: String) -> String {
        func column(_ text: String, _ width: Int) -> String {
            text.count < width ? text.padding(toLength: width, withPad: " ", startingAt: 0) : text + " "
        }
        return column(label, 24) + column(simulated, 12) + theory
    }

    /// `simulate --queue`: the measured queue beside Erlang C's prediction.
    public static func single(_ report: SingleQueueReport) -> [String] {
        let queue = report.queue
        let theory = report.theory
        var lines = [
            "queue \(queue.name): \(queue.agents) agents, \(fmt(report.arrivalsPerHour)) calls/h, mean handle \(fmt(report.meanHandleTime)) s, \(fmt(report.hours)) h, seed \(report.seed)",
            row("", "simulated", "Erlang C"),
            row("offered", "\(queue.offered)", ""),
            row("answered", "\(queue.answered)", ""),
            row("waited (share)", pct(queue.waitedShare), pct(theory.probabilityOfWaiting)),
            row("ASA (s)", fmt(queue.asaSeconds), theory.isStable ? fmt(theory.averageSpeedOfAnswer) : "unbounded"),
            row("service level (\(fmt(queue.serviceLevelSeconds)) s)", pct(queue.serviceLevel), pct(theory.serviceLevel(within: queue.serviceLevelSeconds))),
            row("occupancy", pct(queue.occupancy), pct(min(theory.occupancy, 1))),
        ]
        if !theory.isStable {
            lines.append("warning: offered load \(fmt(theory.offeredLoad)) Erlangs is not below \(queue.agents) agents; the queue grows without bound")
        }
        return lines
    }

    /// `simulate --plan`: one row per queue and a total.
    public static func plan(_ report: SimulationReport, plan: String) -> [String] {
        var rows = [["queue", "agents", "offered", "answered", "abandoned", "overflow", "ASA s", "SL", "occupancy", "SLA breaches", "pages"]]
        for queue in report.queues + [report.total] {
            rows.append([
                queue.name, "\(queue.agents)", "\(queue.offered)", "\(queue.answered)", "\(queue.abandoned)", "\(queue.overflowed)",
                fmt(queue.asaSeconds), pct(queue.serviceLevel) + "/\(fmt(queue.serviceLevelSeconds))s", pct(queue.occupancy),
                "\(queue.slaBreaches)", "\(queue.pages)",
            ])
        }
        return ["plan \(plan): seed \(report.seed), \(fmt(report.hours)) h, \(report.events) events"] + TextColumns.table(rows)
    }

    /// `simulate --line`: what happened on the line, then the router's table.
    public static func line(_ report: LineSimulation.Report, hours: Double, seed: UInt64) -> [String] {
        [
            "line: \(report.calls) calls over \(fmt(hours)) h, seed \(seed)",
            "  ended: " + report.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            "  escalations \(report.escalations) (\(report.escalationsOpened) opened, the others joined one already open), cases opened \(report.casesOpened), pages \(report.pages) (\(report.pagesUnacknowledged) unacknowledged), cases past their response target at the end \(report.slaBreachedAtEnd)",
        ] + plan(report.router, plan: "the reference staff")
    }

    /// `queues`: who waits in which queue and what every agent does, at an instant of a run.
    public static func snapshot(_ snapshot: QueueSnapshot, secondsIn: Double, plan: String) -> [String] {
        var rows = [["queue", "team", "strategy", "waiting", "longest wait s", "free agents", "members", "offered", "answered"]]
        for queue in snapshot.queues {
            rows.append([
                queue.name, queue.team, queue.strategy, "\(queue.waiting.count)", fmt(queue.longestWaitSeconds), "\(queue.available)",
                "\(queue.members.count)", "\(queue.offered)", "\(queue.answered)",
            ])
        }
        var agents = [["agent", "team", "level", "state", "calls", "talk s", "idle s", "misses"]]
        for agent in snapshot.agents {
            agents.append([
                agent.id, agent.team, agent.level, agent.state, "\(agent.callsAnswered)", fmt(agent.talkSeconds),
                agent.idleSeconds.map(fmt) ?? "-", "\(agent.misses)",
            ])
        }
        return ["at \(ISO8601DateFormatter().string(from: snapshot.at)) (\(fmt(secondsIn)) s into \(plan))"] + TextColumns.table(rows) + [""]
            + TextColumns.table(agents)
    }
}
