import Foundation

/// What a key does in the call's current state (``CallStateMachine/disposition(ofKey:)``).
public enum KeyDisposition: Sendable, Hashable {
    /// A menu or collect takes it.
    case taken
    /// The terminator right after an entry submitted itself at its maximum length: it ends that
    /// entry and does nothing else.
    case endsSubmittedEntry
    /// Nothing takes keys now (a prompt without barge-in plays, an integration runs, a play node).
    case ignored
}

/// One call through a flow, as a value-type state machine with no I/O.
///
/// The driver feeds it events — one method per thing that happened — and performs the actions each
/// method returns: play prompts, arm timers, call integrations, transfer, hang up. Time comes in as an
/// argument; timers leave as actions and come back as events.
///
/// Wrong input comes in three kinds:
/// - **Our own bug** (a driver that answers a call twice): `preconditionFailure`.
/// - **The caller's input** (a key that picks nothing, silence, a phrase that matches no intent, a case
///   number that is not theirs): a normal path — re-prompt, count the failure, give up to the flow's
///   exhausted destination.
/// - **Events to ignore**: a `promptFinished`, `timerFired` or `actionCompleted` for a playback, timer or
///   request that is no longer current (it was stopped, cancelled or superseded); keys while a
///   non-barge-in prompt plays or while an integration runs; speech outside a menu; a transfer's
///   result when no transfer with `on_failure` is under way; anything after the call ended; the terminator key right after an entry submitted itself at its maximum length.
///
/// The machine runs on the flow's compiled form (``Flow/program``, a ``FlowProgram``): nodes by
/// index, prompts and templates prepared, variables in slots. What it shows — node ids, the trail,
/// the variables by name — is in the flow's own terms.
public struct CallStateMachine: Sendable {
    public let flow: Flow
    private let program: FlowProgram
    private var store: CallVariables
    /// The call's variables, by name.
    public var variables: [String: String] { store.dictionary }
    /// The outcome of the last action node, for `last_result` conditions.
    public private(set) var lastResult: String?
    public private(set) var trail: [TrailStep] = []
    private var state: State = .idle
    private var nextID = 0

    /// Nodes entered without caller input before the call is treated as looping.
    static let maxTransitionsWithoutInput = 200
    private var transitionsWithoutInput = 0
    /// The terminator of an entry that submitted itself at its maximum length. The caller's next
    /// key, when it is this one, ends that entry (as VoiceXML and FreeSWITCH take it) and is used
    /// for nothing else: `00999999#` is one entry, not an entry and an empty one.
    private var terminatorOfSubmittedEntry: Character?

    public init(flow: Flow, variables: [String: String] = [:]) {
        self.flow = flow
        program = flow.program
        store = CallVariables(slots: program.slots, initial: variables)
    }

    /// One variable's value, without building the whole ``variables`` dictionary.
    public func variable(_ name: String) -> String? { store[name] }

    // MARK: - State

    private enum State: Sendable {
        /// Not answered yet.
        case idle
        case menu(MenuState)
        case collect(CollectState)
        /// A prompt plays; when it ends the call goes on as `then` says.
        case playing(PlayingState)
        /// An integration runs; its result decides the next node.
        case performing(PerformingState)
        /// A transfer with `on_failure` is under way; the driver says how it went.
        case transferring(TransferringState)
        case ended(CallEnd)
    }

    private struct TransferringState: Sendable {
        var node: Int
        var destination: String
        var onFailure: NodeTarget
    }

    /// What a menu waits for.
    private enum InputPhase: Sendable {
        /// A greeting or re-prompt plays.
        case prompting(playback: Int)
        /// Waiting for the caller, with a timer armed.
        case waiting(timer: CallTimer)
    }

    private struct MenuState: Sendable {
        var node: Int
        let menu: CompiledMenu
        var phase: InputPhase
        var failures = 0
        var timeouts = 0
        var buffer = ""
    }

    private struct CollectState: Sendable {
        var node: Int
        let collect: CompiledCollect
        var phase: InputPhase
        var attempts = 0
        var buffer = ""
    }

    private struct PlayingState: Sendable {
        var node: Int
        var playback: Int
        var then: AfterPlayback
    }

    private enum AfterPlayback: Sendable {
        case goTo(NodeTarget)
        case perform(node: Int, CompiledAction)
        case transfer(String, onFailure: NodeTarget?)
        case hangUp(String)
    }

