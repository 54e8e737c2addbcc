import Foundation
import HotlineCore
import HotlineFlowFile

/// Drives a ``CallSession`` in virtual time: prompts take their real length, timers fire when due,
/// integrations answer at once (queues after the hold they report) — and ten simulated minutes pass
/// in microseconds.
///
/// The caller's side is whoever holds it: the scenario runner, a benchmark or a test calls
/// `press`, `say`, `hangUp` and `advance`. A ``CallFollower`` may watch the call as it happens —
/// the demo paces it on a real clock, plays its prompts and prints its transcript line by line.
public struct VirtualCall: Sendable {
    public private(set) var session: CallSession
    /// The current instant of the call.
    public private(set) var now: Date
    /// Who watches the call as it happens, if anyone.
    public var follower: CallFollower?
    /// Transfers to these destinations fail (a scenario's `failing_transfers`): a transfer node with
    /// `on_failure` goes on there; others go through at once.
    public var failingTransfers: Set<String> = []
    /// Transcript entries handed to the follower so far.
    private var followed = 0

    private let lengths: any PromptLengths
    /// At most one playback and one timer are pending at a time.
    private var playback: (id: Int, endsAt: Date)?
    private var timer: (timer: CallTimer, firesAt: Date)?

    public init(
        flow: Flow, integrations: Integrations, callerID: String, dialled: String? = nil, at start: Date,
        lengths: any PromptLengths, catalog: PromptCatalog?, keepsLog: Bool = true, variables: [String: String] = [:]
    ) {
        self.session = CallSession(
            flow: flow, integrations: integrations, callerID: callerID, dialled: dialled, at: start, catalog: catalog,
            keepsTranscript: keepsLog, variables: variables)
        self.now = start
        self.lengths = lengths
    }

    public var machine: CallStateMachine { session.machine }
    public var log: [CallLogEntry] { session.transcript }
    public var startedAt: Date { session.startedAt }
    public var callerID: String { session.callerID }
    public var dialled: String { session.dialled }
    /// What the call waits for now.
    public var waiting: CallWaiting { session.waiting }

    // MARK: - The caller's side

    public mutating func answer() {
        let effects = session.answer(at: now)
        perform(effects)
    }

    public mutating func press(_ key: Character) {
        let effects = session.keyPressed(key, at: now)
        perform(effects)
    }

    public mutating func say(_ text: String) {
        let effects = session.speechHeard(text, at: now)
        perform(effects)
    }

    public mutating func hangUp() {
        let effects = session.callerHungUp(at: now)
        perform(effects)
    }

    /// Whether a prompt is playing now.
    public var isPlaying: Bool { playback != nil }

    /// Whether the flow is waiting for the caller (a menu or collect with its timer running).
    public var isWaitingForInput: Bool { session.waiting.isListening }

    /// When the next thing happens by itself (a prompt ends, a timer fires), if anything is pending.
    public var nextWakeUp: Date? {
        switch (playback?.endsAt, timer?.firesAt) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }

    /// Lets time pass until `deadline`, handling every prompt end and timer on the way.
    public mutating func advance(to deadline: Date) {
        while machine.end == nil, let next = nextWakeUp, next <= deadline {
            step()
        }
        if deadline > now { move(to: deadline) }
    }

    public mutating func advance(by duration: Duration) {
        advance(to: now.addingTimeInterval(duration.timeInterval))
    }

    /// Handles the next pending prompt end or timer. Returns `false` when nothing is pending.
    @discardableResult
    public mutating func step() -> Bool {
        guard machine.end == nil, let next = nextWakeUp else { return false }
        if next > now { move(to: next) }
        if let playing = playback, playing.endsAt <= next {
            playback = nil
            perform(session.promptFinished(playing.id, at: now))
        } else if let pending = timer {
            timer = nil
            perform(session.timerFired(pending.timer, at: now))
        }
        return true
    }

    /// Runs until the call ends or `limit` of virtual time passes with the caller silent.
    public mutating func runToEnd(limit: Duration = .seconds(3600)) {
        let deadline = now.addingTimeInterval(limit.timeInterval)
        while machine.end == nil, let next = nextWakeUp, next <= deadline { step() }
    }

    /// The call record, once the call has ended.
    public var record: CallRecord? { session.record }

    /// The transcript so far, one line per entry.
    public var transcript: String { session.transcriptText }

    // MARK: - Performing effects

    /// Lets the call's time pass to `instant`, with the follower keeping pace.
    private mutating func move(to instant: Date) {
        follower?.timePasses(now, instant)
        now = instant
    }

    private mutating func perform(_ effects: [CallSession.Effect]) {
        if let follower {
            let transcript = session.transcript
            while followed < transcript.count {
                follower.logged(transcript[followed])
                followed += 1
            }
        }
        for effect in effects {
            follower?.effect(effect)
            switch effect {
            case .play(let play):
                playback = (play.id, now.addingTimeInterval(lengths.duration(ofPrompts: play.prompts).timeInterval))
            case .stopPlayback(let id):
                if playback?.id == id { playback = nil }
            case .startTimer(let callTimer, let after):
                timer = (callTimer, now.addingTimeInterval(after.timeInterval))
            case .cancelTimer(let callTimer):
                if timer?.timer == callTimer { timer = nil }
            case .perform(let work):
                // Virtual time: the systems answer at once; the caller holds for the queue's wait.
                let done = work.run(at: now)
                if done.hold > .zero { move(to: now.addingTimeInterval(done.hold.timeInterval)) }
                let next = session.workFinished(done, at: now)
                perform(next)
            case .transfer(let destination, _):
                let failure = failingTransfers.contains(destination) ? "503 Service Unavailable (failing_transfers)" : nil
                perform(session.transferFinished(failure: failure, at: now))
            }
        }
        if machine.end != nil {
            playback = nil
            timer = nil
        }
    }
}

/// Someone who watches a virtual call as it happens: each stretch of the call's time as it passes
/// (a demo waits it out on a real clock), each effect as the session asks for it (a demo plays
/// and stops prompts), each transcript entry as it is written.
public struct CallFollower: Sendable {
    public var timePasses: @Sendable (_ from: Date, _ to: Date) -> Void
    public var effect: @Sendable (CallSession.Effect) -> Void
    public var logged: @Sendable (CallLogEntry) -> Void

    public init(
        timePasses: @escaping @Sendable (_ from: Date, _ to: Date) -> Void = { _, _ in },
        effect: @escaping @Sendable (CallSession.Effect) -> Void = { _ in },
        logged: @escaping @Sendable (CallLogEntry) -> Void = { _ in }
    ) {
        self.timePasses = timePasses
        self.effect = effect
        self.logged = logged
    }
}
