import Foundation

/// Where a menu option leads.
public enum MenuTarget: Sendable, Hashable {
    /// Go to a node.
    case node(String)
    /// Play the long greeting again without counting a failure (`*` in most flows).
    case repeatMenu
}

/// A menu: the IVR's main building block, as in FreeSWITCH `ivr` menus and Asterisk `Background()`.
public struct Menu: Sendable {
    /// A DTMF option: one or more keys.
    public struct Option: Sendable {
        public var key: String
        public var target: MenuTarget
        public init(key: String, target: MenuTarget) {
            self.key = key
            self.target = target
        }
    }

    /// A spoken intent: any of its phrases heard in an utterance picks it.
    public struct Intent: Sendable {
        public var name: String
        public let phrases: [String]
        /// The phrases as the matcher compares them, worked out once here rather than at every
        /// utterance (`IntentMatcher.normalizedWords`).
        public let phraseWords: [[Substring]]
        public var target: MenuTarget
        public init(name: String, phrases: [String], target: MenuTarget) {
            self.name = name
            self.phrases = phrases
            self.phraseWords = phrases.map(IntentMatcher.normalizedWords)
            self.target = target
        }
    }

    /// Played on entry and on `*`.
    public var greeting: PromptSequence
    /// Played on a re-prompt after invalid input or silence; the greeting when absent.
    public var shortGreeting: PromptSequence?
    public var options: [Option]
    public var intents: [Intent]
    /// Silence allowed after the greeting ends before it counts as no input.
    public var firstDigitTimeout: Duration
    /// Time allowed between the keys of a multi-key option.
    public var interDigitTimeout: Duration
    /// Invalid choices allowed before the menu gives up.
    public var maxFailures: Int
    /// Silences allowed before the menu gives up.
    public var maxTimeouts: Int
    public var invalidPrompt: PromptSequence
    public var noInputPrompt: PromptSequence
    /// Where the call goes once failures or timeouts are exhausted.
    public var onExhausted: String
    /// Whether a key pressed during the greeting stops it and is used.
    public var bargeIn: Bool

    public init(
        greeting: PromptSequence,
        shortGreeting: PromptSequence? = nil,
        options: [Option],
        intents: [Intent] = [],
        firstDigitTimeout: Duration = .seconds(5),
        interDigitTimeout: Duration = .seconds(3),
        maxFailures: Int = 3,
        maxTimeouts: Int = 3,
        invalidPrompt: PromptSequence = .none,
        noInputPrompt: PromptSequence = .none,
        onExhausted: String,
        bargeIn: Bool = true
    ) {
        self.greeting = greeting
        self.shortGreeting = shortGreeting
        self.options = options
        self.intents = intents
        self.firstDigitTimeout = firstDigitTimeout
        self.interDigitTimeout = interDigitTimeout
        self.maxFailures = maxFailures
        self.maxTimeouts = maxTimeouts
        self.invalidPrompt = invalidPrompt
        self.noInputPrompt = noInputPrompt
        self.onExhausted = onExhausted
        self.bargeIn = bargeIn
    }
}

/// Collects digits into a variable (FreeSWITCH `play_and_get_digits`, VoiceXML `<field>`).
public struct Collect: Sendable {
    public var prompt: PromptSequence
    /// The variable the digits are stored in (`case.number`).
    public var variable: String
    public var minLength: Int
    public var maxLength: Int
    /// The key that ends entry early; `nil` when only length and time end it.
    public var terminator: Character?
    public var firstDigitTimeout: Duration
    public var interDigitTimeout: Duration
    /// Entries (wrong, too short or silent) allowed before giving up.
    public var maxAttempts: Int
    public var invalidPrompt: PromptSequence
    public var noInputPrompt: PromptSequence
    /// An integration that must accept the digits (`validate_case`), or `nil` to accept any.
    public var validation: ActionKind?
    /// Played when the validation rejects the digits, before asking again.
    public var rejectedPrompt: PromptSequence
    public var next: String
    public var onExhausted: String
    public var bargeIn: Bool

