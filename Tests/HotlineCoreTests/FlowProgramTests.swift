import Foundation
import HotlineCore
import HotlineTestSupport
import Testing

/// The state machine runs on the flow's compiled form (`Flow.program`); these check that the
/// compiled templates, conditions, variables and node references answer as the flow's own do.
@Suite struct FlowProgramTests {
    static let t0 = TestFlows.t0

    /// A flow that transfers to `destination` at once.
    static func transfer(to destination: String) -> Flow {
        Flow(name: "t", start: "go", nodes: [Node(id: "go", kind: .transfer(Transfer(destination: destination)))])
    }

    @Test(arguments: [
        "plain text", "", "${a}", "x${a}y${b.c}z", "${missing}x", "unclosed ${a", "${a}${a}", "$${a}}", "{${a}}", "$ {a}",
        "Señor ${nom} — ¿${a}? $5 {x}", "${}", "${a${b.c}}", "${a} and ${", "é${a}\u{301}",
    ])
    func compiledTemplatesRenderAsTemplateRenderDoes(template: String) {
        let variables = ["a": "1", "b.c": "two", "nom": "Müller", "": "empty-name", "a${b.c": "odd"]
        var call = CallStateMachine(flow: Self.transfer(to: template), variables: variables)
        let expected = Template.render(template, variables: variables)
        #expect(call.answered(callerID: "x", dialled: nil, at: Self.t0) == [.transfer(destination: expected)])
    }

    @Test(arguments: [
        Condition.equals(variable: "tier", value: "PLATINUM"), .notEquals(variable: "tier", value: "gold"),
        .oneOf(variable: "tier", values: ["gold", "Platinum"]), .oneOf(variable: "nobody", values: [""]),
        .isSet(variable: "tier"), .isSet(variable: "empty"), .isSet(variable: "nobody"), .lastResult("known"),
        .all([.isSet(variable: "tier"), .not(.equals(variable: "empty", value: "x"))]),
        .any([.withinHours(calendar: "undefined"), .equals(variable: "nobody", value: "")]),
        .not(.any([])), .all([]), .withinHours(calendar: "always"),
    ])
    func compiledConditionsHoldAsConditionsDo(condition: Condition) throws {
        let calendars = ["always": BusinessCalendar.weekdays(name: "always", timeZone: try #require(TimeZone(identifier: "UTC")), open: 0, close: 24)]
        let flow = Flow(
            name: "b", start: "check",
            nodes: [
                Node(id: "check", kind: .branch(Branch(rules: [.init(condition: condition, target: "yes")], otherwise: "no"))),
                Node(id: "yes", kind: .hangup(Hangup(outcome: "yes"))),
                Node(id: "no", kind: .hangup(Hangup(outcome: "no"))),
            ],
            calendars: calendars)
        let variables = ["tier": "platinum", "empty": ""]
        var call = CallStateMachine(flow: flow, variables: variables)
        let expected = condition.holds(variables: variables, lastResult: nil, calendars: calendars, at: Self.t0) ? "yes" : "no"
        #expect(call.answered(callerID: "x", dialled: nil, at: Self.t0) == [.hangUp(outcome: expected)])
        #expect(call.trail.dropFirst().first == .took(node: "check", edge: expected == "yes" ? condition.summary : "else"))
    }

    /// A compiled menu picks the intent `IntentMatcher.match` picks, for ASCII phrases (matched as
    /// bytes) and for a menu with a non-ASCII phrase (matched as words).
    @Test(arguments: [
        "I'd like an Escalation Manager, please", "my MANAGER", "manager escalation", "managers", "", "  ,,, ", "'", "can't",
        "cant stop", "Escalation manager manager", "s’il vous plaît", "Señor manager", "please escalate 2 a manager", "ESCALATE2",
    ])
    func compiledMenusPickTheIntentTheMatcherPicks(utterance: String) {
        let ascii = [
            Menu.Intent(name: "em", phrases: ["escalation manager", "escalate 2"], target: .node("bye")),
            Menu.Intent(name: "manager", phrases: ["manager", "can't"], target: .node("bye")),
            Menu.Intent(name: "also-manager", phrases: ["Manager"], target: .node("bye")),
            Menu.Intent(name: "escalate2", phrases: ["escalate2", ""], target: .node("bye")),
        ]
        let unicode = ascii + [Menu.Intent(name: "fr", phrases: ["s'il vous plaît"], target: .node("bye"))]
        for intents in [ascii, unicode] {
            let flow = Flow(
                name: "m", start: "menu",
                nodes: [
                    Node(id: "menu", kind: .menu(Menu(greeting: .none, options: [], intents: intents, maxFailures: 1, onExhausted: "bye"))),
                    Node(id: "bye", kind: .hangup(Hangup())),
                ])
            var call = CallStateMachine(flow: flow)
            _ = call.answered(callerID: "x", dialled: nil, at: Self.t0)
            _ = call.utteranceReceived(utterance, at: Self.t0)
            let expected = IntentMatcher.match(utterance, intents: intents).map { "say: \($0.name)" } ?? "exhausted"
            #expect(call.trail.dropFirst().first == .took(node: "menu", edge: expected), "\(utterance)")
        }
    }

    /// Variables with a slot (named by the flow or set by an integration) and those without one
    /// (invented by a `set` action or a scenario) all show by name.
    @Test func everyVariableShowsByName() {
        let flow = Flow(
            name: "v", start: "set",
            nodes: [
                Node(id: "set", kind: .action(Action(kind: .setVariables, arguments: ["note": "for ${caller.name}"], next: [.init(outcome: "default", target: "bye")]))),
                Node(id: "bye", kind: .hangup(Hangup())),
            ])
        var call = CallStateMachine(flow: flow, variables: ["caller.name": "Dana", "scenario.only": "1"])
        guard case .perform(let request) = call.answered(callerID: "+1 408", dialled: "555", at: Self.t0).last else {
            Issue.record("no set action")
            return
        }
        #expect(request.arguments == ["note": "for Dana"])
        _ = call.actionCompleted(request.id, result: ActionResult(outcome: "ok", variables: ["note": "for Dana", "case.level": "L2", "scenario.only": ""]), at: Self.t0)
        #expect(call.variables == [
            "caller.name": "Dana", "scenario.only": "", "call.from": "+1 408", "call.number": "555", "note": "for Dana", "case.level": "L2",
        ])
        #expect(call.variable("note") == "for Dana")
        #expect(call.variable("case.level") == "L2")
        #expect(call.variable("nothing") == nil)
    }

    /// A flow changed after it was made runs as changed: its program follows it.
    @Test func aChangedFlowRunsAsChanged() {
        var flow = Flow(
            name: "c", start: "a",
            nodes: [Node(id: "a", kind: .hangup(Hangup(outcome: "a"))), Node(id: "b", kind: .hangup(Hangup(outcome: "b")))])
        func outcome() -> [CallAction] {
            var call = CallStateMachine(flow: flow)
            return call.answered(callerID: "x", dialled: nil, at: Self.t0)
        }
        #expect(outcome() == [.hangUp(outcome: "a")])
        flow.start = "b"
        #expect(outcome() == [.hangUp(outcome: "b")])
        flow.nodes["b"] = Node(id: "b", kind: .transfer(Transfer(destination: "operator")))
        #expect(outcome() == [.transfer(destination: "operator")])
        flow.start = "nowhere"
        var call = CallStateMachine(flow: flow)
        #expect(call.answered(callerID: "x", dialled: nil, at: Self.t0) == [.hangUp(outcome: "failed")])
        #expect(call.end == .failed(reason: "node 'nowhere' does not exist"))
    }
}
