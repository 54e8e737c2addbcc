import Foundation
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore

/// What `hotline call` was asked for.
public struct PhoneCallOptions: Sendable {
    /// The sample contact who calls unless `--from` says otherwise (Dana Whitfield, Acme Networks).
    public static let sampleCaller = "+1 408 555 0100"

    public var flow: String
    public var database: String
    public var callerID: String
    /// When the call is placed; the call's clock runs on from here.
    public var start: Date
    /// The zone times are shown in (the one `--at` named, else the machine's).
    public var zone: TimeZone
    public var audio: AudioMode
    public var device: String
    /// Scales every wait — prompt lengths, the flow's timers, queue holds — and the call clock with
    /// them: 1 is real time, 0.01 a hundred times faster. Must be above 0.
    public var pace: Double
    /// Call variables set before the call starts: what an outbound call knows (`page.id`, `case.number`).
    public var variables: [String: String] = [:]

    public init(
        flow: String = Defaults.flow, database: String, callerID: String = Self.sampleCaller, start: Date, zone: TimeZone,
        audio: AudioMode = .auto, device: String = "default", pace: Double = 1
    ) {
        self.flow = flow
        self.database = database
        self.callerID = callerID
        self.start = start
        self.zone = zone
        self.audio = audio
        self.device = device
        self.pace = pace
    }
}

/// A call that could not be placed: the flow, database or data files at fault, and what to do.
public struct PhoneCallError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message.hasPrefix("error") || message.contains(": error") ? message : "error: \(message)" }
}

/// How the caller's side of the call comes in.
public enum CallerSide: Sendable {
    /// A person at a terminal: raw mode on this descriptor, one keypress at a time.
    case keypad(fd: Int32)
    /// A script on this descriptor (a pipe or file); each step waits for the call to ask.
    case script(fd: Int32)
    /// A script given whole (`hotline demo`): the same language as `script`, acted the same way.
    case scriptText(String)
}

/// How a call went, for the command's exit status.
public struct PhoneCallResult: Sendable {
    public var record: CallRecord
    /// The flow ended the call with an error.
    public var failed: Bool
}

/// A call placed from the terminal on the real systems: the flow file, the case store on SQLite
/// (created and seeded with the sample data when missing), the Escalation Managers' rota and
/// paging outbox, the router's simulated call centre, and prompts through ALSA where a device opens.
///
/// `hotline call` and `hotline demo` run on it.
public final class PhoneCall: @unchecked Sendable {
    public let options: PhoneCallOptions
    public let loaded: LoadedFlow
    public let systems: LineSystems
    public let console: CallConsole
    /// Lines to show before the call (database created, audio notice).
    public private(set) var notices: [String] = []
    private let output: any PromptOutput
    private let caller: CallerIdentity?

    public init(options: PhoneCallOptions, console: CallConsole) throws(PhoneCallError) {
        guard options.pace > 0, options.pace.isFinite else {
            throw PhoneCallError("--pace must be above 0 (got \(options.pace)); 1 is real time, 0.01 a hundred times faster")
        }
        self.options = options
        self.console = console
        do {
            loaded = try FlowFile.load(path: options.flow)
        } catch {
            throw PhoneCallError("the flow \(options.flow) does not load:\n\(error.description)")
        }
        let existed = FileManager.default.fileExists(atPath: options.database)
        do {
            let database = try LineSystems.openDatabase(path: options.database)
            let store = CaseStore(database: database)
            if try !existed || store.accounts().isEmpty {
                let summary = try store.seed(
                    try SampleData.load(folder: Defaults.sampleData), sla: try SLATable.load(path: Defaults.sla), at: options.start, reset: false)
                notices.append(
                    "database: \(options.database) \(existed ? "was empty" : "created"); seeded with the sample data (\(summary.accounts) accounts, \(summary.contacts) contacts, \(summary.cases) cases)")
            }
            let policy = try EscalationPolicy.load(path: Defaults.policy)
            let routingFolder = Defaults.routing as NSString
            let routing = try RoutingFile.load(
                agents: routingFolder.appendingPathComponent("agents.yaml"), queues: routingFolder.appendingPathComponent("queues.yaml"))
            let router = SimulatedCallRouter(
                config: routing, seed: 1, start: options.start, accounts: StoreAccountProfiles(store: store, routing: routing))
            systems = LineSystems(database: database, policy: policy, router: router, delivery: ConsoleDelivery(write: { [console] line in
                console.line("         \(line)")
            }))
            caller = try? store.identify(callerID: options.callerID, at: options.start)
        } catch {
            throw PhoneCallError("cannot prepare the systems the call runs on (database \(options.database)): \(error)")
        }
        let mode: AudioMode = options.pace == 1 ? options.audio : .off
        if options.pace != 1 && options.audio != .off {
            notices.append("audio: off while --pace \(options.pace) scales the prompts; showing the transcript only")
        }
        if let catalog = loaded.catalog {
            do {
                let made = try PromptOutputs.make(
                    mode: mode, device: options.device, catalog: catalog, pace: options.pace,
                    onFailure: { [console] message in console.line("         \(message); the call goes on as transcript only") })
                output = made.output
                if let notice = made.notice { notices.append(notice) }
            } catch {
                throw PhoneCallError("\(error)")
            }
        } else {
            let pace = options.pace
            output = SilentPromptOutput(lengths: EstimatedPromptLengths(catalog: nil), sleep: { try await Task.sleep(for: $0 * pace) })
            if options.audio != .off { notices.append("audio: the flow names no prompt catalog; showing the transcript only") }
        }
    }

