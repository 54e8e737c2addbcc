import Foundation
import HotlineCore

/// Small flows built in code, so the state machine is tested without the YAML reader.
public enum TestFlows {
    public static let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    /// main (menu) → 1: case (collect, validated) → confirm (play read-back) → escalate (action) → bye.
    public static var escalation: Flow {
        Flow(
            name: "test", number: "+18447517629", start: "main",
            nodes: [
                Node(id: "main", kind: .menu(Menu(
                    greeting: PromptSequence([.prompt("main.greeting")]),
                    shortGreeting: PromptSequence([.prompt("main.short")]),
                    options: [
                        .init(key: "1", target: .node("case")),
                        .init(key: "*", target: .repeatMenu),
                        .init(key: "0", target: .node("operator")),
                        .init(key: "42", target: .node("bye")),
                        .init(key: "4", target: .node("operator")),
                    ],
                    intents: [
                        .init(name: "escalation", phrases: ["escalation manager", "escalate"], target: .node("case")),
                        .init(name: "operator", phrases: ["operator"], target: .node("operator")),
                    ],
                    invalidPrompt: PromptSequence([.prompt("system.invalid")]),
                    noInputPrompt: PromptSequence([.prompt("system.no-input")]),
                    onExhausted: "operator"))),
                Node(id: "case", kind: .collect(Collect(
                    prompt: PromptSequence([.prompt("enter-case")]), variable: "case.number",
                    minLength: 8, maxLength: 8, invalidPrompt: PromptSequence([.prompt("case-invalid")]),
                    validation: .validateCase, rejectedPrompt: PromptSequence([.prompt("case-not-found")]),
                    next: "confirm", onExhausted: "operator"))),
                Node(id: "confirm", kind: .play(Play(prompts: PromptSequence([.prompt("case-is"), .digits(variable: "case.number")]), next: "escalate"))),
                Node(id: "escalate", kind: .action(Action(
                    kind: .recordEscalation, arguments: ["case": "${case.number}", "reason": "asked"],
                    next: [.init(outcome: "recorded", target: "bye"), .init(outcome: "error", target: "operator")]))),
                Node(id: "operator", kind: .transfer(Transfer(destination: "operator", prompt: PromptSequence([.prompt("operator")])))),
                Node(id: "bye", kind: .hangup(Hangup(prompt: PromptSequence([.prompt("goodbye")])))),
            ])
    }

    /// The escalation flow behind an `identify_caller` node, as real flows start.
    public static var identifiedEscalation: Flow {
        var flow = escalation
        let identify = Node(id: "identify", kind: .action(Action(kind: .identifyCaller, next: [.init(outcome: "default", target: "main")])))
        flow.nodes["identify"] = identify
        flow.order.insert("identify", at: 0)
        flow.start = "identify"
        return flow
    }
}
