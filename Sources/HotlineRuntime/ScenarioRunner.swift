import Foundation
import HotlineCore
import HotlineFlowFile
import Synchronization

/// What a scenario runs against: the integrations (fresh for each scenario, so scenarios never see
/// each other's escalations), the facts behind them, and how long prompts play.
public protocol ScenarioEnvironment: Sendable {
    func prepare(for scenario: Scenario) throws -> PreparedEnvironment
}

/// The systems one scenario's call talks to.
public struct PreparedEnvironment: Sendable {
    public var integrations: Integrations
    public var facts: any FactChecker
    /// Lets systems with timers of their own (paging timeouts) catch up to the call's instant;
    /// run before facts are checked and after silences.
    public var advance: @Sendable (Date) throws -> Void
    /// Called once the scenario is over (removes its temporary database, …).
    public var cleanup: @Sendable () -> Void
    /// Does the scenario's `before:` operations; `nil` when these systems cannot.
    public var operations: (any ScenarioOperations)?

    public init(
        integrations: Integrations, facts: any FactChecker, advance: @escaping @Sendable (Date) throws -> Void = { _ in },
        cleanup: @escaping @Sendable () -> Void = {}
    ) {
        self.integrations = integrations
        self.facts = facts
        self.advance = advance
        self.cleanup = cleanup
    }
}

/// How one scenario went.
public struct ScenarioResult: Sendable {
    public var scenario: Scenario
    /// `nil` when it passed.
    public var failure: Failure?
    public var transcript: [CallLogEntry]
    public var trail: [TrailStep]
    /// The flow file the call ran on.
    public var flowPath: String
    /// Virtual time the call took.
    public var callDuration: Duration
    /// Real time the scenario took to run.
    public var wallSeconds: Double

    public var passed: Bool { failure == nil }

    /// Where and why a scenario failed.
    public struct Failure: Sendable, CustomStringConvertible {
        public var location: SourceLocation?
        public var step: String
        public var message: String
        public var description: String {
            (location.map { "\($0): " } ?? "") + "\(step): \(message)"
        }
    }
}

/// Runs scenario files against a flow in virtual time.
public struct ScenarioRunner: Sendable {
    public var defaultFlow: String
    public var environment: any ScenarioEnvironment
    /// How long prompts play; answered from the WAVs when the audio layer is wired in.
    public var lengths: @Sendable (PromptCatalog?) -> any PromptLengths
    /// The longest a call may go on with nothing happening before the runner calls it stuck.
    public var patience: Duration = .seconds(1800)
    private let flows = FlowCache()
    /// Prompt lengths per flow file: measuring them reads every WAV of the catalog, which cost more
    /// than the scripted call itself when it was done for every scenario.
    private let lengthsByFlow = LengthsCache()

    public init(defaultFlow: String, environment: any ScenarioEnvironment, lengths: @escaping @Sendable (PromptCatalog?) -> any PromptLengths = { EstimatedPromptLengths(catalog: $0) }) {
        self.defaultFlow = defaultFlow
        self.environment = environment
        self.lengths = lengths
    }

