import Foundation
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRuntime
import HotlineStore
import Synchronization

/// Simulated callers on a served line (`hotline serve --simulate-calls-per-hour N`): while the
/// server runs, callers arrive as a Poisson process on the line's clock, each behaving like one of
/// the reference scenarios' callers (picked with the seed, as `simulate --line` picks them), and
/// each call is a real ``LiveCall`` on the line's own systems — the same engine, case store, pager
/// and router as the browser phones, `hotline call` and SIP — paced on the clock, shown on the
/// live-call board with the channel `simulated` and saved as a call record.
///
/// At most ``Options/maxCalls`` run at once; a caller arriving when that many are on the line is
/// not placed (counted in ``skipped``). ``stop()`` hangs up every call still going on and waits
/// until each one's record is saved and its board row finished.
///
/// What the simulated calls raise is theirs: a paging escalation they open, and its pages, are
/// marked simulated (``PageRecord/simulated``), and their escalations on a case's feed are by
/// `IVR (simulated caller)`. A simulated on-call manager acknowledges each simulated page after a
/// response time drawn from the seed, on the same clock — within the page's acknowledgement window,
/// so simulated pages do not pile up or climb. Real pages are never touched.
public final class SimulatedTraffic: Sendable {
    public struct Options: Sendable {
        /// Mean arrivals per hour of the line's clock.
        public var callsPerHour: Double
        /// The same seed gives the same arrival gaps and the same callers.
        public var seed: UInt64 = 1
        /// How many simulated calls may be on the line at once.
        public var maxCalls = 3
        /// The flow the calls run on.
        public var flow = Defaults.flow
        /// Scenario files whose callers the calls imitate (see ``LineSimulation/callerScripts(in:)``).
        public var callers = Defaults.scenarios + "/gsc"

        /// The largest rate accepted: one call a second.
        public static let maximumCallsPerHour = 3600.0
        /// The most calls at once accepted.
        public static let maximumCalls = 100

        public init(callsPerHour: Double) { self.callsPerHour = callsPerHour }

        /// A rate as typed: `30`, `2.5`, `-5`.
        public static func text(_ value: Double) -> String {
            value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }

        /// Why these options cannot run, with the fix; `nil` when they can.
        public var problem: String? {
            if !callsPerHour.isFinite || callsPerHour <= 0 || callsPerHour > Self.maximumCallsPerHour {
                return "--simulate-calls-per-hour \(Self.text(callsPerHour)) is not a rate from more than 0 to \(Int(Self.maximumCallsPerHour)) calls per hour "
                    + "(fix: give e.g. --simulate-calls-per-hour 30, or leave the option out for no simulated calls)"
            }
            if maxCalls < 1 || maxCalls > Self.maximumCalls {
                return "--simulate-max-calls \(maxCalls) is not from 1 to \(Self.maximumCalls) (fix: give how many simulated calls may be on the line at once, e.g. --simulate-max-calls 3)"
            }
            return nil
        }
    }

    /// One simulated call, as placed.
    public struct Placed: Sendable, Hashable {
        /// 1, 2, 3, … in order of arrival (calls not placed are not numbered).
        public var number: Int
        /// The scenario whose caller it imitates.
        public var scenario: String
        public var callerID: String
        public var at: Date
    }

    /// The arrivals so far: placed, finished, skipped.
    public struct Counts: Sendable, Hashable {
        public var placed = 0
        public var finished = 0
        /// Callers who arrived while ``Options/maxCalls`` calls were on the line.
        public var skipped = 0
        /// Simulated pages the simulated on-call manager acknowledged.
        public var acknowledged = 0
        /// Calls on the line now.
        public var running: Int { placed - finished }
    }

    private struct Running {
        var input: AsyncStream<LiveInput>.Continuation
        var task: Task<Void, Never>
    }