    private struct PerformingState: Sendable {
        var node: Int
        var request: Int
        var purpose: Purpose

        enum Purpose: Sendable {
            case action(CompiledAction)
            /// A collect node's validation; the collect resumes on rejection.
            case validation(CollectState, digits: String)
        }
    }

    // MARK: - Queries

    /// How the call ended, or `nil` while it is live.
    public var end: CallEnd? {
        if case .ended(let end) = state { return end }
        return nil
    }

    /// The transfer node a call that ended `transferred` ended at (a SIP line reads its `method`).
    public var transferNode: Transfer? {
        guard case .ended(.transferred) = state else { return nil }
        for step in trail.reversed() {
            guard case .entered(let id) = step else { continue }
            if case .transfer(let transfer) = flow.nodes[id]?.kind { return transfer }
            return nil
        }
        return nil
    }

    /// The node the call is in, or `nil` before answer and after the end.
    public var currentNode: String? {
        switch state {
        case .idle, .ended: nil
        case .menu(let menu): program.nodes[menu.node].id
        case .collect(let collect): program.nodes[collect.node].id
        case .playing(let playing): program.nodes[playing.node].id
        case .performing(let performing): program.nodes[performing.node].id
        case .transferring(let transferring): program.nodes[transferring.node].id
        }
    }

    /// What the live call waits for; `nil` only before answer or after the end.
    public var wakeUp: CallWakeUp? {
        switch state {
        case .idle, .ended: nil
        case .menu(let menu): Self.wakeUp(menu.phase)
        case .collect(let collect): Self.wakeUp(collect.phase)
        case .playing(let playing): .playback(id: playing.playback)
        case .performing(let performing): .action(id: performing.request)
        case .transferring(let transferring): .transfer(destination: transferring.destination)
        }
    }

    private static func wakeUp(_ phase: InputPhase) -> CallWakeUp {
        switch phase {
        case .prompting(let playback): .playback(id: playback)
        case .waiting(let timer): .timer(timer)
        }
    }

    // MARK: - Events

    /// The call was answered: start the flow.
    public mutating func answered(callerID: String, dialled: String?, at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        answered(callerID: callerID, dialled: dialled, at: now, into: &actions)
        return actions
    }

    /// ``answered(callerID:dialled:at:)``, appending the actions to a buffer the driver owns and
    /// reuses (no array per event). Every event has this form; the driver empties the buffer.
    public mutating func answered(callerID: String, dialled: String?, at now: Date, into actions: inout [CallAction]) {
        guard case .idle = state else { preconditionFailure("a call is answered once") }
        store[slot: program.callFromSlot] = callerID
        store[slot: program.callNumberSlot] = dialled ?? flow.number ?? ""
        enter(program.start, at: now, into: &actions)
    }

    /// What a key pressed now would do, without pressing it: for transcripts that show an ignored
    /// key as ignored.
    public func disposition(ofKey key: Character) -> KeyDisposition {
        if let terminator = terminatorOfSubmittedEntry, key == terminator { return .endsSubmittedEntry }
        switch state {
        case .menu(let menu): return Self.listens(menu.phase, bargeIn: menu.menu.bargeIn) ? .taken : .ignored
        case .collect(let collect): return Self.listens(collect.phase, bargeIn: collect.collect.bargeIn) ? .taken : .ignored
        case .idle, .playing, .performing, .transferring, .ended: return .ignored
        }
    }

    /// Whether something the caller says now is heard: only menus take speech.
    public var listensForSpeech: Bool {
        guard case .menu(let menu) = state else { return false }
        return Self.listens(menu.phase, bargeIn: menu.menu.bargeIn)
    }

    private static func listens(_ phase: InputPhase, bargeIn: Bool) -> Bool {
        switch phase {
        case .prompting: bargeIn
        case .waiting: true
        }
    }

    /// The caller pressed a key (`0`–`9`, `*`, `#`).
    public mutating func digitReceived(_ key: Character, at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        digitReceived(key, at: now, into: &actions)
        return actions
    }

