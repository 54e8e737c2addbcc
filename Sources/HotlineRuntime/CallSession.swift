import Foundation
import HotlineCore
import HotlineFlowFile

/// Everything a call is apart from time and media: the flow's state machine, the integrations it
/// calls, the transcript, the queue it waited in, the call record and whether it was saved, and
/// what the call waits for now. Every kind of phone runs its calls on one.
///
/// ## How a phone plugs in
///
/// A phone (a *driver*) owns only how time passes and where sound goes. It feeds the session what
/// happened and performs the effects each event returns, in order:
///
/// | The driver feeds …                      | when …                                               |
/// |-----------------------------------------|------------------------------------------------------|
/// | ``answer(at:)``                         | the call is answered, or its flow starts while it rings (once, first) |
/// | ``lineAnswered(at:)``                   | a call that rang (``answersLater``) was answered by the line |
/// | ``keyPressed(_:at:)``                   | the caller pressed `0`–`9`, `*`, `#` (DTMF, keypad)  |
/// | ``speechHeard(_:at:)``                  | the caller said something (already text)             |
/// | ``callerHungUp(at:)``                   | the caller hung up (BYE, closed socket, `q`)         |
/// | ``promptFinished(_:at:)``               | a ``Effect/play(_:)`` played to its end by itself    |
/// | ``timerFired(_:at:)``                   | a ``Effect/startTimer(_:after:)`` came due           |
/// | ``workFinished(_:at:)``                 | a ``Effect/perform(_:)`` returned, after its ``IntegrationDone/hold`` |
/// | ``transferFinished(failure:at:)``       | a ``Effect/transfer(destination:method:)`` went through (`nil`) or failed (why) |
///
/// | The driver performs …                   | by …                                                 |
/// |-----------------------------------------|------------------------------------------------------|
/// | ``Effect/play(_:)``                     | playing the prompts (ALSA, RTP, WebSocket, nothing but their length) |
/// | ``Effect/stopPlayback(id:)``            | stopping that playback at once; no `promptFinished` for it |
/// | ``Effect/startTimer(_:after:)``         | arming a timer on its clock (a later one with the same id never comes) |
/// | ``Effect/cancelTimer(_:)``              | disarming it (a late `timerFired` is ignored anyway) |
/// | ``Effect/perform(_:)``                  | running ``IntegrationWork/run(at:)`` **off the call's own executor** (it may touch SQLite), then feeding its result back after its hold |
/// | ``Effect/transfer(destination:method:)`` | handing the call over (a SIP REFER; other phones at once) and feeding how it went |
///
/// The call is over when ``waiting`` is ``CallWaiting/ended(_:)``: the call record has then been
/// saved or not (``recordState``). Nothing else is the driver's business: transcripts, queueing,
/// call records and "what does the call wait for" are the session's, the same for every phone.
///
/// ``VirtualCall`` (scenarios, benchmarks, the line simulation: virtual time, integrations at once)
/// and ``LiveCall`` (the terminal phone and the demo: a ``CallClock``, a ``PromptOutput``) are the
/// two drivers today; an RTP (SIP) phone and a browser phone plug in the same way — the media
/// layer maps DTMF or key messages to `keyPressed`, end-of-playout to `promptFinished`, and its
/// timers to `timerFired`.
///
/// Wrong input is handled as the state machine says: events for stale playbacks, timers and
/// requests are ignored; a key or phrase nothing listens for is written to the transcript as
/// ignored (with a hint), and changes nothing.
public struct CallSession: Sendable {
    public private(set) var machine: CallStateMachine
    /// What happened on the call so far (empty when the session keeps no transcript).
    public private(set) var transcript: [CallLogEntry] = []
    /// Whether the call record was saved.
    public private(set) var recordState: RecordState = .callGoingOn
    public let callerID: String
    public let dialled: String
    public let startedAt: Date
    /// The SIP `Call-ID` of a call that came (or went out) by SIP; `nil` for every other driver.
    /// The one place it is kept: the call record, the live views and the transcript's readers take it here.
    public let sipCallID: String?
    /// The flow starts while the call still rings, and the line answers it later, when the flow
    /// first needs media (a SIP call, as a PBX answers); every other phone answers at the start.
    public let answersLater: Bool
    /// When the call was answered; `nil` while it rings (and for good, when it never was).
    public private(set) var answeredAt: Date?
    /// Whether the call ended with a redirect (SIP `302`) before it was answered.
    public private(set) var redirected = false
    /// Whether the driver can hand the call to a destination (a SIP line: a URI, or a name its
    /// files map to one); one it cannot is neither answered for a REFER nor redirected.
    private let handsOver: (@Sendable (String) -> Bool)?
    /// Which phone places the call (``CallChannel``); `nil` for scenario runs.
    public let channel: String?

