import Foundation
import HotlineCore
import HotlineRuntime
import HotlineTestSupport
import Testing

/// A call whose flow starts while it still rings (a SIP call, answered when the flow first needs
/// media): its transcript and record say whether, and when, the line answered it.
@Suite struct RingingCallTests {
    let t0 = TestFlows.t0
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// identify (silent) → a redirect or a REFER transfer, or a prompt first.
    func flow(method: TransferMethod, promptFirst: Bool = false) -> Flow {
        var nodes = [
            Node(id: "identify", kind: .action(Action(kind: .identifyCaller, next: [.init(outcome: "default", target: promptFirst ? "hello" : "desk")]))),
            Node(id: "desk", kind: .transfer(Transfer(destination: "sip:desk@192.0.2.10", method: method))),
        ]
        if promptFirst { nodes.append(Node(id: "hello", kind: .play(Play(prompts: PromptSequence([.prompt("hello")]), next: "desk")))) }
        return Flow(name: "ringing", number: "+18447517629", start: "identify", nodes: nodes)
    }

    /// Runs integration work and prompts to the end, as a phone would; returns the saved record.
    func finish(_ session: inout CallSession, _ first: [CallSession.Effect], from start: Double) -> CallRecord? {
        var effects = first
        var now = start
        for _ in 0..<20 where !session.waiting.isOver {
            now += 1
            var next: [CallSession.Effect] = []
            for effect in effects {
                switch effect {
                case .perform(let work): next += session.workFinished(work.run(at: at(now)), at: at(now))
                case .play(let playback): next += session.promptFinished(playback.id, at: at(now))
                case .stopPlayback, .startTimer, .cancelTimer, .transfer: break
                }
            }
            effects = next
        }
        return session.record
    }

    @Test func aRedirectBeforeTheAnswerIsRecordedRedirectedAndNeverAnswered() throws {
        let systems = FakeSystems()
        var session = CallSession(
            flow: flow(method: .redirect), integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil,
            sipCallID: "moved-1", answersLater: true)
        let record = try #require(finish(&session, session.answer(at: t0), from: 0))
        #expect(record.outcome == "redirected")
        #expect(record.answeredAt == nil)
        #expect(record.answeredSeconds == 0)
        #expect(session.redirected)
        let lines = session.transcript.map(\.line)
        #expect(lines.first == "[00:00.0] call    ringing on +18447517629")
        #expect(!lines.contains { $0.contains("call    answered") })
        #expect(lines.contains("[00:01.0] redirect to sip:desk@192.0.2.10 (302 Moved Temporarily)"))
        #expect(lines.last == "[00:01.0] end     redirected (never answered)")
        #expect(!lines.contains { $0.contains("transfer to") })
    }

    @Test func aRedirectAfterAPromptIsATransferOfAnAnsweredCall() throws {
        let systems = FakeSystems()
        var session = CallSession(
            flow: flow(method: .redirect, promptFirst: true), integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil,
            answersLater: true)
        var effects = session.answer(at: t0)
        effects = session.workFinished(try #require(effects.first.flatMap { if case .perform(let w) = $0 { w } else { nil } }).run(at: t0), at: t0)
        // The prompt needs the line: the driver answers, and says so.
        #expect(session.lineAnswered(at: at(0.5)).isEmpty)
        let record = try #require(finish(&session, effects, from: 0.5))
        #expect(record.outcome == "transferred")
        #expect(record.answeredAt == at(0.5))
        #expect(!session.redirected)
        let lines = session.transcript.map(\.line)
        #expect(lines.contains("[00:00.5] call    answered on +18447517629"))
        #expect(lines.contains("[00:01.5] transfer to sip:desk@192.0.2.10"))
        #expect(lines.last == "[00:01.5] end     transferred")
    }

    @Test func aReferBeforeMediaAnswersTheCallFirst() throws {
        let systems = FakeSystems()
        var session = CallSession(
            flow: flow(method: .refer), integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil, answersLater: true)
        let record = try #require(finish(&session, session.answer(at: t0), from: 0))
        #expect(record.outcome == "transferred")
        #expect(record.answeredAt == at(1))
        #expect(session.transcript.map(\.line).suffix(3) == ["[00:01.0] call    answered on +18447517629", "[00:01.0] transfer to sip:desk@192.0.2.10", "[00:01.0] end     transferred"])
    }

    /// A destination the line cannot dial (a name none of its files maps): nothing to REFER or
    /// redirect to, so the ringing call is not answered for it, and its record says so.
    @Test(arguments: [TransferMethod.refer, .redirect])
    func aTransferTheLineCannotHandOverLeavesTheCallUnanswered(method: TransferMethod) throws {
        let systems = FakeSystems()
        var session = CallSession(
            flow: flow(method: method), integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil, answersLater: true,
            handsOver: { $0 == "sip:elsewhere@192.0.2.10" })
        let record = try #require(finish(&session, session.answer(at: t0), from: 0))
        #expect(record.outcome == "transferred")
        #expect(record.answeredAt == nil)
        #expect(!session.redirected)
        #expect(session.transcript.map(\.line).suffix(2) == ["[00:01.0] transfer to sip:desk@192.0.2.10", "[00:01.0] end     transferred (never answered)"])
    }

    @Test func aCallerWhoHangsUpWhileItRingsWasNeverAnswered() throws {
        let systems = FakeSystems()
        var session = CallSession(
            flow: flow(method: .refer, promptFirst: true), integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil,
            answersLater: true)
        _ = session.answer(at: t0)
        let saving = session.callerHungUp(at: at(0.4))
        let record = try #require(finish(&session, saving, from: 0.4))
        #expect(record.outcome == "caller-hung-up")
        #expect(record.answeredAt == nil)
        #expect(session.transcript.map(\.line) == ["[00:00.0] call    ringing on +18447517629", "[00:00.4] end     caller-hung-up (never answered)"])
        // A late answer of a call over is ignored.
        #expect(session.lineAnswered(at: at(1)).isEmpty)
        #expect(session.record?.answeredAt == nil)
    }

    @Test func everyOtherPhoneAnswersAtTheStart() throws {
        let systems = FakeSystems()
        var session = CallSession(flow: flow(method: .redirect), integrations: systems.integrations, callerID: "+14085550100", at: t0, catalog: nil)
        let record = try #require(finish(&session, session.answer(at: t0), from: 0))
        #expect(record.outcome == "transferred")
        #expect(record.answeredAt == t0)
        #expect(session.transcript.map(\.line).first == "[00:00.0] call    answered on +18447517629")
        #expect(session.lineAnswered(at: at(2)).isEmpty)
    }
}