    public mutating func digitReceived(_ key: Character, at now: Date, into actions: inout [CallAction]) {
        if let terminator = terminatorOfSubmittedEntry {
            terminatorOfSubmittedEntry = nil
            if key == terminator { return }  // Ends the entry that submitted itself; nothing more.
        }
        switch state {
        case .menu(var menu):
            guard accepts(menu.phase, bargeIn: menu.menu.bargeIn, into: &actions) else { return }
            transitionsWithoutInput = 0
            menu.buffer.append(key)
            resolveMenuKeys(&menu, timerFired: false, at: now, into: &actions)
        case .collect(var collect):
            guard accepts(collect.phase, bargeIn: collect.collect.bargeIn, into: &actions) else { return }
            transitionsWithoutInput = 0
            if let terminator = collect.collect.terminator, key == terminator {
                finishEntry(&collect, at: now, into: &actions)
                return
            }
            collect.buffer.append(key)
            if collect.buffer.count >= collect.collect.maxLength {
                terminatorOfSubmittedEntry = collect.collect.terminator
                finishEntry(&collect, at: now, into: &actions)
            } else {
                let timer = makeTimer(.interDigit)
                collect.phase = .waiting(timer: timer)
                actions.append(.startTimer(timer, after: collect.collect.interDigitTimeout))
                state = .collect(collect)
            }
        case .idle, .playing, .performing, .transferring, .ended:
            break  // Ignored: no node listens for keys now.
        }
    }

    /// The caller said something (speech already turned into text).
    public mutating func utteranceReceived(_ text: String, at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        utteranceReceived(text, at: now, into: &actions)
        return actions
    }

    public mutating func utteranceReceived(_ text: String, at now: Date, into actions: inout [CallAction]) {
        terminatorOfSubmittedEntry = nil
        guard case .menu(var menu) = state else { return }  // Ignored outside menus.
        guard accepts(menu.phase, bargeIn: menu.menu.bargeIn, into: &actions) else { return }
        transitionsWithoutInput = 0
        menu.buffer = ""
        if let intent = menu.menu.intent(heard: text) {
            trail.append(.took(node: program.nodes[menu.node].id, edge: intent.edge))
            select(intent.choice, in: &menu, at: now, into: &actions)
        } else {
            invalidChoice(&menu, at: now, into: &actions)
        }
    }

    /// A playback ended by itself.
    public mutating func promptFinished(_ playbackID: Int, at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        promptFinished(playbackID, at: now, into: &actions)
        return actions
    }

    public mutating func promptFinished(_ playbackID: Int, at now: Date, into actions: inout [CallAction]) {
        switch state {
        case .menu(var menu):
            guard case .prompting(playbackID) = menu.phase else { return }
            let timer = makeTimer(.noInput)
            menu.phase = .waiting(timer: timer)
            state = .menu(menu)
            actions.append(.startTimer(timer, after: menu.menu.firstDigitTimeout))
        case .collect(var collect):
            guard case .prompting(playbackID) = collect.phase else { return }
            let timer = makeTimer(.noInput)
            collect.phase = .waiting(timer: timer)
            state = .collect(collect)
            actions.append(.startTimer(timer, after: collect.collect.firstDigitTimeout))
        case .playing(let playing):
            guard playing.playback == playbackID else { return }
            switch playing.then {
            case .goTo(let next):
                enter(next, at: now, into: &actions)
            case .perform(let node, let action):
                perform(action, node: node, into: &actions)
            case .transfer(let destination, let onFailure):
                transfer(to: destination, node: playing.node, onFailure: onFailure, into: &actions)
            case .hangUp(let outcome):
                actions.append(.hangUp(outcome: outcome))
                state = .ended(.completed(outcome: outcome))
            }
        case .idle, .performing, .transferring, .ended:
            break  // Ignored: stale.
        }
    }

    /// A timer expired.
    public mutating func timerFired(_ timer: CallTimer, at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        timerFired(timer, at: now, into: &actions)
        return actions
    }

    public mutating func timerFired(_ timer: CallTimer, at now: Date, into actions: inout [CallAction]) {
        if timer.kind == .noInput { terminatorOfSubmittedEntry = nil }  // Not "right after" any more.
        switch state {
        case .menu(var menu):
            guard case .waiting(timer) = menu.phase else { return }
            if menu.buffer.isEmpty {
                noInput(&menu, at: now, into: &actions)
            } else {
                resolveMenuKeys(&menu, timerFired: true, at: now, into: &actions)
            }
        case .collect(var collect):
            guard case .waiting(timer) = collect.phase else { return }
            if collect.buffer.isEmpty {
                failedEntry(&collect, prompt: collect.collect.afterNoInput, at: now, into: &actions)
            } else {
                finishEntry(&collect, at: now, into: &actions)
            }
        case .idle, .playing, .performing, .transferring, .ended:
            break  // Ignored: stale.
        }
    }