    private let integrations: Integrations
    private let catalog: PromptCatalog?
    private let keepsTranscript: Bool
    /// The machine's actions for the event being handled; kept between events so its storage is reused.
    private var actionBuffer: [CallAction] = []
    /// The effects handed to the driver for the latest event; kept so that the next event reuses
    /// their storage once the driver has let go of them (no array per event).
    private var effectBuffer: [Effect] = []
    /// The latest playback asked for, while it is current.
    private var playback: Playback?
    /// The integration call running now.
    private var running: (id: Int, node: String, kind: ActionKind, queue: String?)?
    private var queue: (name: String, agent: String?, waited: Duration)?
    private var endedAt: Date?
    /// The instant of the latest event.
    private var lastEvent: Date
    /// Whether the flow needed the line answered (a prompt, keys, hold audio, a REFER): a call that
    /// rings is answered then, and can no longer be redirected.
    private var answerNeeded = false

    /// What the driver must do, in order.
    public enum Effect: Sendable {
        /// Play prompts; feed ``CallSession/promptFinished(_:at:)`` when they end by themselves.
        case play(Playback)
        /// Stop that playback now (barge-in, hang-up).
        case stopPlayback(id: Int)
        /// Arm a timer; feed ``CallSession/timerFired(_:at:)`` when it comes due.
        case startTimer(CallTimer, after: Duration)
        /// Disarm a timer.
        case cancelTimer(CallTimer)
        /// Run integration work off the call's executor; feed its result to
        /// ``CallSession/workFinished(_:at:)`` once its hold has passed. Boxed: the work carries
        /// the integrations, many times the size of any other effect, which are copied often.
        indirect case perform(IntegrationWork)
        /// Hand the call to `destination` (a transfer node with `on_failure`) and feed
        /// ``CallSession/transferFinished(failure:at:)``. A transfer without `on_failure` ends the
        /// call instead (``CallStateMachine/end``), and is no effect.
        case transfer(destination: String, method: TransferMethod)
    }

    /// Whether the call record reached the store.
    public enum RecordState: Sendable, Hashable {
        /// The call is not over.
        case callGoingOn
        /// The call ended; the record is being written.
        case saving(CallRecord)
        case saved(CallRecord)
        /// The store refused it; the reason is in the transcript too.
        case notSaved(CallRecord, reason: String)

        /// The record, once the call has ended.
        public var record: CallRecord? {
            switch self {
            case .callGoingOn: nil
            case .saving(let record), .saved(let record), .notSaved(let record, _): record
            }
        }
    }

