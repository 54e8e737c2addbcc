import Foundation
import HotlineCore
import HotlineRota
import HotlineRouter
import HotlineStore

/// The real systems behind the reference line, opened on one SQLite file: the case store, the
/// paging outbox on the Escalation Managers' rota, and the router. What `hotline call`,
/// `hotline test` and `hotline demo` run on.
public struct LineSystems: Sendable {
    public let database: HotlineDatabase
    public let store: CaseStore
    public let paging: PagingService
    public let router: any CallRouter

    /// Every table of the database file (cases and pages), migrated in one migrator. `.scratch`
    /// only for throwaway copies (see ``HotlineDatabase/Durability``).
    public static func openDatabase(path: String, durability: HotlineDatabase.Durability = .durable) throws -> HotlineDatabase {
        try HotlineDatabase.open(path: path, durability: durability)
    }

    public init(database: HotlineDatabase, policy: EscalationPolicy, router: any CallRouter, delivery: any PageDelivery) {
        self.database = database
        self.store = CaseStore(database: database)
        self.paging = PagingService(policy: policy, store: PageStore(writer: database.writer), delivery: delivery)
        self.router = router
    }

    public var integrations: Integrations {
        Integrations(directory: store, desk: store, pager: RotaPager(service: paging), router: router)
    }

    /// Answers scenario facts from the case store and the page store.
    public var facts: any FactChecker {
        SystemFacts(cases: CaseFactChecker(store: store), pages: PageFactChecker(store: paging.store))
    }
}

/// How to open a line's systems: the one place that opens the database (seeding the sample data
/// when it is new or empty), loads the escalation policy and the routing, and makes the router and
/// the pager. `hotline call`, `hotline demo`, `hotline test`, `simulate --line` and the benchmarks
/// all open their line here.
public struct LineWiring: Sendable {
    /// When the database holds no accounts: seed the sample data dated at this instant, or leave it.
    public enum Seeding: Sendable {
        /// Leave the database as it is.
        case never
        /// Seed when the file is new or has no accounts, with the data dated at this instant.
        case whenEmpty(at: Date)
    }

    /// The escalation policy: a file (with the rota it names, or `rota` instead), or one loaded already.
    public enum PolicySource: Sendable {
        case file(String, rota: String? = nil)
        case loaded(EscalationPolicy)
    }

    /// Agents and queues: files, or a configuration loaded already.
    public enum RoutingSource: Sendable {
        case files(agents: String, queues: String)
        case loaded(RoutingConfig)

        /// The reference agents and queues under `Defaults.routing`.
        public static var reference: RoutingSource {
            .files(agents: (Defaults.routing as NSString).appendingPathComponent("agents.yaml"), queues: (Defaults.routing as NSString).appendingPathComponent("queues.yaml"))
        }
    }

    public var database: String
    /// `.scratch` only for throwaway copies (see ``HotlineDatabase/Durability``).
    public var durability: HotlineDatabase.Durability = .durable
    /// When set, the line runs on a fresh in-memory copy of this image instead of the file at
    /// `database` (a scenario's throwaway database; `database` then only names it in messages).
    public var memoryCopy: HotlineDatabase.MemoryImage?
    /// When set, the line runs on this database as it is (a scenario's kept in-memory copy, given
    /// the template's content again); `database` then only names it in messages.
    public var openDatabase: HotlineDatabase?
    public var seeding: Seeding
    /// Tables of other parts kept in the same file (the web's users and sessions), migrated with the store's.
    public var extraMigrations: [HotlineDatabase.MigrationRegistration] = []
    public var sampleData = Defaults.sampleData
    public var sla = Defaults.sla
    public var policy: PolicySource = .file(Defaults.policy)
    public var routing: RoutingSource = .reference
    /// The router's random seed, the instant its simulated day starts, and the hours it reports over.
    public var routerSeed: UInt64 = 1
    public var routerStart: Date
    public var routerHours: Double = 24
    /// Where pages go as they are sent (none: they stay in the outbox).
    public var delivery: any PageDelivery = FanOutDelivery([])

    /// - Parameters:
    ///   - start: when the line's day starts: the router's clock, and the seed's date when `seeding` is not given.
    public init(database: String, start: Date, seeding: Seeding? = nil) {
        self.database = database
        self.routerStart = start
        self.seeding = seeding ?? .whenEmpty(at: start)
    }

