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
    /// The escalation policy (with its rota, whose `contacts:` say whose SIP phone a page rings)
    /// when the line opens its own systems; a shared line pages on the policy it was opened with.
    public var policy: String = Defaults.policy
    /// The agents and queues the line's router routes on (`hotline serve --agents --queues`); an
    /// agent's `contact: sip:…` is where a SIP call the router hands to that agent is transferred.
    public var routing: LineWiring.RoutingSource = .reference
    /// The destinations file (`hotline serve --destinations FILE`): the SIP URI of each destination
    /// name a flow transfers to (``SIPDestinations``); `nil`: none.
    public var destinations: String?
    /// The flow a page's call runs ("press 1 to acknowledge").
    public var pageFlow: String = Defaults.pageCallFlow
    /// How long a page's call rings before the line gives up on it (the page then climbs on its timer).
    public var pageRing: Duration = .seconds(30)
    /// How often the line looks for pages sent by other processes and for acknowledgement timeouts due.
    public var pagePoll: Duration = .seconds(1)
    /// How many times a page's call is placed when it fails (not for no answer, busy or declined).
    public var pageAttempts = 2
    /// The prompt a caller waiting in a queue hears, looped with 2 s of silence between (`nil`, or a
    /// prompt the catalog does not have: silence while queued).
    public var holdPrompt: String? = "system.hold"
    /// Now, for the page timers and the calls' clocks (the outermost layer passes the system clock).
    public var now: @Sendable () -> Date

    public init(
        flow: String = Defaults.flow, database: String, endpoint: SIPEndpointConfiguration, anyNumber: Bool = false, pace: Pace = .realTime,
        start: Date, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.flow = flow
        self.database = database
        self.endpoint = endpoint
        self.anyNumber = anyNumber
        self.pace = pace
        self.start = start
        self.now = now
    }
}

/// The files a SIP line runs on, read before anything opens the database (so a file that does not
/// load leaves no database behind): the flow (with its number checked), the escalation policy
/// with its rota, and the page-call flow when the rota has SIP phones to ring.
public struct SIPLineFiles: Sendable {
    public let flow: LoadedFlow
    public let policy: EscalationPolicy
    /// `nil` when the rota names no SIP phone (no page is rung).
    public let pageCall: LoadedFlow?
    /// The destinations file's names and URIs (`--destinations`; empty without it).
    public let destinations: SIPDestinations

