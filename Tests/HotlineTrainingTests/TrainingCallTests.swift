import Foundation
import HotlineApp
import HotlineTraining
import Testing

/// The training call's state machine and scoring, pure: the persona's reactions never leave a call
/// stuck, disclosing another account's case always fails, scoring is deterministic.
@Suite struct TrainingCallTests {
    static let persona: Persona = {
        let text = """
            caller: "+1 212 555 0199"
            at: 2026-12-02T15:00:00Z
            keys: ["1", "2"]
            account: "100002"
            case: "00412345"
            patience: 60s
            needs: { escalation: true, priority: P1 }
            knows: { name: Ravi Menon, account: "100002" }
            """
        return (try? Persona.load(text: text, path: "ravi.yaml")) ?? Persona.placeholder
    }()
    static let start = Date(timeIntervalSince1970: 1_796_223_600)

    static var pool: [DeskAction] {
        [
            .ask("name"), .ask("account"), .verify(name: "Ravi Menon", account: "100002"), .lookup(case: "00412345"), .disclose(case: "00412345"),
            .disclose(case: "00345678"), .refuse("no"), .comment(case: "00412345", text: "wrap"), .changePriority(case: "00412345", to: "P1", reason: ""),
            .changePriority(case: "00412345", to: "P1", reason: "outage"), .escalate(case: "00412345", reason: "asked"), .problemReport(case: "00412345", summary: "bug"),
            .raiseLevel(case: "00412345", reason: "hard"), .openCase(priority: "P1", skill: "vpn", summary: "down"), .transfer("gsc"), .hold, .resume,
            .nextStep("we call back"), .say("hm"), .close(case: "00412345", note: "solved"), .end,
        ]
    }

    /// What the product would say: a fake outcome, enough for the persona's side.
    static func outcome(_ action: DeskAction) -> DeskOutcome {
        switch action {
        case .ask(let what): .done(.asked(what), note: "")
        case .verify: .done(.verified(account: "100002"), note: "")
        case .lookup: .done(.said, note: "")
        case .disclose(let number): .done(.disclosed(case: number, account: number == "00345678" ? "100001" : "100002"), note: "")
        case .refuse: .done(.refused, note: "")
        case .comment(let number, _): .done(.commented(case: number), note: "")
        case .changePriority(let number, let to, let reason): .done(.priorityChanged(case: number, to: to, reason: reason), note: "")
        case .escalate(let number, let reason): .done(.escalated(case: number, reason: reason, paged: 1, targetMinutes: 60), note: "")
        case .problemReport: .failed("the case is at L1; a Problem Report needs L3")
        case .raiseLevel(let number, _): .done(.levelRaised(case: number, to: "L2"), note: "")
        case .close(let number, _): .done(.closed(case: number), note: "")
        case .openCase(let priority, _, _): .done(.caseOpened(case: "00700001", priority: priority), note: "")
        case .transfer(let to): .done(.transferred(to: to), note: "")
        case .hold: .done(.held, note: "")
        case .resume: .done(.resumed, note: "")
        case .nextStep: .done(.toldNextStep, note: "")
        case .say: .done(.said, note: "")
        case .end: .done(.ended, note: "")
        }
    }

    static func play(_ actions: [(Double, DeskAction)]) -> TrainingCall {
        var call = TrainingCall(persona: persona, dialledAt: start)
        call.pickedUp(at: start.addingTimeInterval(30))
        var now = start.addingTimeInterval(30)
        for (gap, action) in actions {
            now = now.addingTimeInterval(gap)
            call.timePasses(to: now)
            switch call.decide(action, at: now) {
            case .perform: call.performed(action, outcome: outcome(action), at: now)
            case .refuse(let reason): call.refused(action, because: reason, at: now)
            }
        }
        call.scriptEnded(at: now)
        return call
    }

    static func randomScript(seed: UInt64) -> [(Double, DeskAction)] {
        var generator = SplitMix64(seed: seed)
        let count = Int(generator.next() % 25)
        return (0..<count).map { _ in (Double(generator.next() % 90), pool[Int(generator.next() % UInt64(pool.count))]) }
    }

