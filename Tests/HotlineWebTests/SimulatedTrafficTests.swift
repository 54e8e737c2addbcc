import Foundation
import HotlineApp
import HotlineCore
import HotlineStore
import HotlineTestSupport
import HotlineWeb
import Synchronization
import Testing

/// `serve --simulate-calls-per-hour`: simulated callers as real live calls on the served line, on
/// a manual clock (time moves only when the test moves it), real SQLite, the reference flow and
/// the reference scenarios' callers.
@Suite(.serialized) struct SimulatedTrafficTests {
    static let start = TestServer.start

    /// The web's line on a fresh database with the sample data.
    static func line(_ folder: URL) throws -> WebLine {
        let line = try WebServer.openLine(
            databasePath: folder.appendingPathComponent("sim.sqlite").path, policyPath: Repository.path(Defaults.policy),
            routing: .files(
                agents: Repository.path(Defaults.routing) + "/agents.yaml", queues: Repository.path(Defaults.routing) + "/queues.yaml"),
            delivery: RecordingDelivery(), bcryptCost: 4, clock: { start })
        _ = try WebDemo.prepare(line: line, sampleData: Repository.path(Defaults.sampleData), sla: Repository.path(Defaults.sla))
        return line
    }

    static func options(rate: Double, seed: UInt64, maxCalls: Int) -> SimulatedTraffic.Options {
        var options = SimulatedTraffic.Options(callsPerHour: rate)
        options.seed = seed
        options.maxCalls = maxCalls
        options.flow = Repository.path(Defaults.flow)
        options.callers = Repository.path(Defaults.scenarios + "/gsc")
        return options
    }

    /// Moves the clock from one pending wait to the next, letting the calls' tasks (and their
    /// database work) run in between, until `done` or `steps` moves; `watch` looks after each.
    static func drive(_ clock: ManualCallClock, steps: Int = 4000, watch: () throws -> Void = {}, until done: () -> Bool) async rethrows {
        for _ in 0..<steps where !done() {
            for _ in 0..<40 { await Task.yield() }
            try watch()
            clock.advanceToNextSleep()
        }
    }

    static func simulatedOnBoard(_ line: WebLine) throws -> [LiveCallStore.Row] {
        try (line.board?.store.inProgress() ?? []).filter { $0.channel == "simulated" }
    }

    @Test func simulatedCallsShowOnTheBoardAsSimulatedStayBoundedFinishAndAreSaved() async throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let line = try Self.line(folder)
        let recordsBefore = try line.cases.latestCallRecords(limit: 10_000).count
        let clock = ManualCallClock(Self.start)
        let traffic = try SimulatedTraffic(
            options: Self.options(rate: 1200, seed: 3, maxCalls: 2), systems: line.systems, board: line.board, clock: clock, write: { _ in })
        traffic.start()
        var mostAtOnce = 0
        var sawSimulated = false
        try await Self.drive(
            clock,
            watch: {
                let shown = try Self.simulatedOnBoard(line)
                mostAtOnce = max(mostAtOnce, shown.count)
                if !shown.isEmpty { sawSimulated = true }
            },
            until: { traffic.counts.finished >= 4 && traffic.counts.skipped >= 1 })
        #expect(sawSimulated)
        #expect(traffic.counts.finished >= 4, "\(traffic.counts)")
        // Never more than the bound on the line; callers arriving beyond it are not placed.
        #expect(mostAtOnce <= 2 && mostAtOnce >= 1)
        #expect(traffic.counts.skipped >= 1, "\(traffic.counts)")

        await traffic.stop()
        let counts = traffic.counts
        #expect(counts.running == 0 && counts.finished == counts.placed)
        // Nothing is left running on the board, and every placed call has its record and its
        // finished row with the channel `simulated`.
        #expect(try Self.simulatedOnBoard(line).isEmpty)
        let finished = try (line.board?.store.finished(limit: 500) ?? []).filter { $0.channel == "simulated" }
        #expect(finished.count == counts.placed && finished.allSatisfy { $0.outcome != nil })
        #expect(try line.cases.latestCallRecords(limit: 10_000).count == recordsBefore + counts.placed)
        let callers = Set(traffic.placed.map(\.callerID))
        #expect(Set(finished.map(\.callerID)) == callers)

