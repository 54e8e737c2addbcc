import Foundation
import HotlineCore
import HotlineRuntime
import HotlineTestSupport
import Testing

/// Fixed prompt lengths, so virtual times are exact.
struct FixedLengths: PromptLengths {
    var perPrompt: Duration = .seconds(2)
    func duration(ofPrompts ids: [String]) -> Duration { perPrompt * ids.count }
}

@Suite struct VirtualCallTests {
    @Test func aWholeEscalationRunsInVirtualTimeAndLeavesACallRecord() {
        let systems = FakeSystems()
        var call = VirtualCall(
            flow: TestFlows.identifiedEscalation, integrations: systems.integrations, callerID: "+14085550100",
            at: TestFlows.t0, lengths: FixedLengths(), catalog: nil)
        call.answer()
        #expect(call.isPlaying)
        call.advance(by: .seconds(2))  // the greeting ends; the menu waits for a key
        #expect(call.isWaitingForInput)
        call.press("1")
        call.advance(by: .seconds(2))
        for key in "00345678" { call.press(key) }
        // Validation (fakes answer at once), read-back (9 prompts), escalation, goodbye.
        call.runToEnd()
        #expect(call.machine.end == .completed(outcome: "completed"))
        #expect(systems.escalations.map(\.caseNumber) == ["00345678"])
        #expect(systems.calls.count == 1)
        let record = systems.calls[0]
        #expect(record.path == ["identify", "main", "case", "confirm", "escalate", "bye"])
        #expect(record.caseNumber == "00345678")
        // 2 s greeting + 2 s case prompt + 18 s read-back + 2 s goodbye.
        #expect(record.endedAt.timeIntervalSince(record.startedAt) == 24)
        #expect(call.transcript.contains("press   1"))
    }

    @Test func silenceTimersFireInVirtualTimeWithoutWaiting() {
        let systems = FakeSystems()
        var call = VirtualCall(flow: TestFlows.identifiedEscalation, integrations: systems.integrations, callerID: "+1", at: TestFlows.t0, lengths: FixedLengths(), catalog: nil)
        call.answer()
        let started = Date()
        call.advance(by: .seconds(600))
        #expect(Date().timeIntervalSince(started) < 5, "ten virtual minutes must not take real minutes")
        // Three silences (5 s each after each prompt) exhaust the menu; the operator transfer follows.
        #expect(call.machine.end == .transferred(destination: "operator"))
        let timeouts = call.log.filter { if case .timedOut = $0.event { true } else { false } }
        #expect(timeouts.count == 3)
    }

    @Test func anIntegrationFailureTakesTheErrorOutcomeInsteadOfHanging() {
        let systems = FakeSystems()
        var call = VirtualCall(flow: TestFlows.identifiedEscalation, integrations: systems.integrations, callerID: "+14085550100", at: TestFlows.t0, lengths: FixedLengths(), catalog: nil)
        call.answer()
        call.press("1")
        call.advance(by: .seconds(2))
        for key in "0034567" { call.press(key) }
        systems.failure = FakeSystems.Failure()
        call.press("8")
        call.runToEnd()
        // The validation failed: the collect gives up to its exhausted destination (the operator).
        #expect(call.machine.end == .transferred(destination: "operator"))
        #expect(call.log.contains { if case .performed(_, .validateCase, "error", _) = $0.event { true } else { false } })
        // The store is still failing when the call ends: the lost call record is said, not swallowed.
        #expect(systems.calls.isEmpty)
        #expect(call.transcript.contains("the call record was not saved: the fake integration was told to fail"))
    }

    @Test func callerHangUpEndsTheCallAndIsRecorded() {
        let systems = FakeSystems()
        var call = VirtualCall(flow: TestFlows.identifiedEscalation, integrations: systems.integrations, callerID: "+1", at: TestFlows.t0, lengths: FixedLengths(), catalog: nil)
        call.answer()
        call.advance(by: .seconds(1))
        call.hangUp()
        #expect(call.machine.end == .callerHungUp)
        #expect(systems.calls.first?.outcome == "caller-hung-up")
        #expect(call.nextWakeUp == nil)
    }
}

@Suite struct ScenarioRunnerTests {
    struct FakeEnvironment: ScenarioEnvironment {
        func prepare(for scenario: Scenario) throws -> PreparedEnvironment {
            let systems = FakeSystems()
            return PreparedEnvironment(integrations: systems.integrations, facts: systems)
        }
    }

    /// Runs scenarios on the in-code escalation flow with fakes and 2-second prompts.
    struct Runner {
        let runner = ScenarioRunner(defaultFlow: "test.yaml", environment: FakeEnvironment(), lengths: { _ in FixedLengths() })
        func run(_ scenario: Scenario) -> ScenarioResult {
            runner.run(scenario, on: TestFlows.identifiedEscalation, catalog: nil, flowPath: "test.yaml")
        }
    }

