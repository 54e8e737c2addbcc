import Foundation

/// A ``Flow`` compiled once for ``CallStateMachine``: what every call of the flow would otherwise
/// work out again at every event.
///
/// - node references are indices into ``nodes`` (a reference to a node the flow does not define
///   stays a ``NodeTarget/missing(_:)``, and a call that gets there fails as before);
/// - prompt sequences without read-backs are their prompt-id arrays, shared by every playback;
///   re-prompts (`invalid` + the short greeting, …) are joined once;
/// - `${…}` templates are split into text and variable slots;
/// - conditions refer to variable slots and to the calendar itself; their edge labels are ready;
/// - intent phrases are normalised into words, with their `say: intent` edge labels;
/// - every variable the flow names, and every variable an integration sets, has a slot number
///   (``VariableSlots``), so a call keeps its variables in an array.
///
/// A `Flow` keeps its program in step with itself (``Flow/program``): the loader builds the flow
/// once and every call shares the program. Users, `flow check` and diagrams see the `Flow`.
public struct FlowProgram: Sendable {
    /// The nodes: the flow's `order` first, then any node missing from it (by id).
    let nodes: [CompiledNode]
    let start: NodeTarget
    let slots: VariableSlots
    /// Slots the machine itself reads and writes.
    let callFromSlot: Int
    let callNumberSlot: Int
    let callerAccountSlot: Int

    /// The program of a flow (``Flow/program`` is this, kept up to date).
    public init(_ flow: Flow) {
        self.init(start: flow.start, nodes: flow.nodes, order: flow.order, calendars: flow.calendars)
    }

    init(start: String, nodes flowNodes: [String: Node], order: [String], calendars: [String: BusinessCalendar]) {
        var ids = order.filter { flowNodes[$0] != nil }
        var seen = Set(ids)
        ids = ids.filter { seen.remove($0) != nil }  // First of any repeated id.
        let listed = Set(ids)
        ids += flowNodes.keys.filter { !listed.contains($0) }.sorted()
        var index: [String: Int] = [:]
        for (position, id) in ids.enumerated() { index[id] = position }

        var names = VariableSlots.Builder()
        let callFrom = names.slot("call.from")
        let callNumber = names.slot("call.number")
        let callerAccount = names.slot("caller.account")
        for kind in ActionKind.allCases {
            for name in kind.setsVariables { _ = names.slot(name) }
        }
        var compiler = Compiler(index: index, calendars: calendars, names: names)
        var nodes: [CompiledNode] = []
        nodes.reserveCapacity(ids.count)
        for id in ids {
            guard let node = flowNodes[id] else { continue }
            nodes.append(CompiledNode(id: id, kind: compiler.compile(node)))
        }
        self.nodes = nodes
        self.start = compiler.target(start)
        self.slots = compiler.names.build()
        self.callFromSlot = callFrom
        self.callNumberSlot = callNumber
        self.callerAccountSlot = callerAccount
    }

    /// The index of a node, or `nil` when the flow has no node with that id.
    public func index(ofNode id: String) -> Int? {
        nodes.firstIndex { $0.id == id }
    }

    /// Turns a flow's values into their compiled forms, giving out variable slots as it meets names.
    private struct Compiler {
        let index: [String: Int]
        let calendars: [String: BusinessCalendar]
        var names: VariableSlots.Builder

        func target(_ id: String) -> NodeTarget {
            index[id].map(NodeTarget.node) ?? .missing(id)
        }

