import ArgumentParser
import Foundation
import HotlineApp
import HotlineCore
import HotlineDiagnostics
import HotlineRouter
import HotlineStore

/// `hotline queues`: the calls a running line holds (`--db`: its live-call board), or queue and
/// agent state at an instant of a simulated staffing plan.
struct QueuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Show the calls a running line holds (--db), or queue and agent state at an instant of a simulation.",
        discussion: """
            With --db, the calls going on now on the line that runs on that database \
            (`hotline serve --sip`, the browser phone, `hotline call`), as Asterisk's `queue show`: each queue \
            with its callers in the order they wait (channel, caller, SIP Call-ID, node, time waited), then \
            every call. Read only: nothing is written.
              hotline queues --db line.sqlite
              hotline queues --db line.sqlite --json
            Without them, runs the staffing plan in virtual time up to the instant asked for and shows who \
            waits in which queue and what every agent is doing.
              hotline queues --after 5400
              hotline queues --at "2026-12-07T10:30 America/Los_Angeles" --json
            """
    )

    @Option(help: ArgumentHelp("A running line's database: show its calls now.", valueName: "path"))
    var db: String?

    @Option(help: "A staffing-plan file (agents, queues, traffic).")
    var plan: String?

    @Option(help: "Seconds after the plan's start (default 3600).")
    var after: Double?

    @Option(help: ArgumentHelp("An instant instead of --after: \(InstantArgument.forms)", valueName: "time"))
    var at: InstantArgument?

    @Option(help: "Seed (default: the plan's).")
    var seed: UInt64?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if let after { guard after >= 0, after.isFinite else { throw ValidationError("--after must be 0 or more seconds (got \(after))") } }
        try at.validate()
        if db != nil, plan != nil || after != nil || at != nil || seed != nil {
            throw ValidationError("--db shows the calls on a running line; --plan, --after, --at and --seed are for the simulated plan (fix: drop one or the other)")
        }
    }

    func run() throws {
        if let database = db {
            try live(database)
            return
        }
        var loaded = try StaffingPlan.load(path: plan ?? SimulateCommand.defaultPlan)
        if let seed { loaded.settings.seed = seed }
        let instant = try at?.instant() ?? loaded.settings.start.addingTimeInterval(after ?? 3600)
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

    /// The live view: the board's calls going on whose line still runs (read only).
    private func live(_ path: String) throws {
        let now = SystemClock().now()
        let rows: [LiveCallStore.Row]
        do {
            let database = try HotlineDatabase.openForReading(path: path)
            rows = try LiveCallStore.reading(database)?.inProgress() ?? []
        } catch {
            throw CommandError("\(error)")
        }
        let running = rows.filter { ProcessIdentity.liveness(host: $0.host, processID: $0.processID) != .gone }
        if json {
            print(try LiveCallViews.json(running, at: now))
        } else {
            for line in LiveCallViews.text(running, database: path, at: now, gone: rows.count - running.count) { print(line) }
        }
    }
}
