import Foundation
import HotlineCore
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore

/// What scripted calls run against: the real case store, pager and router — on a fresh copy of a
/// seeded database for every scenario, so scenarios never see each other's escalations or lock
/// each other out, and run in parallel safely.
///
/// The template database is a private copy of `--db PATH` when given (created and seeded when
/// missing; only read, never modified), else a temporary one seeded from `Fixtures/data`. Rota, policy and routing files are
/// read once per path; a scenario may name its own rota (`rota:`) or agents (`agents:`).
public final class ScenarioSystems: ScenarioEnvironment, @unchecked Sendable {
    public let template: String
    private let workFolder: String
    private let defaultPolicy: String
    private let queuesFile: String
    private let defaultAgents: String
    private let lock = NSLock()
    private var policies: [String: EscalationPolicy] = [:]
    private var routings: [String: RoutingConfig] = [:]

    /// The instant the sample data is seeded at, when the template is made here.
    public static let seedTime = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00:00Z

    public init(database: String?, policy: String = Defaults.policy, routing: String = Defaults.routing) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        workFolder = folder
        defaultPolicy = policy
        queuesFile = (routing as NSString).appendingPathComponent("queues.yaml")
        defaultAgents = (routing as NSString).appendingPathComponent("agents.yaml")
        let templatePath = (folder as NSString).appendingPathComponent("template.sqlite")
        template = templatePath
        if let database {
            // `--db`: only read (a missing one is created and seeded, as by every command), and
            // copied into the private template, so the file is never changed.
            try LineDatabase.openForReading(path: database, seedAt: Self.seedTime, notice: { _ in }).copy(to: templatePath)
        }
        let opened = try LineSystems.openDatabase(path: templatePath)
        let store = CaseStore(database: opened)
        if try store.accounts().isEmpty {
            _ = try store.seed(try SampleData.load(folder: Defaults.sampleData), sla: try SLATable.load(path: Defaults.sla), at: Self.seedTime, reset: false)
        }
        // Copies must hold everything: fold the write-ahead log into the main file.
        try opened.checkpoint()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: workFolder)
    }

    public func prepare(for scenario: Scenario) throws -> PreparedEnvironment {
        let copy = (workFolder as NSString).appendingPathComponent("\(UUID().uuidString).sqlite")
        try FileManager.default.copyItem(atPath: template, toPath: copy)
        // The copy is deleted when the scenario ends: no commit of it needs to reach the disk.
        let database = try LineSystems.openDatabase(path: copy, durability: .scratch)
        let policy = try policy(rota: scenario.rota)
        let routing = try routing(agents: scenario.agents)
        let store = CaseStore(database: database)
        let router = SimulatedCallRouter(
            config: routing, seed: 1, start: scenario.at, accounts: StoreAccountProfiles(store: store, routing: routing))
        let systems = LineSystems(database: database, policy: policy, router: router, delivery: FanOutDelivery([]))
        return PreparedEnvironment(
            integrations: systems.integrations, facts: systems.facts,
            advance: { now in try systems.paging.tick(at: now) },
            cleanup: {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
            })
    }

    private func policy(rota: String?) throws -> EscalationPolicy {
        let key = rota ?? ""
        if let cached = lock.withLock({ policies[key] }) { return cached }
        let loaded = try EscalationPolicy.load(path: defaultPolicy, rota: try rota.map { try Rota.load(path: $0) })
        lock.withLock { policies[key] = loaded }
        return loaded
    }

    private func routing(agents: String?) throws -> RoutingConfig {
        let key = agents ?? defaultAgents
        if let cached = lock.withLock({ routings[key] }) { return cached }
        let loaded = try RoutingFile.load(agents: key, queues: queuesFile)
        lock.withLock { routings[key] = loaded }
        return loaded
    }
}
