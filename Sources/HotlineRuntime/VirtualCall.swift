import Foundation
import HotlineCore
import HotlineFlowFile

/// Drives one call through its state machine in virtual time: prompts take their real length,
/// timers fire when due, integrations answer at once (queues after the wait they report) — and ten
/// simulated minutes pass in microseconds.
///
/// The caller's side is whoever holds it: the scenario runner, a benchmark or a test calls
/// `press`, `say`, `hangUp` and `advance`.
public struct VirtualCall: Sendable {
    public private(set) var machine: CallStateMachine
    public private(set) var log: [CallLogEntry] = []
    /// The current instant of the call.
    public private(set) var now: Date
    public let startedAt: Date
    public let callerID: String
    public let dialled: String

    private let dispatcher: IntegrationDispatcher
    private let lengths: any PromptLengths
    private let catalog: PromptCatalog?
    /// Whether to write a transcript; benchmarks turn it off.
    private let keepsLog: Bool
    /// At most one playback and one timer are pending at a time; both kept for clarity.
    private var playback: (id: Int, endsAt: Date)?
    private var timer: (timer: CallTimer, firesAt: Date)?
    private var queue: (name: String, agent: String?, waited: Duration)?
    private var recorded = false

    public init(
        flow: Flow, integrations: Integrations, callerID: String, dialled: String? = nil, at start: Date,
        lengths: any PromptLengths, catalog: PromptCatalog?, keepsLog: Bool = true, variables: [String: String] = [:]
    ) {
        self.machine = CallStateMachine(flow: flow, variables: variables)
        self.dispatcher = IntegrationDispatcher(integrations: integrations)
        self.callerID = callerID
        self.dialled = dialled ?? flow.number ?? ""
        self.now = start
        self.startedAt = start
        self.lengths = lengths
        self.catalog = catalog
        self.keepsLog = keepsLog
    }

    // MARK: - The caller's side

    public mutating func answer() {
        note(.answered(callerID: callerID, dialled: dialled))
        run(machine.answered(callerID: callerID, dialled: dialled, at: now))
    }

    public mutating func press(_ key: Character) {
        guard machine.end == nil else { return }
        note(.pressed(key))
        run(machine.digitReceived(key, at: now))
    }

    public mutating func say(_ text: String) {
        guard machine.end == nil else { return }
        note(.said(text))
        run(machine.utteranceReceived(text, at: now))
    }

    public mutating func hangUp() {
        guard machine.end == nil else { return }
        run(machine.hungUp(at: now))
    }

    /// Whether a prompt is playing now.
    public var isPlaying: Bool { playback != nil }

    /// Whether the flow is waiting for the caller (a menu or collect with its timer running).
    public var isWaitingForInput: Bool {
        if case .timer = machine.wakeUp { return true }
        return false
    }

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
        if deadline > now { now = deadline }
    }

    public mutating func advance(by duration: Duration) {
        advance(to: now.addingTimeInterval(duration.timeInterval))
    }

    /// Handles the next pending prompt end or timer. Returns `false` when nothing is pending.
    @discardableResult
    public mutating func step() -> Bool {
        guard machine.end == nil, let next = nextWakeUp else { return false }
        if next > now { now = next }
        if let playing = playback, playing.endsAt <= next {
            playback = nil
            run(machine.promptFinished(playing.id, at: now))
        } else if let pending = timer {
            timer = nil
            if let node = machine.currentNode, pending.timer.kind == .noInput { note(.timedOut(node: node)) }
            run(machine.timerFired(pending.timer, at: now))
        }
        return true
    }

    /// Runs until the call ends or `limit` of virtual time passes with the caller silent.
    public mutating func runToEnd(limit: Duration = .seconds(3600)) {
        let deadline = now.addingTimeInterval(limit.timeInterval)
        while machine.end == nil, let next = nextWakeUp, next <= deadline { step() }
    }

    /// The call record for the store, once the call has ended.
    public var record: CallRecord? {
        guard let end = machine.end else { return nil }
        return CallRecord(
            callerID: callerID, dialled: dialled, startedAt: startedAt, endedAt: now,
            path: machine.trail.compactMap { step in
                if case .entered(let node) = step { return node }
                return nil
            },
            outcome: end.outcome, caseNumber: machine.variables["case.number"], queue: queue?.name,
            agent: queue?.agent, waitedSeconds: queue.map { $0.waited.timeInterval })
    }

    /// The transcript so far, one line per entry.
    public var transcript: String { log.map(\.line).joined(separator: "\n") }

    // MARK: - Performing actions

    private mutating func run(_ actions: [CallAction]) {
        var pending = actions[...]
        while let action = pending.popFirst() {
            switch action {
            case .play(let play):
                let length = lengths.duration(ofPrompts: play.prompts)
                playback = (play.id, now.addingTimeInterval(length.timeInterval))
                if keepsLog {
                    note(.heard(node: play.node, prompts: play.prompts, texts: CallLogEntry.texts(of: play.prompts, in: catalog), playback: play.id))
                }
            case .stopPlayback(let id):
                if playback?.id == id {
                    playback = nil
                    note(.stopped(playback: id))
                }
            case .startTimer(let callTimer, let after):
                timer = (callTimer, now.addingTimeInterval(after.timeInterval))
            case .cancelTimer(let callTimer):
                if timer?.timer == callTimer { timer = nil }
            case .perform(let request):
                let node = machine.currentNode ?? "?"
                let (result, waited, event) = dispatcher.perform(request, callerID: callerID, variables: machine.variables, at: now)
                if waited > .zero { now = now.addingTimeInterval(waited.timeInterval) }
                if let event {
                    if case .queued(let name, let agent, _, let waited) = event { queue = (name, agent, waited) }
                    note(event)
                }
                note(.performed(node: node, action: request.kind, outcome: result.outcome, note: result.note))
                pending.append(contentsOf: machine.actionCompleted(request.id, result: result, at: now))
            case .transfer(let destination):
                note(.transferred(destination: destination))
            case .hangUp:
                break
            }
        }
        if let end = machine.end, !recorded {
            recorded = true
            playback = nil
            timer = nil
            note(.ended(end))
            if let record {
                do {
                    try dispatcher.integrations.desk.recordCall(record)
                } catch {
                    note(.recordNotSaved(reason: IntegrationDispatcher.describe(error)))
                }
            }
        }
    }

    private mutating func note(_ event: CallLogEntry.Event) {
        guard keepsLog else { return }
        log.append(CallLogEntry(offset: .seconds(now.timeIntervalSince(startedAt)), event: event))
    }
}