    /// An integration call returned.
    public mutating func actionCompleted(_ requestID: Int, result: ActionResult, at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        actionCompleted(requestID, result: result, at: now, into: &actions)
        return actions
    }

    public mutating func actionCompleted(_ requestID: Int, result: ActionResult, at now: Date, into actions: inout [CallAction]) {
        guard case .performing(let performing) = state, performing.request == requestID else { return }
        for (name, value) in result.variables { store[name] = value }
        let node = program.nodes[performing.node].id
        switch performing.purpose {
        case .action(let action):
            lastResult = result.outcome
            trail.append(.took(node: node, edge: result.outcome))
            if let target = action.target(for: result.outcome) {
                enter(target, at: now, into: &actions)
            } else {
                finish(.failed(reason: "outcome '\(result.outcome)' of node '\(node)' leads nowhere"), into: &actions)
            }
        case .validation(var collect, let digits):
            guard let kind = collect.collect.validation else {
                preconditionFailure("validation requested without a validation kind")
            }
            if result.outcome == kind.acceptingOutcome {
                store[slot: collect.collect.slot] = digits
                trail.append(.took(node: node, edge: "valid"))
                enter(collect.collect.next, at: now, into: &actions)
            } else if result.outcome == kind.lockingOutcome || result.outcome == "error" {
                trail.append(.took(node: node, edge: result.outcome))
                lastResult = result.outcome
                enter(collect.collect.onExhausted, at: now, into: &actions)
            } else {
                trail.append(.took(node: node, edge: "rejected"))
                state = .collect(collect)
                failedEntry(&collect, prompt: collect.collect.afterRejected, at: now, into: &actions)
            }
        }
    }

    /// The caller hung up.
    public mutating func hungUp(at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        hungUp(at: now, into: &actions)
        return actions
    }

    public mutating func hungUp(at now: Date, into actions: inout [CallAction]) {
        switch state {
        case .menu(let menu): stopWaiting(menu.phase, into: &actions)
        case .collect(let collect): stopWaiting(collect.phase, into: &actions)
        case .playing(let playing): actions.append(.stopPlayback(id: playing.playback))
        case .performing: break  // The result, when it comes, is ignored.
        case .transferring: break  // How the transfer went no longer matters.
        case .idle, .ended: return
        }
        state = .ended(.callerHungUp)
    }

    /// A transfer with `on_failure` went through: the call has left the flow.
    public mutating func transferCompleted(at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        transferCompleted(at: now, into: &actions)
        return actions
    }

    public mutating func transferCompleted(at now: Date, into actions: inout [CallAction]) {
        guard case .transferring(let transferring) = state else { return }  // Ignored: no transfer under way.
        state = .ended(.transferred(destination: transferring.destination))
    }

    /// A transfer with `on_failure` failed (refused, a failure status, no answer in time): the call,
    /// the caller still on the line, goes on at the `on_failure` node.
    public mutating func transferFailed(at now: Date) -> [CallAction] {
        var actions: [CallAction] = []
        transferFailed(at: now, into: &actions)
        return actions
    }

    public mutating func transferFailed(at now: Date, into actions: inout [CallAction]) {
        guard case .transferring(let transferring) = state else { return }  // Ignored: no transfer under way.
        trail.append(.took(node: program.nodes[transferring.node].id, edge: "failure"))
        enter(transferring.onFailure, at: now, into: &actions)
    }

    // MARK: - Entering nodes

