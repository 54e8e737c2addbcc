/// The named integrations a flow's action nodes (and collect validations) can call.
///
/// Each kind lists the outcomes it can produce, so `flow check` can tell a flow that forgets one,
/// and the variables it sets, so prompts and conditions can use them. Every kind can also end in
/// `error` when the integration behind it fails.
public enum ActionKind: String, Sendable, CaseIterable, Hashable {
    /// Caller ID → contact → account. Sets `caller.known`, `caller.name`, `caller.account`,
    /// `caller.account_name`, `caller.tier`, `caller.open_cases`, `caller.case` (when exactly one is open).
    case identifyCaller = "identify_caller"
    /// An account/site number typed by an unknown caller (`account` argument). Same variables.
    case identifyAccount = "identify_account"
    /// A typed case number (`case` argument) that must belong to the caller's account.
    /// Sets `case.number`, `case.priority`, `case.status`, `case.level`.
    case validateCase = "validate_case"
    /// Records an escalation on a case (`case`, `reason`, `channel`). Sets `escalation.id`; while
    /// the case's escalation is open, the new one joins it (same id, recorded on the feed).
    case recordEscalation = "record_escalation"
    /// Opens a case (`account`, `priority`, `skill`, `summary`). Sets `case.number`, `case.priority`.
    case openCase = "open_case"
    /// Pages the Escalation Manager on call (`case`, `reason`). Sets `page.id`, `page.to`, `page.level`.
    /// When the case's escalation is already paging, nothing new is sent: the latest page is reported.
    case pageOnCall = "page_on_call"
    /// The person called about a page acknowledges it (`page`, `by`): the outbound "press 1 to
    /// acknowledge" call. Outcomes: `acknowledged` — also for an escalation that ran out of levels (a
    /// late acknowledgement still counts) — or `closed` when it was acknowledged already.
    case acknowledgePage = "acknowledge_page"
    /// Puts the caller in a skill queue (`queue`, optional `priority`). Sets `queue.name`,
    /// `queue.agent`, `queue.wait_seconds`, `queue.overflow`.
    case enqueue
    /// Sets variables from its arguments; always `ok`.
    case setVariables = "set"

    /// The outcomes this kind can produce besides `error`.
    public var outcomes: [String] {
        switch self {
        case .identifyCaller: ["known", "unknown"]
        case .identifyAccount: ["known", "unknown", "locked"]
        case .validateCase: ["valid", "invalid", "locked"]
        case .recordEscalation: ["recorded", "closed"]
        case .openCase: ["opened"]
        case .pageOnCall: ["paged", "nobody"]
        case .acknowledgePage: ["acknowledged", "closed"]
        case .enqueue: ["answered", "overflow"]
        case .setVariables: ["ok"]
        }
    }

    /// The call variables a successful result sets, for prompts, conditions and `flow check`.
    public var setsVariables: [String] {
        switch self {
        case .identifyCaller, .identifyAccount:
            ["caller.known", "caller.name", "caller.account", "caller.account_name", "caller.tier", "caller.open_cases", "caller.case"]
        case .validateCase: ["case.number", "case.priority", "case.status", "case.level", "case.skill"]
        case .recordEscalation: ["escalation.id", "case.status"]
        case .openCase: ["case.number", "case.priority", "case.status", "case.level", "case.skill"]
        case .pageOnCall: ["page.id", "page.to", "page.level"]
        case .acknowledgePage: ["page.state"]
        case .enqueue: ["queue.name", "queue.agent", "queue.wait_seconds", "queue.overflow"]
        case .setVariables: []
        }
    }

    /// Arguments that must be given (`flow check` reports a missing one).
    public var requiredArguments: [String] {
        switch self {
        case .identifyCaller, .setVariables: []
        case .identifyAccount: ["account"]
        case .validateCase: ["case"]
        case .recordEscalation: ["case"]
        case .openCase: ["priority"]
        case .pageOnCall: ["case"]
        case .acknowledgePage: ["page", "by"]
        case .enqueue: ["queue"]
        }
    }

    /// The outcome a collect node's validation counts as accepted.
    public var acceptingOutcome: String? {
        switch self {
        case .validateCase: "valid"
        case .identifyAccount: "known"
        case .identifyCaller, .recordEscalation, .openCase, .pageOnCall, .acknowledgePage, .enqueue, .setVariables: nil
        }
    }

    /// The outcome that ends a collect node's retries at once (too many failures across calls).
    public var lockingOutcome: String? {
        switch self {
        case .validateCase, .identifyAccount: "locked"
        case .identifyCaller, .recordEscalation, .openCase, .pageOnCall, .acknowledgePage, .enqueue, .setVariables: nil
        }
    }
}

/// An integration call the state machine asks the driver to make.
public struct ActionRequest: Sendable, Hashable {
    /// Tells results apart from stale ones (a result for an earlier request is ignored).
    public var id: Int
    public var kind: ActionKind
    /// Arguments with `${variable}` references already resolved.
    public var arguments: Arguments

    /// A request's arguments by name (``NamedValues``).
    public typealias Arguments = NamedValues

    public init(id: Int, kind: ActionKind, arguments: Arguments) {
        self.id = id
        self.kind = kind
        self.arguments = arguments
    }
}

/// What an integration call produced.
public struct ActionResult: Sendable, Hashable {
    /// One of the kind's `outcomes`, or `error`.
    public var outcome: String
    /// Variables to set on the call (`case.number`, `page.to`, …).
    public var variables: Variables
    /// A short human-readable line for the transcript (never caller data by accident: the integration chooses it).
    public var note: String?

    public init(outcome: String, variables: Variables = [:], note: String? = nil) {
        self.outcome = outcome
        self.variables = variables
        self.note = note
    }

    public static func error(_ note: String) -> ActionResult { ActionResult(outcome: "error", note: note) }

    /// The variables an action sets, by name (``NamedValues``).
    public typealias Variables = NamedValues
}

/// Values by name, written like a dictionary (`["page.to": name]`) and read like one
/// (`arguments["case"]`), kept as a list in the order given: an action's arguments and an
/// integration's variables are a handful of names, built once and read a few times, and a list is
/// built and searched without hashing a name. Setting a name replaces its value, as in a
/// dictionary. Two are equal when they hold the same values by name, in any order.
public struct NamedValues: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// Names and values, in order; a name at most once (a literal that repeats one: the later value counts).
    private var pairs: [(String, String)]

    public init(dictionaryLiteral elements: (String, String)...) {
        pairs = elements
    }

    /// `pairs` in order; the names must differ.
    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs
    }

    public init(_ values: [String: String]) {
        pairs = values.map { ($0.key, $0.value) }
    }

    /// The value of `name`; setting `nil` removes it.
    public subscript(name: String) -> String? {
        get { pairs.last { $0.0 == name }?.1 }
        set {
            if let index = pairs.lastIndex(where: { $0.0 == name }) {
                if let newValue { pairs[index].1 = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                pairs.append((name, newValue))
            }
        }
    }

    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    /// The values by name.
    public var dictionary: [String: String] {
        Dictionary(pairs, uniquingKeysWith: { _, later in later })
    }

    /// Each name with its value, in order.
    public func makeIterator() -> IndexingIterator<[(String, String)]> { pairs.makeIterator() }

    public static func == (left: NamedValues, right: NamedValues) -> Bool { left.dictionary == right.dictionary }

    public func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }
}
