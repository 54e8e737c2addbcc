import Foundation
import HotlineApp
import HotlineCore
import HotlineSIP
import HotlineStore
import Synchronization

/// `hotline serve`, as a library: the web pages and API and/or the SIP listener on one shared
/// line (one database, one pager, one router), the line's clock beating while they run (pages
/// climb on time), and a clean stop on SIGINT/SIGTERM, on `stopAfter` or on ``stop()``: SIP calls
/// end with BYE and their records are saved, HTTP stops. The `serve` command only parses its
/// arguments into ``Options``.
public final class LineServer: Sendable {
    public struct Options: Sendable {
        /// The SQLite database; created, and seeded with the sample data, when missing or empty.
        public var database: String
        /// The escalation policy the web pages page with.
        public var policy: String
        /// The flow SIP calls run on.
        public var flow: String
        /// Serve the web on this `HOST:PORT` (port 0 picks a free one); `nil`: no web.
        public var web: String?
        /// Answer SIP calls on this endpoint; `nil`: no SIP.
        public var sip: SIPEndpointConfiguration?
        /// SIP: answer INVITEs for any number, not only the flow's.
        public var anyNumber = false
        public var pace = Pace.realTime
        /// Create the sample sign-ins (printed).
        public var demo = false
        /// Stop by itself after this long.
        public var stopAfter: Duration?
        /// Stop cleanly on SIGINT and SIGTERM (`false` inside a test process).
        public var handlesSignals = true
        /// How often the line's clock beats.
        public var tickInterval: Duration = .seconds(2)
        /// The router's agents and queues.
        public var routing: LineWiring.RoutingSource = .reference
        /// SIP: how long a page's call to a rota contact rings before the line gives up (the page
        /// then climbs on its timer).
        public var pageRing: Duration = .seconds(30)
        /// The SIP line's destinations file (`--destinations`): destination names → SIP URIs.
        public var destinations: String?
        /// Simulated callers on the web's line while it serves (`nil`: none); needs the web.
        public var simulation: SimulatedTraffic.Options?
        /// The clock simulated calls run on (`nil`: the line's clock, paced by `pace`); tests pass
        /// a manual one.
        public var simulationClock: (any CallClock)?
        /// The web training desk's persona folder (`--personas`); `nil`: the repository's.
        public var personas: String?
        /// The web training desk's rubric (`--rubric`); `nil`: the repository's.
        public var rubric: String?

        /// The training desk's files, the repository's where none were given.
        public var training: TrainingDesks.Files {
            TrainingDesks.Files(personas: personas ?? TrainingDefaults.personas, rubric: rubric ?? TrainingDefaults.rubric)
        }

        public init(database: String, policy: String = Defaults.policy, flow: String = Defaults.flow, web: String?, sip: SIPEndpointConfiguration?) {
            self.database = database
            self.policy = policy
            self.flow = flow
            self.web = web
            self.sip = sip
        }
    }

    /// Why the line could not be served.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The web side could not open the line or listen (the message says what to fix).
        case web(String)
        /// The SIP side could not open the flow or the port.
        case sip(String)