    /// The number dialled, as people write it (`1-844-751-7629`).
    public var dialled: String {
        let number = loaded.flow.number ?? "?"
        return number.hasPrefix("+") ? String(number.dropFirst()) : number
    }

    /// Who is calling, as shown: `+1 408 555 0100 (Dana Whitfield, Acme Networks)`.
    public var callerShown: String {
        guard let caller else { return "\(options.callerID) (not a known contact)" }
        return "\(options.callerID) (\(caller.contactName), \(caller.accountName))"
    }

    /// The lines shown before the call starts.
    public func header(keys: Bool) -> [String] {
        var lines = [
            "Calling \(dialled) (flow \(loaded.flow.name), \(options.flow))",
            "  from \(callerShown)",
            "  at   \(Self.time(options.start, in: options.zone, seconds: false))"
                + (options.pace == 1 ? "" : " — every wait scaled by \(options.pace) (--pace)"),
        ]
        lines += notices.map { "  \($0)" }
        if keys { lines.append("  \(KeypadInput.help)") }
        return lines
    }

    /// Places the call and runs it to the end; the summary is written to the console.
    public func run(caller side: CallerSide) async -> PhoneCallResult {
        let pagesBefore = Set((try? systems.paging.store.pages().map(\.id)) ?? [])
        let recordsBefore = (try? systems.store.callRecords().count) ?? 0
        let (input, continuation) = AsyncStream<LiveInput>.makeStream()
        let clock: any WallClock = options.pace == 1 ? RunningClock(startingAt: options.start) : PacedClock(startingAt: options.start, pace: options.pace)
        let turns = ScriptDriver(input: continuation, pace: options.pace, flow: loaded.flow, console: console)
        let scripted: Bool
        switch side {
        case .keypad(let fd):
            scripted = false
            do {
                // Raw until `TerminalMode.restore()` below (or a signal, or exit).
                _ = try TerminalMode(fd: fd)
            } catch {
                console.line("\(error); keys are read line by line")
            }
            let keypad = KeypadDriver(input: continuation, console: console)
            InputReader.start(fd: fd, onBytes: { keypad.received($0) }, onEnd: { continuation.finish() })
        case .script(let fd):
            scripted = true
            InputReader.start(fd: fd, onBytes: { turns.received($0) }, onEnd: { turns.ended() })
        case .scriptText(let text):
            scripted = true
            turns.received(Array(text.utf8))
            turns.ended()
        }
        let signals = CallSignals(onSignal: { _ in continuation.yield(.hangUp) })
        let pace = options.pace
        let status = CallStatus(dialled: dialled, caller: caller?.contactName ?? options.callerID, keys: !scripted)
        let call = LiveCall(
            flow: loaded.flow, catalog: loaded.catalog, integrations: systems.integrations, callerID: options.callerID,
            clock: clock,
            sleep: { duration in
                if scripted { turns.timerStarted() }
                try await Task.sleep(for: duration * pace)
            },
            output: scripted ? ListeningOutput(inner: output, turns: turns) : output,
            variables: options.variables,
            onLog: { [console] entry in
                status.noted(entry)
                if scripted { turns.noted(entry) }
                console.line(entry.line)
            })
        let started = clock.now()
        let ticker = Task { [console] in
            while !Task.isCancelled {
                console.setStatus(status.line(elapsed: clock.now().timeIntervalSince(started)))
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        let record = await call.run(input: input)
        ticker.cancel()
        signals.cancel()
        TerminalMode.restore()
        console.finish()
        let saved = ((try? systems.store.callRecords().count) ?? 0) > recordsBefore
        for line in summary(record, pagesBefore: pagesBefore, saved: saved) { console.line(line) }
        let failed = record.outcome == CallEnd.failed(reason: "").outcome
        return PhoneCallResult(record: record, failed: failed)
    }

    /// The end-of-call summary: path, case, queue and wait, pages, call record.
    func summary(_ record: CallRecord, pagesBefore: Set<String>, saved: Bool) -> [String] {
        let length = Duration(timeInterval: record.endedAt.timeIntervalSince(record.startedAt))
        var lines = [
            "",
            "Call ended: \(record.outcome) after \(CallLogEntry.format(length))",
            "  path    \(record.path.joined(separator: " → "))",
        ]
        if let number = record.caseNumber {
            if let touched = try? systems.store.supportCase(number) {
                lines.append("  case    \(number) — \(touched.accountName), \(touched.priority.rawValue), \(touched.level.rawValue), status \(touched.status.rawValue): \(touched.summary)")
                let feed = ((try? systems.store.feed(caseNumber: number)) ?? []).filter { $0.at >= record.startedAt }
                for entry in feed {
                    lines.append(
                        "          \(Self.time(entry.at, in: options.zone, seconds: true)) \(entry.kind.rawValue)\(entry.channel.map { " by \($0)" } ?? "") (\(entry.author)): \(entry.body)")
                }
                if feed.isEmpty { lines.append("          nothing written on the case during the call") }
            } else {
                lines.append("  case    \(number) (entered; not a case of the caller's account)")
            }
        } else {
            lines.append("  case    none")
        }
        if let queue = record.queue {
            let wait = record.waitedSeconds.map { CallLogEntry.format(Duration(timeInterval: $0)) } ?? "?"
            lines.append("  queue   \(queue): \(record.agent.map { "answered by \($0)" } ?? "no agent answered") after waiting \(wait)")
        } else {
            lines.append("  queue   none (the call reached no queue)")
        }
        let pages = record.caseNumber.map { number in
            ((try? systems.paging.store.pages(caseNumber: number)) ?? []).filter { !pagesBefore.contains($0.id) }
        } ?? []
        if pages.isEmpty {
            lines.append("  paged   nobody")
        } else {
            for (index, page) in pages.enumerated() {
                lines.append(
                    "\(index == 0 ? "  paged   " : "          ")\(page.id) \(page.person) (level \(page.level)) at \(Self.time(page.sentAt, in: options.zone, seconds: true)) for case \(page.caseNumber) — \(page.state.rawValue), acknowledge by \(Self.time(page.ackDeadline, in: options.zone, seconds: true))"
                )
            }
        }
        lines.append(
            "  record  \(saved ? "saved" : "NOT saved") in \(options.database): \(record.callerID) → \(record.dialled.flatMap { $0.isEmpty ? nil : $0 } ?? "(an outbound call)"), \(Self.time(record.startedAt, in: options.zone, seconds: true)) to \(Self.time(record.endedAt, in: options.zone, seconds: true)), outcome \(record.outcome)"
                + (record.caseNumber.map { ", case \($0)" } ?? "") + (record.queue.map { ", queue \($0)" } ?? "") + (record.agent.map { ", agent \($0)" } ?? ""))
        return lines
    }

    /// `Sat 2026-12-05 03:00 PST`.
    static func time(_ date: Date, in zone: TimeZone, seconds: Bool) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = seconds ? "HH:mm:ss" : "EEE yyyy-MM-dd HH:mm zzz"
        let text = formatter.string(from: date)
        return seconds ? text : "\(text) (\(zone.identifier))"
    }
}

/// A clock that starts at a chosen instant and runs `1 / pace` times faster than real time, so a
/// paced call's transcript shows the times a real call would have.
public struct PacedClock: WallClock {
    private let start: Date
    private let pace: Double
    private let base: ContinuousClock.Instant

