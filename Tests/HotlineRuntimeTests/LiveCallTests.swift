import Foundation
import HotlineCore
import HotlineRuntime
import HotlineTestSupport
import Synchronization
import Testing

/// The live driver on a manual clock: time moves only when the test moves it, and the test acts on
/// what the call says it waits for — the same call, the same order of events, on any machine.
@Suite struct LiveCallTests {
    struct Harness {
        let call: LiveCall
        let clock: ManualCallClock
        let waits: AsyncStream<CallWaiting>
    }

    func makeCall(_ systems: FakeSystems) -> Harness {
        let clock = ManualCallClock(TestFlows.t0)
        let (waits, observer) = AsyncStream<CallWaiting>.makeStream()
        let call = LiveCall(
            flow: TestFlows.identifiedEscalation, catalog: nil, integrations: systems.integrations, callerID: "+14085550100",
            clock: clock, output: SilentPromptOutput(lengths: FixedLengths(), clock: clock), onLog: { _ in },
            onWaiting: { observer.yield($0) })
        return Harness(call: call, clock: clock, waits: waits)
    }

    /// Lets the call's time run, one pending wait after the other, until the call is over.
    func runToEnd(_ harness: Harness, running: Task<CallSession, Never>) async -> CallSession {
        while await !harness.call.waiting.isOver {
            await Task.yield()
            harness.clock.advanceToNextSleep()
        }
        return await running.value
    }

    @Test func aSilentCallerIsRepromptedThenTransferredByTheFlowsOwnTimers() async throws {
        let systems = FakeSystems()
        let harness = makeCall(systems)
        let call = harness.call
        let running = Task { await call.run(input: AsyncStream { $0.finish() }) }
        let session = await runToEnd(harness, running: running)
        #expect(session.record?.outcome == "transferred")
        #expect(session.transcript.filter { if case .timedOut = $0.event { true } else { false } }.count == 3)
        #expect(session.recordState == .saved(try #require(session.record)))
        #expect(systems.calls.count == 1)
    }

    @Test func aKeyDuringTheGreetingBargesIn() async throws {
        let systems = FakeSystems()
        let harness = makeCall(systems)
        let call = harness.call
        let (input, keys) = AsyncStream<LiveInput>.makeStream()
        let running = Task { await call.run(input: input) }
        // The clock stands still: the greeting plays until the key comes, whatever the machine's speed.
        var greeting: Playback?
        for await waiting in harness.waits {
            if case .playing(let playback) = waiting, playback.node == "main" {
                greeting = playback
                break
            }
        }
        #expect(greeting?.bargeIn == true)
        keys.yield(.key("0"))
        for await waiting in harness.waits {
            if case .playing(let playback) = waiting, playback.id == greeting?.id { continue }
            break
        }
        let session = await runToEnd(harness, running: running)
        keys.finish()
        #expect(session.record?.path == ["identify", "main", "operator"])
        #expect(session.transcript.contains { if case .stopped = $0.event { true } else { false } })
    }

    /// Records when the caller starts and stops waiting in a queue (the SIP line loops hold audio then).
    final class HoldRecorder: PromptOutput {
        let inner: SilentPromptOutput
        let changes = Mutex<[Bool]>([])
        init(inner: SilentPromptOutput) { self.inner = inner }
        func play(_ prompts: [String], playback: Int) async -> Bool { await inner.play(prompts, playback: playback) }
        func stop(playback: Int) { inner.stop(playback: playback) }
        func holding(_ waiting: Bool) { changes.withLock { $0.append(waiting) } }
    }

    @Test func theOutputIsToldWhileTheCallerWaitsInAQueue() async throws {
        let systems = FakeSystems(queueWait: .seconds(30))
        let clock = ManualCallClock(TestFlows.t0)
        let output = HoldRecorder(inner: SilentPromptOutput(lengths: FixedLengths(), clock: clock))
        var flow = TestFlows.escalation
        flow.nodes["queue"] = Node(
            id: "queue",
            kind: .action(Action(kind: .enqueue, arguments: ["queue": "customer-care"], next: [.init(outcome: "default", target: "bye")])))
        flow.order.insert("queue", at: 0)
        flow.start = "queue"
        let call = LiveCall(
            flow: flow, catalog: nil, integrations: systems.integrations, callerID: "+14085550100", clock: clock, output: output,
            onLog: { _ in })
        let running = Task { await call.run(input: AsyncStream { $0.finish() }) }
        while await !call.waiting.isOver {
            await Task.yield()
            clock.advanceToNextSleep()
        }
        let session = await running.value
        #expect(session.record?.path.first == "queue")
        #expect(output.changes.withLock { $0 } == [true, false])
    }

    @Test func aSIPCallsCallIDIsOnTheSessionAndItsRecord() async throws {
        let systems = FakeSystems()
        let clock = ManualCallClock(TestFlows.t0)
        let call = LiveCall(
            flow: TestFlows.identifiedEscalation, catalog: nil, integrations: systems.integrations, callerID: "+14085550100", clock: clock,
            output: SilentPromptOutput(lengths: FixedLengths(), clock: clock), sipCallID: "a84b4c76e66710@pc33.example.com", onLog: { _ in })
        #expect(await call.sipCallID == "a84b4c76e66710@pc33.example.com")
        let running = Task { await call.run(input: AsyncStream { $0.finish() }) }
        while await !call.waiting.isOver {
            await Task.yield()
            clock.advanceToNextSleep()
        }
        let session = await running.value
        #expect(session.sipCallID == "a84b4c76e66710@pc33.example.com")
        #expect(session.record?.sipCallID == "a84b4c76e66710@pc33.example.com")
        #expect(systems.calls.first?.sipCallID == "a84b4c76e66710@pc33.example.com")
    }

    @Test func hangingUpEndsTheCall() async {
        let systems = FakeSystems()
        let harness = makeCall(systems)
        let call = harness.call
        let (input, caller) = AsyncStream<LiveInput>.makeStream()
        caller.yield(.hangUp)
        let running = Task { await call.run(input: input) }
        let session = await runToEnd(harness, running: running)
        caller.finish()
        #expect(session.record?.outcome == "caller-hung-up")
    }

    @Test func aRecordTheStoreRefusesIsReportedNotSaved() async {
        let systems = FakeSystems()
        systems.failure = FakeSystems.Failure()
        let harness = makeCall(systems)
        let call = harness.call
        let running = Task { await call.run(input: AsyncStream { $0.finish() }) }
        let session = await runToEnd(harness, running: running)
        guard case .notSaved(_, let reason) = session.recordState else {
            Issue.record("expected the record not saved, got \(session.recordState)")
            return
        }
        #expect(reason.contains("told to fail"))
        #expect(session.transcript.contains { if case .recordNotSaved = $0.event { true } else { false } })
    }
}
