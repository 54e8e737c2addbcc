import Foundation
import HotlineCore
import HotlineFlowFile
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore

/// `hotline simulate --line`: generated calls through the whole line — the IVR flow, the case
/// store, the pager on the rota and the router — in virtual time.
///
/// Callers arrive as a Poisson process; each behaves like one of the reference scenarios' callers
/// (its keys, phrases and silences, drawn at random with the seed), calls from the scenario's
/// number, and goes wherever the flow and the systems take it. One router serves every call, so
/// agents stay busy across calls and queues build up. The same seed gives the same result.
public struct LineSimulation: Sendable {
    public var start: Date
    public var hours: Double = 8
    public var callsPerHour: Double = 60
    public var seed: UInt64 = 1
    /// Share of pages the paged manager acknowledges, after 1 to 15 minutes (past the policy's
    /// timeout, the page has already climbed a level).
    public var acknowledgeRate = 0.85
    public var flow = Defaults.flow
    /// Scenario files whose callers the generated calls imitate (those naming their own rota or
    /// staff are left out).
    public var callers = Defaults.scenarios + "/gsc"
    public var agents = Defaults.routing + "/agents.yaml"
    public var queues = Defaults.routing + "/queues.yaml"

    public init(start: Date) { self.start = start }

    /// What happened on the line.
    public struct Report: Sendable, Encodable {
        public var calls: Int
        /// Calls by how they ended (`completed`, `transferred`, `callback`, …).
        public var outcomes: [String: Int]
        /// Escalations recorded by callers; a second one on a case whose escalation is open joins it.
        public var escalations: Int
        /// Escalations that started (not joined): each pages someone while anyone is on call.
        public var escalationsOpened: Int
        /// Escalations opened that no page was sent for (nobody on call at any level).
        public var escalationsNotPaged: Int
        public var casesOpened: Int
        public var pages: Int
        public var pagesUnacknowledged: Int
        /// Cases whose response target is breached when the simulation ends.
        public var slaBreachedAtEnd: Int
        /// The router's per-queue figures: offered, answered, abandoned, ASA, service level, occupancy.
        public var router: SimulationReport
    }

    /// The scenario files of `folder` that describe a caller: a scenario with its own rota or
    /// agents, or with `before:` operations that change the line before its call, sets up a test,
    /// not a caller's behaviour. In file order, so a seed picks the same callers.
    public static func callerScripts(in folder: String) throws -> [Scenario] {
        let scripts = try ScenarioFile.files(in: [folder]).map { try ScenarioFile.load(path: $0) }
            .filter { $0.rota == nil && $0.agents == nil && $0.before.isEmpty }
        guard !scripts.isEmpty else { throw DemoError("no caller scripts in \(folder); give a folder of scenario files") }
        return scripts
    }

    /// Runs the day; `callDone` hears after each generated call how many are done, of how many.
    public func run(callDone: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Report {
        // The files first: one that does not load stops the run before a line is seeded.
        let loaded = try FlowFile.load(path: flow)
        let scripts = try Self.callerScripts(in: callers)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-line-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var wiring = LineWiring(database: (folder as NSString).appendingPathComponent("line.sqlite"), start: start)
        wiring.routing = .files(agents: agents, queues: queues)
        wiring.routerSeed = seed
        wiring.routerHours = hours
        let line = try wiring.open()
        let systems = line.systems
        let store = systems.store
        let router = line.router

        let runner = ScenarioRunner(defaultFlow: flow, environment: FixedEnvironment(systems: systems))
        var random = SplitMix64(seed: seed)
        var outcomes: [String: Int] = [:]
        let arrivals = PoissonArrivals.instants(perHour: callsPerHour, start: start, hours: hours, seed: seed)
        var escalations = 0
        var opened = 0
        var acknowledgements: [(at: Date, page: PageRecord)] = []
        /// Pages whose manager has decided (to answer after a delay, or not at all): each once.
        var decided: Set<String> = []
        /// The managers answer the pages that are due by `now`, in order; then timeouts catch up.
        func settlePages(until now: Date) throws {
            acknowledgements.sort { $0.at < $1.at }
            while let next = acknowledgements.first, next.at <= now {
                acknowledgements.removeFirst()
                guard let page = try systems.paging.store.page(next.page.id), page.state == .sent else { continue }
                _ = try? systems.paging.acknowledge(pageID: page.id, by: page.person, at: next.at)
            }
            try systems.paging.tick(at: now)
            for page in try systems.paging.store.pages() where page.state == .sent && decided.insert(page.id).inserted {
                guard Double(random.next() % 1000) / 1000 < acknowledgeRate else { continue }
                let delay = 60 + Double(random.next() % 840)
                acknowledgements.append((page.sentAt.addingTimeInterval(delay), page))
            }
        }
        for (index, arrival) in arrivals.enumerated() {
            defer { callDone(index + 1, arrivals.count) }
            try settlePages(until: arrival)
            var caller = scripts[Int(random.next() % UInt64(scripts.count))]
            caller.at = arrival
            let result = runner.run(caller, on: loaded.flow, catalog: loaded.catalog, flowPath: flow, callerOnly: true)
            if !result.transcript.contains(where: { if case .ended = $0.event { true } else { false } }) {
                // A call that could not run (its setup failed) is counted, not lost from the report.
                outcomes["not-run", default: 0] += 1
            }
            for entry in result.transcript {
                switch entry.event {
                case .performed(_, .recordEscalation, "recorded", _): escalations += 1
                case .performed(_, .openCase, "opened", _): opened += 1
                case .ended(let end): outcomes[end.outcome, default: 0] += 1
                default: break
                }
            }
        }
        let end = start.addingTimeInterval(hours * 3600)
        try settlePages(until: end)
        let pages = try systems.paging.store.pages()
        var openedIDs: Set<String> = []
        for (supportCase, _) in try store.listCases(at: end) {
            for entry in try store.feed(caseNumber: supportCase.number) where entry.at >= start && entry.joinedEscalation == nil {
                if let id = entry.escalationID { openedIDs.insert(id) }
            }
        }
        var breached = CaseStore.CaseFilter()
        breached.breachedOnly = true
        return Report(
            calls: arrivals.count, outcomes: outcomes, escalations: escalations, escalationsOpened: openedIDs.count,
            escalationsNotPaged: openedIDs.subtracting(pages.map(\.escalation)).count, casesOpened: opened, pages: pages.count,
            pagesUnacknowledged: pages.filter { $0.state != .acknowledged }.count,
            slaBreachedAtEnd: try store.listCases(breached, at: end).count, router: router.report(through: end))
    }
}