    private mutating func enter(_ target: NodeTarget, at now: Date, into actions: inout [CallAction]) {
        var target = target
        while true {
            transitionsWithoutInput += 1
            guard transitionsWithoutInput <= Self.maxTransitionsWithoutInput else {
                let nodeID = switch target {
                case .node(let index): program.nodes[index].id
                case .missing(let id): id
                }
                finish(.failed(reason: "the flow looped through \(Self.maxTransitionsWithoutInput) nodes without caller input at '\(nodeID)'"), into: &actions)
                return
            }
            let index: Int
            switch target {
            case .node(let found):
                index = found
            case .missing(let nodeID):
                finish(.failed(reason: "node '\(nodeID)' does not exist"), into: &actions)
                return
            }
            let node = program.nodes[index]
            trail.append(.entered(node: node.id))
            switch node.kind {
            case .menu(let menu):
                var menuState = MenuState(node: index, menu: menu, phase: .prompting(playback: 0))
                prompt(&menuState, with: menu.greeting, into: &actions)
                return
            case .collect(let collect):
                var collectState = CollectState(node: index, collect: collect, phase: .prompting(playback: 0))
                prompt(&collectState, with: collect.prompt, into: &actions)
                return
            case .play(let prompts, let next):
                if startPlayback(prompts, node: index, then: .goTo(next), into: &actions) { return }
                target = next
            case .branch(let declaredID, let rules, let otherwise):
                let rule = rules.first { holds($0.condition, at: now) }
                target = rule?.target ?? otherwise
                trail.append(.took(node: declaredID, edge: rule?.edge ?? "else"))
            case .action(let action):
                if startPlayback(action.prompt, node: index, then: .perform(node: index, action), into: &actions) { return }
                perform(action, node: index, into: &actions)
                return
            case .transfer(let destinationTemplate, let prompt, let onFailure):
                // `${queue.agent}` and the like: where the call goes can depend on what happened.
                let destination = render(destinationTemplate)
                if startPlayback(prompt, node: index, then: .transfer(destination, onFailure: onFailure), into: &actions) { return }
                transfer(to: destination, node: index, onFailure: onFailure, into: &actions)
                return
            case .hangup(let prompt, let outcome):
                if startPlayback(prompt, node: index, then: .hangUp(outcome), into: &actions) { return }
                actions.append(.hangUp(outcome: outcome))
                state = .ended(.completed(outcome: outcome))
                return
            }
        }
    }

    /// Hands the call over: the end of the flow, or, with `on_failure`, a wait for how it went.
    private mutating func transfer(to destination: String, node: Int, onFailure: NodeTarget?, into actions: inout [CallAction]) {
        actions.append(.transfer(destination: destination))
        if let onFailure {
            state = .transferring(TransferringState(node: node, destination: destination, onFailure: onFailure))
        } else {
            state = .ended(.transferred(destination: destination))
        }
    }

    /// Starts a playback that continues as `then` says; `false` when there is nothing to play.
    private mutating func startPlayback(_ sequence: CompiledPrompts, node: Int, then: AfterPlayback, into actions: inout [CallAction]) -> Bool {
        let prompts = resolve(sequence)
        guard !prompts.isEmpty else { return false }
        let playback = makePlayback(node: program.nodes[node].id, prompts: prompts, bargeIn: false)
        actions.append(.play(playback))
        state = .playing(PlayingState(node: node, playback: playback.id, then: then))
        return true
    }

    private mutating func perform(_ action: CompiledAction, node: Int, into actions: inout [CallAction]) {
        // The compiled arguments' names differ (they come from a mapping).
        let arguments = ActionRequest.Arguments(action.arguments.map { ($0.name, render($0.value)) })
        let request = makeRequest(action.kind, resolved: arguments)
        state = .performing(PerformingState(node: node, request: request.id, purpose: .action(action)))
        actions.append(.perform(request))
    }

    private mutating func finish(_ end: CallEnd, into actions: inout [CallAction]) {
        switch end {
        case .transferred(let destination): actions.append(.transfer(destination: destination))
        case .completed(let outcome): actions.append(.hangUp(outcome: outcome))
        case .failed, .callerHungUp: actions.append(.hangUp(outcome: end.outcome))
        }
        state = .ended(end)
    }

    // MARK: - Menus

    /// Plays a menu prompt, then waits for input.
    private mutating func prompt(_ menu: inout MenuState, with sequence: CompiledPrompts, into actions: inout [CallAction]) {
        menu.buffer = ""
        menu.phase = askForInput(node: menu.node, sequence: sequence, bargeIn: menu.menu.bargeIn, timeout: menu.menu.firstDigitTimeout, into: &actions)
        state = .menu(menu)
    }