    private struct State {
        var counts = Counts()
        var placed: [Placed] = []
        var running: [Int: Running] = [:]
        var stopped = false
        var arrivals: Task<Void, Never>?
        /// The simulated manager's response times, drawn in the order pages come.
        var responses: SplitMix64
        /// Escalations (`ESC-86`) whose acknowledgement is on its way, with its task.
        var acknowledging: [String: Task<Void, Never>] = [:]
    }

    public let options: Options
    private let systems: LineSystems
    private let board: (any LiveCallBoard)?
    private let clock: any CallClock
    private let loaded: LoadedFlow
    private let scripts: [Scenario]
    private let lengths: any PromptLengths
    private let write: @Sendable (String) -> Void
    private let state: Mutex<State>
    /// The calls' systems: the line's, with a pager that marks their pages simulated and a desk that
    /// signs their escalations as a simulated caller's.
    private let integrations: Integrations

    /// The flow and the caller scripts the simulated callers use, read before the line's database
    /// is opened (a problem with either is thrown, with its fix, and leaves no database behind).
    public struct Files: Sendable {
        let flow: LoadedFlow
        let scripts: [Scenario]

        public static func load(_ options: Options) throws -> Files {
            if let problem = options.problem { throw DemoError(problem) }
            let flow: LoadedFlow
            do {
                flow = try FlowFile.load(path: options.flow)
            } catch {
                throw DemoError("simulated calls: the flow \(options.flow) does not load:\n\(error)")
            }
            return Files(flow: flow, scripts: try LineSimulation.callerScripts(in: options.callers))
        }
    }

    /// Places simulated callers on `systems` with the flow and caller scripts of `files` (loaded
    /// here when not given).
    /// - Parameters:
    ///   - board: where the calls are shown (the line's live-call board).
    ///   - clock: the line's clock; the arrivals and every call run on it.
    ///   - write: where a call that could not be placed is said.
    public init(
        options: Options, files: Files? = nil, systems: LineSystems, board: (any LiveCallBoard)?, clock: any CallClock,
        write: @escaping @Sendable (String) -> Void
    ) throws {
        let files = try files ?? Files.load(options)
        self.options = options
        self.systems = systems
        self.board = board
        self.clock = clock
        self.write = write
        state = Mutex(State(responses: SplitMix64(seed: options.seed ^ 0x4143_4B4E_4F57_4C45)))
        var integrations = systems.integrations
        integrations.pager = SimulatedPager(base: RotaPager(service: systems.paging, simulated: true))
        integrations.desk = SimulatedCaseDesk(base: systems.store)
        self.integrations = integrations
        loaded = files.flow
        scripts = files.scripts
        lengths = loaded.catalog.map { WAVPromptLengths(catalog: $0) } ?? EstimatedPromptLengths(catalog: nil)
    }

    public var counts: Counts { state.withLock { $0.counts } }
    /// Every call placed so far, in order.
    public var placed: [Placed] { state.withLock { $0.placed } }

    /// What a scenario's caller does, as script events: keys (one burst per step), phrases,
    /// silences and the hang-up; its expectations are the test's, not the caller's.
    public static func callerEvents(_ scenario: Scenario) -> [ScriptInput.Event] {
        scenario.steps.flatMap { step -> [ScriptInput.Event] in
            switch step.action {
            case .press(let keys, _, _): keys.map { .input(.key($0)) } + [.endOfBurst]
            case .say(let text, _): [.input(.say(text))]
            case .silence(let duration): [.silence(duration)]
            case .hangUp: [.input(.hangUp)]
            case .expectPrompt, .expectNode, .expectAction, .expectQueue, .expectTransfer, .expectEnd, .expectVariable, .expectFact, .expectNot,
                .expectCount:
                []
            }
        }
    }

    /// Starts the arrivals; they go on until ``stop()``.
    public func start() {
        let task = Task { await self.arrive() }
        let late = state.withLock { state -> Bool in
            if state.stopped { return true }
            state.arrivals = task
            return false
        }
        if late { task.cancel() }
    }

