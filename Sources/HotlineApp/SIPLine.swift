import Foundation
import HotlineAudio
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineSIP
import HotlineStore
import Synchronization

/// What `hotline serve --sip` was asked for.
public struct SIPLineOptions: Sendable {
    public var flow: String
    public var database: String
    public var endpoint: SIPEndpointConfiguration
    /// Answer any number dialled, not only the flow's.
    public var anyNumber: Bool
    /// Scales the flow's timers and queue holds (prompts always play in real time on RTP).
    public var pace: Pace
    /// When the line starts: the router's day, and the sample data's date when the database is seeded.
    public var start: Date

    public init(
        flow: String = Defaults.flow, database: String, endpoint: SIPEndpointConfiguration, anyNumber: Bool = false, pace: Pace = .realTime,
        start: Date
    ) {
        self.flow = flow
        self.database = database
        self.endpoint = endpoint
        self.anyNumber = anyNumber
        self.pace = pace
        self.start = start
    }
}

/// The reference line answering real phones: SIP calls on ``SIPEndpoint``, each one a live call
/// on the same flow, case store, rota and router `hotline call` uses.
///
/// Prompts leave as G.711 RTP on the endpoint's shared media clock; keys (RFC 4733 or SIP INFO)
/// come in as key presses; a BYE or CANCEL from the caller is a hang-up; when the flow ends the
/// call the line sends BYE. Each call's record is saved with its SIP Call-ID.
public final class SIPLine: Sendable {
    public let options: SIPLineOptions
    public let loaded: LoadedFlow
    public let systems: LineSystems
    private let endpoint: SIPEndpoint
    private let prompts: PromptSamples?
    private let write: @Sendable (String) -> Void
    private let calls = Mutex<[Int: AsyncStream<LiveInput>.Continuation]>([:])
    private let running = Mutex<[Int: Task<Void, Never>]>([:])
    /// Notices to show before serving (database created).
    public let notices: [String]
    /// The line's live-call board: every SIP call shows on the console of a `hotline serve` on
    /// the same database while it runs.
    private let board: StoreLiveCallBoard?

    /// - Parameter shared: the systems of a line already wired in this process (`hotline serve
    ///   --http … --sip …`: the web's), so both listeners run on one store, pager and router;
    ///   `nil` wires the line from `options`.
    public init(options: SIPLineOptions, sharing shared: LineSystems? = nil, write: @escaping @Sendable (String) -> Void) throws(PhoneCallError) {
        self.options = options
        self.write = write
        do {
            loaded = try FlowFile.load(path: options.flow)
        } catch {
            throw PhoneCallError("the flow \(options.flow) does not load:\n\(error.description)")
        }
        var notices: [String] = []
        if let shared {
            systems = shared
        } else {
            do {
                // The line's systems, wired as for every other phone (`LineWiring`).
                var wiring = LineWiring(database: options.database, start: options.start)
                wiring.delivery = ConsoleDelivery(write: { line in write("         \(line)") })
                let opened = try wiring.open()
                if let summary = opened.seeded {
                    notices.append(
                        "database: \(options.database) \(opened.existed ? "was empty" : "created"); seeded with the sample data (\(summary.accounts) accounts, \(summary.contacts) contacts, \(summary.cases) cases)")
                }
                notices += try opened.unroutableSMEs().map { "warning: \($0)" }
                systems = opened.systems
            } catch {
                throw PhoneCallError("cannot prepare the systems the line runs on (database \(options.database)): \(error)")
            }
        }
        prompts = loaded.catalog.map(PromptSamples.init(catalog:))
        if loaded.catalog == nil { notices.append("audio: the flow names no prompt catalog; calls hear silence") }
        var configuration = options.endpoint
        configuration.lineNumber = options.anyNumber ? nil : loaded.flow.number
        if !options.anyNumber && loaded.flow.number == nil {
            throw PhoneCallError("the flow \(options.flow) has no `number`, so no INVITE can reach it (fix: add `number:` to the flow, or use --any-number)")
        }
        endpoint = SIPEndpoint(configuration: configuration)
        do {
            board = try StoreLiveCallBoard(database: systems.database, onError: { write("warning: \($0)") })
        } catch {
            board = nil
            notices.append("warning: SIP calls are not shown on the live-call board (the console): \(error)")
        }
        self.notices = notices
    }

    /// The line's number as dialled (`+1-844-751-7629`), or "any number".
    public var answering: String {
        options.anyNumber ? "any number" : (loaded.flow.number ?? "?")
    }

    /// Binds the SIP port; throws when it cannot.
    public func start() throws(SIPError) {
        try endpoint.start()
    }

