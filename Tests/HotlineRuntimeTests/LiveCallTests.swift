import Foundation
import HotlineCore
import HotlineRuntime
import HotlineTestSupport
import Testing

/// The live driver on the real clock, with every sleep a thousand times shorter: the same call,
/// the same order of events, in milliseconds.
@Suite struct LiveCallTests {
    static let fast: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0 / 1000) }

    func makeCall(_ systems: FakeSystems) -> LiveCall {
        LiveCall(
            flow: TestFlows.identifiedEscalation, catalog: nil, integrations: systems.integrations, callerID: "+14085550100",
            clock: RunningClock(startingAt: TestFlows.t0), sleep: Self.fast,
            output: SilentPromptOutput(lengths: FixedLengths(), sleep: Self.fast), onLog: { _ in })
    }

    @Test func aSilentCallerIsRepromptedThenTransferredByTheFlowsOwnTimers() async {
        let systems = FakeSystems()
        let call = makeCall(systems)
        let record = await call.run(input: AsyncStream { $0.finish() })
        #expect(record.outcome == "transferred")
        let log = await call.log
        #expect(log.filter { if case .timedOut = $0.event { true } else { false } }.count == 3)
        #expect(systems.calls.count == 1)
    }

    @Test func aKeyDuringTheGreetingBargesIn() async {
        let systems = FakeSystems()
        let call = makeCall(systems)
        let (input, keys) = AsyncStream<LiveInput>.makeStream()
        keys.yield(.key("0"))
        let record = await call.run(input: input)
        keys.finish()
        #expect(record.path == ["identify", "main", "operator"])
        let log = await call.log
        #expect(log.contains { if case .stopped = $0.event { true } else { false } })
    }

    @Test func hangingUpEndsTheCall() async {
        let systems = FakeSystems()
        let call = makeCall(systems)
        let (input, caller) = AsyncStream<LiveInput>.makeStream()
        caller.yield(.hangUp)
        let record = await call.run(input: input)
        caller.finish()
        #expect(record.outcome == "caller-hung-up")
    }
}
