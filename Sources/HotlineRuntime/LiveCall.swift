import Foundation
import HotlineCore
import HotlineFlowFile
import Synchronization

/// Where a live call's prompts go: the speaker (through ALSA) or nowhere but the transcript.
public protocol PromptOutput: Sendable {
    /// Plays prompts and returns `true` when they played to the end, `false` when `stop` cut them short.
    func play(_ prompts: [String], playback: Int) async -> Bool
    /// Stops a playback at once (barge-in, hang-up).
    func stop(playback: Int)
    /// The caller starts (`true`) or stops waiting in a queue: an output with audio loops hold
    /// audio meanwhile, between the prompts it is asked to play.
    func holding(_ waiting: Bool)
    /// The flow waits for the caller's keys (a menu or collect with nothing to play): a line that
    /// still rings answers now. Playing and holding answer by themselves.
    func connect()
}

extension PromptOutput {
    /// Outputs without hold audio (the speaker, silent runs) play nothing while the caller waits.
    public func holding(_ waiting: Bool) {}
    /// Outputs of calls answered from the start have nothing to do.
    public func connect() {}
}

/// Plays nothing, but takes each prompt's real length on the call's clock, so timers start when a
/// caller would expect.
public final class SilentPromptOutput: PromptOutput {
    private let lengths: any PromptLengths
    private let clock: any CallClock
    /// Playbacks playing now, each with the task that waits out its length.
    private let playing = Mutex<[Int: Task<Void, Never>]>([:])
    private let stopped = Mutex<Set<Int>>([])

    public init(lengths: any PromptLengths, clock: any CallClock) {
        self.lengths = lengths
        self.clock = clock
    }

    public func play(_ prompts: [String], playback: Int) async -> Bool {
        let deadline = clock.now().addingTimeInterval(lengths.duration(ofPrompts: prompts).timeInterval)
        let clock = clock
        let wait = Task<Void, Never> { _ = try? await clock.sleep(until: deadline) }
        let alreadyStopped = stopped.withLock { $0.remove(playback) != nil }
        if alreadyStopped { wait.cancel() }
        playing.withLock { $0[playback] = wait }
        await wait.value
        playing.withLock { $0[playback] = nil }
        return !(wait.isCancelled || stopped.withLock { $0.remove(playback) != nil })
    }

    public func stop(playback: Int) {
        stopped.withLock { _ = $0.insert(playback) }
        let task = playing.withLock { $0[playback] }
        task?.cancel()
    }
}

/// What a live caller does.
public enum LiveInput: Sendable, Hashable {
    case key(Character)
    case say(String)
    case hangUp
    /// The line answered a call that rang while its flow started (SIP; ``CallSession/lineAnswered(at:)``).
    case answered
}