    /// Answers calls until `stop` is called or the endpoint stops, then ends every call with BYE.
    public func serve() async {
        for await event in endpoint.events {
            switch event {
            case .answered(let info):
                answered(info)
            case .keyPressed(let call, let key, _):
                _ = calls.withLock { $0[call]?.yield(.key(key)) }
            case .held(let call, let onHold):
                write("sip #\(call): \(onHold ? "on hold" : "off hold")")
            case .ended(let call, let reason):
                write("sip #\(call): \(reason.rawValue)")
                _ = calls.withLock { $0[call]?.yield(.hangUp) }
            case .refused(let status, let method, let peer):
                write("sip: \(method) from \(peer) refused with \(status)")
            }
        }
        // The endpoint stopped: every call still running hears a hang-up and saves its record.
        let left = calls.withLock { Array($0.values) }
        for input in left { input.yield(.hangUp) }
        let tasks = running.withLock { Array($0.values) }
        for task in tasks { await task.value }
    }

    /// Ends every call with BYE and stops answering; `serve` returns once the records are saved.
    public func stop() {
        endpoint.stop()
    }

    private func answered(_ info: SIPCallInfo) {
        let callerID = (try? PhoneNumber(parsing: info.caller))?.e164 ?? info.caller
        let (input, continuation) = AsyncStream<LiveInput>.makeStream()
        calls.withLock { $0[info.call] = continuation }
        write("sip #\(info.call): \(callerID) → \(info.dialled) answered (\(info.codec.rawValue), Call-ID \(info.callID), from \(info.peer))")
        let channel = endpoint.channel(for: info.call)
        let output = RTPPromptOutput(channel: channel, prompts: prompts)
        let pace = options.pace
        let write = write
        var integrations = systems.integrations
        integrations.desk = SIPCallDesk(inner: integrations.desk, callID: info.callID)
        let call = LiveCall(
            flow: loaded.flow, catalog: loaded.catalog, integrations: integrations, callerID: callerID,
            dialled: loaded.flow.number ?? info.dialled, clock: PacedCallClock(startingAt: Date(), pace: pace), output: output,
            listing: board?.listing(channel: "sip", sipCallID: info.callID),
            onLog: { entry in write("sip #\(info.call) \(entry.line)") })
        let task = Task { [self] in
            let session = await call.run(input: input)
            endpoint.hangUp(call: info.call)
            calls.withLock { $0.removeValue(forKey: info.call) }?.finish()
            if let record = session.record {
                write("sip #\(info.call): ended \(record.outcome)" + (record.caseNumber.map { ", case \($0)" } ?? ""))
            } else {
                write("sip #\(info.call): ended; its call record was NOT saved")
            }
            running.withLock { $0[info.call] = nil }
        }
        running.withLock { $0[info.call] = task }
    }
}

/// Prompts as 8 kHz samples, read once per prompt.
final class PromptSamples: Sendable {
    let catalog: PromptCatalog
    private let cache = Mutex<[String: [Int16]]>([:])

    init(catalog: PromptCatalog) {
        self.catalog = catalog
    }

    /// The samples of `ids` back to back; a prompt that is missing or not 8 kHz mono is skipped
    /// (the transcript still shows it; `hotline prompts check` names the file).
    func samples(_ ids: [String]) -> [Int16] {
        var all: [Int16] = []
        for id in ids {
            if let cached = cache.withLock({ $0[id] }) {
                all += cached
                continue
            }
            guard let entry = catalog[id], let audio = try? WAVAudio.read(path: entry.file), audio.format.isTelephony else { continue }
            cache.withLock { $0[id] = audio.samples }
            all += audio.samples
        }
        return all
    }
}

/// A live call's prompts as RTP on a SIP call's ``MediaChannel``.
struct RTPPromptOutput: PromptOutput {
    let channel: MediaChannel?
    let prompts: PromptSamples?

    func play(_ prompts: [String], playback: Int) async -> Bool {
        guard let channel else { return false }
        return await channel.play(self.prompts?.samples(prompts) ?? [], playback: playback)
    }

    func stop(playback: Int) {
        channel?.stop(playback: playback)
    }
}

/// The case desk of one SIP call: its call record carries the SIP Call-ID.
struct SIPCallDesk: CaseDesk {
    let inner: any CaseDesk
    let callID: String

    func lookUpCase(number: String, accountID: String, callerID: String, at now: Date) throws -> Lookup<CaseSummary> {
        try inner.lookUpCase(number: number, accountID: accountID, callerID: callerID, at: now)
    }

    func recordEscalation(caseNumber: String, reason: String, channel: EscalationChannel, by: String, at now: Date) throws -> EscalationReceipt {
        try inner.recordEscalation(caseNumber: caseNumber, reason: reason, channel: channel, by: by, at: now)
    }

    func openCase(accountID: String, priority: String, skill: String, summary: String, callerID: String, at now: Date) throws -> CaseSummary {
        try inner.openCase(accountID: accountID, priority: priority, skill: skill, summary: summary, callerID: callerID, at: now)
    }

    func recordCall(_ record: CallRecord) throws {
        var record = record
        record.sipCallID = callID
        try inner.recordCall(record)
    }
}