        public var description: String {
            switch self {
            case .web(let message), .sip(let message): message
            }
        }
    }

    public let options: Options
    private let traffic = Mutex<SimulatedTraffic?>(nil)
    /// The simulated callers while the server runs (``Options/simulation``).
    public var simulatedTraffic: SimulatedTraffic? { traffic.withLock { $0 } }
    let clock: @Sendable () -> Date
    let write: @Sendable (String) -> Void
    private let stops: AsyncStream<Void>
    private let stopRequest: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - clock: the outermost layer's wall clock.
    ///   - write: where every line the server says goes (standard output for `serve`).
    public init(options: Options, clock: @escaping @Sendable () -> Date, write: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.clock = clock
        self.write = write
        (stops, stopRequest) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Stops a running ``run(onWebListening:)`` as `stopAfter` does: SIP calls end with BYE, the
    /// web stops. Before `run`, it makes `run` stop as soon as it has started.
    public func stop() {
        stopRequest.yield()
    }

    /// What ended the serving.
    private enum Ended: Sendable {
        case sip
        case web(failure: String?)
        case stopRequested
        case clockStopped
    }

    /// Opens the line, serves until stopped, and says `Hotline stopped.`. `onWebListening` gets
    /// the web's bound port (useful with port 0).
    public func run(onWebListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws(Failure) {
        let write = self.write
        // The web first: its database is opened (and seeded) before SIP calls can come.
        var webServer: WebServer?
        // Pages ring the rota's SIP contacts through the SIP line, whichever listener sent them.
        let sipPages = SIPPageDelivery()
        let delivery: any PageDelivery =
            options.sip == nil ? ConsoleDelivery(write: write) : FanOutDelivery([ConsoleDelivery(write: write), sipPages])
        // The SIP line's files are read before the web opens (and maybe creates) the database:
        // a flow or policy that does not load leaves no database behind.
        var sipFiles: (options: SIPLineOptions, files: SIPLineFiles)?
        if let endpoint = options.sip {
            var lineOptions = SIPLineOptions(
                flow: options.flow, database: options.database, endpoint: endpoint, anyNumber: options.anyNumber, pace: options.pace,
                start: clock(), now: clock)
            lineOptions.policy = options.policy
            lineOptions.pageRing = options.pageRing
            lineOptions.routing = options.routing
            lineOptions.destinations = options.destinations
            do {
                sipFiles = (lineOptions, try SIPLineFiles.load(lineOptions))
            } catch {
                throw .sip("\(error)")
            }
        }
        var simulationFiles: SimulatedTraffic.Files?
        if let simulation = options.simulation {
            do {
                simulationFiles = try SimulatedTraffic.Files.load(simulation)
            } catch {
                throw .web("\(error)")
            }
        }
        // Personas and a rubric given for the training desk are read before anything is served
        // (or the database made): a desk that cannot take a call is refused at start-up.
        if options.web != nil, options.personas != nil || options.rubric != nil {
            do {
                try options.training.check()
            } catch {
                throw .web("\(error)")
            }
        }
        if let address = options.web {
            do {
                let parsed = try WebServer.parseAddress(address)
                let line = try WebServer.openLine(
                    databasePath: options.database, policyPath: options.policy, routing: options.routing, seeding: .whenEmpty(at: clock()),
                    delivery: delivery, clock: clock)
                if let summary = line.seeded {
                    write("database: \(options.database) seeded with the sample data (\(summary.accounts) accounts, \(summary.contacts) contacts, \(summary.cases) cases)")
                }
                if options.demo { try WebDemo.prepare(line: line).forEach(write) }
                webServer = WebServer(
                    host: parsed.host, port: parsed.port, line: line, tickInterval: options.tickInterval, stopAfter: options.stopAfter,
                    handlesSignals: options.handlesSignals, training: options.training)
                if let simulation = options.simulation {
                    let made = try SimulatedTraffic(
                        options: simulation, files: simulationFiles, systems: line.systems, board: line.board,
                        clock: options.simulationClock ?? PacedCallClock(startingAt: clock(), pace: options.pace), write: write)
                    traffic.withLock { $0 = made }
                    write(
                        "Simulated callers: \(SimulatedTraffic.Options.text(simulation.callsPerHour)) calls an hour (seed \(simulation.seed), at most \(simulation.maxCalls) at once), "
                            + "shown on /console as `simulated`")
                }
            } catch {
                throw .web("\(error)")
            }
        } else if options.simulation != nil {
            throw .web("simulated calls are shown on the web's console (fix: serve the web too, with --http HOST:PORT)")
        }
        var sipServer: SIPLine?
        if let (lineOptions, files) = sipFiles {
            let endpoint = lineOptions.endpoint
            do {
                let line = try SIPLine(
                    options: lineOptions, files: files,
                    sharing: webServer?.line.systems,  // web and SIP together: one line
                    pages: sipPages, write: write)
                try line.start()
                for notice in line.notices { write(notice) }
                write("Hotline answers \(line.answering) on sip:\(endpoint.host):\(endpoint.port) (UDP, TCP; Ctrl-C stops it)")
                sipServer = line
            } catch {
                throw .sip("\(error)")
            }
        }
        let sipLine = sipServer
        let web = webServer
        // A signal ends the SIP calls; the web server drains and stops on the same signal by itself.
        let signals = options.handlesSignals ? sipLine.map { line in CallSignals(onSignal: { _ in line.stop() }) } : nil
        defer { signals?.cancel() }
        let stops = self.stops
        let stopAfter = options.stopAfter
        let interval = options.tickInterval
        let clock = self.clock
        // The web runs in a task of its own, so a stop can cancel it without cancelling the SIP
        // side, which ends its calls with BYE and saves their records before it returns.
        let webTask = web.map { web in
            let host = web.host.contains(":") ? "[\(web.host)]" : web.host
            return Task {
                try await web.run(onListening: { port in
                    write("Hotline is serving http://\(host):\(port)/ (Ctrl-C stops it)")
                    await onWebListening(port)
                })
            }
        }
        simulatedTraffic?.start()
        let webFailure = await withTaskGroup(of: Ended.self) { group -> String? in
            var serving = 0
            if let sipLine {
                serving += 1
                group.addTask { await sipLine.serve(); return .sip }
            }
            if let webTask {
                serving += 1
                group.addTask {
                    do {
                        try await webTask.value
                        return .web(failure: nil)
                    } catch {
                        return .web(failure: "\(error)")
                    }
                }
            } else if let sipLine {
                // Without the web (whose server beats it), the line's clock beats here.
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            _ = try sipLine.systems.paging.tick(at: clock())
                            _ = try sipLine.systems.paging.deliverPending()
                        } catch {
                            write("hotline serve: the line's clock could not tick: \(error)")
                        }
                        try? await Task.sleep(for: interval)
                    }
                    return .clockStopped
                }
            }
            group.addTask {
                for await _ in stops { return .stopRequested }
                return .clockStopped
            }
            if let stopAfter {
                group.addTask {
                    do {
                        try await Task.sleep(for: stopAfter)
                        return .stopRequested
                    } catch {
                        return .clockStopped
                    }
                }
            }
            if serving == 0 { group.cancelAll() }
            var failure: String?
            for await ended in group {
                switch ended {
                case .web(let message):
                    // The web stopping (signal, stopAfter, failure) stops the SIP side too.
                    failure = message
                    serving -= 1
                    sipLine?.stop()
                case .sip:
                    serving -= 1
                case .stopRequested:
                    sipLine?.stop()
                    webTask?.cancel()
                case .clockStopped:
                    break
                }
                // Nothing serves any more: the clock, the timer and the stop watcher end too.
                if serving == 0 { group.cancelAll() }
            }
            return failure
        }
        // The simulated calls still going on are hung up; each ends with its record saved.
        if let simulated = simulatedTraffic {
            await simulated.stop()
            let counts = simulated.counts
            write(
                "Simulated calls: \(counts.placed) placed, \(counts.skipped) not placed (they arrived while the line had its \(simulated.options.maxCalls) simulated calls); "
                    + "\(counts.acknowledged) of their pages acknowledged by the simulated on-call manager")
        }
        if let webFailure { throw .web(webFailure) }
        write("Hotline stopped.")
    }
}