    /// - Parameters:
    ///   - dialled: the number the caller dialled; the flow's number when `nil`.
    ///   - keepsTranscript: benchmarks turn the transcript off.
    ///   - variables: call variables set before the call starts (what an outbound call knows).
    ///   - sipCallID: the SIP `Call-ID`, for a call on the SIP line.
    ///   - answersLater: the call still rings when its flow starts (``answersLater``).
    ///   - handsOver: whether the driver can hand the call to a destination (`nil`: to any).
    ///   - channel: which phone places the call (``CallChannel``), kept in its record.
    public init(
        flow: Flow, integrations: Integrations, callerID: String, dialled: String? = nil, at start: Date,
        catalog: PromptCatalog?, keepsTranscript: Bool = true, variables: [String: String] = [:], sipCallID: String? = nil,
        answersLater: Bool = false, handsOver: (@Sendable (String) -> Bool)? = nil, channel: String? = nil
    ) {
        self.sipCallID = sipCallID
        self.answersLater = answersLater
        self.handsOver = handsOver
        self.channel = channel
        self.machine = CallStateMachine(flow: flow, variables: variables)
        self.integrations = integrations
        self.callerID = callerID
        self.dialled = dialled ?? flow.number ?? ""
        self.startedAt = start
        self.lastEvent = start
        self.catalog = catalog
        self.keepsTranscript = keepsTranscript
    }

    // MARK: - What the call waits for

    /// What the call waits for now: the explicit signal drivers and scripted callers watch.
    public var waiting: CallWaiting {
        switch recordState {
        case .callGoingOn: break
        case .saving: return .savingRecord
        case .saved, .notSaved: return .ended(machine.end ?? .callerHungUp)
        }
        switch machine.wakeUp {
        case nil:
            return .answering
        case .playback(let id):
            // The session saw every playback start; the fallback only guards against a bug of ours.
            return .playing(playback?.id == id ? playback! : Playback(id: id, node: machine.currentNode ?? "?", prompts: [], bargeIn: false))
        case .timer(let timer):
            return .listening(node: machine.currentNode ?? "?", speech: machine.listensForSpeech, timer: timer)
        case .action(let id):
            guard let running, running.id == id else { return .integration(node: machine.currentNode ?? "?", action: .setVariables) }
            if let queue = running.queue { return .queued(node: running.node, queue: queue) }
            return .integration(node: running.node, action: running.kind)
        case .transfer(let destination):
            return .transferring(node: machine.currentNode ?? "?", destination: destination)
        }
    }

    /// The call record, once the call has ended.
    public var record: CallRecord? { recordState.record }

    /// The transcript, one line per entry.
    public var transcriptText: String { transcript.map(\.line).joined(separator: "\n") }

    // MARK: - Events

    /// The call was answered (or, ``answersLater``, it rings): the flow starts.
    public mutating func answer(at now: Date) -> [Effect] {
        if answersLater {
            note(.ringing(callerID: callerID, dialled: dialled), at: now)
        } else {
            answeredAt = now
            note(.answered(callerID: callerID, dialled: dialled), at: now)
        }
        let (callerID, dialled) = (callerID, dialled)
        return run(at: now) { machine, actions in machine.answered(callerID: callerID, dialled: dialled, at: now, into: &actions) }
    }

    /// The line answered a call that rang (``answersLater``). Ignored for a call already answered,
    /// or over.
    public mutating func lineAnswered(at now: Date) -> [Effect] {
        guard answersLater, answeredAt == nil, case .callGoingOn = recordState else { return [] }
        answeredAt = now
        answerNeeded = true
        note(.answered(callerID: callerID, dialled: dialled), at: now)
        return []
    }

    /// The caller pressed a key. A key nothing listens for is written down as ignored.
    public mutating func keyPressed(_ key: Character, at now: Date) -> [Effect] {
        guard machine.end == nil else { return [] }
        switch machine.disposition(ofKey: key) {
        case .taken: note(.pressed(key), at: now)
        case .endsSubmittedEntry, .ignored: note(.keyNotUsed(key, machine.disposition(ofKey: key)), at: now)
        }
        return run(at: now) { machine, actions in machine.digitReceived(key, at: now, into: &actions) }
    }

