import Foundation
import HotlineApp
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRouter
import HotlineRuntime
import HotlineStore
import Synchronization

/// A call placed from a browser. The server owns it: a ``LiveCall`` (the same driver of the same
/// ``CallSession`` as `hotline call`) runs it in real time; the browser is only its keypad, its
/// microphone (typed phrases) and its speaker. A page that reloads, or a tab that slept,
/// subscribes again and gets the transcript so far and what plays now.
public final class BrowserCall: Sendable {
    public let id: Int
    public let caller: String
    public let callerName: String
    public let startedAt: Date
    let input: AsyncStream<LiveInput>.Continuation

    struct State {
        var transcript: [String] = []
        var waiting = "answering"
        var ended: String?
        /// The playback now, to replay to a browser that subscribes mid-prompt.
        var playing: (id: Int, prompts: [String])?
        var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
        var nextSubscriber = 0
    }

    private let state = Mutex(State())

    init(id: Int, caller: String, callerName: String, startedAt: Date, input: AsyncStream<LiveInput>.Continuation) {
        self.id = id
        self.caller = caller
        self.callerName = callerName
        self.startedAt = startedAt
        self.input = input
    }

    public var transcript: [String] { state.withLock { $0.transcript } }
    public var waiting: String { state.withLock { $0.waiting } }
    public var isOver: Bool { state.withLock { $0.ended != nil } }

    /// What the caller does (from the WebSocket).
    public func send(_ event: LiveInput) {
        guard !isOver else { return }
        input.yield(event)
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private func publish(_ message: String, _ change: (inout State) -> Void) {
        let subscribers = state.withLock { state -> [AsyncStream<String>.Continuation] in
            change(&state)
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(message) }
    }

    func logged(_ line: String) {
        publish(Self.json(["type": "log", "line": line])) { $0.transcript.append(line) }
    }

    func waits(_ text: String) {
        publish(Self.json(["type": "waiting", "text": text])) { $0.waiting = text }
    }

    func plays(_ id: Int, _ prompts: [String]) {
        publish(Self.json(["type": "play", "id": id, "prompts": prompts])) { $0.playing = (id, prompts) }
    }

    func stops(_ id: Int) {
        publish(Self.json(["type": "stop", "id": id])) { state in if state.playing?.id == id { state.playing = nil } }
    }

    func ended(_ outcome: String) {
        publish(Self.json(["type": "ended", "outcome": outcome])) { $0.ended = outcome }
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// Messages for one browser: first the call so far (transcript, what it waits for, what
    /// plays), then each change.
    public func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        let key = state.withLock { state -> Int? in
            continuation.yield(Self.json(["type": "call", "id": id, "caller": caller, "transcript": state.transcript, "waiting": state.waiting]))
            if let playing = state.playing { continuation.yield(Self.json(["type": "play", "id": playing.id, "prompts": playing.prompts])) }
            if let ended = state.ended {
                continuation.yield(Self.json(["type": "ended", "outcome": ended]))
                return nil
            }
            let key = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[key] = continuation
            return key
        }
        guard let key else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.subscribers.removeValue(forKey: key) } }
        return stream
    }
}

/// Plays nothing on the server: the browser plays the prompts (WebAudio) while the server takes
/// each prompt's real length on the call's clock, so the call goes on the same with no page open.
struct BrowserPromptOutput: PromptOutput {
    let timing: SilentPromptOutput
    let call: @Sendable () -> BrowserCall?

    func play(_ prompts: [String], playback: Int) async -> Bool {
        call()?.plays(playback, prompts)
        return await timing.play(prompts, playback: playback)
    }

    func stop(playback: Int) {
        timing.stop(playback: playback)
        call()?.stops(playback)
    }
}

/// The browser phones of one server: at most one call per signed-in session (a reload finds it).
public final class BrowserPhones: Sendable {
    let line: WebLine
    let flowPath: String
    private let flow = Mutex<LoadedFlow?>(nil)
    private let calls = Mutex<(next: Int, bySession: [String: BrowserCall])>((1, [:]))

    /// Calls run on the line's own systems (`line.systems`): the same store, pager and router as
    /// the pages and every other browser phone of this server.
    public init(line: WebLine, flowPath: String = Defaults.flow) {
        self.line = line
        self.flowPath = flowPath
    }

    func loadedFlow() throws -> LoadedFlow {
        if let loaded = flow.withLock({ $0 }) { return loaded }
        let loaded: LoadedFlow
        do {
            loaded = try FlowFile.load(path: flowPath)
        } catch {
            throw WebError("the flow \(flowPath) does not load: \(error)")
        }
        flow.withLock { $0 = loaded }
        return loaded
    }

    /// The session's call, ended or not.
    public func call(session: String) -> BrowserCall? { calls.withLock { $0.bySession[session] } }

    /// Calls still going on, oldest first.
    public var active: [BrowserCall] {
        calls.withLock { Array($0.bySession.values) }.filter { !$0.isOver }.sorted { $0.id < $1.id }
    }

    /// Places a call to the line for a signed-in user, or returns the one still going on.
    public func place(session: WebSession) throws -> BrowserCall {
        if let existing = call(session: session.id), !existing.isOver { return existing }
        let loaded = try loadedFlow()
        let now = line.clock()
        let systems = line.systems
        // A customer calls from their contact's phone; staff call as the sample caller.
        var callerID = PhoneCallOptions.sampleCaller
        var callerName = session.user.displayName
        if let contactID = session.user.contactID, let contact = try line.cases.contacts().first(where: { $0.id == contactID }),
            let phone = contact.phones.first
        {
            callerID = phone
            callerName = contact.name
        }
        let clock = PacedCallClock(startingAt: now)
        let (input, continuation) = AsyncStream<LiveInput>.makeStream()
        let holder = Mutex<BrowserCall?>(nil)
        let lengths: any PromptLengths = loaded.catalog.map { WAVPromptLengths(catalog: $0) } ?? EstimatedPromptLengths(catalog: nil)
        let output = BrowserPromptOutput(timing: SilentPromptOutput(lengths: lengths, clock: clock), call: { holder.withLock { $0 } })
        let id = calls.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
        let call = BrowserCall(id: id, caller: callerID, callerName: callerName, startedAt: now, input: continuation)
        holder.withLock { $0 = call }
        let live = LiveCall(
            flow: loaded.flow, catalog: loaded.catalog, integrations: systems.integrations, callerID: callerID, clock: clock, output: output,
            listing: line.board?.listing(channel: .browser),
            onLog: { entry in call.logged(entry.line) },
            onWaiting: { waiting in call.waits(waiting.summary) })
        calls.withLock { $0.bySession[session.id] = call }
        let events = line.events
        Task {
            let ended = await live.run(input: input)
            call.ended(ended.record?.outcome ?? "ended")
            events.append("call", "ended \(id)")
        }
        events.append("call", "placed \(id)")
        return call
    }
}
