import Foundation

/// One prompt playback the driver must perform, then report with `promptFinished(_:)`.
public struct Playback: Sendable, Hashable {
    /// Tells a finished playback apart from an earlier, stopped one.
    public var id: Int
    /// The node that plays it (for transcripts).
    public var node: String
    /// Catalog prompt ids, in order, with read-backs already expanded to digit prompts.
    public var prompts: [String]
    /// Whether a key (or speech) during the playback stops it and is used.
    public var bargeIn: Bool

    public init(id: Int, node: String, prompts: [String], bargeIn: Bool) {
        self.id = id
        self.node = node
        self.prompts = prompts
        self.bargeIn = bargeIn
    }
}

/// A timer the driver must arm, and report with `timerFired(_:)` when it expires.
public struct CallTimer: Sendable, Hashable {
    /// What the timer waits for.
    public enum Kind: Sendable, Hashable {
        /// The caller has said nothing since the prompt ended.
        case noInput
        /// The caller stopped between keys.
        case interDigit
    }
    /// Tells a timer apart from an earlier, cancelled one.
    public var id: Int
    public var kind: Kind

    public init(id: Int, kind: Kind) {
        self.id = id
        self.kind = kind
    }
}

/// How a call ended.
public enum CallEnd: Sendable, Hashable {
    /// The flow hung up, with the hang-up node's outcome word.
    case completed(outcome: String)
    /// The flow handed the call to a destination outside it (operator, queue agent).
    case transferred(destination: String)
    /// The caller hung up first.
    case callerHungUp
    /// The flow could not go on (an outcome with nowhere to go, a loop without input). `flow check` catches these.
    case failed(reason: String)

    /// The word used in call records and reports.
    public var outcome: String {
        switch self {
        case .completed(let outcome): outcome
        case .transferred: "transferred"
        case .callerHungUp: "caller-hung-up"
        case .failed: "failed"
        }
    }
}

/// What the state machine asks its driver to do. The driver performs them in order.
public enum CallAction: Sendable, Hashable {
    /// Play prompts; report `promptFinished` when they end (unless stopped).
    case play(Playback)
    /// Stop a playback at once (barge-in, hang-up); no `promptFinished` follows.
    case stopPlayback(id: Int)
    /// Arm a timer; report `timerFired` when it expires.
    case startTimer(CallTimer, after: Duration)
    /// Disarm a timer; a late `timerFired` for it is ignored anyway.
    case cancelTimer(CallTimer)
    /// Call an integration; report `actionCompleted` with its result.
    case perform(ActionRequest)
    /// Hand the call over to a destination. Without `on_failure` the call has ended for the flow;
    /// with it the driver reports `transferCompleted` or `transferFailed`.
    case transfer(destination: String)
    /// Hang the call up; the call has ended.
    case hangUp(outcome: String)
}

/// What the machine is waiting for, when it is not ended. Never `nil` for a live call:
/// the property the no-stuck-call test checks.
public enum CallWakeUp: Sendable, Hashable {
    case timer(CallTimer)
    case playback(id: Int)
    case action(id: Int)
    /// A transfer with `on_failure`: how it went.
    case transfer(destination: String)
}

/// A step of the call's trail, kept for transcripts, call records and coverage.
public enum TrailStep: Sendable, Hashable {
    /// The call entered a node.
    case entered(node: String)
    /// A menu option (a key string or `say: intent`) or an action outcome was taken at a node.
    case took(node: String, edge: String)
}
