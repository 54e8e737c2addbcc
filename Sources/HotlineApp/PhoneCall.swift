import Foundation
import HotlineAudio
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore
import Synchronization

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
    /// them: 1 is real time, 0.01 a hundred times faster.
    public var pace: Pace
    /// Call variables set before the call starts: what an outbound call knows (`page.id`, `case.number`).
    public var variables: [String: String] = [:]
    /// Show the call on the line's live-call board while it runs (`hotline call` does): a
    /// `hotline serve` on the same database then shows it on the trainer's console.
    public var showsOnBoard = false
    /// The wall clock (the outermost layer's), stamped on the board's reports so the console can
    /// move the call's time on between them at its pace.
    public var now: @Sendable () -> Date = { Date() }

    public init(
        flow: String = Defaults.flow, database: String, callerID: String = Self.sampleCaller, start: Date, zone: TimeZone,
        audio: AudioMode = .auto, device: String = "default", pace: Pace = .realTime
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
}

/// How a call went, for the command's exit status.
public struct PhoneCallResult: Sendable {
    public var record: CallRecord
    /// The flow ended the call with an error.
    public var failed: Bool
    /// Whether the call record reached the database.
    public var recordSaved: Bool
}

/// A call placed from the terminal on the real systems: the flow file, the case store on SQLite
/// (created and seeded with the sample data when missing), the Escalation Managers' rota and
/// paging outbox, the router's simulated call centre, and prompts through ALSA where a device opens.
///
/// `hotline call` and `hotline demo` run on it.
public final class PhoneCall: Sendable {
    public let options: PhoneCallOptions
    public let loaded: LoadedFlow
    public let systems: LineSystems
    public let console: CallConsole
    /// Lines to show before the call (database created, audio notice).
    public let notices: [String]
    private let output: any PromptOutput
    private let caller: CallerIdentity?
    /// The call's clock: from `--at`, at `--pace`; it starts running when the call is placed.
    private let clock: PlacedCallClock

