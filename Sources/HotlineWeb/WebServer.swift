import Foundation
import HotlineApp
import HotlineRota
import HotlineStore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import UnixSignals

/// `hotline serve`: the web pages and API on one line's database, with the line's clock running
/// (pages climb on time without anyone typing `pages tick`). Stops on SIGINT and SIGTERM.
public struct WebServer: Sendable {
    public var host: String
    public var port: Int
    public var line: WebLine
    /// How often the line's clock beats.
    public var tickInterval: Duration
    /// Stop by itself after this long (tests and demos that must not outlive their caller).
    public var stopAfter: Duration?
    /// Stop gracefully on SIGINT and SIGTERM (`false` for servers inside a test process).
    public var handlesSignals: Bool
    /// The training desk's personas and rubric (`--personas`, `--rubric`).
    public var training = TrainingDesks.Files()

    public init(
        host: String, port: Int, line: WebLine, tickInterval: Duration = .seconds(2), stopAfter: Duration? = nil, handlesSignals: Bool = true,
        training: TrainingDesks.Files = TrainingDesks.Files()
    ) {
        self.training = training
        self.host = host
        self.port = port
        self.line = line
        self.tickInterval = tickInterval
        self.stopAfter = stopAfter
        self.handlesSignals = handlesSignals
    }

    /// Reads `HOST:PORT` (`127.0.0.1:8080`, `[::1]:0`, `localhost:9000`).
    public static func parseAddress(_ text: String) throws(WebError) -> (host: String, port: Int) {
        let fix = "write --http HOST:PORT, e.g. 127.0.0.1:8080"
        guard let colon = text.lastIndex(of: ":") else { throw WebError("'\(text)' has no port", fix: fix) }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw WebError("'\(text)' is not HOST:PORT with a port from 0 to 65535", fix: fix)
        }
        return (host, port)
    }

    /// Runs until SIGINT/SIGTERM (or `stopAfter`). `onListening` gets the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "hotline-web")
        // A server inside a test process, or one with a time limit, is stopped by cancelling it;
        // the channel errors that shutdown logs are expected there, not news.
        logger.logLevel = handlesSignals && stopAfter == nil ? .warning : .critical
        let web = WebApp(line: line, training: training)
        let app = Application(
            router: web.router(),
            server: .http1WebSocketUpgrade(webSocketRouter: web.phoneRouter()),
            configuration: .init(address: .hostname(host, port: port), serverName: "Hotline"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let line = self.line
        let interval = tickInterval
        let stopAfter = self.stopAfter
        let handlesSignals = self.handlesSignals
        try await withThrowingTaskGroup(of: Void.self) { group in
            let host = self.host
            let port = self.port
            group.addTask {
                do {
                    try await app.runService(gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [])
                } catch let error as IOError {
                    // The address cannot be bound (in use, not this machine's, not allowed): say
                    // which one and what to do, not NIO's system-call name.
                    throw Self.listenFailure(host: host, port: port, errno: error.errnoCode)
                }
            }
            group.addTask {
                // The line's clock: a failed beat is said and the next one tries again.
                while !Task.isCancelled {
                    do {
                        try line.tick()
                        // Training calls abandoned in a browser end after their idle timeout.
                        try web.training.expire(now: line.clock())
                    } catch {
                        FileHandle.standardError.write(Data("hotline serve: the line's clock could not tick: \(error)\n".utf8))
                    }
                    try await Task.sleep(for: interval)
                }
            }
            group.addTask {
                // The console's live calls: a call that moved (here or in another process) is
                // announced within half a second.
                while !Task.isCancelled {
                    try? line.followBoard()
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            if let stopAfter {
                group.addTask {
                    try await Task.sleep(for: stopAfter)
                    throw CancellationError()
                }
            }
            // The server returns on a signal; the first task to end (server, or the time limit) stops the rest.
            do {
                _ = try await group.next()
            } catch is CancellationError {
            }
            group.cancelAll()
        }
        // Training calls still open are scored and stored as abandoned, and their copies removed.
        do {
            try web.training.endAll(now: line.clock())
        } catch {
            FileHandle.standardError.write(Data("hotline serve: the open training calls could not be stored: \(error)\n".utf8))
        }
    }

    /// The error for a web address that cannot be listened on (`errno` from the failed bind).
    static func listenFailure(host: String, port: Int, errno: Int32) -> WebError {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return WebError(
            "--http \(address): cannot listen for the web there (\(String(cString: strerror(errno))))",
            fix: "choose a free port with --http HOST:PORT (port 0 picks one), or stop what listens there")
    }

    /// Opens the line for `serve` through `LineWiring`, like every other phone: the database
    /// (migrated with the web tables; seeded with the sample data when `seeding` says so), the
    /// policy, the pager (pages go to `delivery` and to the desks' live updates) and the router the
    /// browser phones share.
    public static func openLine(
        databasePath: String, policyPath: String, routing: LineWiring.RoutingSource = .reference, seeding: LineWiring.Seeding = .never,
        delivery: any PageDelivery, bcryptCost: UInt8 = 10, clock: @escaping @Sendable () -> Date
    ) throws -> WebLine {
        let events = EventLog()
        var wiring = LineWiring(database: databasePath, start: clock(), seeding: seeding)
        wiring.extraMigrations = [{ WebStore.registerMigrations(&$0) }]
        wiring.policy = .file(policyPath)
        wiring.routing = routing
        wiring.delivery = FanOutDelivery([delivery, events])
        let opened: LineWiring.Opened
        do {
            opened = try wiring.open()
        } catch {
            throw WebError("\(error)")
        }
        var line = WebLine(systems: opened.systems, events: events, bcryptCost: bcryptCost, clock: clock)
        line.seeded = opened.seeded
        return line
    }
}