    /// The caller said something. Speech where only keys are taken gets a hint in the transcript.
    public mutating func speechHeard(_ text: String, at now: Date) -> [Effect] {
        guard machine.end == nil else { return [] }
        if machine.listensForSpeech {
            note(.said(text), at: now)
        } else {
            note(.speechNotUsed(text, hint: speechHint), at: now)
        }
        return run(at: now) { machine, actions in machine.utteranceReceived(text, at: now, into: &actions) }
    }

    /// The caller hung up.
    public mutating func callerHungUp(at now: Date) -> [Effect] {
        guard machine.end == nil else { return [] }
        return run(at: now) { machine, actions in machine.hungUp(at: now, into: &actions) }
    }

    /// A playback ended by itself.
    public mutating func promptFinished(_ playbackID: Int, at now: Date) -> [Effect] {
        guard machine.end == nil else { return [] }
        return run(at: now) { machine, actions in machine.promptFinished(playbackID, at: now, into: &actions) }
    }

    /// A timer came due.
    public mutating func timerFired(_ timer: CallTimer, at now: Date) -> [Effect] {
        guard machine.end == nil else { return [] }
        if timer.kind == .noInput, case .timer(timer) = machine.wakeUp, let node = machine.currentNode {
            note(.timedOut(node: node), at: now)
        }
        return run(at: now) { machine, actions in machine.timerFired(timer, at: now, into: &actions) }
    }

    /// Integration work returned (after its hold, for a queue).
    public mutating func workFinished(_ done: IntegrationDone, at now: Date) -> [Effect] {
        switch done.outcome {
        case .action(let id, let node, let kind, let result, let event):
            guard let current = running, current.id == id else { return [] }  // Stale: the caller hung up meanwhile.
            running = nil
            if done.hold > .zero { answerNeeded = true }  // The caller heard hold audio: the line answered.
            if let event {
                if case .queued(let name, let agent, _, let waited) = event { queue = (name, agent, waited) }
                note(event, at: now)
            }
            note(.performed(node: node, action: kind, outcome: result.outcome, note: result.note), at: now)
            return run(at: now) { machine, actions in machine.actionCompleted(id, result: result, at: now, into: &actions) }
        case .recordSaved:
            if case .saving(let record) = recordState { recordState = .saved(record) }
            return []
        case .recordNotSaved(let reason):
            if case .saving(let record) = recordState {
                recordState = .notSaved(record, reason: reason)
                note(.recordNotSaved(reason: reason), at: lastEvent)
            }
            return []
        }
    }

    /// A ``Effect/transfer(destination:method:)`` went through (`failure` `nil`), or did not (why: `503
    /// Service Unavailable`): the call then goes on at the transfer's `on_failure` node.
    public mutating func transferFinished(failure: String?, at now: Date) -> [Effect] {
        guard machine.end == nil, case .transfer(let destination) = machine.wakeUp else { return [] }
        if let failure { note(.transferFailed(destination: destination, reason: failure), at: now) }
        return run(at: now) { machine, actions in
            if failure == nil {
                machine.transferCompleted(at: now, into: &actions)
            } else {
                machine.transferFailed(at: now, into: &actions)
            }
        }
    }

    // MARK: - Performing the machine's actions

    /// Feeds one event to the machine, its actions written into the session's own buffer (no
    /// array per event), and performs them.
    private mutating func run(at now: Date, _ event: (inout CallStateMachine, inout [CallAction]) -> Void) -> [Effect] {
        var actions = actionBuffer
        actionBuffer = []
        actions.empty()
        event(&machine, &actions)
        let effects = handle(actions, at: now)
        actionBuffer = actions
        return effects
    }

