import Foundation
import HotlineCore
import HotlineRuntime
import HotlineTestSupport
import Testing

/// The call session by hand, as a new phone would drive it: events in, effects out, and what the
/// call waits for said at every step.
@Suite struct CallSessionTests {
    let t0 = TestFlows.t0
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// Runs the one `perform` effect in `effects` and feeds its result back, as a phone does.
    func finishWork(_ session: inout CallSession, _ effects: [CallSession.Effect], at now: Date) -> [CallSession.Effect] {
        for effect in effects {
            if case .perform(let work) = effect { return session.workFinished(work.run(at: now), at: now) }
        }
        Issue.record("no integration work in \(effects)")
        return []
    }

    @Test func aPhoneFeedsEventsPerformsEffectsAndSeesWhatTheCallWaitsFor() throws {
        let systems = FakeSystems()
        var session = CallSession(
            flow: TestFlows.identifiedEscalation, integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil)
        #expect(session.waiting == .answering)
        var effects = session.answer(at: t0)
        #expect(session.waiting == .integration(node: "identify", action: .identifyCaller))
        #expect(effects.count == 1)
        effects = finishWork(&session, effects, at: t0)
        guard case .play(let greeting) = effects.first else {
            Issue.record("the greeting should play, got \(effects)")
            return
        }
        #expect(session.waiting == .playing(greeting))
        effects = session.promptFinished(greeting.id, at: at(3))
        guard case .startTimer(let timer, _) = effects.first else {
            Issue.record("the menu should wait for a key, got \(effects)")
            return
        }
        #expect(session.waiting == .listening(node: "main", speech: true, timer: timer))
        effects = session.keyPressed("1", at: at(4))
        guard case .play(let casePrompt) = effects.last else {
            Issue.record("the case prompt should play, got \(effects)")
            return
        }
        effects = session.promptFinished(casePrompt.id, at: at(6))
        guard case .listening(_, let speech, _) = session.waiting else {
            Issue.record("the collect should listen, got \(session.waiting)")
            return
        }
        #expect(!speech)  // a digit collection takes keys only
        _ = session.speechHeard("zero zero three", at: at(7))
        #expect(session.transcript.last?.line.contains("type the digits") == true)
        for key in "0034567" { effects = session.keyPressed(key, at: at(8)) }
        effects = session.keyPressed("8", at: at(8))
        #expect(session.waiting == .integration(node: "case", action: .validateCase))
        effects = finishWork(&session, effects, at: at(8))
        // The pound key after the full entry belongs to it, and is shown so.
        #expect(session.keyPressed("#", at: at(8.2)).isEmpty)
        #expect(session.transcript.contains { $0.event == .keyNotUsed("#", .endsSubmittedEntry) })
        // Read-back, escalation, goodbye: the phone keeps finishing what the session asks for.
        var now = 9.0
        while !session.waiting.isOver {
            now += 1
            switch session.waiting {
            case .playing(let playback): effects = session.promptFinished(playback.id, at: at(now))
            case .integration, .queued, .savingRecord: effects = finishWork(&session, effects, at: at(now))
            case .answering, .listening, .transferring, .ended:
                Issue.record("unexpected wait \(session.waiting)")
                return
            }
        }
        #expect(session.waiting == .ended(.completed(outcome: "completed")))
        let record = try #require(session.record)
        #expect(session.recordState == .saved(record))
        #expect(systems.calls == [record])
        #expect(record.path == ["identify", "main", "case", "confirm", "escalate", "bye"])
    }

    @Test func aCallerWhoHangsUpDuringAnIntegrationEndsTheCallAndItsLateResultIsIgnored() throws {
        let systems = FakeSystems()
        var session = CallSession(
            flow: TestFlows.identifiedEscalation, integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil)
        let pending = session.answer(at: t0)
        // A key while the caller is being identified: nothing takes it, and the transcript says so.
        #expect(session.keyPressed("5", at: at(0.5)).isEmpty)
        #expect(session.transcript.last?.line.hasSuffix("press   5 (ignored: nothing listens for keys now)") == true)
        let saving = session.callerHungUp(at: at(1))
        #expect(session.waiting == .savingRecord)
        #expect(finishWork(&session, pending, at: at(2)).isEmpty)  // the identification answers late: ignored
        #expect(session.waiting == .savingRecord)
        _ = finishWork(&session, saving, at: at(2))
        #expect(session.waiting == .ended(.callerHungUp))
        #expect(session.record?.outcome == "caller-hung-up")
    }
}
