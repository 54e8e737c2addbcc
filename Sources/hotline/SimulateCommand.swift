import ArgumentParser
import Foundation
import HotlineApp
import HotlineCore
import HotlineDiagnostics
import HotlineRouter

/// `hotline simulate`: the call-centre simulator, for one queue from flags or a whole staffing plan.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a call centre in virtual time and report per queue.",
        discussion: """
            Single queue (an M/M/c queue — no abandonment, wrap-up or ringing — compared with Erlang C); \
            the queue must be one of the plan's queues, whose mean-handle-time and service-level-seconds \
            are the defaults:
              hotline simulate --queue gsc --agents 10 --arrivals-per-hour 100 --mean-handle-time 300 --hours 8 --seed 1 --json
            Staffing plan over the reference agents and queues:
              hotline simulate --plan Fixtures/routing/plan.yaml --seed 7
            Generated calls through the whole line (IVR flow, case store, pager, router, with the reference \
            agents and queues):
              hotline simulate --line --calls-per-hour 120 --hours 8 --seed 3 --at "2026-12-07T08:00 America/Los_Angeles"
            One run simulates at most \(SimulationLimits.agents) agents and 100 million expected calls.
            """
    )

    @Option(help: "A staffing-plan file (agents, queues, traffic); in single-queue mode, where the queue is looked up.")
    var plan: String?

    @Option(help: "Single-queue mode: the queue's name (one of the plan's queues).")
    var queue: String?

    @Option(help: "Single-queue mode: number of agents.")
    var agents: Int?

    @Option(name: .customLong("arrivals-per-hour"), help: "Single-queue mode: Poisson arrival rate.")
    var arrivalsPerHour: Double?

    @Option(name: .customLong("mean-handle-time"), help: "Single-queue mode: mean talk time in seconds (exponential). Default: the queue's.")
    var meanHandleTime: Double?

    @Option(name: .customLong("service-level-seconds"), help: "Single-queue mode: the service-level threshold. Default: the queue's (20 s unless it says).")
    var serviceLevelSeconds: Double?

    @Option(help: "Hours of arrivals (default: 8, or the plan's).")
    var hours: Double?

    @Option(help: "Seed for the random numbers (default: 1, or the plan's).")
    var seed: UInt64?

    @Flag(help: "Run generated calls through the whole line: the reference flow, case store, pager and router.")
    var line = false

    @Option(name: .customLong("calls-per-hour"), help: "Line mode: Poisson arrival rate of callers (default 60).")
    var callsPerHour: Double = 60

    @Option(help: ArgumentHelp("Line mode: when the simulated day starts: \(InstantArgument.forms) Default: now.", valueName: "time"))
    var at: InstantArgument?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Also print, on stderr, how long the run took on the wall clock and the calls routed per second.")
    var timing = false

    static let defaultPlan = "Fixtures/routing/plan.yaml"

    func validate() throws {
        if let hours, !(hours > 0) { throw ValidationError("--hours must be above 0 (got \(hours))") }
        let singleQueueFlags = [
            queue.map { _ in "--queue" }, agents.map { _ in "--agents" }, arrivalsPerHour.map { _ in "--arrivals-per-hour" },
            meanHandleTime.map { _ in "--mean-handle-time" }, serviceLevelSeconds.map { _ in "--service-level-seconds" },
        ].compactMap { $0 }
        guard line else {
            if at != nil { throw ValidationError("--at is for --line (the plan says when it starts, with `start:`)") }
            if queue == nil, !singleQueueFlags.isEmpty {
                throw ValidationError("\(singleQueueFlags.joined(separator: ", ")) need --queue NAME (single-queue mode)")
            }
            return
        }
        if !singleQueueFlags.isEmpty || plan != nil {
            let flags = singleQueueFlags + (plan == nil ? [] : ["--plan"])
            throw ValidationError(
                "--line runs the reference line's own agents and queues; \(flags.joined(separator: ", ")) cannot be used with it (drop them, or drop --line)")
        }
        guard callsPerHour > 0, callsPerHour.isFinite else { throw ValidationError("--calls-per-hour must be above 0 (got \(callsPerHour))") }
        guard callsPerHour * (hours ?? 8) <= SimulationLimits.calls else {
            throw ValidationError("--calls-per-hour × --hours is more than the 100 million calls one run allows; lower one of them")
        }
        try at.validate()
    }

    func run() throws {
        if line {
            try runLine()
        } else if let queue {
            try runSingle(queue: queue)
        } else {
            try runPlan()
        }
    }

    func runSingle(queue name: String) throws {
        guard let agents, let arrivalsPerHour else {
            throw ValidationError("--queue needs --agents and --arrivals-per-hour (and optionally --mean-handle-time)")
        }
        let planPath = plan ?? Self.defaultPlan
        let queue = try SingleQueueSimulation.queue(named: name, in: try StaffingPlan.load(path: planPath).config, plan: planPath)
        let simulation = SingleQueueSimulation(
            queue: name, agents: agents, arrivalsPerHour: arrivalsPerHour, meanHandleTime: meanHandleTime ?? queue.meanHandleTime,
            hours: hours ?? 8, seed: seed ?? 1, serviceLevelSeconds: serviceLevelSeconds ?? queue.serviceLevelSeconds)
        let clock = ContinuousClock()
        let began = clock.now
        let progress = ProgressReporter.standardError(label: "simulated hours", total: simulation.wholeHours, enabled: !json)
        let report = try simulation.run(hourDone: { progress.update(done: $0) })
        progress.finish()
        if timing { Exit.standardError(RouterViews.timing(calls: report.queue.offered, events: report.events, elapsed: clock.now - began)) }
        if json {
            print(try RouterViews.json(report))
        } else {
            for line in RouterViews.single(report) { print(line) }
        }
    }

    func runPlan() throws {
        var loaded = try StaffingPlan.load(path: plan ?? Self.defaultPlan)
        if let hours { loaded.settings.hours = hours }
        if let seed { loaded.settings.seed = seed }
        try loaded.settings.checkLimits(agents: loaded.config.agents.count, plan: loaded.path)
        var simulation = CallCentreSimulation(config: loaded.config, settings: loaded.settings)
        let clock = ContinuousClock()
        let began = clock.now
        let progress = ProgressReporter.standardError(label: "simulated hours", total: loaded.settings.wholeHours, enabled: !json)
        simulation.run(hourDone: { progress.update(done: $0) })
        progress.finish()
        let report = simulation.report()
        if timing { Exit.standardError(RouterViews.timing(calls: report.total.offered, events: report.events, elapsed: clock.now - began)) }
        if json {
            print(try RouterViews.json(report))
        } else {
            for line in RouterViews.plan(report, plan: loaded.path) { print(line) }
        }
    }

    func runLine() throws {
        var simulation = LineSimulation(start: try at.instantOrNow())
        simulation.hours = hours ?? 8
        simulation.seed = seed ?? 1
        simulation.callsPerHour = callsPerHour
        let progress = ProgressReporter.standardError(label: "calls", total: 0, enabled: !json)
        let report = try simulation.run(callDone: { done, total in progress.update(done: done, total: total) })
        progress.finish()
        if json {
            print(try RouterViews.json(report))
        } else {
            for line in RouterViews.line(report, hours: simulation.hours, seed: simulation.seed) { print(line) }
        }
    }
}
