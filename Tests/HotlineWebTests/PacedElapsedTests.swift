import Foundation
import HotlineApp
import HotlineCore
import HotlineStore
import HotlineTestSupport
import HotlineWeb
import Testing

/// A call's elapsed and waited times on the console, the desk and `queues --db` are in the call's
/// own time — the time its transcript and record use — not the wall clock minus its start: a
/// simulated call at `--pace 0.2` runs five call seconds per real second, and a call's clock may
/// start at another instant than the wall clock's.
@Suite(.serialized) struct PacedElapsedTests {
    /// `0m 55s`, as the console prints it.
    static func text(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return "\(s / 60)m \(String(format: "%02d", s % 60))s"
    }

    @Test func aSimulatedCallsElapsedTimeOnTheConsoleIsInItsOwnTime() async throws {
        let server = try await TestServer.make()
        defer { try? FileManager.default.removeItem(at: server.folder) }
        // The simulated calls' clock: an hour ahead of the wall clock, five times faster.
        let clock = ManualCallClock(TestServer.start.addingTimeInterval(3600), pace: try Pace(0.2))
        let traffic = try SimulatedTraffic(
            options: SimulatedTrafficTests.options(rate: 3600, seed: 5, maxCalls: 1), systems: server.line.systems, board: server.line.board,
            clock: clock, write: { _ in })
        traffic.start()
        try await SimulatedTrafficTests.drive(clock, until: { (try? SimulatedTrafficTests.simulatedOnBoard(server.line).isEmpty) == false })
        // The call stands still now (its clock moves only when the test moves it); its reports are written.
        for _ in 0..<40 { await Task.yield() }
        server.line.board?.flush()
        let row = try #require(try SimulatedTrafficTests.simulatedOnBoard(server.line).first)
        #expect(row.pace == 0.2)
        #expect(row.reportedAt == TestServer.start)
        // Ten real seconds later the call is fifty call seconds further on.
        server.clock.advance(10)
        let expected = row.updatedAt.timeIntervalSince(row.startedAt) + 50
        #expect(row.elapsedSeconds(at: server.clock.now) == expected)
        let trainer = Browser(server)
        #expect(try await trainer.signIn("trainer@hotline.example", "trainer-demo").status == 303)
        let console = try await trainer.get("/console")
        #expect(console.body.contains("<span class=\"elapsed\">\(Self.text(expected))</span>"), "\(Self.text(expected)) in \(console.body)")
        // `hotline queues --db`'s shape: the same call time.
        let shape = JSONShapes.LiveCall(row, at: server.clock.now)
        #expect(shape.ageSeconds == Int(expected))
        await traffic.stop()
        await server.stop()
    }
}