    public init(startingAt start: Date, pace: Double) {
        self.start = start
        self.pace = pace
        self.base = ContinuousClock.now
    }

    public func now() -> Date {
        start.addingTimeInterval((ContinuousClock.now - base).timeInterval / pace)
    }
}

/// The status line: timer, where the call is, the keys.
final class CallStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var node = "answering"
    private var ended = false
    let dialled: String
    let caller: String
    let keys: Bool

    init(dialled: String, caller: String, keys: Bool) {
        self.dialled = dialled
        self.caller = caller
        self.keys = keys
    }

    func noted(_ entry: CallLogEntry) {
        lock.withLock {
            switch entry.event {
            case .heard(let node, _, _, _), .timedOut(let node), .performed(let node, _, _, _):
                self.node = node
            case .queued(let queue, _, _, _):
                node = "queue \(queue)"
            case .transferred(let destination):
                node = "transferred to \(destination)"
            case .ended:
                ended = true
            case .answered, .stopped, .pressed, .said, .recordNotSaved:
                break
            }
        }
    }

    func line(elapsed: TimeInterval) -> String {
        let (node, ended) = lock.withLock { (self.node, self.ended) }
        let timer = CallLogEntry.format(Duration(timeInterval: max(0, elapsed)))
        return "\(ended ? "○" : "●") \(timer.dropLast(2)) \(caller) → \(dialled) · \(node)" + (keys ? " · 0-9*# keys, s say, q hang up" : "")
    }
}

