import ArgumentParser
import Foundation
import HotlineDiagnostics
import HotlineRouter

/// `hotline queues`: queue and agent state at an instant of a simulated staffing plan.
struct QueuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Show queue and agent state at an instant of a simulation.",
        discussion: """
            Runs the staffing plan in virtual time up to the instant asked for and shows who waits in which
            queue and what every agent is doing.
              hotline queues --after 5400
              hotline queues --at "2026-12-07T10:30 America/Los_Angeles" --json
            """
    )

    @Option(help: "A staffing-plan file (agents, queues, traffic).")
    var plan: String = "Fixtures/routing/plan.yaml"

    @Option(help: "Seconds after the plan's start.")
    var after: Double = 3600

    @Option(help: "An instant instead of --after (ISO 8601 with offset, or with an IANA zone).")
    var at: String?

    @Option(help: "Seed (default: the plan's).")
    var seed: UInt64?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        var loaded: StaffingPlan
        do { loaded = try StaffingPlan.load(path: plan) } catch { RouterFormat.fail(error.description) }
        if let seed { loaded.settings.seed = seed }
        var instant = loaded.settings.start.addingTimeInterval(after)
        if let at {
            guard let parsed = VirtualTime.parse(at) else {
                throw ValidationError("cannot read --at '\(at)': write 2026-12-07T10:30:00-08:00 or 2026-12-07T10:30 America/Los_Angeles")
            }
            instant = parsed
        }
        guard instant >= loaded.settings.start else {
            throw ValidationError("the instant is before the plan's start; use --after 0 or later")
        }
        var simulation = CallCentreSimulation(config: loaded.config, settings: loaded.settings)
        simulation.run(until: instant)
        let snapshot = simulation.snapshot()
        if json {
            print(try RouterFormat.encodeJSON(snapshot))
            return
        }
        print("at \(ISO8601DateFormatter().string(from: snapshot.at)) (\(RouterFormat.fmt(instant.timeIntervalSince(loaded.settings.start))) s into \(loaded.path))")
        var rows = [["queue", "team", "strategy", "waiting", "longest wait s", "free agents", "members", "offered", "answered"]]
        for queue in snapshot.queues {
            rows.append([
                queue.name, queue.team, queue.strategy, "\(queue.waiting.count)", RouterFormat.fmt(queue.longestWaitSeconds), "\(queue.available)",
                "\(queue.members.count)", "\(queue.offered)", "\(queue.answered)",
            ])
        }
        RouterFormat.printTable(rows)
        print("")
        var agents = [["agent", "team", "level", "state", "calls", "talk s", "idle s", "misses"]]
        for agent in snapshot.agents {
            agents.append([
                agent.id, agent.team, agent.level, agent.state, "\(agent.callsAnswered)", RouterFormat.fmt(agent.talkSeconds),
                agent.idleSeconds.map(RouterFormat.fmt) ?? "-", "\(agent.misses)",
            ])
        }
        RouterFormat.printTable(agents)
    }
}
