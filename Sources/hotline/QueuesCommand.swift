import ArgumentParser
import Foundation
import HotlineApp
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
    var plan: String = SimulateCommand.defaultPlan

    @Option(help: "Seconds after the plan's start.")
    var after: Double = 3600

    @Option(help: ArgumentHelp("An instant instead of --after: \(InstantArgument.forms)", valueName: "time"))
    var at: InstantArgument?

    @Option(help: "Seed (default: the plan's).")
    var seed: UInt64?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard after >= 0, after.isFinite else { throw ValidationError("--after must be 0 or more seconds (got \(after))") }
        try at.validate()
    }

    func run() throws {
        var loaded = try StaffingPlan.load(path: plan)
        if let seed { loaded.settings.seed = seed }
        let instant = try at?.instant() ?? loaded.settings.start.addingTimeInterval(after)
        guard instant >= loaded.settings.start else {
            throw ValidationError("the instant is before the plan's start; use --after 0 or later")
        }
        try loaded.settings.checkLimits(agents: loaded.config.agents.count, plan: loaded.path)
        var simulation = CallCentreSimulation(config: loaded.config, settings: loaded.settings)
        simulation.run(until: instant)
        let snapshot = simulation.snapshot()
        if json {
            print(try RouterViews.json(snapshot))
        } else {
            for line in RouterViews.snapshot(snapshot, secondsIn: instant.timeIntervalSince(loaded.settings.start), plan: loaded.path) { print(line) }
        }
    }
}
