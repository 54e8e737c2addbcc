import Foundation
import HotlineCore
import HotlineTestSupport
import Testing

/// Event in, expected actions out — one line per step.
@Suite struct CallStateMachineTests {
    let t0 = TestFlows.t0
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test func escalationByKeysEndToEnd() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        #expect(call.answered(callerID: "+14085550100", dialled: nil, at: t0) == [.play(Playback(id: 1, node: "main", prompts: ["main.greeting"], bargeIn: true))])
        #expect(call.promptFinished(1, at: at(10)) == [.startTimer(CallTimer(id: 2, kind: .noInput), after: .seconds(5))])
        #expect(call.digitReceived("1", at: at(11)) == [.cancelTimer(CallTimer(id: 2, kind: .noInput)), .play(Playback(id: 3, node: "case", prompts: ["enter-case"], bargeIn: true))])
        #expect(call.promptFinished(3, at: at(14)) == [.startTimer(CallTimer(id: 4, kind: .noInput), after: .seconds(5))])
        var actions = call.digitReceived("0", at: at(15))
        #expect(actions == [.cancelTimer(CallTimer(id: 4, kind: .noInput)), .startTimer(CallTimer(id: 5, kind: .interDigit), after: .seconds(3))])
        var id = 5
        for key in "0345678" {
            actions = call.digitReceived(key, at: at(16))
            id += 1
            if key != "8" { #expect(actions == [.cancelTimer(CallTimer(id: id - 1, kind: .interDigit)), .startTimer(CallTimer(id: id, kind: .interDigit), after: .seconds(3))]) }
        }
        // The eighth digit completes the entry: the validation runs.
        #expect(actions == [.cancelTimer(CallTimer(id: 11, kind: .interDigit)), .perform(ActionRequest(id: 12, kind: .validateCase, arguments: ["case.number": "00345678", "case": "00345678", "account": ""]))])
        #expect(call.actionCompleted(12, result: ActionResult(outcome: "valid", variables: ["case.priority": "P1"]), at: at(17))
            == [.play(Playback(id: 13, node: "confirm", prompts: ["case-is", "digit.0", "digit.0", "digit.3", "digit.4", "digit.5", "digit.6", "digit.7", "digit.8"], bargeIn: false))])
        #expect(call.promptFinished(13, at: at(20)) == [.perform(ActionRequest(id: 14, kind: .recordEscalation, arguments: ["case": "00345678", "reason": "asked"]))])
        #expect(call.actionCompleted(14, result: ActionResult(outcome: "recorded"), at: at(20)) == [.play(Playback(id: 15, node: "bye", prompts: ["goodbye"], bargeIn: false))])
        #expect(call.promptFinished(15, at: at(23)) == [.hangUp(outcome: "completed")])
        #expect(call.end == .completed(outcome: "completed"))
        #expect(call.wakeUp == nil)
        #expect(call.variables["case.priority"] == "P1")
        #expect(call.trail.contains(.took(node: "escalate", edge: "recorded")))
    }

    /// Issue 12 #4: `00999999#` is one entry. The entry submits itself at 8 digits; the `#` that
    /// follows belongs to it (VoiceXML, FreeSWITCH) — not an empty second entry in the re-prompt.
    @Test func aTerminatorRightAfterAnAutomaticSubmitEndsThatEntry() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        _ = call.digitReceived("1", at: at(6))  // to the case-number entry (playback 3)
        _ = call.promptFinished(3, at: at(8))
        var actions: [CallAction] = []
        for key in "00999999" { actions = call.digitReceived(key, at: at(9)) }
        guard case .perform(let request) = actions.last else {
            Issue.record("the eighth digit should submit the entry, got \(actions)")
            return
        }
        #expect(call.disposition(ofKey: "#") == .endsSubmittedEntry)
        let rejected = call.actionCompleted(request.id, result: ActionResult(outcome: "invalid"), at: at(9))
        guard case .play(let reprompt) = rejected.first else {
            Issue.record("a refused number should be asked again, got \(rejected)")
            return
        }
        #expect(reprompt.prompts == ["case-not-found", "enter-case"])
        // The pound key lands in the re-prompt: it ends the entry already sent and does nothing else.
        #expect(call.digitReceived("#", at: at(9.2)) == [])
        #expect(call.disposition(ofKey: "#") == .taken)
        // The next number is a fresh try: the second of three, not the third.
        #expect(call.promptFinished(reprompt.id, at: at(12)).count == 1)
        for key in "00999998" { actions = call.digitReceived(key, at: at(13)) }
        guard case .perform(let second) = actions.last else {
            Issue.record("the second number should be validated, got \(actions)")
            return
        }
        _ = call.actionCompleted(second.id, result: ActionResult(outcome: "invalid"), at: at(13))
        #expect(call.digitReceived("#", at: at(13.2)) == [])
        #expect(call.currentNode == "case")
        #expect(!call.trail.contains(.took(node: "case", edge: "exhausted")))
    }

    @Test func aTerminatorAfterOtherKeysIsNotSwallowed() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        _ = call.digitReceived("1", at: at(6))
        _ = call.promptFinished(3, at: at(8))
        // A short entry ended by `#`: the terminator is what submits it.
        _ = call.digitReceived("1", at: at(9))
        #expect(call.disposition(ofKey: "#") == .taken)
        let actions = call.digitReceived("#", at: at(10))
        #expect(actions.contains { if case .play(let playback) = $0 { playback.prompts == ["case-invalid", "enter-case"] } else { false } })
    }

    @Test func keysAndSpeechNothingListensForAreSaidSo() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        #expect(call.disposition(ofKey: "1") == .ignored)  // not answered yet
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        #expect(call.disposition(ofKey: "1") == .taken)  // the greeting allows barge-in
        #expect(call.listensForSpeech)
        _ = call.digitReceived("1", at: at(1))
        #expect(!call.listensForSpeech)  // a digit collection takes keys only
    }

    @Test func bargeInStopsTheGreetingAndUsesTheKey() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        #expect(call.digitReceived("0", at: at(1)) == [.stopPlayback(id: 1), .play(Playback(id: 2, node: "operator", prompts: ["operator"], bargeIn: false))])
        // Keys during a non-barge-in prompt are ignored.
        #expect(call.digitReceived("1", at: at(2)) == [])
        #expect(call.promptFinished(2, at: at(3)) == [.transfer(destination: "operator")])
        #expect(call.end == .transferred(destination: "operator"))
    }

    @Test func invalidKeysRepromptThenGiveUp() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        #expect(call.digitReceived("7", at: at(6)) == [.cancelTimer(CallTimer(id: 2, kind: .noInput)), .play(Playback(id: 3, node: "main", prompts: ["system.invalid", "main.short"], bargeIn: true))])
        #expect(call.digitReceived("8", at: at(7)) == [.stopPlayback(id: 3), .play(Playback(id: 4, node: "main", prompts: ["system.invalid", "main.short"], bargeIn: true))])
        // The third failure exhausts the menu: on to the operator.
        #expect(call.digitReceived("9", at: at(8)) == [.stopPlayback(id: 4), .play(Playback(id: 5, node: "operator", prompts: ["operator"], bargeIn: false))])
        #expect(call.trail.contains(.took(node: "main", edge: "exhausted")))
    }

    @Test func silenceRepromptsThenGivesUp() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        #expect(call.timerFired(CallTimer(id: 2, kind: .noInput), at: at(10)) == [.play(Playback(id: 3, node: "main", prompts: ["system.no-input", "main.short"], bargeIn: true))])
        _ = call.promptFinished(3, at: at(12))
        #expect(call.timerFired(CallTimer(id: 4, kind: .noInput), at: at(17)) == [.play(Playback(id: 5, node: "main", prompts: ["system.no-input", "main.short"], bargeIn: true))])
        _ = call.promptFinished(5, at: at(19))
        #expect(call.timerFired(CallTimer(id: 6, kind: .noInput), at: at(24)) == [.play(Playback(id: 7, node: "operator", prompts: ["operator"], bargeIn: false))])
    }

    @Test func starRepeatsTheLongGreetingWithoutCountingAFailure() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        for round in 0..<5 {
            let actions = call.digitReceived("*", at: at(Double(round)))
            #expect(actions.last == .play(Playback(id: round + 2, node: "main", prompts: ["main.greeting"], bargeIn: true)))
        }
        #expect(call.end == nil)
    }

    @Test func multiKeyOptionsWaitForTheInterDigitTimer() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        // "4" is an option and a prefix of "42": wait for more keys.
        #expect(call.digitReceived("4", at: at(6)) == [.cancelTimer(CallTimer(id: 2, kind: .noInput)), .startTimer(CallTimer(id: 3, kind: .interDigit), after: .seconds(3))])
        // The timer expires: "4" is taken.
        #expect(call.timerFired(CallTimer(id: 3, kind: .interDigit), at: at(9)) == [.play(Playback(id: 4, node: "operator", prompts: ["operator"], bargeIn: false))])

        var other = CallStateMachine(flow: TestFlows.escalation)
        _ = other.answered(callerID: "x", dialled: nil, at: t0)
        _ = other.promptFinished(1, at: at(5))
        _ = other.digitReceived("4", at: at(6))
        #expect(other.digitReceived("2", at: at(7)) == [.cancelTimer(CallTimer(id: 3, kind: .interDigit)), .play(Playback(id: 4, node: "bye", prompts: ["goodbye"], bargeIn: false))])
    }

    @Test(arguments: [
        ("I'd like an Escalation Manager, please", "case"),
        ("ESCALATE my case", "case"),
        ("operator", "operator"),
    ])
    func speechPicksTheIntent(utterance: String, node: String) {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        _ = call.utteranceReceived(utterance, at: at(6))
        #expect(call.currentNode == node)
    }

    @Test func speechThatMatchesNothingCountsAsInvalid() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        #expect(call.utteranceReceived("what is the weather", at: at(6)) == [.cancelTimer(CallTimer(id: 2, kind: .noInput)), .play(Playback(id: 3, node: "main", prompts: ["system.invalid", "main.short"], bargeIn: true))])
    }

    /// Answers the escalation flow and gets to the case-number prompt's timer.
    func atCaseEntry() -> CallStateMachine {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.digitReceived("1", at: at(1))
        _ = call.promptFinished(3, at: at(4))
        return call
    }

    @Test func shortCaseNumbersAreRejectedWithoutAskingTheStore() {
        var call = atCaseEntry()
        for key in "1234" { _ = call.digitReceived(key, at: at(5)) }
        let actions = call.digitReceived("#", at: at(6))
        guard case .play(let reprompt) = actions.last else { Issue.record("no re-prompt: \(actions)"); return }
        #expect(reprompt.prompts == ["case-invalid", "enter-case"])
        #expect(!actions.contains { if case .perform = $0 { true } else { false } })
    }

    @Test func lettersNeverReachTheValidation() {
        var call = atCaseEntry()
        for key in "0034567*" { _ = call.digitReceived(key, at: at(5)) }
        #expect(call.currentNode == "case")
        if case .playback = call.wakeUp {} else { Issue.record("expected a re-prompt, got \(String(describing: call.wakeUp))") }
    }

    @Test func rejectedThenLockedCaseNumbers() {
        var call = atCaseEntry()
        var actions: [CallAction] = []
        for key in "00999999" { actions = call.digitReceived(key, at: at(5)) }
        guard case .perform(let request) = actions.last else { Issue.record("no validation: \(actions)"); return }
        #expect(call.actionCompleted(request.id, result: ActionResult(outcome: "invalid"), at: at(6)).last
            == .play(Playback(id: request.id + 1, node: "case", prompts: ["case-not-found", "enter-case"], bargeIn: true)))
        for key in "00999998" { actions = call.digitReceived(key, at: at(7)) }
        guard case .perform(let second) = actions.last else { Issue.record("no validation: \(actions)"); return }
        // Locked: no more tries, straight to the exhausted destination.
        #expect(call.actionCompleted(second.id, result: ActionResult(outcome: "locked"), at: at(8)).last
            == .play(Playback(id: second.id + 1, node: "operator", prompts: ["operator"], bargeIn: false)))
    }

    @Test func hangUpDuringAPromptStopsItAndLaterEventsAreIgnored() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        #expect(call.hungUp(at: at(1)) == [.stopPlayback(id: 1)])
        #expect(call.end == .callerHungUp)
        #expect(call.promptFinished(1, at: at(2)) == [])
        #expect(call.digitReceived("1", at: at(3)) == [])
        #expect(call.hungUp(at: at(4)) == [])
    }

    @Test func staleTimersAndPlaybacksAreIgnored() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "x", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(5))
        _ = call.digitReceived("7", at: at(6))  // re-prompt: timer 2 cancelled, playback 3
        #expect(call.timerFired(CallTimer(id: 2, kind: .noInput), at: at(10)) == [])
        #expect(call.promptFinished(1, at: at(10)) == [])
        #expect(call.wakeUp == .playback(id: 3))
    }

    @Test func anOutcomeWithNowhereToGoEndsTheCallAsFailed() {
        var call = atCaseEntry()
        var actions: [CallAction] = []
        for key in "00345678" { actions = call.digitReceived(key, at: at(5)) }
        guard case .perform(let request) = actions.last else { Issue.record("no validation"); return }
        _ = call.actionCompleted(request.id, result: ActionResult(outcome: "valid"), at: at(6))
        _ = call.promptFinished(request.id + 1, at: at(9))
        guard case .action(let escalation) = call.wakeUp else { Issue.record("not escalating"); return }
        #expect(call.actionCompleted(escalation, result: ActionResult(outcome: "closed"), at: at(9)) == [.hangUp(outcome: "failed")])
        guard case .failed = call.end else { Issue.record("expected failed, got \(String(describing: call.end))"); return }
    }

    @Test func branchesUseTheInstantTheyAreGiven() {
        let flow = Flow(
            name: "hours", start: "check",
            nodes: [
                Node(id: "check", kind: .branch(Branch(rules: [.init(condition: .withinHours(calendar: "desk"), target: "open")], otherwise: "closed"))),
                Node(id: "open", kind: .hangup(Hangup(outcome: "open"))),
                Node(id: "closed", kind: .hangup(Hangup(outcome: "closed"))),
            ],
            calendars: ["desk": .weekdays(name: "desk", timeZone: TimeZone(identifier: "America/Los_Angeles")!, open: 8, close: 17)])
        let wednesdayMorning = ISO8601DateFormatter().date(from: "2026-12-02T10:00:00-08:00")!
        let saturdayNight = ISO8601DateFormatter().date(from: "2026-12-05T03:00:00-08:00")!
        var open = CallStateMachine(flow: flow)
        #expect(open.answered(callerID: "x", dialled: nil, at: wednesdayMorning) == [.hangUp(outcome: "open")])
        var closed = CallStateMachine(flow: flow)
        #expect(closed.answered(callerID: "x", dialled: nil, at: saturdayNight) == [.hangUp(outcome: "closed")])
    }

    @Test func aLoopWithoutInputEndsTheCall() {
        let flow = Flow(
            name: "loop", start: "a",
            nodes: [
                Node(id: "a", kind: .branch(Branch(rules: [], otherwise: "b"))),
                Node(id: "b", kind: .branch(Branch(rules: [], otherwise: "a"))),
            ])
        var call = CallStateMachine(flow: flow)
        #expect(call.answered(callerID: "x", dialled: nil, at: t0) == [.hangUp(outcome: "failed")])
        guard case .failed(let reason) = call.end else { Issue.record("not failed"); return }
        #expect(reason.contains("looped"))
    }

    @Test func aTransferDestinationIsFilledInFromTheCallsVariables() {
        let flow = Flow(
            name: "t", start: "queue",
            nodes: [
                Node(id: "queue", kind: .action(Action(kind: .enqueue, arguments: ["queue": "gsc"], next: [.init(outcome: "default", target: "connect")]))),
                Node(id: "connect", kind: .transfer(Transfer(destination: "${queue.agent}"))),
            ])
        var call = CallStateMachine(flow: flow)
        guard case .perform(let request) = call.answered(callerID: "x", dialled: nil, at: t0).last else { Issue.record("no enqueue"); return }
        #expect(call.actionCompleted(request.id, result: ActionResult(outcome: "answered", variables: ["queue.agent": "ethan.wright"]), at: at(20))
            == [.transfer(destination: "ethan.wright")])
        #expect(call.end == .transferred(destination: "ethan.wright"))
    }

    /// A desk transfer with `on_failure` (the operator as the fallback), built in code.
    static var deskWithFallback: Flow {
        Flow(
            name: "desk", number: "+18447517629", start: "desk",
            nodes: [
                Node(id: "desk", kind: .transfer(Transfer(
                    destination: "sip:desk@192.0.2.10", prompt: PromptSequence([.prompt("connecting")]), onFailure: "sorry"))),
                Node(id: "sorry", kind: .hangup(Hangup(prompt: PromptSequence([.prompt("callback")]), outcome: "callback"))),
            ])
    }

    @Test func aTransferWithOnFailureWaitsForItsResult() {
        var call = CallStateMachine(flow: Self.deskWithFallback)
        #expect(call.answered(callerID: "+14085550100", dialled: nil, at: t0) == [.play(Playback(id: 1, node: "desk", prompts: ["connecting"], bargeIn: false))])
        #expect(call.promptFinished(1, at: at(2)) == [.transfer(destination: "sip:desk@192.0.2.10")])
        #expect(call.end == nil)
        #expect(call.wakeUp == .transfer(destination: "sip:desk@192.0.2.10"))
        #expect(call.currentNode == "desk")
        #expect(call.disposition(ofKey: "1") == .ignored)
        #expect(call.digitReceived("1", at: at(3)).isEmpty)
        #expect(call.transferCompleted(at: at(4)).isEmpty)
        #expect(call.end == .transferred(destination: "sip:desk@192.0.2.10"))
        #expect(call.transferNode?.onFailure == "sorry")
        #expect(call.transferFailed(at: at(5)).isEmpty)  // Ignored: the call is over.
    }

    @Test func aFailedTransferGoesOnAtOnFailure() {
        var call = CallStateMachine(flow: Self.deskWithFallback)
        _ = call.answered(callerID: "+14085550100", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(2))
        #expect(call.transferFailed(at: at(3)) == [.play(Playback(id: 2, node: "sorry", prompts: ["callback"], bargeIn: false))])
        #expect(call.trail.suffix(2) == [.took(node: "desk", edge: "failure"), .entered(node: "sorry")])
        #expect(call.transferCompleted(at: at(4)).isEmpty)  // Ignored: no transfer under way.
        #expect(call.promptFinished(2, at: at(8)) == [.hangUp(outcome: "callback")])
        #expect(call.end == .completed(outcome: "callback"))
    }

    @Test func hangingUpDuringATransferEndsTheCall() {
        var call = CallStateMachine(flow: Self.deskWithFallback)
        _ = call.answered(callerID: "+14085550100", dialled: nil, at: t0)
        _ = call.promptFinished(1, at: at(2))
        #expect(call.hungUp(at: at(3)).isEmpty)
        #expect(call.end == .callerHungUp)
        #expect(call.transferFailed(at: at(4)).isEmpty)
    }

    @Test func aTransferWithoutOnFailureEndsAtOnce() {
        var call = CallStateMachine(flow: TestFlows.escalation)
        _ = call.answered(callerID: "+14085550100", dialled: nil, at: t0)
        _ = call.digitReceived("0", at: at(1))
        #expect(call.promptFinished(2, at: at(3)) == [.transfer(destination: "operator")])
        #expect(call.end == .transferred(destination: "operator"))
        #expect(call.transferFailed(at: at(4)).isEmpty)  // Ignored: it was no transfer with on_failure.
        #expect(call.end == .transferred(destination: "operator"))
    }
}
