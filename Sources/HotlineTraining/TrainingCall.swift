import Foundation
import HotlineCore

/// Who a timeline line is from.
public enum Speaker: String, Sendable, Hashable, Codable {
    /// The phone line (the IVR, the queue) before the trainee picks up.
    case line
    /// The trainee.
    case desk
    /// The persona.
    case caller
    /// The product answering a desk action (a refusal, a page sent).
    case system
}

/// What happened, in the terms the rubric checks. Scoring reads only these.
public enum Fact: Sendable, Hashable, Codable {
    case pickedUp
    case asked(String)
    /// The store confirmed the caller as a contact of `account`.
    case verified(account: String)
    case verifyFailed
    /// A case's details were said to the caller; `account` is the case's account.
    case disclosed(case: String, account: String)
    case refused
    case commented(case: String)
    case priorityChanged(case: String, to: String, reason: String)
    /// The escalation recorded; `paged` people were paged; `targetMinutes` is the case's response
    /// target for its plan and priority (from the store's SLA table).
    case escalated(case: String, reason: String, paged: Int, targetMinutes: Int)
    case problemReport(case: String, id: String)
    case levelRaised(case: String, to: String)
    case closed(case: String)
    case caseOpened(case: String, priority: String)
    case transferred(to: String)
    case held
    case resumed
    case toldNextStep
    case said
    /// The persona hung up (its patience ran out on hold, or nobody spoke to it).
    case callerHungUp(onHold: Bool)
    case ended
}

/// One line of a training call: when (seconds since the persona dialled), who, what.
public struct TimelineEntry: Sendable, Hashable, Codable {
    public var offset: Double
    public var who: Speaker
    public var text: String
    public var fact: Fact?

    public init(offset: Double, who: Speaker, text: String, fact: Fact? = nil) {
        self.offset = offset
        self.who = who
        self.text = text
        self.fact = fact
    }

    /// `[02:15] caller: …`
    public var line: String {
        let seconds = Int(offset.rounded(.down))
        return String(format: "[%02d:%02d] ", seconds / 60, seconds % 60) + "\(who.rawValue): \(text)"
    }
}

/// What the product said to a desk action: done (with what it means for the rubric), or refused.
public enum DeskOutcome: Sendable, Hashable {
    /// Done; `note` is what the desk shows (a case's state, the pages sent).
    case done(Fact, note: String)
    /// The product refused it (an unknown case, a closed case, a Problem Report below L3, …).
    case failed(String)
}

/// The training call after the trainee picked up: the persona's side as a pure state machine.
///
/// Events: ``pickedUp(at:)``, ``timePasses(to:)`` (the persona's patience on hold runs out),
/// ``decide(_:at:)`` then ``performed(_:outcome:at:)`` for each desk action, ``scriptEnded(at:)``.
/// Wrong input: a desk action after the call is over, a spoken action while the caller is on
/// hold, `hold` on hold or `resume` off hold are refused (written to the timeline, nothing else
/// changes). The call is always over after ``scriptEnded(at:)``: it never gets stuck.
public struct TrainingCall: Sendable {
    public let persona: Persona
    /// When the persona dialled; offsets count from here.
    public let dialledAt: Date
    public private(set) var timeline: [TimelineEntry] = []
    public private(set) var state: State = .ringing

    /// Where the call is.
    public enum State: Sendable, Hashable {
        /// The line has not put the persona through yet.
        case ringing
        case talking
        /// On hold since that instant.
        case onHold(since: Date)
        case over(Ending)
    }

    /// How a training call ended.
    public enum Ending: String, Sendable, Hashable, Codable {
        case trainee = "ended by the trainee"
        case transferred
        case callerHungUp = "the caller hung up"
    }

    /// Whether the desk may act on a call.
    public enum Decision: Sendable, Hashable {
        case perform
        case refuse(String)
    }

    public init(persona: Persona, dialledAt: Date) {
        self.persona = persona
        self.dialledAt = dialledAt
    }

    public var isOver: Bool {
        if case .over = state { return true }
        return false
    }

    /// Lines from the phone line before pickup (the IVR, the queue).
    public mutating func lineHeard(_ text: String, offset: Double) {
        timeline.append(TimelineEntry(offset: offset, who: .line, text: text))
    }

    /// The trainee picked up: the persona opens.
    public mutating func pickedUp(at now: Date) {
        guard case .ringing = state else { return }
        state = .talking
        note(.system, "the trainee picks up", fact: .pickedUp, at: now)
        note(.caller, persona.line(.greeting), at: now)
    }