    /// The opened line, and what was done to the database on the way.
    public struct Opened: Sendable {
        public var systems: LineSystems
        /// The router, for its report (`simulate --line`).
        public var router: SimulatedCallRouter
        /// The sample data seeded now (`nil` when the database had accounts already).
        public var seeded: SeedSummary?
        /// Whether the database file existed before it was opened.
        public var existed: Bool
        /// The agents and queues the router routes on, and the agents file they came from.
        public var routing: RoutingConfig
        public var agentsFile: String?

        /// What a phone says about the database when it seeded it now (`nil` when it did not):
        /// `database: FILE created; seeded with the sample data (…)`.
        public func seedingNotice(database: String) -> String? {
            seeded.map { summary in
                "database: \(database) \(existed ? "was empty" : "created"); seeded with the sample data "
                    + "(\(summary.accounts) accounts, \(summary.contacts) contacts, \(summary.cases) cases)"
            }
        }

        /// The accounts whose designated SME no agent of the routing data is (their callers would
        /// never reach the SME): what `call` and `demo` warn about before the call. Asked for, not
        /// computed at every open, so a scenario's open stays cheap.
        public func unroutableSMEs() throws -> [UnroutableSME] {
            try StoreAccountProfiles(store: systems.store, routing: routing).unroutableSMEs(agentsFile: agentsFile ?? "the routing data")
        }
    }

    /// Opens the database (creating it when missing), seeds it as `seeding` says, and wires the
    /// pager and the router onto it. Every input file (the policy and its rota, the routing, and the
    /// sample data when the database is to be created) is read first: a file that does not load
    /// fails the open before the database is touched, so no new database file is left behind.
    public func open() throws -> Opened {
        let existed = openDatabase != nil || memoryCopy != nil || FileManager.default.fileExists(atPath: database)
        let policy: EscalationPolicy
        switch self.policy {
        case .file(let path, let rota): policy = try EscalationPolicy.load(path: path, rota: try rota.map { try Rota.load(path: $0) })
        case .loaded(let loaded): policy = loaded
        }
        let routing: RoutingConfig
        switch self.routing {
        case .files(let agents, let queues): routing = try RoutingFile.load(agents: agents, queues: queues)
        case .loaded(let loaded): routing = loaded
        }
        // A database still to be created is seeded: its sample data is read before the file is made.
        // (An existing one is seeded only when it has no accounts, which opening it tells.)
        var sample: (data: SampleData, sla: SLATable)?
        if case .whenEmpty = seeding, !existed {
            sample = (try SampleData.load(folder: sampleData), try SLATable.load(path: sla))
        }
        let opened = try openDatabase ?? memoryCopy.map { image in try HotlineDatabase.open(copyOf: image) }
            ?? HotlineDatabase.open(path: database, extraMigrations: extraMigrations, durability: durability)
        let store = CaseStore(database: opened)
        var seeded: SeedSummary?
        switch seeding {
        case .never:
            break
        case .whenEmpty(let at):
            if try !existed || store.accounts().isEmpty {
                let (data, sla) = try sample ?? (try SampleData.load(folder: sampleData), try SLATable.load(path: self.sla))
                seeded = try store.seed(data, sla: sla, at: at, reset: false)
            }
        }
        let router = SimulatedCallRouter(
            config: routing, seed: routerSeed, start: routerStart, accounts: StoreAccountProfiles(store: store, routing: routing), hours: routerHours)
        let agentsFile: String?
        switch self.routing {
        case .files(let agents, _): agentsFile = agents
        case .loaded: agentsFile = nil
        }
        return Opened(
            systems: LineSystems(database: opened, policy: policy, router: router, delivery: delivery), router: router, seeded: seeded,
            existed: existed, routing: routing, agentsFile: agentsFile)
    }
}

/// Facts about cases from the case store, facts about pages from the page store.
struct SystemFacts: FactChecker {
    let cases: CaseFactChecker
    let pages: PageFactChecker

    func check(_ fact: Fact) throws -> (holds: Bool, observed: String) {
        if let answer = try pages.answer(fact) { return answer }
        return try cases.check(fact)
    }
}