    private mutating func handle(_ actions: [CallAction], at now: Date) -> [Effect] {
        lastEvent = now
        var effects = effectBuffer
        effectBuffer = []
        effects.empty()
        for action in actions {
            switch action {
            case .play(let play):
                playback = play
                // The prompts' texts are looked up only for a transcript (a benchmark keeps none).
                if keepsTranscript {
                    note(.heard(node: play.node, prompts: play.prompts, texts: CallLogEntry.texts(of: play.prompts, in: catalog), playback: play.id), at: now)
                }
                answerNeeded = true
                effects.append(.play(play))
            case .stopPlayback(let id):
                if playback?.id == id { playback = nil }
                note(.stopped(playback: id), at: now)
                effects.append(.stopPlayback(id: id))
            case .startTimer(let timer, let after):
                answerNeeded = true  // The flow waits for the caller's keys: the line must be answered.
                effects.append(.startTimer(timer, after: after))
            case .cancelTimer(let timer):
                effects.append(.cancelTimer(timer))
            case .perform(let request):
                let node = machine.currentNode ?? "?"
                let queue = request.kind == .enqueue ? (request.arguments["queue"] ?? "") : nil
                running = (request.id, node, request.kind, queue)
                let variables = IntegrationDispatcher.Inputs(for: request.kind, from: machine)
                effects.append(.perform(IntegrationWork(
                    job: .action(request, node: node, callerID: callerID, variables: variables, writesNotes: keepsTranscript),
                    integrations: integrations)))
            case .transfer(let destination):
                var method = TransferMethod.refer
                if let transfer = machine.transferNode {
                    method = transfer.method
                } else if let node = machine.currentNode, case .transfer(let transfer)? = machine.flow.nodes[node]?.kind {
                    method = transfer.method
                }
                let reachable = handsOver?(destination) ?? true
                if answersLater, !answerNeeded, method == .redirect, reachable {
                    // Never answered: the line redirects the INVITE (302) and the call is over.
                    redirected = true
                    note(.redirected(destination: destination), at: now)
                } else {
                    // A REFER exists only in an answered call: a call still ringing is answered first.
                    if reachable { answerNeeded = true }
                    if answersLater, answeredAt == nil, method == .refer, reachable {
                        answeredAt = now
                        note(.answered(callerID: callerID, dialled: dialled), at: now)
                    }
                    note(.transferred(destination: destination), at: now)
                }
                if machine.end == nil {
                    effects.append(.transfer(destination: destination, method: method))
                }
            case .hangUp:
                break
            }
        }
        if let end = machine.end, case .callGoingOn = recordState {
            endedAt = now
            playback = nil
            running = nil
            if answeredAt == nil {
                note(.endedUnanswered(outcome: redirected ? "redirected" : end.outcome), at: now)
            } else {
                note(.ended(end), at: now)
            }
            let record = makeRecord(end: end, at: now)
            recordState = .saving(record)
            effects.append(.perform(IntegrationWork(job: .saveRecord(record), integrations: integrations)))
        }
        effectBuffer = effects
        return effects
    }

    private func makeRecord(end: CallEnd, at now: Date) -> CallRecord {
        var path: [String] = []
        path.reserveCapacity(machine.trail.count)
        for case .entered(let node) in machine.trail { path.append(node) }
        return CallRecord(
            callerID: callerID, dialled: dialled, startedAt: startedAt, answeredAt: answeredAt, endedAt: now, path: path,
            outcome: redirected ? "redirected" : end.outcome, caseNumber: machine.variable("case.number"), queue: queue?.name,
            agent: queue?.agent, waitedSeconds: queue.map { $0.waited.timeInterval }, sipCallID: sipCallID, channel: channel)
    }

    /// What to tell a caller who spoke where nothing listens for speech.
    private var speechHint: String {
        if let node = machine.currentNode, case .collect = machine.flow.nodes[node]?.kind {
            return "this prompt takes keys: type the digits"
        }
        return "nothing listens for speech now"
    }

    private mutating func note(_ event: CallLogEntry.Event, at now: Date) {
        guard keepsTranscript else { return }
        transcript.append(CallLogEntry(offset: .seconds(now.timeIntervalSince(startedAt)), event: event))
    }
}

