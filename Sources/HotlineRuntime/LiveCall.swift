import Foundation
import HotlineCore
import HotlineFlowFile

/// Where a live call's prompts go: the speaker (through ALSA) or nowhere but the transcript.
public protocol PromptOutput: Sendable {
    /// Plays prompts and returns `true` when they played to the end, `false` when `stop` cut them short.
    func play(_ prompts: [String], playback: Int) async -> Bool
    /// Stops a playback at once (barge-in, hang-up).
    func stop(playback: Int)
}

/// Plays nothing, but takes each prompt's real length, so timers start when a caller would expect.
public final class SilentPromptOutput: PromptOutput, @unchecked Sendable {
    private let lengths: any PromptLengths
    private let sleep: @Sendable (Duration) async throws -> Void
    private let lock = NSLock()
    private var waiting: [Int: CheckedContinuation<Bool, Never>] = [:]
    private var stopped: Set<Int> = []

    public init(lengths: any PromptLengths, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.lengths = lengths
        self.sleep = sleep
    }

    public func play(_ prompts: [String], playback: Int) async -> Bool {
        let length = lengths.duration(ofPrompts: prompts)
        return await withCheckedContinuation { continuation in
            let alreadyStopped = lock.withLock {
                if stopped.remove(playback) != nil { return true }
                waiting[playback] = continuation
                return false
            }
            if alreadyStopped {
                continuation.resume(returning: false)
                return
            }
            Task {
                try? await sleep(length)
                self.finish(playback, finished: true)
            }
        }
    }

    public func stop(playback: Int) {
        let found = lock.withLock { () -> Bool in
            if waiting[playback] != nil { return true }
            stopped.insert(playback)
            return false
        }
        if found { finish(playback, finished: false) }
    }

    private func finish(_ playback: Int, finished: Bool) {
        let continuation = lock.withLock { waiting.removeValue(forKey: playback) }
        continuation?.resume(returning: finished)
    }
}

/// What a live caller does.
public enum LiveInput: Sendable, Hashable {
    case key(Character)
    case say(String)
    case hangUp
}

