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
            Single queue (an M/M/c queue, compared with Erlang C):
              hotline simulate --queue gsc --agents 10 --arrivals-per-hour 100 --mean-handle-time 300 --hours 8 --seed 1 --json
            Staffing plan over the reference agents and queues:
              hotline simulate --plan Fixtures/routing/plan.yaml --seed 7
            Generated calls through the whole line (IVR flow, case store, pager, router):
              hotline simulate --line --calls-per-hour 120 --hours 8 --seed 3 --at "2026-12-07T08:00 America/Los_Angeles"
            """
    )

    @Option(help: "A staffing-plan file (agents, queues, traffic).")
    var plan: String = "Fixtures/routing/plan.yaml"

    @Option(help: "Single-queue mode: the queue's name.")
    var queue: String?

    @Option(help: "Single-queue mode: number of agents.")
    var agents: Int?

    @Option(name: .customLong("arrivals-per-hour"), help: "Single-queue mode: Poisson arrival rate.")
    var arrivalsPerHour: Double?

    @Option(name: .customLong("mean-handle-time"), help: "Single-queue mode: mean talk time in seconds (exponential).")
    var meanHandleTime: Double?

    @Option(name: .customLong("service-level-seconds"), help: "Single-queue mode: the service-level threshold.")
    var serviceLevelSeconds: Double = 20

    @Option(help: "Hours of arrivals (default: 8, or the plan's).")
    var hours: Double?

    @Option(help: "Seed for the random numbers (default: 1, or the plan's).")
    var seed: UInt64?

    @Flag(help: "Run generated calls through the whole line: the reference flow, case store, pager and router.")
    var line = false

    @Option(name: .customLong("calls-per-hour"), help: "Line mode: Poisson arrival rate of callers (default 60).")
    var callsPerHour: Double = 60

    @Option(help: "Line mode: when the simulated day starts (ISO 8601 with an offset, or a local time and IANA zone). Default: now.")
    var at: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Also print, on stderr, how long the run took on the wall clock and the calls routed per second.")
    var timing = false

    func validate() throws {
        if let hours, !(hours > 0) { throw ValidationError("--hours must be above 0 (got \(hours))") }
        guard line else { return }
        guard callsPerHour > 0 else { throw ValidationError("--calls-per-hour must be above 0 (got \(callsPerHour))") }
        _ = try lineStart()
    }

    /// `--at` for line mode, or now from the system clock.
    func lineStart() throws -> Date {
        do {
            return try at.map { try InstantParser.parse($0) } ?? SystemClock().now()
        } catch {
            throw ValidationError("--at: \(error)")
        }
    }

    func run() throws {
        if line {
            try runLine()
            return
        }
        if let queue {
            guard let agents, let arrivalsPerHour, let meanHandleTime else {
                throw ValidationError("--queue needs --agents, --arrivals-per-hour and --mean-handle-time")
            }
            let simulation = SingleQueueSimulation(
                queue: queue, agents: agents, arrivalsPerHour: arrivalsPerHour, meanHandleTime: meanHandleTime,
                hours: hours ?? 8, seed: seed ?? 1, serviceLevelSeconds: serviceLevelSeconds)
            let report: SingleQueueReport
            let clock = ContinuousClock()
            let began = clock.now
            do { report = try simulation.run() } catch { throw ValidationError(error.message + (error.fix.map { " (fix: \($0))" } ?? "")) }
            if timing { RouterFormat.printTiming(calls: report.queue.offered, events: report.events, elapsed: clock.now - began) }
            if json {
                print(try RouterFormat.encodeJSON(report))
            } else {
                printSingle(report)
            }
            return
        }
        if agents != nil || arrivalsPerHour != nil || meanHandleTime != nil {
            throw ValidationError("--agents, --arrivals-per-hour and --mean-handle-time need --queue NAME")
        }
        var loaded: StaffingPlan
        do { loaded = try StaffingPlan.load(path: plan) } catch { RouterFormat.fail(error.description) }
        if let hours {
            guard hours > 0 else { throw ValidationError("--hours must be more than 0") }
            loaded.settings.hours = hours
        }
        if let seed { loaded.settings.seed = seed }
        var simulation = CallCentreSimulation(config: loaded.config, settings: loaded.settings)
        let clock = ContinuousClock()
        let began = clock.now
        simulation.run()
        let report = simulation.report()
        if timing { RouterFormat.printTiming(calls: report.total.offered, events: report.events, elapsed: clock.now - began) }
        if json {
            print(try RouterFormat.encodeJSON(report))
        } else {
            printPlan(report, plan: loaded.path)
        }
    }

    func runLine() throws {
        var simulation = LineSimulation(start: try lineStart())
        simulation.hours = hours ?? 8
        simulation.seed = seed ?? 1
        simulation.callsPerHour = callsPerHour
        let report = try simulation.run()
        if json {
            print(try RouterFormat.encodeJSON(report))
            return
        }
        print("line: \(report.calls) calls over \(RouterFormat.fmt(simulation.hours)) h, seed \(simulation.seed)")
        print("  ended: " + report.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("  escalations \(report.escalations) (\(report.escalationsOpened) opened, the others joined one already open), cases opened \(report.casesOpened), pages \(report.pages) (\(report.pagesUnacknowledged) unacknowledged), cases past their response target at the end \(report.slaBreachedAtEnd)")
        printPlan(report.router, plan: "the reference staff")
    }

    func printSingle(_ report: SingleQueueReport) {
        let queue = report.queue
        let theory = report.theory
        print("queue \(queue.name): \(queue.agents) agents, \(RouterFormat.fmt(report.arrivalsPerHour)) calls/h, mean handle \(RouterFormat.fmt(report.meanHandleTime)) s, \(RouterFormat.fmt(report.hours)) h, seed \(report.seed)")
        print(RouterFormat.row("", "simulated", "Erlang C"))
        print(RouterFormat.row("offered", "\(queue.offered)", ""))
        print(RouterFormat.row("answered", "\(queue.answered)", ""))
        print(RouterFormat.row("waited (share)", RouterFormat.pct(queue.waitedShare), RouterFormat.pct(theory.probabilityOfWaiting)))
        print(RouterFormat.row("ASA (s)", RouterFormat.fmt(queue.asaSeconds), theory.isStable ? RouterFormat.fmt(theory.averageSpeedOfAnswer) : "unbounded"))
        print(RouterFormat.row("service level (\(RouterFormat.fmt(queue.serviceLevelSeconds)) s)", RouterFormat.pct(queue.serviceLevel), RouterFormat.pct(theory.serviceLevel(within: queue.serviceLevelSeconds))))
        print(RouterFormat.row("occupancy", RouterFormat.pct(queue.occupancy), RouterFormat.pct(min(theory.occupancy, 1))))
        if !theory.isStable {
            print("warning: offered load \(RouterFormat.fmt(theory.offeredLoad)) Erlangs is not below \(queue.agents) agents; the queue grows without bound")
        }
    }

    func printPlan(_ report: SimulationReport, plan: String) {
        print("plan \(plan): seed \(report.seed), \(RouterFormat.fmt(report.hours)) h, \(report.events) events")
        let header = ["queue", "agents", "offered", "answered", "abandoned", "overflow", "ASA s", "SL", "occupancy", "SLA breaches", "pages"]
        var rows = [header]
        for queue in report.queues + [report.total] {
            rows.append([
                queue.name, "\(queue.agents)", "\(queue.offered)", "\(queue.answered)", "\(queue.abandoned)", "\(queue.overflowed)",
                RouterFormat.fmt(queue.asaSeconds), RouterFormat.pct(queue.serviceLevel) + "/\(RouterFormat.fmt(queue.serviceLevelSeconds))s", RouterFormat.pct(queue.occupancy),
                "\(queue.slaBreaches)", "\(queue.pages)",
            ])
        }
        RouterFormat.printTable(rows)
    }
}

/// Output helpers of the router commands (`simulate`, `queues`).
enum RouterFormat {
    /// Prints a file or input error (already `file:line:column: error: …`) to stderr and exits 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(1)
    }

    static func encodeJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The wall-clock figure for benchmarks: the only place the simulator meets real time.
    static func printTiming(calls: Int, events: Int, elapsed: Duration) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(calls) / seconds : 0
        let line = String(format: "timing: %d calls, %d events in %.3f s: %.0f routed calls/s\n", calls, events, seconds, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func fmt(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e12 { return String(Int(value)) }
        return String(format: "%.1f", value)
    }

    static func pct(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func row(_ label: String, _ simulated: String, _ theory: String) -> String {
        label.padding(toLength: 24, withPad: " ", startingAt: 0) + simulated.padding(toLength: 12, withPad: " ", startingAt: 0) + theory
    }

    static func printTable(_ rows: [[String]]) {
        guard let first = rows.first else { return }
        var widths = first.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        for row in rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
    }
}