    private func arrive() async {
        var gaps = SplitMix64(seed: options.seed)
        var picks = SplitMix64(seed: options.seed ^ 0x5349_4D55_4C41_5445)
        var next = clock.now()
        while !Task.isCancelled {
            next = next.addingTimeInterval(gaps.exponential(mean: 3600 / options.callsPerHour))
            let script = scripts[Int(picks.next() % UInt64(scripts.count))]
            do {
                try await clock.sleep(until: next)
            } catch {
                return
            }
            place(script)
        }
    }

    /// Places one call imitating `scenario`, unless the line has its bound of simulated calls or
    /// the traffic was stopped.
    private func place(_ scenario: Scenario) {
        let now = clock.now()
        let (input, continuation) = AsyncStream<LiveInput>.makeStream()
        // The script's turns feed a stream of their own: when the script ends, the caller stays
        // on the line in silence, and the call's own input stays open for the hang-up of a stop.
        let (scripted, scriptContinuation) = AsyncStream<LiveInput>.makeStream()
        let driver = ScriptDriver(input: scriptContinuation, clock: clock, note: { _ in })
        let call = LiveCall(
            flow: loaded.flow, catalog: loaded.catalog, integrations: integrations.paged { [weak self] receipt in self?.paged(receipt) },
            callerID: scenario.callerID, clock: clock,
            output: SilentPromptOutput(lengths: lengths, clock: clock), variables: scenario.variables,
            listing: board.map { LiveCallListing(board: $0, channel: .simulated) },
            onLog: { _ in },
            onWaiting: { waiting in driver.callWaits(waiting) })
        let write = write
        // Placed or not in one step with `stop()`'s look at the running calls, so a stop never
        // misses a call placed at the same moment.
        let number = state.withLock { state -> Int? in
            guard !state.stopped else { return nil }
            guard state.counts.running < options.maxCalls else {
                state.counts.skipped += 1
                return nil
            }
            state.counts.placed += 1
            let number = state.counts.placed
            state.placed.append(Placed(number: number, scenario: scenario.name, callerID: scenario.callerID, at: now))
            let task = Task {
                let forward = Task {
                    for await item in scripted { continuation.yield(item) }
                }
                let session = await call.run(input: input)
                forward.cancel()
                scriptContinuation.finish()
                continuation.finish()
                if case .notSaved(_, let reason) = session.recordState {
                    write("simulated call \(number) (\(scenario.name)): its call record was not saved: \(reason)")
                }
                self.finished(number)
            }
            state.running[number] = Running(input: continuation, task: task)
            return number
        }
        guard number != nil else {
            scriptContinuation.finish()
            continuation.finish()
            return
        }
        driver.received(events: Self.callerEvents(scenario))
        driver.ended()
    }

    private func finished(_ number: Int) {
        state.withLock { state in
            state.counts.finished += 1
            state.running[number] = nil
        }
    }

    /// The share of a page's acknowledgement window the simulated manager takes to answer: from
    /// a tenth to seven tenths, so the page never climbs to the next level first.
    static let responseShare: ClosedRange<Double> = 0.1...0.7

    /// A simulated call's page went out (or joined its case's escalation): the simulated on-call
    /// manager acknowledges the escalation after a drawn response time, on the calls' clock. Pages
    /// of real escalations are left alone.
    private func paged(_ receipt: PageReceipt) {
        guard let page = try? systems.paging.store.page(receipt.pageID), page.simulated, page.state == .sent else { return }
        let window = max(0, page.ackDeadline.timeIntervalSince(page.sentAt))
        let clock = clock
        state.withLock { state in
            guard !state.stopped, state.acknowledging[page.escalation] == nil else { return }
            let share = Self.responseShare.lowerBound + state.responses.unit() * (Self.responseShare.upperBound - Self.responseShare.lowerBound)
            let due = page.sentAt.addingTimeInterval(window * share)
            state.acknowledging[page.escalation] = Task {
                do {
                    try await clock.sleep(until: due)
                } catch {
                    return
                }
                self.acknowledge(page)
            }
        }
    }