    public init(
        prompt: PromptSequence,
        variable: String,
        minLength: Int = 1,
        maxLength: Int = 16,
        terminator: Character? = "#",
        firstDigitTimeout: Duration = .seconds(5),
        interDigitTimeout: Duration = .seconds(3),
        maxAttempts: Int = 3,
        invalidPrompt: PromptSequence = .none,
        noInputPrompt: PromptSequence = .none,
        validation: ActionKind? = nil,
        rejectedPrompt: PromptSequence = .none,
        next: String,
        onExhausted: String,
        bargeIn: Bool = true
    ) {
        self.prompt = prompt
        self.variable = variable
        self.minLength = minLength
        self.maxLength = maxLength
        self.terminator = terminator
        self.firstDigitTimeout = firstDigitTimeout
        self.interDigitTimeout = interDigitTimeout
        self.maxAttempts = maxAttempts
        self.invalidPrompt = invalidPrompt
        self.noInputPrompt = noInputPrompt
        self.validation = validation
        self.rejectedPrompt = rejectedPrompt
        self.next = next
        self.onExhausted = onExhausted
        self.bargeIn = bargeIn
    }
}

/// Plays prompts, then moves on.
public struct Play: Sendable {
    public var prompts: PromptSequence
    public var next: String
    public init(prompts: PromptSequence, next: String) {
        self.prompts = prompts
        self.next = next
    }
}

/// Picks the first rule whose condition holds, else `otherwise`.
public struct Branch: Sendable {
    public struct Rule: Sendable {
        public var condition: Condition
        public var target: String
        public init(condition: Condition, target: String) {
            self.condition = condition
            self.target = target
        }
    }
    public var rules: [Rule]
    public var otherwise: String
    public init(rules: [Rule], otherwise: String) {
        self.rules = rules
        self.otherwise = otherwise
    }
}

/// A condition a branch tests. Conditions never perform I/O: time comes in as an argument.
public indirect enum Condition: Sendable {
    case equals(variable: String, value: String)
    case notEquals(variable: String, value: String)
    case oneOf(variable: String, values: [String])
    /// The variable has a non-empty value.
    case isSet(variable: String)
    /// The call's current instant is within the named calendar's open hours.
    case withinHours(calendar: String)
    /// The outcome of the last action node was this one.
    case lastResult(String)
    case all([Condition])
    case any([Condition])
    case not(Condition)

    /// A short label for diagrams.
    public var summary: String {
        switch self {
        case .equals(let variable, let value): "\(variable) = \(value)"
        case .notEquals(let variable, let value): "\(variable) ≠ \(value)"
        case .oneOf(let variable, let values): "\(variable) in \(values.joined(separator: "|"))"
        case .isSet(let variable): "\(variable) set"
        case .withinHours(let calendar): "within \(calendar)"
        case .lastResult(let result): "last = \(result)"
        case .all(let conditions): conditions.map(\.summary).joined(separator: " and ")
        case .any(let conditions): conditions.map(\.summary).joined(separator: " or ")
        case .not(let condition): "not \(condition.summary)"
        }
    }

    /// Every calendar name the condition refers to.
    public var calendarNames: [String] {
        switch self {
        case .withinHours(let calendar): [calendar]
        case .all(let conditions), .any(let conditions): conditions.flatMap(\.calendarNames)
        case .not(let condition): condition.calendarNames
        case .equals, .notEquals, .oneOf, .isSet, .lastResult: []
        }
    }

    /// Evaluates the condition against a call's variables at an instant.
    public func holds(
        variables: [String: String],
        lastResult: String?,
        calendars: [String: BusinessCalendar],
        at now: Date
    ) -> Bool {
        switch self {
        case .equals(let variable, let value):
            return Self.sameIgnoringCase(variables[variable] ?? "", value)
        case .notEquals(let variable, let value):
            return !Self.sameIgnoringCase(variables[variable] ?? "", value)
        case .oneOf(let variable, let values):
            let actual = variables[variable] ?? ""
            return values.contains { Self.sameIgnoringCase($0, actual) }
        case .isSet(let variable):
            return !(variables[variable] ?? "").isEmpty
        case .withinHours(let name):
            // A missing calendar is rejected by `flow check`; at run time it is closed.
            return calendars[name]?.isOpen(at: now) ?? false
        case .lastResult(let expected):
            return lastResult == expected
        case .all(let conditions):
            return conditions.allSatisfy { $0.holds(variables: variables, lastResult: lastResult, calendars: calendars, at: now) }
        case .any(let conditions):
            return conditions.contains { $0.holds(variables: variables, lastResult: lastResult, calendars: calendars, at: now) }
        case .not(let condition):
            return !condition.holds(variables: variables, lastResult: lastResult, calendars: calendars, at: now)
        }
    }
}