        // Stopped: the clock moving on places no more calls.
        let placed = counts.placed
        for _ in 0..<20 { clock.advance(by: .seconds(60)) }
        for _ in 0..<40 { await Task.yield() }
        #expect(traffic.counts.placed == placed)
    }

    /// Simulated callers escalate and page; their pages are marked simulated and a simulated
    /// on-call manager acknowledges each within its window (none climbs), on the calls' clock, at a
    /// response time drawn from the seed. A real page on the same line is never touched.
    @Test func theSimulatedOnCallManagerAcknowledgesSimulatedPagesAndLeavesRealOnesAlone() async throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let line = try Self.line(folder)
        let real = try #require(try line.paging.escalate(caseNumber: "00500002", reason: "a real customer asked", at: Self.start).first)
        #expect(!real.simulated)
        let clock = ManualCallClock(Self.start)
        let traffic = try SimulatedTraffic(
            options: Self.options(rate: 1200, seed: 3, maxCalls: 2), systems: line.systems, board: line.board, clock: clock, write: { _ in })
        traffic.start()
        try await Self.drive(clock, steps: 8000, until: { traffic.counts.acknowledged >= 2 })
        await traffic.stop()
        #expect(traffic.counts.acknowledged >= 2, "\(traffic.counts)")
        let pages = try line.paging.store.pages()
        let simulated = pages.filter(\.simulated)
        let acknowledged = simulated.filter { $0.state == .acknowledged }
        #expect(acknowledged.count == traffic.counts.acknowledged)
        #expect(!simulated.contains { $0.state == .escalated || $0.state == .exhausted }, "\(simulated)")
        for page in acknowledged {
            #expect(page.acknowledgedBy == "\(page.person) (simulated)")
            let taken = try #require(page.acknowledgedAt).timeIntervalSince(page.sentAt)
            let window = page.ackDeadline.timeIntervalSince(page.sentAt)
            #expect(taken >= window * 0.1 - 0.001 && taken <= window * 0.7 + 0.001, "\(page.id): \(taken) s of \(window) s")
        }
        // The real page is as it was: sent, unacknowledged.
        let after = try #require(pages.first { $0.id == real.id })
        #expect(after.state == .sent && after.acknowledgedBy == nil && !after.simulated)
        // The simulated escalations on the cases' feeds say who asked.
        let cases = Set(acknowledged.map(\.caseNumber))
        for number in cases {
            let escalations = try line.cases.feed(caseNumber: number).filter { $0.kind == .escalation }
            #expect(escalations.contains { $0.author.hasSuffix("(simulated caller)") }, "\(number): \(escalations.map(\.author))")
        }
    }

    /// The first `count` callers of a seed, on a fresh line.
    static func firstCallers(seed: UInt64, count: Int) async throws -> [String] {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let line = try Self.line(folder)
        let clock = ManualCallClock(Self.start)
        let traffic = try SimulatedTraffic(
            options: Self.options(rate: 3600, seed: seed, maxCalls: 100), systems: line.systems, board: line.board, clock: clock, write: { _ in })
        traffic.start()
        try await Self.drive(clock, until: { traffic.counts.placed >= count })
        await traffic.stop()
        return traffic.placed.prefix(count).map { "\($0.scenario) \($0.callerID) +\(Int($0.at.timeIntervalSince(Self.start) * 1000)) ms" }
    }

    @Test func theSameSeedGivesTheSameCallersAtTheSameTimes() async throws {
        let first = try await Self.firstCallers(seed: 11, count: 5)
        let again = try await Self.firstCallers(seed: 11, count: 5)
        let other = try await Self.firstCallers(seed: 12, count: 5)
        #expect(first.count == 5)
        #expect(first == again)
        #expect(first != other)
    }

    @Test func badValuesAreRefusedWithTheFix() throws {
        for rate in [-5.0, 0, .infinity, 100_000] {
            let problem = Self.options(rate: rate, seed: 1, maxCalls: 3).problem
            #expect(problem?.contains("--simulate-calls-per-hour") == true && problem?.contains("(fix:") == true, "\(rate): \(problem ?? "nil")")
        }
        for maxCalls in [0, -1, 1000] {
            let problem = Self.options(rate: 30, seed: 1, maxCalls: maxCalls).problem
            #expect(problem?.contains("--simulate-max-calls") == true && problem?.contains("(fix:") == true, "\(maxCalls): \(problem ?? "nil")")
        }
        #expect(Self.options(rate: 30, seed: 1, maxCalls: 3).problem == nil)
    }

    @Test func theServerShowsSimulatedCallsOnTheConsoleAndEndsThemWhenItStops() async throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try LineServerTests.seededDatabase(folder)
        var options = LineServerTests.options(folder)
        options.simulation = Self.options(rate: 3600, seed: 5, maxCalls: 2)
        let clock = ManualCallClock(Self.start)
        options.simulationClock = clock
        let said = LineServerTests.Said()
        let server = LineServer(options: options, clock: { Self.start }, write: said.add)
        let (port, running) = await LineServerTests.started(server)
        #expect(port > 0)
        #expect(said.all.contains { $0.hasPrefix("Simulated callers: 3600 calls an hour (seed 5, at most 2 at once)") }, "\(said.all)")
        let traffic = try #require(server.simulatedTraffic)
        let line = try WebServer.openLine(
            databasePath: options.database, policyPath: Repository.path(Defaults.policy), delivery: RecordingDelivery(), bcryptCost: 4,
            clock: { Self.start })
        try await Self.drive(clock, until: { traffic.counts.running >= 1 && ((try? Self.simulatedOnBoard(line).isEmpty) == false) })
        let trainer = Browser(port: port)
        #expect(try await trainer.signIn("trainer@hotline.example", "trainer-demo").status == 303)
        let console = try await trainer.get("/console")
        #expect(console.status == 200 && console.body.contains("simulated"), "\(console.body.prefix(400))")
        // A finished simulated call has its record page, which says which phone it was.
        try await Self.drive(clock, until: { traffic.counts.finished >= 1 })
        let record = try #require(try line.cases.latestCallRecords(limit: 1).first)
        #expect(record.record.channel == "simulated")
        let page = try await trainer.get("/console/calls/\(record.id)")
        #expect(page.status == 200 && page.body.contains("<th>Phone</th><td>simulated</td>"), "\(page.body.prefix(600))")

        server.stop()
        _ = await running.result
        #expect(said.all.last == "Hotline stopped.", "\(said.all)")
        #expect(said.all.contains { $0.hasPrefix("Simulated calls: \(traffic.counts.placed) placed") }, "\(said.all)")
        // No call is left running on the board, and each one's record is saved.
        #expect(try Self.simulatedOnBoard(line).isEmpty)
        #expect(traffic.counts.placed >= 1 && traffic.counts.running == 0)
        let simulatedRows = try (line.board?.store.finished(limit: 500) ?? []).filter { $0.channel == "simulated" }
        #expect(simulatedRows.count == traffic.counts.placed)
    }
}