/// A person at the keyboard: bytes through `KeypadInput` into the call.
final class KeypadDriver: @unchecked Sendable {
    private let lock = NSLock()
    private var keypad = KeypadInput()
    private let input: AsyncStream<LiveInput>.Continuation
    private let console: CallConsole

    init(input: AsyncStream<LiveInput>.Continuation, console: CallConsole) {
        self.input = input
        self.console = console
    }

    func received(_ bytes: [UInt8]) {
        let actions = lock.withLock { bytes.flatMap { keypad.received($0) } }
        for action in actions {
            switch action {
            case .send(let what): input.yield(what)
            case .showPhrase(let text): console.setPhrase(text)
            case .endPhrase: console.setPhrase(nil)
            case .hint(let text): console.line("         (\(text))")
            }
        }
    }
}

/// A scripted caller: the script's bytes through `ScriptInput`, its turns through `ScriptTurns`,
/// and what the call does (prompts heard and finished, timers started) telling it when to act.
final class ScriptDriver: @unchecked Sendable {
    private let lock = NSLock()
    private var reader = ScriptInput()
    private var turns = ScriptTurns()
    /// Playbacks of menus and collects (the ones that ask the caller something).
    private var asking: Set<Int> = []
    /// Such a playback finished; the next timer started is its no-input timer.
    private var askedAndWaiting = false
    private let input: AsyncStream<LiveInput>.Continuation
    private let pace: Double
    private let flow: Flow
    private let console: CallConsole

    init(input: AsyncStream<LiveInput>.Continuation, pace: Double, flow: Flow, console: CallConsole) {
        self.input = input
        self.pace = pace
        self.flow = flow
        self.console = console
    }

    func received(_ bytes: [UInt8]) {
        let (actions, unreadable) = lock.withLock { () -> ([ScriptTurns.Action], [String]) in
            var actions: [ScriptTurns.Action] = []
            var unreadable: [String] = []
            for byte in bytes {
                for event in reader.received(byte) {
                    if case .unreadable(let line, let text) = event { unreadable.append("script line \(line): skipped \(text)") }
                    actions += turns.scriptEvent(event)
                }
            }
            return (actions, unreadable)
        }
        for line in unreadable { console.line("         (\(line))") }
        perform(actions)
    }

    func ended() {
        let actions = lock.withLock { () -> [ScriptTurns.Action] in
            var actions: [ScriptTurns.Action] = []
            for event in reader.finished() { actions += turns.scriptEvent(event) }
            return actions + turns.scriptEnded()
        }
        perform(actions)
    }

    /// A transcript entry: a prompt starting means the caller listens.
    func noted(_ entry: CallLogEntry) {
        guard case .heard(let node, _, _, let playback) = entry.event else { return }
        lock.withLock {
            switch flow.nodes[node]?.kind {
            case .menu, .collect: asking.insert(playback)
            case .play, .branch, .action, .transfer, .hangup, nil: break
            }
            askedAndWaiting = false
            turns.callSpeaks()
        }
    }

    /// A playback ended by itself.
    func promptFinished(_ playback: Int) {
        lock.withLock {
            if asking.remove(playback) != nil { askedAndWaiting = true }
        }
    }

    /// The call started a timer: after an asking prompt, that is the wait for the caller's answer.
    func timerStarted() {
        let actions = lock.withLock { () -> [ScriptTurns.Action] in
            guard askedAndWaiting else { return [] }
            askedAndWaiting = false
            return turns.callListens()
        }
        perform(actions)
    }

    private func perform(_ actions: [ScriptTurns.Action]) {
        for action in actions {
            switch action {
            case .deliver(let what):
                input.yield(what)
            case .startSilence(let duration):
                let pace = pace
                Task {
                    try? await Task.sleep(for: duration * pace)
                    let next = self.lock.withLock { self.turns.silenceEnded() }
                    self.perform(next)
                }
            case .finishInput:
                input.finish()
            }
        }
    }
}

/// Tells the script driver when a prompt played to the end.
struct ListeningOutput: PromptOutput {
    let inner: any PromptOutput
    let turns: ScriptDriver

    func play(_ prompts: [String], playback: Int) async -> Bool {
        let finished = await inner.play(prompts, playback: playback)
        if finished { turns.promptFinished(playback) }
        return finished
    }

    func stop(playback: Int) { inner.stop(playback: playback) }
}