    /// Runs scenarios on `jobs` threads; results come back in the scenarios' order. `finished` is
    /// called (on the thread that ran it) as each scenario ends: a progress line counts them.
    public func run(_ scenarios: [Scenario], jobs: Int, finished: @Sendable () -> Void = {}) -> [ScenarioResult] {
        let results = Slots<ScenarioResult>(count: scenarios.count)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, scenarios.count))) { _ in
            while let index = next.take(below: scenarios.count) {
                results.set(index, run(scenarios[index]))
                finished()
            }
        }
        return results.all
    }

    public func run(_ scenario: Scenario) -> ScenarioResult {
        let flowPath = scenario.flow ?? defaultFlow
        do {
            let loaded = try flows.load(flowPath)
            let lengths = lengthsByFlow.lengths(flowPath) { self.lengths(loaded.catalog) }
            return run(scenario, on: loaded.flow, catalog: loaded.catalog, lengths: lengths, flowPath: flowPath, callerOnly: false, follower: nil)
        } catch {
            return ScenarioResult(
                scenario: scenario, failure: .init(location: nil, step: "setup", message: String(describing: error)), transcript: [],
                trail: [], flowPath: flowPath, callDuration: .zero, wallSeconds: 0)
        }
    }

    /// Runs a scenario on a flow already in memory.
    ///
    /// With `callerOnly`, only the caller's side of the script is played (keys, phrases, silences,
    /// hang-up) and its expectations are skipped; the call then runs to its end. The call-centre
    /// simulation uses scenario files this way, as the behaviour of generated callers.
    ///
    /// A `follower` watches the call as it happens (the demo paces it on a real clock and plays it).
    public func run(
        _ scenario: Scenario, on flow: Flow, catalog: PromptCatalog?, flowPath: String, callerOnly: Bool = false, follower: CallFollower? = nil
    ) -> ScenarioResult {
        run(scenario, on: flow, catalog: catalog, lengths: lengths(catalog), flowPath: flowPath, callerOnly: callerOnly, follower: follower)
    }

    private func run(
        _ scenario: Scenario, on flow: Flow, catalog: PromptCatalog?, lengths: any PromptLengths, flowPath: String, callerOnly: Bool,
        follower: CallFollower?
    ) -> ScenarioResult {
        let started = DispatchTime.now()
        let prepared: PreparedEnvironment
        do {
            prepared = try environment.prepare(for: scenario)
        } catch {
            return ScenarioResult(
                scenario: scenario, failure: .init(location: nil, step: "setup", message: String(describing: error)), transcript: [],
                trail: [], flowPath: flowPath, callDuration: .zero, wallSeconds: Self.seconds(since: started))
        }
        defer { prepared.cleanup() }
        // `before:` is the line's side, not the caller's: a caller-only run leaves it out.
        for operation in scenario.before where !callerOnly {
            do {
                guard let operations = prepared.operations else {
                    throw ScenarioOperationError(message: "these systems cannot do `before:` operations (fix: run it with hotline test on the line's systems)")
                }
                try operations.perform(operation.kind, at: scenario.at)
            } catch {
                return ScenarioResult(
                    scenario: scenario, failure: .init(location: operation.location, step: operation.summary, message: String(describing: error)),
                    transcript: [], trail: [], flowPath: flowPath, callDuration: .zero, wallSeconds: Self.seconds(since: started))
            }
        }

        var script = Script(
            call: VirtualCall(
                flow: flow, integrations: prepared.integrations, callerID: scenario.callerID, at: scenario.at,
                lengths: lengths, catalog: catalog, variables: scenario.variables),
            facts: prepared.facts, advance: prepared.advance, patience: patience)
        script.call.follower = follower
        script.call.failingTransfers = scenario.failingTransfers
        script.call.answer()
        var failure: ScenarioResult.Failure?
        for step in scenario.steps where !(callerOnly && step.action.isExpectation) {
            if let message = script.perform(step.action) {
                failure = .init(location: step.location, step: step.action.summary, message: message)
                break
            }
        }
        if callerOnly { script.call.runToEnd() }
        if script.call.machine.end == nil { script.call.hangUp() }
        return ScenarioResult(
            scenario: scenario, failure: failure, transcript: script.call.log, trail: script.call.machine.trail,
            flowPath: flowPath, callDuration: .seconds(script.call.now.timeIntervalSince(scenario.at)),
            wallSeconds: Self.seconds(since: started))
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// The caller's side of one scripted call.
struct Script {
    var call: VirtualCall
    let facts: any FactChecker
    let advance: @Sendable (Date) throws -> Void
    let patience: Duration
    /// Where the next prompt expectation starts looking: prompts before this log entry (and, within
    /// it, before this prompt) were heard already, or before the caller's last action.
    var promptCursor = PromptPosition(entry: 0, prompt: 0)

    struct PromptPosition {
        var entry: Int
        var prompt: Int
    }

    /// The position just after the first prompt at or after the cursor that matches. Several prompts
    /// played as one utterance can be expected one by one; text matches take the whole utterance.
    func findPrompt(_ match: PromptMatch) -> PromptPosition? {
        var index = promptCursor.entry
        while index < call.log.count {
            if case .heard(_, let prompts, let texts, _) = call.log[index].event {
                let first = index == promptCursor.entry ? promptCursor.prompt : 0
                if first < prompts.count, let end = match.end(in: Array(prompts[first...]), texts: Array(texts[first...])) {
                    return PromptPosition(entry: index, prompt: first + end)
                }
            }
            index += 1
        }
        return nil
    }

    /// Performs one step; returns why it failed, or `nil`.
    mutating func perform(_ action: StepAction) -> String? {
        switch action {
        case .expectPrompt(let match):
            guard let found = waitFor({ script in script.findPrompt(match) }) else { return "not heard; \(heardSinceCursor())" }
            promptCursor = found
            return nil
        case .press(let keys, let gap, let duringPrompt):
            if !duringPrompt, let problem = waitForInputRequest() { return problem }
            promptCursor = PromptPosition(entry: call.log.count, prompt: 0)
            for (offset, key) in keys.enumerated() {
                if offset > 0 { call.advance(by: gap) }
                guard call.machine.end == nil else { return "the call ended before key \(offset + 1) of \(keys)" }
                call.press(key)
            }
            return nil
        case .say(let text, let duringPrompt):
            if !duringPrompt, let problem = waitForInputRequest() { return problem }
            promptCursor = PromptPosition(entry: call.log.count, prompt: 0)
            call.say(text)
            return nil
        case .silence(let duration):
            call.advance(by: duration)
            do {
                try advance(call.now)
            } catch {
                return "the systems behind the call could not catch up: \(error)"
            }
            return nil
        case .hangUp:
            call.hangUp()
            return nil
        case .expectNode(let node):
            let found = waitFor { script in script.call.machine.trail.contains(.entered(node: node)) ? true : nil }
            return found == nil ? "the call never entered \(node); it went \(path())" : nil
        case .expectAction(let kind, let outcome):
            var seen: [String] = []
            let found = waitFor { script in
                for entry in script.call.log {
                    if case .performed(_, kind, let actual, _) = entry.event {
                        if outcome == nil || actual == outcome { return true }
                        seen.append(actual)
                    }
                }
                return nil
            }
            if found != nil { return nil }
            return seen.isEmpty ? "\(kind.rawValue) never ran" : "\(kind.rawValue) ended \(Set(seen).sorted().joined(separator: ", "))"
        case .expectQueue(let queue, let agent):
            var seen = "the caller was never queued"
            let found = waitFor { script in
                for entry in script.call.log {
                    if case .queued(let name, let actual, let overflow, _) = entry.event {
                        seen = "queued in \(name): " + (actual.map { "answered by \($0)" } ?? "overflow to \(overflow ?? "?")")
                        if name == queue && (agent == nil || actual == agent) { return true }
                    }
                }
                return nil
            }
            return found == nil ? seen : nil
        case .expectTransfer(let destination):
            _ = waitFor { script in script.call.machine.end.map { _ in true } }
            for entry in call.log {
                if case .transferred(let actual) = entry.event {
                    return actual == destination ? nil : "transferred to \(actual)"
                }
            }
            return "never transferred; the call " + (call.machine.end.map { "ended \($0.outcome)" } ?? "is still going")
        case .expectEnd(let outcome):
            guard let end = waitFor({ script in script.call.machine.end }) else {
                return "the call had not ended after \(CallLogEntry.format(patience)) without caller input"
            }
            if end.outcome == outcome { return nil }
            if case .failed(let reason) = end { return "the call failed: \(reason)" }
            return "the call ended \(end.outcome)"
        case .expectVariable(let name, let value):
            _ = waitFor { script in script.call.machine.variables[name] == value ? true : nil }
            let actual = call.machine.variables[name]
            return actual == value ? nil : "\(name) is \(actual.map { "'\($0)'" } ?? "not set")"
        case .expectNot(let inner):
            if let problem = settle() { return problem }
            switch occurrences(of: inner) {
            case .failure(let problem): return problem.message
            case .success(let (count, seen)): return count == 0 ? nil : "it happened: \(seen)"
            }
        case .expectCount(let inner, let times):
            if let problem = settle() { return problem }
            switch occurrences(of: inner) {
            case .failure(let problem): return problem.message
            case .success(let (count, seen)):
                return count == times ? nil : "it happened \(count == 1 ? "once" : "\(count) times")" + (count == 0 ? "" : ": \(seen)")
            }
        case .expectFact(let fact):
            var observed = ""
            var problem: String?
            let found = waitFor { script in
                do {
                    try script.advance(script.call.now)
                    let (holds, seen) = try script.facts.check(fact)
                    observed = seen
                    return holds ? true : nil
                } catch {
                    problem = "could not check: \(error)"
                    return false
                }
            }
            if let problem { return problem }
            return found == nil ? "not so; observed: \(observed)" : nil
        }
    }

    /// Lets the call go on until it next waits for the caller or ends (or patience runs out), so a
    /// negative or counted expectation looks at everything the caller's last action led to.
    mutating func settle() -> String? {
        _ = waitFor { script in script.call.machine.end != nil || script.call.isWaitingForInput ? true : nil }
        do {
            try advance(call.now)
        } catch {
            return "the systems behind the call could not catch up: \(error)"
        }
        return nil
    }

    /// A problem counting an expectation, for the report.
    struct CountProblem: Error {
        var message: String
    }

    /// How often an expectation happened in the whole call so far, and what was seen (for reports).
    func occurrences(of expectation: StepAction) -> Result<(Int, String), CountProblem> {
        var seen: [String] = []
        func count(_ matches: (CallLogEntry.Event) -> String?) -> (Int, String) {
            for entry in call.log {
                if let what = matches(entry.event) { seen.append("\(what) at \(CallLogEntry.format(entry.offset))") }
            }
            return (seen.count, seen.joined(separator: ", "))
        }
        switch expectation {
        case .expectPrompt(let match):
            return .success(count { event in
                guard case .heard(_, let prompts, let texts, _) = event, match.end(in: prompts, texts: texts) != nil else { return nil }
                return "heard \(prompts.joined(separator: "+"))"
            })
        case .expectNode(let node):
            let entered = call.machine.trail.filter { $0 == .entered(node: node) }.count
            return .success((entered, "entered \(node) \(entered == 1 ? "once" : "\(entered) times")"))
        case .expectAction(let kind, let outcome):
            return .success(count { event in
                guard case .performed(_, kind, let actual, _) = event, outcome == nil || actual == outcome else { return nil }
                return "\(kind.rawValue) → \(actual)"
            })
        case .expectQueue(let queue, let agent):
            return .success(count { event in
                guard case .queued(queue, let actual, _, _) = event, agent == nil || actual == agent else { return nil }
                return "queued in \(queue)"
            })
        case .expectTransfer(let destination):
            return .success(count { event in
                guard case .transferred(destination) = event else { return nil }
                return "transferred to \(destination)"
            })
        case .expectEnd(let outcome):
            let ended = call.machine.end?.outcome == outcome ? 1 : 0
            return .success((ended, ended == 1 ? "the call ended \(outcome)" : ""))
        case .expectVariable(let name, let value):
            let set = call.machine.variables[name] == value ? 1 : 0
            return .success((set, set == 1 ? "\(name) is '\(value)'" : ""))
        case .expectFact(let fact):
            do {
                let (holds, observed) = try facts.check(fact)
                return .success((holds ? 1 : 0, observed))
            } catch {
                return .failure(CountProblem(message: "could not check: \(error)"))
            }
        case .press, .say, .silence, .hangUp, .expectNot, .expectCount:
            return .failure(CountProblem(message: "only an expectation can be negated or counted"))
        }
    }

    /// Lets the call go on until `condition` gives a value, the call ends, or patience runs out.
    mutating func waitFor<T>(_ condition: (Script) -> T?) -> T? {
        let deadline = call.now.addingTimeInterval(patience.timeInterval)
        while true {
            if let value = condition(self) { return value }
            guard call.machine.end == nil, let next = call.nextWakeUp, next <= deadline else { return nil }
            call.step()
        }
    }

    /// A patient caller waits for the prompt to end before pressing.
    mutating func waitForInputRequest() -> String? {
        let ready = waitFor { script in
            script.call.machine.end != nil || script.call.isWaitingForInput ? true : nil
        }
        if call.machine.end != nil { return "the call ended before the caller could answer (\(call.machine.end!.outcome))" }
        return ready == nil ? "the flow never asked for input" : nil
    }

    func heardSinceCursor() -> String {
        let heard = call.log[min(promptCursor.entry, call.log.count)...].compactMap { entry -> String? in
            if case .heard(_, let prompts, _, _) = entry.event { return prompts.joined(separator: "+") }
            return nil
        }
        let ending = call.machine.end.map { "; the call ended \($0.outcome)" } ?? ""
        return (heard.isEmpty ? "heard nothing" : "heard \(heard.joined(separator: ", "))") + ending
    }

    func path() -> String {
        call.machine.trail.compactMap { step in
            if case .entered(let node) = step { return node }
            return nil
        }.joined(separator: " → ")
    }
}

/// Flows read once per run and shared by every scenario that uses them.
final class FlowCache: Sendable {
    private let flows = Mutex<[String: Result<LoadedFlow, FlowLoadFailure>]>([:])

    struct FlowLoadFailure: Error, CustomStringConvertible {
        var description: String
    }

    func load(_ path: String) throws -> LoadedFlow {
        try flows.withLock { flows in
            if let cached = flows[path] { return try cached.get() }
            let result: Result<LoadedFlow, FlowLoadFailure>
            do {
                result = .success(try FlowFile.load(path: path))
            } catch {
                result = .failure(FlowLoadFailure(description: "the flow \(path) does not load:\n\(error)"))
            }
            flows[path] = result
            return try result.get()
        }
    }
}

/// Prompt lengths measured once per flow file and shared by every scenario that uses it.
final class LengthsCache: Sendable {
    private let lengths = Mutex<[String: any PromptLengths]>([:])

    func lengths(_ flowPath: String, measure: () -> any PromptLengths) -> any PromptLengths {
        if let cached = lengths.withLock({ $0[flowPath] }) { return cached }
        let measured = measure()
        lengths.withLock { $0[flowPath] = measured }
        return measured
    }
}

/// Results filled in by several threads, read in order once they are all in.
final class Slots<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func set(_ index: Int, _ value: Value) { slots.withLock { $0[index] = value } }
    var all: [Value] { slots.withLock { $0.compactMap { $0 } } }
}

/// Hands out the indices `0..<limit`, each once, to several threads.
final class Counter: Sendable {
    private let value = Mutex(0)
    func take(below limit: Int) -> Int? {
        value.withLock { value in
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
