import Foundation
import HotlineCore

/// A scripted call: who calls, when, and what the caller does and expects — the way SIPp scenarios
/// and ivr-tester tests script calls, as a YAML file.
public struct Scenario: Sendable {
    public var name: String
    /// The scenario file.
    public var file: String
    /// The flow file, when the scenario names its own (else the runner's `--flow`).
    public var flow: String?
    public var callerID: String
    /// The instant the call is placed.
    public var at: Date
    /// Data overrides for this call: a rota (`rota:`) or an agents file (`agents:`), to script what
    /// the line does when nobody is on call or nobody is staffed.
    public var rota: String?
    public var agents: String?
    /// Where the scenario's throwaway database lives (`database:`): in memory (the default, fast)
    /// or in a file (`file`: a real SQLite file in WAL mode, for durability tests).
    public var database: ScenarioDatabase = .memory
    /// Call variables set before the call starts — what an outbound call knows (`page.id`, `case.number`).
    public var variables: [String: String]
    public var steps: [Step]
    /// Done on the line, in order, before the call is answered (`before:`).
    public var before: [Operation] = []
    /// Transfers to these destinations fail (`failing_transfers:`), as a refused REFER does on a SIP
    /// line: a transfer node with `on_failure` goes on there, one without still ends `transferred`.
    public var failingTransfers: Set<String> = []

    public init(name: String, file: String, flow: String? = nil, callerID: String, at: Date, rota: String? = nil, agents: String? = nil, variables: [String: String] = [:], steps: [Step]) {
        self.name = name
        self.file = file
        self.flow = flow
        self.callerID = callerID
        self.at = at
        self.rota = rota
        self.agents = agents
        self.variables = variables
        self.steps = steps
    }

    /// Where a scenario's copy of the seeded template lives.
    public enum ScenarioDatabase: String, Sendable, Hashable, CaseIterable {
        /// An in-memory copy: nothing written to disk (the default).
        case memory
        /// A copy in a file of its own (WAL, the durable settings of a real line), deleted afterwards.
        case file
    }

    /// One line of the script.
    public struct Step: Sendable {
        public var action: StepAction
        public var location: SourceLocation
        public init(_ action: StepAction, at location: SourceLocation) {
            self.action = action
            self.location = location
        }
    }
}

/// What a script step does or checks.
public indirect enum StepAction: Sendable {
    /// A prompt is heard (now or later, before the caller's next action).
    case expectPrompt(PromptMatch)
    /// Press keys; by default once the flow waits for input, or at once (barge-in) with `duringPrompt`.
    case press(keys: String, gap: Duration, duringPrompt: Bool)
    /// Say a phrase, with the same timing rules as `press`.
    case say(String, duringPrompt: Bool)
    /// Say nothing for a while.
    case silence(Duration)
    /// The caller hangs up.
    case hangUp
    /// The call passes through a node.
    case expectNode(String)
    /// An integration ran, with this outcome if given.
    case expectAction(ActionKind, outcome: String?)
    /// The caller is queued, answered by this agent if given.
    case expectQueue(String, agent: String?)
    /// The call is transferred to this destination (the agent's name for `agent` transfers).
    case expectTransfer(String)
    /// The call ends this way (`completed`, `transferred`, `callback`, `caller-hung-up`, …).
    case expectEnd(String)
    /// A call variable has this value.
    case expectVariable(String, equals: String)
    /// A fact holds in the systems behind the call (the case store, the pages).
    case expectFact(Fact)
    /// The expectation has NOT happened: once the call next waits for the caller (or ends), nothing
    /// in the whole call so far matches it (`expect_not:`).
    case expectNot(StepAction)
    /// The expectation happened exactly this many times in the whole call so far, counted once
    /// the call next waits for the caller or ends (`times:`). Prompts, nodes, actions, queues and
    /// transfers can be counted.
    case expectCount(StepAction, times: Int)

    /// Whether the step checks something rather than acting for the caller.
    public var isExpectation: Bool {
        switch self {
        case .press, .say, .silence, .hangUp: false
        case .expectPrompt, .expectNode, .expectAction, .expectQueue, .expectTransfer, .expectEnd, .expectVariable, .expectFact,
            .expectNot, .expectCount:
            true
        }
    }

    /// A short rendering for failure reports.
    public var summary: String {
        switch self {
        case .expectPrompt(let match): "expect prompt \(match)"
        case .press(let keys, _, let during): "press \(keys)\(during ? " (during the prompt)" : "")"
        case .say(let text, _): "say \"\(text)\""
        case .silence(let duration): "silence \(CallLogEntry.format(duration))"
        case .hangUp: "hang up"
        case .expectNode(let node): "expect node \(node)"
        case .expectAction(let kind, let outcome): "expect action \(kind.rawValue)" + (outcome.map { " → \($0)" } ?? "")
        case .expectQueue(let queue, let agent): "expect queue \(queue)" + (agent.map { " answered by \($0)" } ?? "")
        case .expectTransfer(let destination): "expect transfer to \(destination)"
        case .expectEnd(let outcome): "expect the call to end: \(outcome)"
        case .expectVariable(let name, let value): "expect \(name) = \(value)"
        case .expectFact(let fact): "expect \(fact)"
        case .expectNot(let inner): "expect not: " + inner.summary.replacingOccurrences(of: "expect ", with: "", options: .anchored)
        case .expectCount(let inner, let times): inner.summary + " \(times == 1 ? "once" : "\(times) times")"
        }
    }
}

/// How an expected prompt is recognised.
public enum PromptMatch: Sendable, CustomStringConvertible {
    /// One of the prompt ids played.
    case id(String)
    /// The transcript contains this text (case-insensitive).
    case contains(String)
    /// The transcript matches this regular expression.
    case regex(String)

    /// How many of `prompts` the match takes up: up to and including the prompt it ends in, so the
    /// next expectation can look at the rest of the same utterance. `nil` when it does not match.
    public func end(in prompts: [String], texts: [String]) -> Int? {
        let range: Range<String.Index>?
        let text = texts.joined(separator: " ")
        switch self {
        case .id(let id): return prompts.firstIndex(of: id).map { $0 + 1 }
        case .contains(let fragment): range = text.range(of: fragment, options: [.caseInsensitive, .diacriticInsensitive])
        case .regex(let pattern): range = text.range(of: pattern, options: .regularExpression)
        }
        guard let range else { return nil }
        let endOffset = text.distance(from: text.startIndex, to: range.upperBound)
        var consumed = 0
        for (index, piece) in texts.enumerated() {
            consumed += piece.count + (index == 0 ? 0 : 1)
            if endOffset <= consumed { return index + 1 }
        }
        return texts.count
    }

    public var description: String {
        switch self {
        case .id(let id): id
        case .contains(let fragment): "containing \"\(fragment)\""
        case .regex(let pattern): "matching /\(pattern)/"
        }
    }
}