    public static func load(_ options: SIPLineOptions) throws(PhoneCallError) -> SIPLineFiles {
        let flow: LoadedFlow
        do {
            flow = try FlowFile.load(path: options.flow)
        } catch {
            throw PhoneCallError("the flow \(options.flow) does not load:\n\(error.description)")
        }
        if !options.anyNumber && flow.flow.number == nil {
            throw PhoneCallError("the flow \(options.flow) has no `number`, so no INVITE can reach it (fix: add `number:` to the flow, or use --any-number)")
        }
        let policy: EscalationPolicy
        do {
            policy = try EscalationPolicy.load(path: options.policy)
        } catch {
            throw PhoneCallError("the escalation policy \(options.policy) does not load:\n\(error)")
        }
        var pageCall: LoadedFlow?
        if !policy.rota.contacts.isEmpty {
            do {
                pageCall = try FlowFile.load(path: options.pageFlow)
            } catch {
                throw PhoneCallError("the page-call flow \(options.pageFlow) does not load:\n\(error.description)")
            }
        }
        var destinations = SIPDestinations()
        if let path = options.destinations {
            // Each name is checked against the flow's transfers and the queues here, with the
            // URIs: every bad entry in one run, before the database is opened.
            let queues: [String]
            switch options.routing {
            case .loaded(let config): queues = config.queues.map(\.name)
            case .files(let agents, let queuesFile):
                do {
                    queues = try RoutingFile.load(agents: agents, queues: queuesFile).queues.map(\.name)
                } catch {
                    throw PhoneCallError("the routing files \(agents) and \(queuesFile) do not load:\n\(error)")
                }
            }
            do throws(Diagnostics) {
                destinations = try SIPDestinations.load(path: path, known: SIPLine.transferNames(flow.flow) + queues, flow: options.flow)
            } catch {
                throw PhoneCallError("the destinations file \(path) does not load:\n\(error.description)")
            }
        }
        return SIPLineFiles(flow: flow, policy: policy, pageCall: pageCall, destinations: destinations)
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
    /// Each incoming call's answer: asked for when its flow first needs media.
    private let gates = Mutex<[Int: SIPAnswerGate]>([:])
    /// Pages being rung: the line's call number → the page; and how often each page was dialled.
    private let dials = Mutex<[Int: PageRecord]>([:])
    private let attempts = Mutex<[String: Int]>([:])
    private let pageCall: LoadedFlow?
    private let pagePrompts: PromptSamples?
    /// Where the paging service hands pages to this line (``SIPPageDelivery``).
    public let pages: SIPPageDelivery
    private let running = Mutex<[Int: Task<Void, Never>]>([:])
    /// Blind transfers waiting for the caller's NOTIFY: the call → its waiter (`nil` = transferred,
    /// else why not).
    private let transfers = Mutex<[Int: CheckedContinuation<String?, Never>]>([:])
    /// Notices to show before serving (database created).
    public let notices: [String]
    /// The routing file's SIP phones, by agent id (`contact:` in the agents file): the only
    /// addresses a call handed to an agent is transferred to.
    private let agentContacts: [String: SIPContact]
    /// Destination names mapped to SIP URIs: the destinations file (`--destinations`) and the queues'
    /// `contact:`; with where each was written, for the console.
    private let namedContacts: [String: (contact: SIPContact, source: String)]
    /// The line's live-call board: every SIP call shows on the console of a `hotline serve` on
    /// the same database while it runs.
    private let board: StoreLiveCallBoard?

    /// - Parameter shared: the systems of a line already wired in this process (`hotline serve
    ///   --http … --sip …`: the web's), so both listeners run on one store, pager and router;
    ///   `nil` wires the line from `options`.
    ///   - pages: the delivery the shared systems' pager was wired with (it rings the contacts
    ///     through this line); without `shared`, the line wires its own.
    ///   - files: the line's files, loaded already (before `shared` was opened); `nil` loads them
    ///     here, before the line's own database is opened.
    public init(
        options: SIPLineOptions, files: SIPLineFiles? = nil, sharing shared: LineSystems? = nil, pages: SIPPageDelivery = SIPPageDelivery(),
        write: @escaping @Sendable (String) -> Void
    ) throws(PhoneCallError) {
        self.options = options
        self.pages = pages
        self.write = write
        let lineFiles: SIPLineFiles
        if let files { lineFiles = files } else { lineFiles = try SIPLineFiles.load(options) }
        loaded = lineFiles.flow
        let destinations = lineFiles.destinations
        var notices: [String] = []
        let routing: RoutingConfig?
        if let shared {
            systems = shared
            // The web's systems route on the same files: read their agents' contacts here.
            switch options.routing {
            case .loaded(let config): routing = config
            case .files(let agents, let queues):
                do {
                    routing = try RoutingFile.load(agents: agents, queues: queues)
                } catch {
                    throw PhoneCallError("the routing files \(agents) and \(queues) do not load:\n\(error)")
                }
            }
        } else {
            do {
                // The line's systems, wired as for every other phone (`LineWiring`).
                var wiring = LineWiring(database: options.database, start: options.start)
                wiring.policy = .loaded(lineFiles.policy)
                wiring.routing = options.routing
                wiring.delivery = FanOutDelivery([ConsoleDelivery(write: { line in write("         \(line)") }), pages])
                let opened = try wiring.open()
                if let notice = opened.seedingNotice(database: options.database) { notices.append(notice) }
                notices += try opened.unroutableSMEs().map { "warning: \($0)" }
                systems = opened.systems
                routing = opened.routing
            } catch {
                throw PhoneCallError("cannot prepare the systems the line runs on (database \(options.database)): \(error)")
            }
        }
        var phones: [String: SIPContact] = [:]
        for agent in routing?.agents ?? [] {
            if let contact = agent.contact { phones[agent.id] = contact }
        }
        agentContacts = phones
        if !phones.isEmpty {
            let listed: [String] = phones.keys.sorted().map { id in "\(id) (\(phones[id]?.description ?? ""))" }
            notices.append("agents' SIP phones: " + listed.joined(separator: ", "))
        }
        // Names a flow transfers to, mapped to SIP URIs: a queue's `contact:`, then the destinations
        // file (the line's own, so it wins). Checked when the files were read, before any call: a
        // bad URI or an unknown name stops the line with the file, line and fix.
        var named: [String: (contact: SIPContact, source: String)] = [:]
        for queue in routing?.queues ?? [] {
            if let contact = queue.contact { named[queue.name] = (contact, "the queues file") }
        }
        if let path = options.destinations {
            // Its names were checked against the flow and the queues when it was read (SIPLineFiles).
            for (name, contact) in destinations.contacts { named[name] = (contact, "the destinations file") }
            let unmapped = Self.transferNames(loaded.flow).filter { named[$0] == nil }.sorted()
            if !unmapped.isEmpty {
                notices.append(
                    "note: the flow's transfers to \(unmapped.joined(separator: ", ")) have no SIP URI: on SIP such a call is not handed over (fix: add them to \(path))")
            }
        }
        namedContacts = named
        if !named.isEmpty {
            let listed: [String] = named.keys.sorted().map { name in "\(name) (\(named[name]?.contact.description ?? ""))" }
            notices.append("named SIP destinations: " + listed.joined(separator: ", "))
        }
        prompts = loaded.catalog.map(PromptSamples.init(catalog:))
        if loaded.catalog == nil { notices.append("audio: the flow names no prompt catalog; calls hear silence") }
        var configuration = options.endpoint
        configuration.lineNumber = options.anyNumber ? nil : loaded.flow.number
        endpoint = SIPEndpoint(configuration: configuration)
        let contacts = systems.paging.policy.rota.contacts
        if contacts.isEmpty {
            pageCall = nil
        } else {
            // A shared line's policy is the same file, loaded by the line that opened the database.
            guard let flow = lineFiles.pageCall else {
                throw PhoneCallError("the escalation policy's rota names SIP phones, but the policy \(options.policy) read for the SIP line does not (fix: give both listeners the same --policy)")
            }
            pageCall = flow
            notices.append(
                "pages ring SIP phones: "
                    + contacts.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        pagePrompts = pageCall?.catalog.map(PromptSamples.init(catalog:))
        do {
            board = try StoreLiveCallBoard(database: systems.database, now: options.now, onError: { write("warning: \($0)") })
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
        pages.attach { [weak self] page in self?.ring(page) }
        let watcher = pageCall == nil ? nil : Task { [self] in await watchPages() }
        defer { watcher?.cancel() }
        for await event in endpoint.events {
            switch event {
            case .answered(let info) where info.outbound:
                guard let page = dials.withLock({ $0.removeValue(forKey: info.call) }), let pageCall else {
                    endpoint.hangUp(call: info.call)
                    continue
                }
                write("sip #\(info.call): \(page.person) answered the call for \(page.id) (\(info.codec.rawValue), Call-ID \(info.callID))")
                run(
                    info, flow: pageCall, prompts: pagePrompts, callerID: info.dialled, dialled: info.dialled,
                    variables: ["page.id": page.id, "page.to": page.person, "case.number": page.caseNumber],
                    gate: SIPAnswerGate(answered: endpoint.channel(for: info.call)))
            case .incoming(let info):
                incoming(info)
            case .answered(let info):
                let callerID = (try? PhoneNumber(parsing: info.caller))?.e164 ?? info.caller
                write("sip #\(info.call): \(callerID) → \(info.dialled) answered (\(info.codec.rawValue), Call-ID \(info.callID), from \(info.peer))")
                gates.withLock { $0[info.call] }?.answered(endpoint.channel(for: info.call))
                _ = calls.withLock { $0[info.call]?.yield(.answered) }
            case .dialFailed(let call, let status, let reason):
                guard let page = dials.withLock({ $0.removeValue(forKey: call) }) else { continue }
                write("sip #\(call): the call for \(page.id) to \(page.person) failed: \(status) \(reason)")
                // No answer, busy or declined: the page climbs on its timer. Anything else (the phone
                // unreachable, a server error) is tried again, a bounded number of times.
                if ![408, 480, 486, 487, 600, 603].contains(status) { retry(page) }
            case .keyPressed(let call, let key, _):
                _ = calls.withLock { $0[call]?.yield(.key(key)) }
            case .held(let call, let onHold):
                write("sip #\(call): \(onHold ? "on hold" : "off hold")")
            case .ended(let call, let reason):
                write("sip #\(call): \(reason.rawValue)")
                _ = calls.withLock { $0[call]?.yield(.hangUp) }
                gates.withLock { $0[call] }?.ended()
                transfers.withLock { $0.removeValue(forKey: call) }?.resume(returning: "the call ended (\(reason.rawValue))")
            case .transferred(let call):
                transfers.withLock { $0.removeValue(forKey: call) }?.resume(returning: nil)
            case .transferFailed(let call, let status, let reason):
                transfers.withLock { $0.removeValue(forKey: call) }?.resume(returning: "\(status) \(reason)")
            case .refused(let status, let method, let peer):
                write("sip: \(method) from \(peer) refused with \(status)")
            }
        }
        // The endpoint stopped: every call still running hears a hang-up and saves its record.
        for waiter in transfers.withLock({ pending in defer { pending.removeAll() }; return Array(pending.values) }) {
            waiter.resume(returning: "the line stopped")
        }
        for gate in gates.withLock({ Array($0.values) }) { gate.ended() }
        let left = calls.withLock { Array($0.values) }
        for input in left { input.yield(.hangUp) }
        let tasks = running.withLock { Array($0.values) }
        for task in tasks { await task.value }
    }

    /// Ends every call with BYE and stops answering; `serve` returns once the records are saved.
    public func stop() {
        endpoint.stop()
    }

    /// A call has rung for `--ring`: its flow starts, still ringing. The line answers when the flow
    /// first needs media (a prompt, keys, hold audio), as a PBX does; a redirect before that is a 302.
    private func incoming(_ info: SIPCallInfo) {
        let callerID = (try? PhoneNumber(parsing: info.caller))?.e164 ?? info.caller
        write("sip #\(info.call): \(callerID) → \(info.dialled) ringing (Call-ID \(info.callID), from \(info.peer))")
        let endpoint = endpoint
        let gate = SIPAnswerGate { endpoint.answer(call: info.call) }
        gates.withLock { $0[info.call] = gate }
        run(
            info, flow: loaded, prompts: prompts, callerID: callerID, dialled: loaded.flow.number ?? info.dialled, variables: [:], gate: gate,
            answersLater: true)
    }

    /// Runs a live call on a SIP call until its flow ends, then hangs up.
    private func run(
        _ info: SIPCallInfo, flow loaded: LoadedFlow, prompts: PromptSamples?, callerID: String, dialled: String, variables: [String: String],
        gate: SIPAnswerGate, answersLater: Bool = false
    ) {
        let (input, continuation) = AsyncStream<LiveInput>.makeStream()
        calls.withLock { $0[info.call] = continuation }
        let holdAudio = options.holdPrompt.flatMap { id in prompts?.samples([id]) } ?? []
        let output = RTPPromptOutput(
            line: gate, prompts: prompts, holdAudio: holdAudio.isEmpty ? [] : holdAudio + [Int16](repeating: 0, count: 16_000))
        let pace = options.pace
        let write = write
        let integrations = systems.integrations
        let call = LiveCall(
            flow: loaded.flow, catalog: loaded.catalog, integrations: integrations, callerID: callerID,
            dialled: dialled, clock: PacedCallClock(startingAt: options.now(), pace: pace), output: output, variables: variables, sipCallID: info.callID,
            listing: board?.listing(channel: .sip, sipCallID: info.callID), answersLater: answersLater,
            handsOver: { [agentContacts, namedContacts] name in
                name.lowercased().hasPrefix("sip:") || agentContacts[name] != nil || namedContacts[name] != nil
            },
            transfer: { [self] destination, method in await handOver(info, to: destination, method: method, gate: gate) },
            onLog: { entry in write("sip #\(info.call) \(entry.line)") })
        let task = Task { [self] in
            let session = await call.run(input: input)
            var transferFailed = false
            // A transfer without `on_failure` ended the flow: hand the call over now; if that fails
            // the record says so. (One with `on_failure` was handed over during the call.)
            if case .transferred(let destination) = session.machine.end, let node = session.machine.transferNode, node.onFailure == nil,
                await handOver(info, to: destination, method: node.method, gate: gate) != nil
            {
                transferFailed = true
                markTransferFailed(info)
            }
            endpoint.hangUp(call: info.call)
            gates.withLock { $0[info.call] = nil }
            calls.withLock { $0.removeValue(forKey: info.call) }?.finish()
            if let record = session.record {
                write("sip #\(info.call): ended \(transferFailed ? "transfer-failed" : record.outcome)" + (record.caseNumber.map { ", case \($0)" } ?? ""))
            } else {
                write("sip #\(info.call): ended; its call record was NOT saved")
            }
            running.withLock { $0[info.call] = nil }
        }
        running.withLock { $0[info.call] = task }
    }
}

extension SIPLine {
    /// A flow's transfer to a `sip:` URI (written in the flow: `hotline flow check` refuses any a
    /// caller could steer); `nil` when it went through, else why not. Other destinations (a queue's
    /// agent, the operator) go through at once, as on every phone.
    ///
    /// `method: redirect` on a call the line has not answered: `302 Moved Temporarily`. A call already
    /// answered (a flow `hotline flow check` would refuse: a prompt, keys or hold audio came first)
    /// cannot be redirected: the line says so and uses a REFER instead, as Asterisk's Transfer() does.
    /// A REFER goes to the caller in the answered call's dialog (a flow that transfers before it
    /// needed media answers first), and the line waits for its NOTIFY.
    fileprivate func handOver(_ info: SIPCallInfo, to target: String, method: TransferMethod, gate: SIPAnswerGate) async -> String? {
        guard !info.outbound else { return nil }
        let destination: String
        if target.hasPrefix("sip:") {
            destination = target
        } else if let contact = agentContacts[target] {
            // The router handed the call to an agent whose SIP phone the routing file names.
            destination = contact.description
            write("sip #\(info.call): \(target)'s phone is \(destination) (the agents file)")
        } else if let mapped = namedContacts[target] {
            // A name the line's files map to a URI (a queue's contact, the destinations file).
            destination = mapped.contact.description
            write("sip #\(info.call): \(target) is \(destination) (\(mapped.source))")
        } else {
            // A name no file of the line maps: nothing to dial (only the files' URIs ever are).
            write("sip #\(info.call): \(target) has no SIP URI in the line's files (agents, queues, --destinations): the call is not handed over")
            return nil
        }
        if method == .redirect {
            if !gate.answerRequested {
                endpoint.redirect(call: info.call, to: destination)
                write("sip #\(info.call): redirected to \(destination) (302 Moved Temporarily)")
                return nil
            }
            write("sip #\(info.call): the call was answered before its redirect to \(destination): REFER instead of 302")
        }
        guard await gate.channel() != nil else {
            return "the call ended before it was answered"
        }
        write("sip #\(info.call): REFER to \(destination)")
        let failure = await withCheckedContinuation { (waiter: CheckedContinuation<String?, Never>) in
            transfers.withLock { $0[info.call] = waiter }
            endpoint.refer(call: info.call, to: destination)
        }
        if let failure {
            write("sip #\(info.call): the transfer to \(destination) failed: \(failure)")
        } else {
            write("sip #\(info.call): transferred to \(destination)")
        }
        return failure
    }

    /// The literal names the flow's transfers go to (not `sip:` URIs, not `${…}`): what a
    /// destinations file may map.
    static func transferNames(_ flow: Flow) -> [String] {
        var names: Set<String> = []
        for node in flow.nodes.values {
            guard case .transfer(let transfer) = node.kind else { continue }
            let name = transfer.destination
            if !name.lowercased().hasPrefix("sip:"), !name.contains("${") { names.insert(name) }
        }
        return names.sorted()
    }

    /// A transfer that ended the flow failed: its record says `transfer-failed`.
    private func markTransferFailed(_ info: SIPCallInfo) {
        do {
            try systems.store.setTransferOutcome(sipCallID: info.callID, outcome: "transfer-failed")
        } catch {
            write("warning: sip #\(info.call): the call record could not be marked transfer-failed: \(error)")
        }
    }

    /// Rings the SIP phone of the person a page is for, once per page (``SIPPageDelivery`` and the
    /// page watcher both land here): only a contact named in the rota, only while the page waits.
    func ring(_ page: PageRecord) {
        guard page.state == .sent, pageCall != nil, let contact = systems.paging.policy.rota.contacts[page.person] else { return }
        let first = attempts.withLock { attempts -> Bool in
            guard attempts[page.id] == nil else { return false }
            attempts[page.id] = 1
            return true
        }
        guard first else { return }
        dial(page, contact)
    }

    private func dial(_ page: PageRecord, _ contact: SIPContact) {
        let ringFor = options.pageRing
        let call = dials.withLock { dials -> Int in
            let call = endpoint.dial(contact, from: "hotline", ringFor: ringFor)
            dials[call] = page
            return call
        }
        write("sip #\(call): calling \(page.person) at \(contact) for \(page.id) (case \(page.caseNumber), level \(page.level))")
    }

    /// A page's call failed: place it once more, a few seconds later, if the page still waits.
    fileprivate func retry(_ page: PageRecord) {
        let again = attempts.withLock { attempts -> Bool in
            let count = attempts[page.id, default: 1]
            guard count < options.pageAttempts else { return false }
            attempts[page.id] = count + 1
            return true
        }
        guard again, let contact = systems.paging.policy.rota.contacts[page.person] else { return }
        Task { [self] in
            try? await Task.sleep(for: .seconds(5))
            guard let current = try? systems.paging.store.page(page.id), current.state == .sent else { return }
            dial(current, contact)
        }
    }

    /// While the line serves: acknowledgement timeouts due are processed (the page climbs, the next
    /// level's page rings through the delivery), and pages sent by other processes on the same
    /// database (`hotline pages send`, the web) are rung.
    fileprivate func watchPages() async {
        let since = options.start
        while !Task.isCancelled {
            let now = options.now()
            _ = try? systems.paging.tick(at: now)
            for page in (try? systems.paging.store.waiting(sentSince: since, at: now)) ?? [] {
                ring(page)
            }
            try? await Task.sleep(for: options.pagePoll)
        }
    }
}

/// Where the paging service hands each page to `hotline serve --sip`: a delivery at the paging edge
/// (wired into ``LineWiring/delivery`` beside the console) that rings the SIP phone named for the
/// page's person in the rota's `contacts:`. It never fails the page's delivery: the other channels
/// have it, and an unanswered call leaves the page to climb on its timer.
public final class SIPPageDelivery: PageDelivery {
    private let target = Mutex<(@Sendable (PageRecord) -> Void)?>(nil)

    public init() {}

    /// The line that rings pages from now on.
    func attach(_ ring: @escaping @Sendable (PageRecord) -> Void) {
        target.withLock { $0 = ring }
    }

    public func deliver(_ page: PageRecord) throws {
        let ring = target.withLock { $0 }
        ring?(page)
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

/// A live call's prompts as RTP on a SIP call's ``MediaChannel``, once the line has answered.
struct RTPPromptOutput: PromptOutput {
    let line: SIPAnswerGate
    let prompts: PromptSamples?
    /// Looped while the caller waits in a queue (a prompt, then 2 s of silence, again); empty: silence.
    var holdAudio: [Int16] = []

    func connect() {
        line.request()
    }

    func holding(_ waiting: Bool) {
        // A queued caller is answered, with or without hold audio (as the session counts it).
        if waiting { line.request() }
        line.hold(waiting ? holdAudio : [])
    }

    func play(_ prompts: [String], playback: Int) async -> Bool {
        guard let channel = await line.channel(), !line.takeStopped(playback) else { return false }
        return await channel.play(self.prompts?.samples(prompts) ?? [], playback: playback)
    }

    func stop(playback: Int) {
        line.stop(playback: playback)
    }
}

/// A ringing SIP call's answer, asked for once, when its flow first needs media (a prompt, keys,
/// hold audio), as a PBX answers; what waits for it (playbacks, hold audio, a REFER) waits here.
///
/// Events to ignore: asking again, or after the call ended; a stop for a playback still waiting
/// (kept, so the playback does not start once the call is answered).
final class SIPAnswerGate: Sendable {
    private struct State {
        var asked = false
        var channel: MediaChannel?
        var over = false
        var waiters: [CheckedContinuation<MediaChannel?, Never>] = []
        /// Hold audio asked for before the answer.
        var hold: [Int16]?
        var stopped: Set<Int> = []
    }

    private let state: Mutex<State>
    private let ask: @Sendable () -> Void

    /// A ringing call; `ask` answers it (``SIPEndpoint/answer(call:)``).
    init(ask: @escaping @Sendable () -> Void) {
        state = Mutex(State())
        self.ask = ask
    }

    /// A call already answered (one the line placed).
    init(answered channel: MediaChannel?) {
        state = Mutex(State(asked: true, channel: channel, over: channel == nil))
        ask = {}
    }

    /// Whether the answer was asked for: a redirect (302) is possible only when not.
    var answerRequested: Bool { state.withLock { $0.asked } }

    /// Asks for the answer (once).
    func request() {
        let first = state.withLock { state -> Bool in
            guard !state.asked, !state.over else { return false }
            state.asked = true
            return true
        }
        if first { ask() }
    }

    /// The call's media once answered (asking for it); `nil` when the call ended first.
    func channel() async -> MediaChannel? {
        request()
        return await withCheckedContinuation { (waiter: CheckedContinuation<MediaChannel?, Never>) in
            let ready = state.withLock { state -> MediaChannel?? in
                if state.channel != nil || state.over { return .some(state.channel) }
                state.waiters.append(waiter)
                return .none
            }
            if let ready { waiter.resume(returning: ready) }
        }
    }

    /// The line answered: what waited goes on.
    func answered(_ channel: MediaChannel?) {
        let (waiters, hold) = state.withLock { state -> ([CheckedContinuation<MediaChannel?, Never>], [Int16]?) in
            state.channel = channel
            if channel == nil { state.over = true }
            defer {
                state.waiters = []
                state.hold = nil
            }
            return (state.waiters, state.hold)
        }
        if let hold { channel?.hold(hold) }
        for waiter in waiters { waiter.resume(returning: channel) }
    }

    /// The call ended (before or after the answer).
    func ended() {
        let waiters = state.withLock { state -> [CheckedContinuation<MediaChannel?, Never>] in
            state.over = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Hold audio (`[]`: none), now or once answered; hold audio asks for the answer.
    func hold(_ samples: [Int16]) {
        let channel = state.withLock { state -> MediaChannel? in
            if state.channel == nil { state.hold = samples }
            return state.channel
        }
        if let channel {
            channel.hold(samples)
        } else if !samples.isEmpty {
            request()
        }
    }

    func stop(playback: Int) {
        let channel = state.withLock { state -> MediaChannel? in
            if state.channel == nil { state.stopped.insert(playback) }
            return state.channel
        }
        channel?.stop(playback: playback)
    }

    /// Whether a playback was stopped while it waited for the answer.
    func takeStopped(_ playback: Int) -> Bool {
        state.withLock { $0.stopped.remove(playback) != nil }
    }
}