        mutating func compile(_ node: Node) -> CompiledNode.Kind {
            switch node.kind {
            case .menu(let menu):
                let again = menu.shortGreeting ?? menu.greeting
                return .menu(CompiledMenu(
                    greeting: prompts(menu.greeting),
                    afterInvalid: prompts(PromptSequence(menu.invalidPrompt.segments + again.segments)),
                    afterNoInput: prompts(PromptSequence(menu.noInputPrompt.segments + again.segments)),
                    options: menu.options.map { CompiledMenu.Option(key: $0.key, length: $0.key.count, choice: choice($0.target)) },
                    intents: menu.intents.map {
                        CompiledMenu.Intent(
                            phraseWords: $0.phraseWords, phraseBytes: $0.phraseWords.map { $0.map { Array($0.utf8) } },
                            edge: "say: \($0.name)", choice: choice($0.target))
                    },
                    firstDigitTimeout: menu.firstDigitTimeout, interDigitTimeout: menu.interDigitTimeout,
                    maxFailures: menu.maxFailures, maxTimeouts: menu.maxTimeouts,
                    onExhausted: target(menu.onExhausted), bargeIn: menu.bargeIn))
            case .collect(let collect):
                let rejected = collect.rejectedPrompt.isEmpty ? collect.invalidPrompt : collect.rejectedPrompt
                return .collect(CompiledCollect(
                    prompt: prompts(collect.prompt),
                    afterInvalid: prompts(PromptSequence(collect.invalidPrompt.segments + collect.prompt.segments)),
                    afterNoInput: prompts(PromptSequence(collect.noInputPrompt.segments + collect.prompt.segments)),
                    afterRejected: prompts(PromptSequence(rejected.segments + collect.prompt.segments)),
                    variable: collect.variable, slot: names.slot(collect.variable),
                    minLength: collect.minLength, maxLength: collect.maxLength, terminator: collect.terminator,
                    firstDigitTimeout: collect.firstDigitTimeout, interDigitTimeout: collect.interDigitTimeout,
                    maxAttempts: collect.maxAttempts, validation: collect.validation,
                    next: target(collect.next), onExhausted: target(collect.onExhausted), bargeIn: collect.bargeIn))
            case .play(let play):
                return .play(prompts: prompts(play.prompts), next: target(play.next))
            case .branch(let branch):
                let rules = branch.rules.map { rule in
                    CompiledNode.Rule(
                        condition: condition(rule.condition), edge: rule.condition.summary, target: target(rule.target))
                }
                return .branch(declaredID: node.id, rules: rules, otherwise: target(branch.otherwise))
            case .action(let action):
                // Sorted by name: the request's arguments are a dictionary, so the order is not seen.
                let arguments = action.arguments.sorted { $0.key < $1.key }.map { (name: $0.key, value: template($0.value)) }
                return .action(CompiledAction(
                    kind: action.kind, arguments: arguments, prompt: prompts(action.prompt),
                    next: action.next.map { (outcome: $0.outcome, target: target($0.target)) }))
            case .transfer(let transfer):
                return .transfer(
                    destination: template(transfer.destination), prompt: prompts(transfer.prompt), onFailure: transfer.onFailure.map(target))
            case .hangup(let hangup):
                return .hangup(prompt: prompts(hangup.prompt), outcome: hangup.outcome)
            }
        }

        func choice(_ target: MenuTarget) -> CompiledMenu.Choice {
            switch target {
            case .node(let id): .node(self.target(id))
            case .repeatMenu: .repeatMenu
            }
        }

        mutating func prompts(_ sequence: PromptSequence) -> CompiledPrompts {
            var fixed: [String] = []
            var readsBack = false
            let segments = sequence.segments.map { segment -> CompiledPrompts.Segment in
                switch segment {
                case .prompt(let id):
                    fixed.append(id)
                    return .prompt(id)
                case .digits(let variable):
                    readsBack = true
                    return .digits(slot: names.slot(variable))
                }
            }
            return CompiledPrompts(fixed: readsBack ? nil : fixed, segments: segments)
        }

        mutating func template(_ text: String) -> CompiledTemplate {
            let pieces = Template.pieces(of: text)
            if pieces.count == 1, case .text(let whole) = pieces[0] { return CompiledTemplate(constant: whole, pieces: []) }
            if pieces.isEmpty { return CompiledTemplate(constant: "", pieces: []) }
            return CompiledTemplate(constant: nil, pieces: pieces.map { piece in
                switch piece {
                case .text(let text): .text(text)
                case .variable(let name): .variable(slot: names.slot(name))
                }
            })
        }

        /// Conditions nest only as deep as the YAML that wrote them.
        mutating func condition(_ condition: Condition) -> CompiledCondition {
            switch condition {
            case .equals(let variable, let value): .equals(slot: names.slot(variable), value: value)
            case .notEquals(let variable, let value): .notEquals(slot: names.slot(variable), value: value)
            case .oneOf(let variable, let values): .oneOf(slot: names.slot(variable), values: values)
            case .isSet(let variable): .isSet(slot: names.slot(variable))
            // A missing calendar is rejected by `flow check`; at run time it is closed.
            case .withinHours(let name): .withinHours(calendars[name])
            case .lastResult(let result): .lastResult(result)
            case .all(let conditions): .all(conditions.map { self.condition($0) })
            case .any(let conditions): .any(conditions.map { self.condition($0) })
            case .not(let inner): .not(self.condition(inner))
            }
        }
    }
}