    /// Acknowledges the escalation of `page` as the person its latest page went to, unless a
    /// person already did (on the desk) or it ran out of levels.
    private func acknowledge(_ page: PageRecord) {
        defer { state.withLock { _ = $0.acknowledging.removeValue(forKey: page.escalation) } }
        do {
            let pages = try systems.paging.store.pages(caseNumber: page.caseNumber).filter { $0.escalation == page.escalation }
            guard let latest = pages.last, latest.simulated, latest.state == .sent else { return }
            _ = try systems.paging.acknowledge(pageID: latest.id, by: "\(latest.person) (simulated)", at: clock.now())
            state.withLock { $0.counts.acknowledged += 1 }
        } catch {
            write("simulated on-call manager: could not acknowledge \(page.id) of case \(page.caseNumber): \(error)")
        }
    }

    /// Stops the arrivals, hangs up every simulated call still going on, and returns once each
    /// one has ended: its call record saved and its row on the board finished. Acknowledgements
    /// still to come are called off (their pages stay as they are).
    public func stop() async {
        let (arrivals, running, acknowledging) = state.withLock { state in
            state.stopped = true
            defer {
                state.arrivals = nil
                state.acknowledging = [:]
            }
            return (state.arrivals, Array(state.running.values), Array(state.acknowledging.values))
        }
        for task in acknowledging { task.cancel() }
        arrivals?.cancel()
        await arrivals?.value
        for call in running { call.input.yield(.hangUp) }
        for call in running { await call.task.value }
    }
}

/// The pager of simulated calls: pages through the line's outbox with the escalation marked
/// simulated (``RotaPager/simulated``), and tells ``onPaged`` each receipt.
struct SimulatedPager: OnCallPager {
    let base: RotaPager
    var onPaged: @Sendable (PageReceipt) -> Void = { _ in }

    func pageOnCall(caseNumber: String, reason: String, at now: Date) throws -> PageReceipt? {
        let receipt = try base.pageOnCall(caseNumber: caseNumber, reason: reason, at: now)
        if let receipt { onPaged(receipt) }
        return receipt
    }

    func acknowledgePage(pageID: String, by person: String, at now: Date) throws -> Bool {
        try base.acknowledgePage(pageID: pageID, by: person, at: now)
    }
}

/// The case desk of simulated calls: the line's, with their escalations on a case's feed signed
/// `… (simulated caller)`, so a trainer reading the feed knows no real customer asked.
struct SimulatedCaseDesk: CaseDesk {
    let base: CaseStore

    func lookUpCase(number: String, accountID: String, callerID: String, at now: Date) throws -> Lookup<CaseSummary> {
        try base.lookUpCase(number: number, accountID: accountID, callerID: callerID, at: now)
    }

    func recordEscalation(caseNumber: String, reason: String, channel: EscalationChannel, by: String, at now: Date) throws -> EscalationReceipt {
        try base.recordEscalation(caseNumber: caseNumber, reason: reason, channel: channel, by: "\(by) (simulated caller)", at: now)
    }

    func openCase(accountID: String, priority: String, skill: String, summary: String, callerID: String, at now: Date) throws -> CaseSummary {
        try base.openCase(accountID: accountID, priority: priority, skill: skill, summary: summary, callerID: callerID, at: now)
    }

    func recordCall(_ record: CallRecord) throws { try base.recordCall(record) }
}

extension Integrations {
    /// These systems with the simulated pager telling `onPaged` each page receipt.
    func paged(_ onPaged: @escaping @Sendable (PageReceipt) -> Void) -> Integrations {
        guard var pager = pager as? SimulatedPager else { return self }
        pager.onPaged = onPaged
        var copy = self
        copy.pager = pager
        return copy
    }
}