    @Test(arguments: 0..<300)
    func randomDeskActionsNeverLeaveTheCallStuck(seed: Int) {
        let script = Self.randomScript(seed: UInt64(seed))
        let call = Self.play(script)
        #expect(call.isOver, "seed \(seed): \(call.state)")
        // Every desk action is answered in the timeline: done or refused, never dropped.
        #expect(call.timeline.filter { $0.who == .desk }.count == script.count, "seed \(seed)")
        // Time never runs backwards in the transcript.
        let offsets = call.timeline.map(\.offset)
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "seed \(seed): \(offsets)")
        // The last word is the caller's or a refusal: a reaction comes after every performed action.
        #expect(call.timeline.last.map { $0.who != .desk } == true)
    }

    @Test(arguments: 0..<200)
    func disclosingAnotherAccountsCaseAlwaysFailsThatCheck(seed: Int) throws {
        var script = Self.randomScript(seed: UInt64(seed))
        // Whatever else the trainee does, a disclosure of Acme's case while the caller is listening.
        script.insert((1, .disclose(case: "00345678")), at: script.count / 2)
        script.insert((1, .resume), at: script.count / 2)
        let call = Self.play(script)
        let leaked = call.timeline.contains { if case .disclosed(_, "100001") = $0.fact { return true }; return false }
        let debrief = Scoring.score(timeline: call.timeline, persona: Self.persona, rubric: try Repo.rubric(), trainee: "t")
        let check = try #require(debrief.checks.first { $0.id == "no-other-account" })
        #expect(check.passed == !leaked, "seed \(seed)")
        if leaked { #expect(debrief.score < 100) }
    }

    @Test func scoringIsAPureFunctionOfTheTimeline() throws {
        let script = Self.randomScript(seed: 42)
        let first = Scoring.score(timeline: Self.play(script).timeline, persona: Self.persona, rubric: try Repo.rubric(), trainee: "t")
        let again = Scoring.score(timeline: Self.play(script).timeline, persona: Self.persona, rubric: try Repo.rubric(), trainee: "t")
        #expect(first == again)
    }

    @Test func aPersonaOnHoldLongerThanItsPatienceHangsUpAtThatMoment() {
        let call = Self.play([(5, .hold), (90, .resume), (5, .nextStep("later"))])
        #expect(call.state == .over(.callerHungUp))
        let gone = call.timeline.first { $0.fact == .callerHungUp(onHold: true) }
        #expect(abs((gone?.offset ?? 0) - (30 + 5 + 60)) < 0.001, "\(String(describing: gone))")
        #expect(call.timeline.contains { $0.text.contains("the call is over") })
    }

    @Test func spokenActionsWaitWhileTheCallerIsOnHold() {
        let call = Self.play([(5, .hold), (5, .nextStep("soon")), (5, .resume), (5, .nextStep("soon")), (5, .end)])
        #expect(call.timeline.filter { $0.fact == .toldNextStep }.count == 1)
        #expect(call.timeline.contains { $0.text.contains("on hold: resume first") })
        #expect(call.state == .over(.trainee))
    }

    @Test func theDeskReadsTypedCommands() throws {
        #expect(try DeskCommand.parse("verify Ravi Menon 100002").get() == .verify(name: "Ravi Menon", account: "100002"))
        #expect(try DeskCommand.parse("priority 00412345 p1 all users down").get() == .changePriority(case: "00412345", to: "P1", reason: "all users down"))
        #expect(try DeskCommand.parse("escalate 00412345").get() == .escalate(case: "00412345", reason: ""))
        guard case .failure(let problem) = DeskCommand.parse("escalte 00412345") else { Issue.record("accepted a typo"); return }
        #expect(problem.description.contains("did you mean 'escalate'"))
        guard case .failure = DeskCommand.parse("transfer engineering") else { Issue.record("accepted a bad queue"); return }
        #expect(try DeskCommand.parse("close 00345679 solved on the phone").get() == .close(case: "00345679", note: "solved on the phone"))
        #expect(try DeskCommand.parse("close 00345679").get() == .close(case: "00345679", note: ""))
        guard case .failure(let bare) = DeskCommand.parse("close") else { Issue.record("accepted close without a case"); return }
        #expect(bare.description == "usage: close CASE [NOTE]")
    }
}
