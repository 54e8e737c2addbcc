import Foundation

/// Where something was written in a source file, so errors can say `file:line:column`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A call flow: the graph of nodes a call walks, from `start` until it ends.
///
/// A flow is plain data. It is read from YAML by `HotlineFlowFile`, checked there, and walked by
/// ``CallStateMachine``; nothing in it performs I/O.
public struct Flow: Sendable {
    /// A short name for reports ("gsc").
    public var name: String
    /// The number callers dial, as written in the file (for transcripts only).
    public var number: String?
    /// The first node of every call.
    public var start: String { didSet { compile() } }
    /// Every node, by id.
    public var nodes: [String: Node] { didSet { compile() } }
    /// Node ids in the order they were written, so checks and diagrams are stable.
    public var order: [String] { didSet { compile() } }
    /// Named business-hours calendars that `within_hours` conditions refer to.
    public var calendars: [String: BusinessCalendar] { didSet { compile() } }
    /// The flow compiled for ``CallStateMachine`` (node references as indices, templates split,
    /// phrases normalised, variables as slots), built when the flow is made and again whenever it
    /// changes, so every call of the flow shares it.
    public private(set) var program: FlowProgram
    /// The prompt catalog the flow's prompt ids come from, relative to the flow file, if it names one.
    public var promptCatalog: String?

    public init(
        name: String,
        number: String? = nil,
        start: String,
        nodes: [Node],
        calendars: [String: BusinessCalendar] = [:],
        promptCatalog: String? = nil
    ) {
        self.name = name
        self.number = number
        self.start = start
        self.nodes = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.order = nodes.map(\.id)
        self.calendars = calendars
        self.promptCatalog = promptCatalog
        self.program = FlowProgram(start: start, nodes: self.nodes, order: self.order, calendars: calendars)
    }

    private mutating func compile() { program = FlowProgram(start: start, nodes: nodes, order: order, calendars: calendars) }

    /// The nodes in file order.
    public var orderedNodes: [Node] { order.compactMap { nodes[$0] } }
}

/// One step of a flow.
public struct Node: Sendable {
    public var id: String
    public var kind: Kind
    /// Where the node was written, when it came from a file.
    public var location: SourceLocation?

    public init(id: String, kind: Kind, location: SourceLocation? = nil) {
        self.id = id
        self.kind = kind
        self.location = location
    }

    /// What a node does.
    public enum Kind: Sendable {
        /// Plays a greeting and waits for a key or a phrase that picks an option.
        case menu(Menu)
        /// Collects a string of digits (a case number), optionally validated by an integration.
        case collect(Collect)
        /// Plays prompts and moves on.
        case play(Play)
        /// Picks the next node from conditions on variables, time and the last result.
        case branch(Branch)
        /// Calls the outside world through a named integration and branches on its outcome.
        case action(Action)
        /// Hands the call to a destination outside the flow (operator, external number); the call ends here.
        case transfer(Transfer)
        /// Ends the call, after an optional goodbye.
        case hangup(Hangup)
    }

    /// The type name used in flow files and diagrams.
    public var typeName: String {
        switch kind {
        case .menu: "menu"
        case .collect: "collect"
        case .play: "play"
        case .branch: "branch"
        case .action: "action"
        case .transfer: "transfer"
        case .hangup: "hangup"
        }
    }

    /// Every edge leaving this node, with a label for diagrams and checks.
    public var edges: [(label: String, target: String)] {
        switch kind {
        case .menu(let menu):
            var result: [(String, String)] = []
            for option in menu.options {
                if case .node(let target) = option.target { result.append((option.key, target)) }
            }
            for intent in menu.intents {
                if case .node(let target) = intent.target { result.append(("say: \(intent.name)", target)) }
            }
            result.append(("exhausted", menu.onExhausted))
            return result
        case .collect(let collect):
            var result = [("collected", collect.next)]
            result.append(("exhausted", collect.onExhausted))
            return result
        case .play(let play):
            return [("next", play.next)]
        case .branch(let branch):
            var result: [(String, String)] = []
            for (index, rule) in branch.rules.enumerated() {
                result.append((rule.condition.summary.isEmpty ? "case \(index + 1)" : rule.condition.summary, rule.target))
            }
            result.append(("else", branch.otherwise))
            return result
        case .action(let action):
            return action.next.map { ($0.outcome, $0.target) }
        case .transfer(let transfer):
            return transfer.onFailure.map { [("failure", $0)] } ?? []
        case .hangup:
            return []
        }
    }
}

/// A sequence of prompt segments played as one utterance.
public struct PromptSequence: Sendable, Hashable {
    public var segments: [PromptSegment]

    public init(_ segments: [PromptSegment]) { self.segments = segments }

    public var isEmpty: Bool { segments.isEmpty }
    public static let none = PromptSequence([])

    /// The prompt ids this sequence can play, including the digit prompts a read-back uses.
    public var promptIDs: [String] {
        segments.flatMap { segment -> [String] in
            switch segment {
            case .prompt(let id): [id]
            case .digits: PromptSegment.digitPromptIDs
            }
        }
    }
}

/// One piece of a prompt sequence.
public enum PromptSegment: Sendable, Hashable {
    /// A recorded prompt from the catalog, by id.
    case prompt(String)
    /// A variable read back digit by digit ("zero zero one two"), using the `digit.N` prompts.
    case digits(variable: String)

    /// The catalog ids of the prompts that read digits, star and pound back.
    public static let digitPromptIDs: [String] = (0...9).map { "digit.\($0)" } + ["digit.star", "digit.pound"]

    /// The catalog id that reads one keypad character.
    public static func promptID(forKey key: Character) -> String? {
        switch key {
        case "0"..."9": "digit.\(key)"
        case "*": "digit.star"
        case "#": "digit.pound"
        default: nil
        }
    }
}

/// Keys a telephone keypad can send.
public enum Keypad {
    public static let keys: Set<Character> = Set("0123456789*#")
}