/// Drives one call in real time: prompts play for real, timers run on the real clock, keys arrive
/// as the caller presses them. The state machine is the same one scripted calls run.
///
/// The clock that says "now" is injected (a call can be placed at 03:00 on a Saturday in Sydney and
/// run on from there); so is the sleep that timers use.
public actor LiveCall {
    private var machine: CallStateMachine
    private let dispatcher: IntegrationDispatcher
    private let catalog: PromptCatalog?
    private let callerID: String
    private let dialled: String
    private let clock: any WallClock
    private let sleep: @Sendable (Duration) async throws -> Void
    private let output: any PromptOutput
    private let onLog: @Sendable (CallLogEntry) -> Void
    /// How much of a queue's reported wait the caller really holds for (1 = all of it).
    private let holdScale: Double
    private let startedAt: Date
    private var timers: [Int: Task<Void, Never>] = [:]
    private var playbackTasks: [Int: Task<Void, Never>] = [:]
    private var queue: (name: String, agent: String?, waited: Duration)?
    private var events: AsyncStream<Internal>.Continuation?
    public private(set) var log: [CallLogEntry] = []

    private enum Internal: Sendable {
        case input(LiveInput)
        case promptFinished(Int)
        case timerFired(CallTimer)
        /// An integration result delivered after the caller held (queues).
        case actionCompleted(Int, ActionResult)
        case inputEnded
    }

    public init(
        flow: Flow, catalog: PromptCatalog?, integrations: Integrations, callerID: String, dialled: String? = nil,
        clock: any WallClock, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        output: any PromptOutput, holdScale: Double = 1, variables: [String: String] = [:],
        onLog: @escaping @Sendable (CallLogEntry) -> Void
    ) {
        self.machine = CallStateMachine(flow: flow, variables: variables)
        self.dispatcher = IntegrationDispatcher(integrations: integrations)
        self.catalog = catalog
        self.callerID = callerID
        self.dialled = dialled ?? flow.number ?? ""
        self.clock = clock
        self.sleep = sleep
        self.output = output
        self.holdScale = holdScale
        self.onLog = onLog
        self.startedAt = clock.now()
    }

    /// Runs the call until it ends; returns its record. When `input` ends (end of a script, end of
    /// standard input) the caller stays on the line in silence, and the flow's own timers end the call.
    public func run(input: AsyncStream<LiveInput>) async -> CallRecord {
        let (stream, continuation) = AsyncStream<Internal>.makeStream()
        events = continuation
        let reader = Task {
            for await item in input { continuation.yield(.input(item)) }
            continuation.yield(.inputEnded)
        }
        note(.answered(callerID: callerID, dialled: dialled))
        perform(machine.answered(callerID: callerID, dialled: dialled, at: clock.now()))
        for await event in stream {
            if machine.end != nil { break }
            let now = clock.now()
            switch event {
            case .input(.key(let key)):
                note(.pressed(key))
                perform(machine.digitReceived(key, at: now))
            case .input(.say(let text)):
                note(.said(text))
                perform(machine.utteranceReceived(text, at: now))
            case .input(.hangUp):
                perform(machine.hungUp(at: now))
            case .promptFinished(let id):
                perform(machine.promptFinished(id, at: now))
            case .timerFired(let timer):
                if timer.kind == .noInput, let node = machine.currentNode { note(.timedOut(node: node)) }
                perform(machine.timerFired(timer, at: now))
            case .actionCompleted(let id, let result):
                perform(machine.actionCompleted(id, result: result, at: now))
            case .inputEnded:
                break
            }
            if machine.end != nil { break }
        }
        reader.cancel()
        for task in timers.values { task.cancel() }
        let end = machine.end ?? .callerHungUp
        note(.ended(end))
        let record = CallRecord(
            callerID: callerID, dialled: dialled, startedAt: startedAt, endedAt: clock.now(),
            path: machine.trail.compactMap { step in
                if case .entered(let node) = step { return node }
                return nil
            },
            outcome: end.outcome, caseNumber: machine.variables["case.number"], queue: queue?.name, agent: queue?.agent,
            waitedSeconds: queue.map { $0.waited.timeInterval })
        do {
            try dispatcher.integrations.desk.recordCall(record)
        } catch {
            note(.recordNotSaved(reason: IntegrationDispatcher.describe(error)))
        }
        return record
    }

    /// The call's variables, for the summary.
    public var variables: [String: String] { machine.variables }

    private func perform(_ actions: [CallAction]) {
        var pending = actions[...]
        while let action = pending.popFirst() {
            switch action {
            case .play(let playback):
                note(.heard(node: playback.node, prompts: playback.prompts, texts: CallLogEntry.texts(of: playback.prompts, in: catalog), playback: playback.id))
                let output = output
                let events = events
                playbackTasks[playback.id] = Task {
                    if await output.play(playback.prompts, playback: playback.id) {
                        events?.yield(.promptFinished(playback.id))
                    }
                }
            case .stopPlayback(let id):
                output.stop(playback: id)
                playbackTasks[id] = nil
                note(.stopped(playback: id))
            case .startTimer(let timer, let after):
                let sleep = sleep
                let events = events
                timers[timer.id] = Task {
                    do {
                        try await sleep(after)
                        events?.yield(.timerFired(timer))
                    } catch {}  // Cancelled: the machine no longer waits for it.
                }
            case .cancelTimer(let timer):
                timers.removeValue(forKey: timer.id)?.cancel()
            case .perform(let request):
                let node = machine.currentNode ?? "?"
                let (result, waited, event) = dispatcher.perform(request, callerID: callerID, variables: machine.variables, at: clock.now())
                if let event {
                    if case .queued(let name, let agent, _, let waited) = event { queue = (name, agent, waited) }
                    note(event)
                }
                note(.performed(node: node, action: request.kind, outcome: result.outcome, note: result.note))
                if waited > .zero, holdScale > 0 {
                    // The caller holds while the queue finds an agent; the result comes back after.
                    let sleep = sleep
                    let hold = Duration(timeInterval: waited.timeInterval * holdScale)
                    let events = events
                    Task {
                        try? await sleep(hold)
                        events?.yield(.actionCompleted(request.id, result))
                    }
                    continue
                }
                pending.append(contentsOf: machine.actionCompleted(request.id, result: result, at: clock.now()))
            case .transfer(let destination):
                note(.transferred(destination: destination))
            case .hangUp:
                break
            }
        }
    }

    private func note(_ event: CallLogEntry.Event) {
        let entry = CallLogEntry(offset: .seconds(clock.now().timeIntervalSince(startedAt)), event: event)
        log.append(entry)
        onLog(entry)
    }
}