/// What a call waits for: listening for the caller, playing a prompt, waiting on an integration or
/// a queue, saving its record, or over. ``CallSession/waiting`` says it at every moment, so a
/// scripted caller acts when the call listens, and a status line shows where the call is — without
/// guessing from side channels.
public enum CallWaiting: Sendable, Hashable {
    /// Not answered yet.
    case answering
    /// A prompt plays; keys (and, in a menu, speech) barge in when `playback.bargeIn`.
    case playing(Playback)
    /// The flow waits for the caller at `node` (a menu or a digit collection), with `timer` armed:
    /// keys are taken, and speech too when `speech`.
    case listening(node: String, speech: Bool, timer: CallTimer)
    /// An integration (store, pager) runs for `node`.
    case integration(node: String, action: ActionKind)
    /// A transfer with `on_failure` is under way at `node`: the caller is still on the line.
    case transferring(node: String, destination: String)
    /// The caller holds in a queue.
    case queued(node: String, queue: String)
    /// The call ended; its record is being written.
    case savingRecord
    /// The call is over and its record saved or not.
    case ended(CallEnd)

    /// Whether the flow waits for the caller's answer (a prompt that asked has ended).
    public var isListening: Bool {
        if case .listening = self { return true }
        return false
    }

    public var isOver: Bool {
        if case .ended = self { return true }
        return false
    }
}

/// One piece of work a call needs from the systems behind it: an integration action (store, pager,
/// router) or saving the call record. Run it off the call's own executor: it may block on SQLite.
public struct IntegrationWork: Sendable {
    enum Job: Sendable {
        /// `writesNotes`: whether the result carries its transcript note (``IntegrationDispatcher/writesNotes``).
        case action(ActionRequest, node: String, callerID: String, variables: IntegrationDispatcher.Inputs, writesNotes: Bool)
        case saveRecord(CallRecord)
    }

    let job: Job
    let integrations: Integrations

    /// The action it runs, or `nil` for saving the call record.
    public var action: ActionKind? {
        switch job {
        case .action(let request, _, _, _, _): request.kind
        case .saveRecord: nil
        }
    }

    /// Does the work at `now` (the call's time); never throws: failures become the `error` outcome
    /// (the flow decides what the caller hears) or a record not saved.
    public func run(at now: Date) -> IntegrationDone {
        switch job {
        case .action(let request, let node, let callerID, let variables, let writesNotes):
            let (result, waited, event) = IntegrationDispatcher(integrations: integrations, writesNotes: writesNotes).perform(
                request, callerID: callerID, variables: variables, at: now)
            return IntegrationDone(hold: waited, outcome: .action(id: request.id, node: node, kind: request.kind, result: result, event: event))
        case .saveRecord(let record):
            do {
                try integrations.desk.recordCall(record)
                return IntegrationDone(hold: .zero, outcome: .recordSaved)
            } catch {
                return IntegrationDone(hold: .zero, outcome: .recordNotSaved(reason: IntegrationDispatcher.describe(error)))
            }
        }
    }
}

/// The result of ``IntegrationWork``, to feed back with ``CallSession/workFinished(_:at:)``.
public struct IntegrationDone: Sendable {
    /// How long the caller holds before the result applies: a queue's wait until an agent answers
    /// (or it overflows); zero otherwise.
    public var hold: Duration

    enum Outcome: Sendable {
        case action(id: Int, node: String, kind: ActionKind, result: ActionResult, event: CallLogEntry.Event?)
        case recordSaved
        case recordNotSaved(reason: String)
    }

    let outcome: Outcome
}

extension Array {
    /// Removes every element and keeps the storage, as `removeAll(keepingCapacity: true)` does, one
    /// element at a time from the end: for the few actions or effects of one event that costs less
    /// than the standard library's generic range replacement.
    fileprivate mutating func empty() {
        while !isEmpty { removeLast() }
    }
}