/// Drives a ``CallSession`` in real time: prompts play on a ``PromptOutput``, timers and queue holds
/// wait on a ``CallClock``, keys arrive as the caller presses them, integrations run off the call's
/// actor and come back as events.
///
/// The clock is injected: a call placed at 03:00 on a Saturday in Sydney runs on from there, a
/// paced call runs faster, and a test moves a manual clock by hand.
public actor LiveCall {
    private var session: CallSession
    private let clock: any CallClock
    private let output: any PromptOutput
    private let onLog: @Sendable (CallLogEntry) -> Void
    private let onWaiting: @Sendable (CallWaiting) -> Void
    private var timers: [Int: Task<Void, Never>] = [:]
    private var events: AsyncStream<Event>.Continuation?
    private var reported = 0
    private var lastWaiting: CallWaiting?
    /// Where the call is shown while it happens (`nil`: nowhere).
    private let listing: LiveCallListing?
    /// Transcript entries already reported to the board.
    private var listed = 0
    private var lastListedWaiting: CallWaiting?

    /// Hands the call over for a transfer with `on_failure`; returns `nil` when it went through,
    /// else why not (the flow then goes on at `on_failure`).
    public typealias Transferrer = @Sendable (_ destination: String, _ method: TransferMethod) async -> String?
    private let transferrer: Transferrer

    private enum Event: Sendable {
        case transferFinished(String?)
        case input(LiveInput)
        case promptFinished(Int)
        case timerFired(CallTimer)
        case workFinished(IntegrationDone)
    }

    /// - Parameters:
    ///   - onLog: each transcript entry as it is written.
    ///   - onWaiting: each change of what the call waits for (``CallWaiting``), after the event that
    ///     caused it was handled: a scripted caller acts on `.listening`.
    ///   - listing: the live-call board the call reports to after each event (the console follows it).
    ///   - answersLater: the call still rings when its flow starts; the line answers it later
    ///     (``LiveInput/answered``), when the flow first needs media (``CallSession/answersLater``).
    ///   - handsOver: whether the driver can hand the call to a destination (`nil`: to any).
    ///   - channel: which phone places the call, kept in its record (default: the listing's).
    public init(
        flow: Flow, catalog: PromptCatalog?, integrations: Integrations, callerID: String, dialled: String? = nil,
        clock: any CallClock, output: any PromptOutput, variables: [String: String] = [:], sipCallID: String? = nil,
        listing: LiveCallListing? = nil, channel: String? = nil, answersLater: Bool = false, handsOver: (@Sendable (String) -> Bool)? = nil,
        transfer: @escaping Transferrer = { _, _ in nil },
        onLog: @escaping @Sendable (CallLogEntry) -> Void,
        onWaiting: @escaping @Sendable (CallWaiting) -> Void = { _ in }
    ) {
        self.transferrer = transfer
        self.session = CallSession(
            flow: flow, integrations: integrations, callerID: callerID, dialled: dialled, at: clock.now(), catalog: catalog,
            variables: variables, sipCallID: sipCallID, answersLater: answersLater, handsOver: handsOver, channel: channel ?? listing?.channel)
        self.clock = clock
        self.output = output
        self.onLog = onLog
        self.onWaiting = onWaiting
        self.listing = listing
    }

    /// Runs the call until it ends and its record is saved or refused; returns the session as it
    /// ended (its record, its ``CallSession/recordState``, its transcript). When `input` ends (end
    /// of a script, of standard input) the caller stays on the line in silence, and the flow's own
    /// timers end the call.
    public func run(input: AsyncStream<LiveInput>) async -> CallSession {
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        events = continuation
        let reader = Task {
            for await item in input { continuation.yield(.input(item)) }
        }
        perform(session.answer(at: clock.now()))
        for await event in stream {
            let now = clock.now()
            switch event {
            case .input(.key(let key)): perform(session.keyPressed(key, at: now))
            case .input(.say(let text)): perform(session.speechHeard(text, at: now))
            case .input(.hangUp): perform(session.callerHungUp(at: now))
            case .input(.answered): perform(session.lineAnswered(at: now))
            case .promptFinished(let id): perform(session.promptFinished(id, at: now))
            case .timerFired(let timer): perform(session.timerFired(timer, at: now))
            case .workFinished(let done): perform(session.workFinished(done, at: now))
            case .transferFinished(let failure): perform(session.transferFinished(failure: failure, at: now))
            }
            if session.waiting.isOver { break }
        }
        report(at: clock.now(), final: true)
        reader.cancel()
        for task in timers.values { task.cancel() }
        timers = [:]
        return session
    }

    /// The SIP `Call-ID` of a SIP call (``CallSession/sipCallID``).
    public var sipCallID: String? { session.sipCallID }

    /// The call's variables, for the summary.
    public var variables: [String: String] { session.machine.variables }

    /// The transcript so far.
    public var log: [CallLogEntry] { session.transcript }

    /// What the call waits for now.
    public var waiting: CallWaiting { session.waiting }

    private func perform(_ effects: [CallSession.Effect]) {
        let events = events
        for effect in effects {
            switch effect {
            case .play(let playback):
                let output = output
                Task {
                    if await output.play(playback.prompts, playback: playback.id) {
                        events?.yield(.promptFinished(playback.id))
                    }
                }
            case .stopPlayback(let id):
                output.stop(playback: id)
            case .startTimer(let timer, let after):
                output.connect()
                let clock = clock
                let deadline = clock.now().addingTimeInterval(after.timeInterval)
                timers[timer.id] = Task {
                    do {
                        try await clock.sleep(until: deadline)
                        events?.yield(.timerFired(timer))
                    } catch {}  // Cancelled: the session no longer waits for it.
                }
            case .cancelTimer(let timer):
                timers.removeValue(forKey: timer.id)?.cancel()
            case .perform(let work):
                // Off the call's actor: the store and the pager may block; the result comes back as an event.
                let clock = clock
                let output = output
                Task.detached {
                    let started = clock.now()
                    let done = work.run(at: started)
                    if done.hold > .zero {
                        // The caller holds while the queue finds an agent, hearing hold audio, on the
                        // call's clock (its Pace scales the hold like every other wait of the call).
                        output.holding(true)
                        try? await clock.sleep(until: started.addingTimeInterval(done.hold.timeInterval))
                        output.holding(false)
                    }
                    events?.yield(.workFinished(done))
                }
            case .transfer(let destination, let method):
                let transferrer = transferrer
                Task {
                    let failure = await transferrer(destination, method)
                    events?.yield(.transferFinished(failure))
                }
            }
        }
        publish()
    }

    /// Hands new transcript entries and a changed wait to the observers.
    private func publish() {
        let transcript = session.transcript
        while reported < transcript.count {
            onLog(transcript[reported])
            reported += 1
        }
        let waiting = session.waiting
        if waiting != lastWaiting {
            lastWaiting = waiting
            onWaiting(waiting)
        }
        report(at: clock.now(), final: false)
    }

    /// One report to the board per event handled: the new transcript lines and where the call is.
    /// Nothing when nothing changed; the final one carries the outcome.
    private func report(at now: Date, final: Bool) {
        guard let listing else { return }
        let transcript = session.transcript
        let waiting = session.waiting
        guard final || listed < transcript.count || waiting != lastListedWaiting else { return }
        let lines = transcript[listed...].map(\.line)
        listed = transcript.count
        lastListedWaiting = waiting
        let record = session.record
        listing.board.report(
            LiveCallUpdate(
                id: listing.id, channel: listing.channel, callerID: session.callerID, dialled: session.dialled, sipCallID: listing.sipCallID,
                startedAt: session.startedAt, at: now, node: waiting.node ?? session.machine.currentNode, waiting: waiting.summary,
                newLines: Array(lines), outcome: final ? (record?.outcome ?? session.machine.end?.outcome ?? "ended") : nil,
                caseNumber: record?.caseNumber ?? session.machine.variable("case.number"), pace: clock.pace.factor))
    }
}