    /// Time passes to `now`: a persona on hold longer than its patience hangs up.
    public mutating func timePasses(to now: Date) {
        guard case .onHold(let since) = state else { return }
        let limit = since.addingTimeInterval(persona.patience.timeInterval)
        if now > limit {
            note(.caller, persona.line(.hangUp), fact: .callerHungUp(onHold: true), at: limit)
            state = .over(.callerHungUp)
        }
    }

    /// Whether a desk action can be done now (call this after ``timePasses(to:)``).
    public func decide(_ action: DeskAction, at now: Date) -> Decision {
        switch state {
        case .ringing: return .refuse("the caller has not been put through yet")
        case .over(let ending): return .refuse("the call is over (\(ending.rawValue))")
        case .onHold:
            if action.isSpoken { return .refuse("the caller is on hold: resume first") }
            if action == .hold { return .refuse("the caller is on hold already") }
            return .perform
        case .talking:
            if action == .resume { return .refuse("the caller is not on hold") }
            return .perform
        }
    }

    /// Writes a refused desk action down; nothing else changes.
    public mutating func refused(_ action: DeskAction, because reason: String, at now: Date) {
        note(.desk, action.text, at: now)
        note(.system, "not done: \(reason)", at: now)
    }

    /// A desk action was performed (or refused by the product): the persona reacts.
    public mutating func performed(_ action: DeskAction, outcome: DeskOutcome, at now: Date) {
        switch outcome {
        case .failed(let reason):
            note(.desk, action.text, at: now)
            note(.system, "not done: \(reason)", at: now)
            if action.isSpoken { note(.caller, persona.line(.failed), at: now) }
            return
        case .done(let fact, let shown):
            note(.desk, action.text, fact: fact, at: now)
            if !shown.isEmpty { note(.system, shown, at: now) }
            react(to: action, fact: fact, at: now)
        }
    }

    private mutating func react(to action: DeskAction, fact: Fact, at now: Date) {
        switch action {
        case .ask(let what):
            note(.caller, persona.knows[what] ?? persona.line(.unknownQuestion), at: now)
        case .verify:
            if case .verified = fact { note(.caller, persona.line(.verified), at: now) } else { note(.caller, persona.line(.verifyFailed), at: now) }
        case .disclose: note(.caller, persona.line(.disclosed), at: now)
        case .refuse: note(.caller, persona.line(.refused), at: now)
        case .escalate: note(.caller, persona.line(.escalated), at: now)
        case .changePriority: note(.caller, persona.line(.priority), at: now)
        case .problemReport: note(.caller, persona.line(.problemReport), at: now)
        case .openCase: note(.caller, persona.line(.caseOpened), at: now)
        case .close: note(.caller, persona.line(.closed), at: now)
        case .nextStep: note(.caller, persona.line(.nextStep), at: now)
        case .hold:
            note(.caller, persona.line(.hold), at: now)
            state = .onHold(since: now)
        case .resume:
            state = .talking
            note(.caller, persona.line(.resume), at: now)
        case .transfer:
            note(.caller, persona.line(.transferred), at: now)
            state = .over(.transferred)
        case .end:
            note(.caller, persona.line(.goodbye), fact: .ended, at: now)
            state = .over(.trainee)
        case .lookup, .comment, .raiseLevel, .say:
            break
        }
    }

    /// The trainee left the call without ending it (a closed browser tab, a server stopping):
    /// written down, then the call ends as ``scriptEnded(at:)`` ends it.
    public mutating func abandoned(because reason: String, at now: Date) {
        guard !isOver else { return }
        note(.system, "abandoned: \(reason)", at: now)
        scriptEnded(at: now)
    }

    /// The trainee does nothing more: a persona still on the line waits out its patience and hangs up.
    public mutating func scriptEnded(at now: Date) {
        timePasses(to: now)
        switch state {
        case .over: return
        case .ringing:
            state = .over(.callerHungUp)
            note(.caller, persona.line(.hangUp), fact: .callerHungUp(onHold: false), at: now)
        case .onHold(let since):
            let limit = max(now, since.addingTimeInterval(persona.patience.timeInterval))
            state = .over(.callerHungUp)
            note(.caller, persona.line(.hangUp), fact: .callerHungUp(onHold: true), at: limit)
        case .talking:
            state = .over(.callerHungUp)
            note(.caller, "Hello? … (hangs up)", fact: .callerHungUp(onHold: false), at: now.addingTimeInterval(persona.patience.timeInterval))
        }
    }

    private mutating func note(_ who: Speaker, _ text: String, fact: Fact? = nil, at now: Date) {
        timeline.append(TimelineEntry(offset: now.timeIntervalSince(dialledAt), who: who, text: text, fact: fact))
    }
}