/// Where an edge of a compiled flow leads.
enum NodeTarget: Sendable, Hashable {
    /// A node, by its index in ``FlowProgram/nodes``.
    case node(Int)
    /// A node id the flow does not define (`flow check` reports it); a call that gets here fails.
    case missing(String)
}

/// One node of a ``FlowProgram``.
struct CompiledNode: Sendable {
    /// The node's id, for playbacks, transcripts and the trail.
    let id: String
    let kind: Kind

    enum Kind: Sendable {
        case menu(CompiledMenu)
        case collect(CompiledCollect)
        case play(prompts: CompiledPrompts, next: NodeTarget)
        /// `declaredID` is the id the node itself carries, which the trail of a branch shows.
        case branch(declaredID: String, rules: [Rule], otherwise: NodeTarget)
        case action(CompiledAction)
        /// `onFailure`: where the call goes when the driver reports the transfer failed; `nil`: the
        /// transfer ends the call at once.
        case transfer(destination: CompiledTemplate, prompt: CompiledPrompts, onFailure: NodeTarget?)
        case hangup(prompt: CompiledPrompts, outcome: String)
    }

    struct Rule: Sendable {
        let condition: CompiledCondition
        /// The condition's summary: the edge the trail shows when the rule is taken.
        let edge: String
        let target: NodeTarget
    }
}

/// A menu node, compiled. A class: a call's state refers to it instead of copying it.
final class CompiledMenu: Sendable {
    enum Choice: Sendable {
        case node(NodeTarget)
        case repeatMenu
    }

    struct Option: Sendable {
        let key: String
        /// The key string's length in characters.
        let length: Int
        let choice: Choice
    }

    struct Intent: Sendable {
        let phraseWords: [[Substring]]
        /// The phrase words as bytes, when every phrase of the menu is ASCII.
        let phraseBytes: [[[UInt8]]]
        /// `say: <intent>`, the trail's edge.
        let edge: String
        let choice: Choice
    }

    /// Whether every phrase of every intent is ASCII, so an ASCII utterance can be matched byte
    /// by byte (the same answer as comparing the words as strings).
    let asciiPhrases: Bool

    let greeting: CompiledPrompts
    /// The invalid-choice prompt, then the short greeting (or the greeting).
    let afterInvalid: CompiledPrompts
    /// The no-input prompt, then the short greeting (or the greeting).
    let afterNoInput: CompiledPrompts
    let options: [Option]
    let intents: [Intent]
    let firstDigitTimeout: Duration
    let interDigitTimeout: Duration
    let maxFailures: Int
    let maxTimeouts: Int
    let onExhausted: NodeTarget
    let bargeIn: Bool

    init(
        greeting: CompiledPrompts, afterInvalid: CompiledPrompts, afterNoInput: CompiledPrompts, options: [Option], intents: [Intent],
        firstDigitTimeout: Duration, interDigitTimeout: Duration, maxFailures: Int, maxTimeouts: Int, onExhausted: NodeTarget, bargeIn: Bool
    ) {
        self.greeting = greeting
        self.afterInvalid = afterInvalid
        self.afterNoInput = afterNoInput
        self.options = options
        self.intents = intents
        self.asciiPhrases = intents.allSatisfy { $0.phraseWords.allSatisfy { $0.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } } }
        self.firstDigitTimeout = firstDigitTimeout
        self.interDigitTimeout = interDigitTimeout
        self.maxFailures = maxFailures
        self.maxTimeouts = maxTimeouts
        self.onExhausted = onExhausted
        self.bargeIn = bargeIn
    }
}

extension CompiledMenu {
    /// The intent an utterance picks, as ``IntentMatcher/match(_:intents:)`` picks it: the longest
    /// phrase heard wins, the first intent on a tie. ASCII utterances against ASCII phrases
    /// compare bytes.
    func intent(heard utterance: String) -> Intent? {
        guard asciiPhrases, let heard = IntentMatcher.asciiWordRanges(utterance) else {
            return IntentMatcher.match(utterance, intents: intents, phraseWords: \.phraseWords)
        }
        guard !heard.words.isEmpty else { return nil }
        var best: (intent: Intent, length: Int)?
        for intent in intents {
            for phrase in intent.phraseBytes where !phrase.isEmpty && IntentMatcher.contains(heard, phrase) {
                if phrase.count > best?.length ?? 0 { best = (intent, phrase.count) }
            }
        }
        return best?.intent
    }
}