    /// Plays the prompts that ask for input — or, with nothing to play, starts the silence timer.
    private mutating func askForInput(node: Int, sequence: CompiledPrompts, bargeIn: Bool, timeout: Duration, into actions: inout [CallAction]) -> InputPhase {
        let prompts = resolve(sequence)
        if prompts.isEmpty {
            let timer = makeTimer(.noInput)
            actions.append(.startTimer(timer, after: timeout))
            return .waiting(timer: timer)
        }
        let playback = makePlayback(node: program.nodes[node].id, prompts: prompts, bargeIn: bargeIn)
        actions.append(.play(playback))
        return .prompting(playback: playback.id)
    }

    private mutating func resolveMenuKeys(_ menu: inout MenuState, timerFired: Bool, at now: Date, into actions: inout [CallAction]) {
        let buffer = menu.buffer
        let length = buffer.count
        let exact = menu.menu.options.first { $0.key == buffer }
        let longer = menu.menu.options.contains { $0.length > length && $0.key.hasPrefix(buffer) }
        if let exact, !longer || timerFired {
            trail.append(.took(node: program.nodes[menu.node].id, edge: exact.key))
            select(exact.choice, in: &menu, at: now, into: &actions)
        } else if longer && !timerFired {
            let timer = makeTimer(.interDigit)
            menu.phase = .waiting(timer: timer)
            actions.append(.startTimer(timer, after: menu.menu.interDigitTimeout))
            state = .menu(menu)
        } else {
            invalidChoice(&menu, at: now, into: &actions)
        }
    }

    private mutating func select(_ target: CompiledMenu.Choice, in menu: inout MenuState, at now: Date, into actions: inout [CallAction]) {
        switch target {
        case .repeatMenu:
            prompt(&menu, with: menu.menu.greeting, into: &actions)
        case .node(let next):
            enter(next, at: now, into: &actions)
        }
    }

    private mutating func invalidChoice(_ menu: inout MenuState, at now: Date, into actions: inout [CallAction]) {
        menu.failures += 1
        if menu.failures >= menu.menu.maxFailures {
            trail.append(.took(node: program.nodes[menu.node].id, edge: "exhausted"))
            enter(menu.menu.onExhausted, at: now, into: &actions)
        } else {
            prompt(&menu, with: menu.menu.afterInvalid, into: &actions)
        }
    }

    private mutating func noInput(_ menu: inout MenuState, at now: Date, into actions: inout [CallAction]) {
        menu.timeouts += 1
        if menu.timeouts >= menu.menu.maxTimeouts {
            trail.append(.took(node: program.nodes[menu.node].id, edge: "exhausted"))
            enter(menu.menu.onExhausted, at: now, into: &actions)
        } else {
            prompt(&menu, with: menu.menu.afterNoInput, into: &actions)
        }
    }

    // MARK: - Digit collection

    private mutating func prompt(_ collect: inout CollectState, with sequence: CompiledPrompts, into actions: inout [CallAction]) {
        collect.buffer = ""
        collect.phase = askForInput(node: collect.node, sequence: sequence, bargeIn: collect.collect.bargeIn, timeout: collect.collect.firstDigitTimeout, into: &actions)
        state = .collect(collect)
    }

    private mutating func finishEntry(_ collect: inout CollectState, at now: Date, into actions: inout [CallAction]) {
        // The pending timer was cancelled by the key that ended entry, or has just fired.
        let digits = collect.buffer
        guard digits.count >= collect.collect.minLength, digits.allSatisfy(\.isASCIIDigitKey) else {
            failedEntry(&collect, prompt: collect.collect.afterInvalid, at: now, into: &actions)
            return
        }
        if let validation = collect.collect.validation {
            var arguments: ActionRequest.Arguments = [collect.collect.variable: digits]
            switch validation {
            case .validateCase:
                arguments["case"] = digits
                arguments["account"] = store[slot: program.callerAccountSlot] ?? ""
            case .identifyAccount:
                arguments["account"] = digits
            case .identifyCaller, .recordEscalation, .openCase, .pageOnCall, .acknowledgePage, .enqueue, .setVariables:
                break
            }
            let request = makeRequest(validation, resolved: arguments)
            state = .performing(PerformingState(node: collect.node, request: request.id, purpose: .validation(collect, digits: digits)))
            actions.append(.perform(request))
        } else {
            store[slot: collect.collect.slot] = digits
            trail.append(.took(node: program.nodes[collect.node].id, edge: "collected"))
            enter(collect.collect.next, at: now, into: &actions)
        }
    }