    public init(options: PhoneCallOptions, console: CallConsole) throws(PhoneCallError) {
        self.options = options
        self.clock = PlacedCallClock(startingAt: options.start, pace: options.pace)
        var notices: [String] = []
        self.console = console
        do {
            loaded = try FlowFile.load(path: options.flow)
        } catch {
            throw PhoneCallError("the flow \(options.flow) does not load:\n\(error.description)")
        }
        // The speaker before the database: with `--audio alsa` and no device, the call stops
        // before a database is created.
        var audioNotices: [String] = []
        let mode: AudioMode = options.pace.isRealTime ? options.audio : .off
        if !options.pace.isRealTime && options.audio != .off {
            audioNotices.append("audio: off while --pace \(options.pace) scales the prompts; showing the transcript only")
        }
        if let catalog = loaded.catalog {
            do {
                let made = try PromptOutputs.make(
                    mode: mode, device: options.device, catalog: catalog, clock: clock,
                    onFailure: { [console] message in console.line("         \(message); the call goes on as transcript only") })
                output = made.output
                if let notice = made.notice { audioNotices.append(notice) }
            } catch {
                throw PhoneCallError("\(error)")
            }
        } else {
            output = SilentPromptOutput(lengths: EstimatedPromptLengths(catalog: nil), clock: clock)
            if options.audio != .off { audioNotices.append("audio: the flow names no prompt catalog; showing the transcript only") }
        }
        do {
            var wiring = LineWiring(database: options.database, start: options.start)
            wiring.delivery = LocalTimeConsoleDelivery(zone: options.zone, write: { [console] line in console.line("         \(line)") })
            let opened = try wiring.open()
            if let notice = opened.seedingNotice(database: options.database) { notices.append(notice) }
            notices += try opened.unroutableSMEs().map { "warning: \($0)" }
            systems = opened.systems
            caller = try? systems.store.identify(callerID: options.callerID, at: options.start)
        } catch {
            throw PhoneCallError("cannot prepare the systems the call runs on (database \(options.database)): \(error)")
        }
        notices += audioNotices
        self.notices = notices
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
                + (options.pace.isRealTime ? "" : " — every wait scaled by \(options.pace) (--pace)"),
        ]
        lines += notices.map { "  \($0)" }
        if keys { lines.append("  \(KeypadInput.help)") }
        return lines
    }

    /// Places the call and runs it to the end; the summary is written to the console.
    public func run(caller side: CallerSide) async -> PhoneCallResult {
        let pagesBefore = Set((try? systems.paging.store.pages().map(\.id)) ?? [])
        let (input, continuation) = AsyncStream<LiveInput>.makeStream()
        let clock = clock
        let turns = ScriptDriver(input: continuation, clock: clock, note: { [console] line in console.line("         (\(line))") })
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
        }
        let signals = CallSignals(onSignal: { _ in continuation.yield(.hangUp) })
        let status = CallStatus(dialled: dialled, caller: caller?.contactName ?? options.callerID, keys: !scripted)
        let call = LiveCall(
            flow: loaded.flow, catalog: loaded.catalog, integrations: systems.integrations, callerID: options.callerID,
            clock: clock, output: output, variables: options.variables, listing: boardListing(), channel: CallChannel.terminal.rawValue,
            onLog: { [console] entry in console.line(entry.line) },
            onWaiting: { waiting in
                status.waits(waiting)
                if scripted { turns.callWaits(waiting) }
            })
        let started = clock.now()
        let ticker = Task { [console] in
            while !Task.isCancelled {
                console.setStatus(status.line(elapsed: clock.now().timeIntervalSince(started)))
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        let session = await call.run(input: input)
        ticker.cancel()
        signals.cancel()
        TerminalMode.restore()
        console.finish()
        let saved: Bool
        switch session.recordState {
        case .saved: saved = true
        case .callGoingOn, .saving, .notSaved: saved = false
        }
        let record = session.record ?? CallRecord(
            callerID: options.callerID, dialled: session.dialled, startedAt: session.startedAt, endedAt: clock.now(), path: [],
            outcome: CallEnd.callerHungUp.outcome)
        for line in summary(record, pagesBefore: pagesBefore, saved: saved) { console.line(line) }
        let failed = record.outcome == CallEnd.failed(reason: "").outcome
        return PhoneCallResult(record: record, failed: failed, recordSaved: saved)
    }

    /// This call's row on the live-call board, when the options ask for one; a board that cannot
    /// be made is said on the console and the call goes on without it.
    func boardListing() -> LiveCallListing? {
        guard options.showsOnBoard else { return nil }
        do {
            return try StoreLiveCallBoard(database: systems.database, now: options.now, onError: { [console] in console.line("warning: \($0)") }).listing(channel: .terminal)
        } catch {
            console.line("warning: the call is not shown on the live-call board (the console): \(error)")
            return nil
        }
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

/// The call's clock, standing at `--at` until the call first waits for something (preparing the
/// database and answering take time that is no part of the call: the call is answered at exactly
/// `--at`), then running at `--pace`.
final class PlacedCallClock: CallClock {
    private let start: Date
    let pace: Pace
    private let running: Mutex<PacedCallClock?> = Mutex(nil)

    init(startingAt start: Date, pace: Pace) {
        self.start = start
        self.pace = pace
    }

    func now() -> Date { running.withLock { $0 }?.now() ?? start }

    /// The first wait starts the clock from `start`.
    func sleep(until deadline: Date) async throws {
        let clock = running.withLock { running in
            let clock = running ?? PacedCallClock(startingAt: start, pace: pace)
            running = clock
            return clock
        }
        try await clock.sleep(until: deadline)
    }
}

/// Pages written to the console as they go out, with the acknowledge-by time in the call's zone
/// (the rest of the call is shown there too).
struct LocalTimeConsoleDelivery: PageDelivery {
    let zone: TimeZone
    let write: @Sendable (String) -> Void

    /// `03:11:13 PST`.
    static func clockTime(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "HH:mm:ss zzz"
        return formatter.string(from: date)
    }

    func deliver(_ page: PageRecord) throws {
        write(
            "PAGE \(page.id) to \(page.person) (level \(page.level)\(page.round > 0 ? ", repeat \(page.round)" : "")) for case \(page.caseNumber): \(page.reason) — acknowledge by \(Self.clockTime(page.ackDeadline, in: zone))"
        )
    }
}

/// The status line: timer, where the call is, the keys.
final class CallStatus: Sendable {
    private let state = Mutex<(node: String, ended: Bool)>(("answering", false))
    let dialled: String
    let caller: String
    let keys: Bool

    init(dialled: String, caller: String, keys: Bool) {
        self.dialled = dialled
        self.caller = caller
        self.keys = keys
    }

    /// What the call waits for changed.
    func waits(_ waiting: CallWaiting) {
        state.withLock { state in
            switch waiting {
            case .answering: state.node = "answering"
            case .playing(let playback): state.node = playback.node
            case .listening(let node, _, _), .integration(let node, _): state.node = node
            case .transferring(_, let destination): state.node = "transfer to \(destination)"
            case .queued(_, let queue): state.node = "queue \(queue)"
            case .savingRecord, .ended: state.ended = true
            }
        }
    }

    func line(elapsed: TimeInterval) -> String {
        let (node, ended) = state.withLock { ($0.node, $0.ended) }
        let timer = CallLogEntry.format(Duration(timeInterval: max(0, elapsed)))
        return "\(ended ? "○" : "●") \(timer.dropLast(2)) \(caller) → \(dialled) · \(node)" + (keys ? " · 0-9*# keys, s say, q hang up" : "")
    }
}

/// A person at the keyboard: bytes through `KeypadInput` into the call.
final class KeypadDriver: Sendable {
    private let keypad = Mutex(KeypadInput())
    private let input: AsyncStream<LiveInput>.Continuation
    private let console: CallConsole

    init(input: AsyncStream<LiveInput>.Continuation, console: CallConsole) {
        self.input = input
        self.console = console
    }

    func received(_ bytes: [UInt8]) {
        let actions = keypad.withLock { keypad in bytes.flatMap { keypad.received($0) } }
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

/// A scripted caller: the script's bytes (or a scenario's caller steps) through `ScriptInput`,
/// its turns through `ScriptTurns`, acting when the call says it listens
/// (``CallWaiting/listening(node:speech:timer:)``).
final class ScriptDriver: Sendable {
    private struct State {
        var reader = ScriptInput()
        var turns = ScriptTurns()
        /// The playback the caller last started listening to.
        var playback: Int?
        var listening = false
    }

    private let state = Mutex(State())
    private let input: AsyncStream<LiveInput>.Continuation
    private let clock: any CallClock
    /// Where a script line that is skipped is said.
    private let note: @Sendable (String) -> Void

    init(input: AsyncStream<LiveInput>.Continuation, clock: any CallClock, note: @escaping @Sendable (String) -> Void) {
        self.input = input
        self.clock = clock
        self.note = note
    }

    /// Events already read (a scenario's caller steps), queued for the caller's turns.
    func received(events: [ScriptInput.Event]) {
        let actions = state.withLock { state in events.flatMap { state.turns.scriptEvent($0) } }
        perform(actions)
    }

    func received(_ bytes: [UInt8]) {
        let (actions, unreadable) = state.withLock { state -> ([ScriptTurns.Action], [String]) in
            var actions: [ScriptTurns.Action] = []
            var unreadable: [String] = []
            for byte in bytes {
                for event in state.reader.received(byte) {
                    if case .unreadable(let line, let text) = event { unreadable.append("script line \(line): skipped \(text)") }
                    actions += state.turns.scriptEvent(event)
                }
            }
            return (actions, unreadable)
        }
        for line in unreadable { note(line) }
        perform(actions)
    }

    func ended() {
        let actions = state.withLock { state -> [ScriptTurns.Action] in
            var actions: [ScriptTurns.Action] = []
            for event in state.reader.finished() { actions += state.turns.scriptEvent(event) }
            return actions + state.turns.scriptEnded()
        }
        perform(actions)
    }

    /// What the call waits for changed: a new prompt means the caller listens to it; the flow
    /// waiting for an answer means the caller's next turn.
    func callWaits(_ waiting: CallWaiting) {
        let actions = state.withLock { state -> [ScriptTurns.Action] in
            switch waiting {
            case .playing(let playback):
                guard state.playback != playback.id else { return [] }
                state.playback = playback.id
                state.listening = false
                state.turns.callSpeaks()
                return []
            case .listening:
                guard !state.listening else { return [] }
                state.listening = true
                return state.turns.callListens()
            case .answering, .integration, .queued, .transferring, .savingRecord, .ended:
                state.listening = false
                return []
            }
        }
        perform(actions)
    }

    private func perform(_ actions: [ScriptTurns.Action]) {
        for action in actions {
            switch action {
            case .deliver(let what):
                input.yield(what)
            case .startSilence(let duration):
                let clock = clock
                Task {
                    try? await clock.sleep(for: duration)
                    let next = self.state.withLock { $0.turns.silenceEnded() }
                    self.perform(next)
                }
            case .finishInput:
                input.finish()
            }
        }
    }
}