/// A collect node, compiled. A class: a call's state refers to it instead of copying it.
final class CompiledCollect: Sendable {
    let prompt: CompiledPrompts
    /// The invalid-entry prompt, then the prompt.
    let afterInvalid: CompiledPrompts
    /// The no-input prompt, then the prompt.
    let afterNoInput: CompiledPrompts
    /// The rejected prompt (the invalid-entry one when there is none), then the prompt.
    let afterRejected: CompiledPrompts
    let variable: String
    let slot: Int
    let minLength: Int
    let maxLength: Int
    let terminator: Character?
    let firstDigitTimeout: Duration
    let interDigitTimeout: Duration
    let maxAttempts: Int
    let validation: ActionKind?
    let next: NodeTarget
    let onExhausted: NodeTarget
    let bargeIn: Bool

    init(
        prompt: CompiledPrompts, afterInvalid: CompiledPrompts, afterNoInput: CompiledPrompts, afterRejected: CompiledPrompts,
        variable: String, slot: Int, minLength: Int, maxLength: Int, terminator: Character?,
        firstDigitTimeout: Duration, interDigitTimeout: Duration, maxAttempts: Int, validation: ActionKind?,
        next: NodeTarget, onExhausted: NodeTarget, bargeIn: Bool
    ) {
        self.prompt = prompt
        self.afterInvalid = afterInvalid
        self.afterNoInput = afterNoInput
        self.afterRejected = afterRejected
        self.variable = variable
        self.slot = slot
        self.minLength = minLength
        self.maxLength = maxLength
        self.terminator = terminator
        self.firstDigitTimeout = firstDigitTimeout
        self.interDigitTimeout = interDigitTimeout
        self.maxAttempts = maxAttempts
        self.validation = validation
        self.next = next
        self.onExhausted = onExhausted
        self.bargeIn = bargeIn
    }
}

/// An action node, compiled. A class: a call's state refers to it instead of copying it.
final class CompiledAction: Sendable {
    let kind: ActionKind
    let arguments: [(name: String, value: CompiledTemplate)]
    let prompt: CompiledPrompts
    let next: [(outcome: String, target: NodeTarget)]

    init(kind: ActionKind, arguments: [(name: String, value: CompiledTemplate)], prompt: CompiledPrompts, next: [(outcome: String, target: NodeTarget)]) {
        self.kind = kind
        self.arguments = arguments
        self.prompt = prompt
        self.next = next
    }

    /// The node an outcome leads to, falling back to `default` (as ``Action/target(for:)``).
    func target(for outcome: String) -> NodeTarget? {
        next.first { $0.outcome == outcome }?.target ?? next.first { $0.outcome == "default" }?.target
    }
}

/// A prompt sequence, compiled: without read-backs, the prompt ids every playback shares.
struct CompiledPrompts: Sendable {
    enum Segment: Sendable {
        case prompt(String)
        case digits(slot: Int)
    }
    /// The prompt ids, when the sequence reads nothing back.
    let fixed: [String]?
    let segments: [Segment]
}

/// A `${…}` template split once into text and variable slots.
struct CompiledTemplate: Sendable {
    enum Piece: Sendable {
        case text(String)
        case variable(slot: Int)
    }
    /// The whole text, when it refers to no variable.
    let constant: String?
    let pieces: [Piece]
}

/// A branch condition with its variables as slots and its calendar looked up.
indirect enum CompiledCondition: Sendable {
    case equals(slot: Int, value: String)
    case notEquals(slot: Int, value: String)
    case oneOf(slot: Int, values: [String])
    case isSet(slot: Int)
    /// `nil`: the flow names a calendar it does not define (closed).
    case withinHours(BusinessCalendar?)
    case lastResult(String)
    case all([CompiledCondition])
    case any([CompiledCondition])
    case not(CompiledCondition)
}

/// Variable names and their slot numbers, for one flow.
final class VariableSlots: Sendable {
    let names: [String]
    let slotByName: [String: Int]

    init(names: [String], slotByName: [String: Int]) {
        self.names = names
        self.slotByName = slotByName
    }

    struct Builder {
        var names: [String] = []
        var slotByName: [String: Int] = [:]

        mutating func slot(_ name: String) -> Int {
            if let slot = slotByName[name] { return slot }
            names.append(name)
            slotByName[name] = names.count - 1
            return names.count - 1
        }

        func build() -> VariableSlots { VariableSlots(names: names, slotByName: slotByName) }
    }
}