    /// A wrong, short or silent entry: ask again (`reprompt`: what went wrong, then the prompt),
    /// or give up after `maxAttempts`.
    private mutating func failedEntry(_ collect: inout CollectState, prompt reprompt: CompiledPrompts, at now: Date, into actions: inout [CallAction]) {
        collect.attempts += 1
        if collect.attempts >= collect.collect.maxAttempts {
            trail.append(.took(node: program.nodes[collect.node].id, edge: "exhausted"))
            enter(collect.collect.onExhausted, at: now, into: &actions)
        } else {
            prompt(&collect, with: reprompt, into: &actions)
        }
    }

    // MARK: - Helpers

    /// Whether a key or phrase is taken in this phase; stops a barged-in prompt or the pending timer.
    private func accepts(_ phase: InputPhase, bargeIn: Bool, into actions: inout [CallAction]) -> Bool {
        switch phase {
        case .prompting(let playback):
            guard bargeIn else { return false }
            actions.append(.stopPlayback(id: playback))
        case .waiting(let timer):
            actions.append(.cancelTimer(timer))
        }
        return true
    }

    private func stopWaiting(_ phase: InputPhase, into actions: inout [CallAction]) {
        switch phase {
        case .prompting(let playback): actions.append(.stopPlayback(id: playback))
        case .waiting(let timer): actions.append(.cancelTimer(timer))
        }
    }

    /// The prompt ids a sequence plays now: the compiled ids, or with read-backs expanded.
    private func resolve(_ sequence: CompiledPrompts) -> [String] {
        if let fixed = sequence.fixed { return fixed }
        var prompts: [String] = []
        for segment in sequence.segments {
            switch segment {
            case .prompt(let id):
                prompts.append(id)
            case .digits(let slot):
                for key in store[slot: slot] ?? "" {
                    if let id = PromptSegment.promptID(forKey: key) { prompts.append(id) }
                }
            }
        }
        return prompts
    }

    /// A template filled in from the call's variables (a missing one is empty), as ``Template/render(_:variables:)``.
    private func render(_ template: CompiledTemplate) -> String {
        if let constant = template.constant { return constant }
        var result = ""
        for piece in template.pieces {
            switch piece {
            case .text(let text): result += text
            case .variable(let slot): result += store[slot: slot] ?? ""
            }
        }
        return result
    }

    /// Evaluates a branch condition, as ``Condition/holds(variables:lastResult:calendars:at:)``.
    private func holds(_ condition: CompiledCondition, at now: Date) -> Bool {
        switch condition {
        case .equals(let slot, let value):
            return Condition.sameIgnoringCase(store[slot: slot] ?? "", value)
        case .notEquals(let slot, let value):
            return !Condition.sameIgnoringCase(store[slot: slot] ?? "", value)
        case .oneOf(let slot, let values):
            let actual = store[slot: slot] ?? ""
            return values.contains { Condition.sameIgnoringCase($0, actual) }
        case .isSet(let slot):
            return !(store[slot: slot] ?? "").isEmpty
        case .withinHours(let calendar):
            return calendar?.isOpen(at: now) ?? false
        case .lastResult(let expected):
            return lastResult == expected
        case .all(let conditions):
            return conditions.allSatisfy { holds($0, at: now) }
        case .any(let conditions):
            return conditions.contains { holds($0, at: now) }
        case .not(let inner):
            return !holds(inner, at: now)
        }
    }

    private mutating func makeID() -> Int {
        nextID += 1
        return nextID
    }

    private mutating func makeTimer(_ kind: CallTimer.Kind) -> CallTimer { CallTimer(id: makeID(), kind: kind) }

    private mutating func makePlayback(node: String, prompts: [String], bargeIn: Bool) -> Playback {
        Playback(id: makeID(), node: node, prompts: prompts, bargeIn: bargeIn)
    }

    private mutating func makeRequest(_ kind: ActionKind, resolved arguments: ActionRequest.Arguments) -> ActionRequest {
        ActionRequest(id: makeID(), kind: kind, arguments: arguments)
    }
}

extension Character {
    fileprivate var isASCIIDigitKey: Bool { ("0"..."9").contains(self) }
}
