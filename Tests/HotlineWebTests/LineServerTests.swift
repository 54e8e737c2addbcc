import Foundation
import HotlineApp
import HotlineStore
import HotlineWeb
import Synchronization
import Testing

/// `hotline serve`'s orchestration in process: a real server on 127.0.0.1 (port 0) on a real
/// SQLite file, stopped by ``LineServer/stop()`` or by `stopAfter`, ending cleanly.
@Suite(.serialized) struct LineServerTests {
    /// Lines the server says.
    final class Said: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static func options(_ folder: URL) -> LineServer.Options {
        var options = LineServer.Options(
            database: folder.appendingPathComponent("serve.sqlite").path, policy: Repository.path(Defaults.policy),
            flow: Repository.path(Defaults.flow), web: "127.0.0.1:0", sip: nil)
        options.handlesSignals = false
        options.routing = .files(
            agents: Repository.path(Defaults.routing) + "/agents.yaml", queues: Repository.path(Defaults.routing) + "/queues.yaml")
        return options
    }

    /// A database with the sample data, as `serve` finds it (seeding needs the repository's files).
    static func seededDatabase(_ folder: URL) throws {
        let line = try WebServer.openLine(
            databasePath: folder.appendingPathComponent("serve.sqlite").path, policyPath: Repository.path(Defaults.policy),
            delivery: RecordingDelivery(), bcryptCost: 4, clock: { TestServer.start })
        _ = try WebDemo.prepare(line: line, sampleData: Repository.path(Defaults.sampleData), sla: Repository.path(Defaults.sla))
    }

    /// Runs `server` and waits until its web side listens: its port (0 when it stopped before
    /// listening) and the task running it.
    static func started(_ server: LineServer) async -> (port: Int, running: Task<Void, any Error>) {
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let running = Task {
            defer { listening.finish() }
            try await server.run(onWebListening: { port in
                listening.yield(port)
                listening.finish()
            })
        }
        var port = 0
        for await value in ports { port = value }
        return (port, running)
    }

    @Test func servesARequestOnAFreePortAndStopsCleanlyWhenAsked() async throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.seededDatabase(folder)
        let said = Said()
        let server = LineServer(options: Self.options(folder), clock: { TestServer.start }, write: said.add)
        let (port, running) = await LineServerTests.started(server)
        #expect(port > 0)
        #expect(said.all.contains("Hotline is serving http://127.0.0.1:\(port)/ (Ctrl-C stops it)"), "\(said.all)")
        let document = try await Client.send(port: port, method: "GET", path: "/openapi.yaml")
        #expect(document.status == 200 && document.body.hasPrefix("\"openapi\": \"3.0.3\""))
        let refused = try await Client.send(port: port, method: "GET", path: "/api/cases")
        #expect(refused.status == 401)

        server.stop()
        let result = await running.result
        #expect((try? result.get()) != nil, "\(result)")
        #expect(said.all.last == "Hotline stopped.")
        // The port is closed: nothing answers there any more.
        await #expect(throws: (any Error).self) { _ = try await Client.send(port: port, method: "GET", path: "/login") }
    }

    @Test func stopAfterEndsTheServingByItself() async throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.seededDatabase(folder)
        var options = Self.options(folder)
        options.stopAfter = .milliseconds(200)
        let said = Said()
        try await LineServer(options: options, clock: { TestServer.start }, write: said.add).run()
        #expect(said.all.last == "Hotline stopped.", "\(said.all)")
    }

    @Test func aBadAddressIsAWebFailureAndNothingIsServed() async throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.seededDatabase(folder)
        let said = Said()
        var options = Self.options(folder)
        options.web = "127.0.0.1:nope"
        await #expect(throws: LineServer.Failure.self) { try await LineServer(options: options, clock: { TestServer.start }, write: said.add).run() }
        #expect(!said.all.contains("Hotline stopped."))
    }

    @Test func aWebPortInUseIsAClearFailureNamingTheAddressAndTheFix() async throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.seededDatabase(folder)
        // A first server holds a port; a second one asked for the same port must say so clearly.
        let first = LineServer(options: Self.options(folder), clock: { TestServer.start }, write: { _ in })
        let (port, running) = await LineServerTests.started(first)
        #expect(port > 0)
        var options = Self.options(folder)
        options.web = "127.0.0.1:\(port)"
        options.stopAfter = .seconds(30)
        let said = Said()
        do {
            try await LineServer(options: options, clock: { TestServer.start }, write: said.add).run()
            Issue.record("a second server on port \(port) did not fail")
        } catch .web(let message) {
            #expect(message.contains("--http 127.0.0.1:\(port)"), "\(message)")
            #expect(message.contains("(fix: choose a free port"), "\(message)")
            #expect(!message.contains("bind(descriptor"), "\(message)")
        } catch {
            Issue.record("not a web failure: \(error)")
        }
        first.stop()
        try await running.value
    }
}