    func scenario(_ steps: [StepAction]) -> Scenario {
        Scenario(
            name: "test", file: "test.yaml", callerID: "+14085550100", at: TestFlows.t0,
            steps: steps.enumerated().map { .init($1, at: SourceLocation(file: "test.yaml", line: $0 + 5, column: 5)) })
    }

    @Test func aScriptedEscalationPasses() {
        let script = Runner()
        let result = script.run(scenario([
            .expectPrompt(.id("main.greeting")),
            .say("I'd like an escalation manager please", duringPrompt: false),
            .expectPrompt(.id("enter-case")),
            .press(keys: "00345678", gap: .milliseconds(300), duringPrompt: false),
            .expectPrompt(.id("digit.8")),
            .expectAction(.recordEscalation, outcome: "recorded"),
            .expectFact(.caseStatus(caseNumber: "00345678", status: "escalated")),
            .expectFact(.caseFeed(caseNumber: "00345678", kind: "escalation", channel: "phone")),
            .expectEnd("completed"),
        ]))
        #expect(result.passed, "\(ScenarioReport.failureDetail(result))")
    }

    @Test func aWrongExpectationFailsAtItsLineWithTheTranscript() {
        let script = Runner()
        let result = script.run(scenario([
            .expectPrompt(.id("main.greeting")),
            .press(keys: "0", gap: .zero, duringPrompt: false),
            .expectPrompt(.id("enter-case")),
        ]))
        #expect(!result.passed)
        #expect(result.failure?.location?.line == 7)
        let detail = ScenarioReport.failureDetail(result)
        #expect(detail.contains("not heard"))
        #expect(detail.contains("operator"))
        #expect(detail.contains("press   0"))
    }

    @Test func aWrongFactFailsWithWhatWasObserved() {
        let script = Runner()
        let result = script.run(scenario([
            .press(keys: "0", gap: .zero, duringPrompt: false),
            .expectFact(.caseStatus(caseNumber: "00345678", status: "escalated")),
        ]))
        #expect(result.failure?.message.contains("status open") == true)
    }

    /// Issue 12 #25: a scenario can say that something did not happen, or happened so many times.
    @Test func negativeAndCountedExpectationsPassWhenTrue() {
        let result = Runner().run(scenario([
            .press(keys: "1", gap: .zero, duringPrompt: false),
            .expectNot(.expectPrompt(.id("operator"))),
            .press(keys: "00345678", gap: .milliseconds(300), duringPrompt: false),
            .expectCount(.expectAction(.recordEscalation, outcome: "recorded"), times: 1),
            .expectCount(.expectPrompt(.id("main.greeting")), times: 1),
            .expectNot(.expectFact(.pageSent(to: nil, caseNumber: "00345678", level: nil))),
            .expectEnd("completed"),
        ]))
        #expect(result.passed, "\(ScenarioReport.failureDetail(result))")
    }

    @Test func aNegativeExpectationFailsWhenItHappenedAndSaysWhen() {
        let result = Runner().run(scenario([
            .press(keys: "0", gap: .zero, duringPrompt: false),
            .expectNot(.expectPrompt(.id("operator"))),
        ]))
        #expect(result.failure?.location?.line == 6)
        #expect(result.failure?.message.contains("it happened: heard operator at") == true, "\(String(describing: result.failure))")
    }

    @Test func aCountedExpectationFailsWithTheCountSeen() {
        let result = Runner().run(scenario([
            .press(keys: "7", gap: .zero, duringPrompt: false),
            .expectCount(.expectPrompt(.id("main.greeting")), times: 2),
        ]))
        #expect(result.failure?.message.contains("it happened once") == true, "\(String(describing: result.failure))")
    }

    @Test func junitAndSummaryCountWhatHappened() throws {
        let script = Runner()
        let results = [
            script.run(scenario([.press(keys: "0", gap: .zero, duringPrompt: false), .expectTransfer("operator")])),
            script.run(scenario([.expectTransfer("nowhere")])),
        ]
        #expect(ScenarioReport.summary(results) == "1 passed, 1 failed")
        let xml = ScenarioReport.junit(results)
        #expect(xml.contains("tests=\"2\" failures=\"1\""))
        #expect(xml.components(separatedBy: "<failure ").count == 2)
        let coverage = FlowCoverage(flow: TestFlows.identifiedEscalation, path: "test.yaml", results: results)
        #expect(coverage.unvisitedNodes.contains("case"))
        #expect(!coverage.unvisitedNodes.contains("operator"))
        #expect(coverage.unvisitedOptions.contains("main: 1"))
        #expect(!coverage.unvisitedOptions.contains("main: 0"))
    }
}