extension Condition {
    /// `caseInsensitiveCompare == .orderedSame`, byte by byte when both are ASCII (nearly every
    /// variable and value): Foundation's comparison was a large part of a branch.
    static func sameIgnoringCase(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let x?, let y?) where x < 0x80 && y < 0x80:
                if x == y { continue }
                let lowerX = (0x41...0x5A).contains(x) ? x + 32 : x
                let lowerY = (0x41...0x5A).contains(y) ? y + 32 : y
                if lowerX != lowerY { return false }
            case (let x?, let y?) where x >= 0x80 || y >= 0x80:
                return a.caseInsensitiveCompare(b) == .orderedSame
            default:
                // One ended first: different unless the rest of the other is non-ASCII (Foundation decides).
                return !a.utf8.allSatisfy { $0 < 0x80 } || !b.utf8.allSatisfy { $0 < 0x80 }
                    ? a.caseInsensitiveCompare(b) == .orderedSame : false
            }
        }
    }
}

/// Calls a named integration; the outcome picks the next node.
public struct Action: Sendable {
    public struct Next: Sendable {
        public var outcome: String
        public var target: String
        public init(outcome: String, target: String) {
            self.outcome = outcome
            self.target = target
        }
    }
    public var kind: ActionKind
    /// Arguments, with `${variable}` references resolved when the action runs.
    public var arguments: [String: String]
    /// Played before the action runs (e.g. "please hold while we connect you").
    public var prompt: PromptSequence
    /// Where each outcome leads; `default` catches outcomes not listed.
    public var next: [Next]

    public init(kind: ActionKind, arguments: [String: String] = [:], prompt: PromptSequence = .none, next: [Next]) {
        self.kind = kind
        self.arguments = arguments
        self.prompt = prompt
        self.next = next
    }

    /// The node an outcome leads to, falling back to `default`.
    public func target(for outcome: String) -> String? {
        next.first { $0.outcome == outcome }?.target ?? next.first { $0.outcome == "default" }?.target
    }
}

/// How a SIP line hands a call to a `sip:` destination (other phones just end the call `transferred`).
public enum TransferMethod: String, Sendable, Hashable, CaseIterable {
    /// A blind transfer: REFER to the caller in the answered call (the default).
    case refer
    /// `302 Moved Temporarily` with the URI as `Contact`, before the line answers (a PBX's redirect).
    case redirect
}

/// Ends the flow by handing the call to someone outside it.
public struct Transfer: Sendable {
    /// Where the call goes ("operator", "+14085550123", `${queue.agent}`); `${variable}`s are filled
    /// in when the call gets there.
    public var destination: String
    public var prompt: PromptSequence
    /// How a SIP line transfers to a `sip:` destination.
    public var method: TransferMethod
    /// Where the call goes, the caller still on the line, when the transfer fails (a REFER refused,
    /// a NOTIFY of 300 or more, no final NOTIFY in time); `nil`: the call ends `transfer-failed`.
    public var onFailure: String?
    public init(destination: String, prompt: PromptSequence = .none, method: TransferMethod = .refer, onFailure: String? = nil) {
        self.destination = destination
        self.prompt = prompt
        self.method = method
        self.onFailure = onFailure
    }
}

/// Ends the call.
public struct Hangup: Sendable {
    public var prompt: PromptSequence
    /// A word for reports and call records ("completed", "abandoned", "failed").
    public var outcome: String
    public init(prompt: PromptSequence = .none, outcome: String = "completed") {
        self.prompt = prompt
        self.outcome = outcome
    }
}
