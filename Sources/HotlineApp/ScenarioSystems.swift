import Foundation
import HotlineCore
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore
import Synchronization

/// What scripted calls run against: the real case store, pager and router — on a fresh copy of a
/// seeded database for every scenario, so scenarios never see each other's escalations or lock
/// each other out, and run in parallel safely. The copy is in memory: the template is read once
/// into a ``HotlineDatabase/MemoryImage`` and each scenario gets its own in-memory copy of it,
/// so nothing a scenario throws away is written to disk. The copies are kept: one that a scenario
/// has finished with is given the template's content again (``HotlineDatabase/MemoryCopy/restore()``)
/// for the next scenario, so each worker keeps one connection, with its schema parsed and its
/// statements compiled, for the whole run.
///
/// The template database is a private copy of `--db PATH` when given (created and seeded when
/// missing; only read, never modified), else a temporary one seeded from `Fixtures/data` **at the start of the scenario's
/// month** (00:00 UTC on the 1st, ``seedTime(for:)``): the sample cases were opened shortly before
/// that instant, so a scenario in March acts on cases opened in March, never on cases from a
/// later December. One template is made per month the scenarios fall in. Rota, policy and routing
/// files are read once per path; a scenario may name its own rota (`rota:`) or agents (`agents:`).
public final class ScenarioSystems: ScenarioEnvironment, Sendable {
    /// The template of the reference scenarios' month (or the copy of `--db PATH`).
    public let template: String
    /// The private copy of `--db PATH`: one template whatever the scenarios' dates.
    private let given: String?
    private let workFolder: String
    private let defaultPolicy: String
    private let queuesFile: String
    private let defaultAgents: String
    private let policies = Mutex<[String: EscalationPolicy]>([:])
    private let routings = Mutex<[String: RoutingConfig]>([:])
    /// Seeded templates by their seed instant.
    private let templates = Mutex<[Date: String]>([:])
    /// Each template read into memory once, by its path.
    private let images = Mutex<[String: HotlineDatabase.MemoryImage]>([:])
    /// In-memory copies no scenario is using, by template path: as many as scenarios ran at once.
    private let idleCopies = Mutex<[String: [HotlineDatabase.MemoryCopy]]>([:])

    /// How many in-memory copies are kept, idle, for the next scenarios.
    public var keptCopies: Int { idleCopies.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// The seed instant of the reference scenarios' month: 2026-12-01T00:00:00Z.
    public static let seedTime = Date(timeIntervalSince1970: 1_796_083_200)

    /// When the sample data is seeded for a scenario at `at`: 00:00 UTC on the 1st of its month.
    public static func seedTime(for at: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: calendar.dateComponents([.year, .month], from: at)) ?? seedTime
    }

    /// `scratch`: where the private work folder (`hotline-test-<uuid>`) is made, removed with the
    /// value or, when a file does not load, before the error is thrown.
    public init(
        database: String?, policy: String = Defaults.policy, routing: String = Defaults.routing,
        scratch: String = NSTemporaryDirectory()
    ) throws {
        let folder = (scratch as NSString).appendingPathComponent("hotline-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        workFolder = folder
        // A throw before every property is set runs no deinit: the folder is removed here.
        do {
            defaultPolicy = policy
            queuesFile = (routing as NSString).appendingPathComponent("queues.yaml")
            defaultAgents = (routing as NSString).appendingPathComponent("agents.yaml")
            // The policy, its rota and the routing before `--db`: a file that does not load stops the
            // run before a missing database is created.
            let loadedPolicy = try EscalationPolicy.load(path: policy)
            let loadedRouting = try RoutingFile.load(agents: defaultAgents, queues: queuesFile)
            if let database {
                // `--db`: only read (a missing one is created and seeded, as by every command) and
                // copied into a private template, so the file is never changed.
                let copy = (folder as NSString).appendingPathComponent("given.sqlite")
                try LineDatabase.openForReading(path: database, seedAt: Self.seedTime, notice: { _ in }).copy(to: copy)
                given = copy
            } else {
                given = nil
            }
            template = given ?? (folder as NSString).appendingPathComponent("template-\(Int(Self.seedTime.timeIntervalSince1970)).sqlite")
            policies.withLock { $0[""] = loadedPolicy }
            routings.withLock { $0[defaultAgents] = loadedRouting }
            // Made now, so a bad policy, rota or routing file stops the run before any scenario.
            try makeTemplate(at: template, seededAt: Self.seedTime)
            if database == nil { templates.withLock { $0[Self.seedTime] = template } }
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: workFolder)
    }

    private func makeTemplate(at path: String, seededAt instant: Date) throws {
        var wiring = LineWiring(database: path, start: instant)
        wiring.policy = .loaded(try policy(rota: nil))
        wiring.routing = .loaded(try routing(agents: nil))
        let opened = try wiring.open()
        // Copies must hold everything: fold the write-ahead log into the main file.
        try opened.systems.database.checkpoint()
    }

    /// The seeded template a scenario at `at` copies: `--db`, or the one seeded at the start of its
    /// month (made on first use).
    public func template(for at: Date) throws -> String {
        if let given { return given }
        let instant = Self.seedTime(for: at)
        return try templates.withLock { templates in
            if let made = templates[instant] { return made }
            let path = (workFolder as NSString).appendingPathComponent("template-\(Int(instant.timeIntervalSince1970)).sqlite")
            try makeTemplate(at: path, seededAt: instant)
            templates[instant] = path
            return path
        }
    }

    /// The template at `path`, read into memory on first use.
    private func image(of path: String) throws -> HotlineDatabase.MemoryImage {
        try images.withLock { images in
            if let known = images[path] { return known }
            let image = try HotlineDatabase.MemoryImage(copying: path)
            images[path] = image
            return image
        }
    }

    /// An in-memory copy of the template holding exactly the template's content: a kept one
    /// restored, or a new one. A copy that cannot be restored is dropped for a new one.
    private func takeCopy(of template: String) throws -> HotlineDatabase.MemoryCopy {
        while let kept = idleCopies.withLock({ $0[template]?.popLast() }) {
            if (try? kept.restore()) != nil { return kept }
        }
        return try HotlineDatabase.MemoryCopy(of: try image(of: template))
    }

    public func prepare(for scenario: Scenario) throws -> PreparedEnvironment {
        let template = try template(for: scenario.at)
        var wiring = LineWiring(database: template, start: scenario.at, seeding: .never)
        var copy: String?
        var memory: HotlineDatabase.MemoryCopy?
        switch scenario.database {
        case .memory:
            // An in-memory copy of the template, given back when the scenario ends.
            let taken = try takeCopy(of: template)
            wiring.openDatabase = taken.database
            memory = taken
        case .file:
            // `database: file`: a file copy of its own, opened as a real line's (WAL, durable).
            let path = (workFolder as NSString).appendingPathComponent("scenario-\(UUID().uuidString).sqlite")
            try FileManager.default.copyItem(atPath: template, toPath: path)
            wiring.database = path
            copy = path
        }
        wiring.policy = .loaded(try policy(rota: scenario.rota))
        wiring.routing = .loaded(try routing(agents: scenario.agents))
        let systems = try wiring.open().systems
        let file = copy
        let kept = memory
        var prepared = PreparedEnvironment(
            integrations: systems.integrations, facts: systems.facts,
            advance: { now in try systems.paging.tick(at: now) },
            cleanup: {
                if let kept { self.idleCopies.withLock { $0[template, default: []].append(kept) } }
                guard let copy = file else { return }
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
            })
        if !scenario.before.isEmpty { prepared.operations = LineOperations(desk: EscalationDesk(systems: systems)) }
        return prepared
    }

    private func policy(rota: String?) throws -> EscalationPolicy {
        let key = rota ?? ""
        if let cached = policies.withLock({ $0[key] }) { return cached }
        let loaded = try EscalationPolicy.load(path: defaultPolicy, rota: try rota.map { try Rota.load(path: $0) })
        policies.withLock { $0[key] = loaded }
        return loaded
    }

    private func routing(agents: String?) throws -> RoutingConfig {
        let key = agents ?? defaultAgents
        if let cached = routings.withLock({ $0[key] }) { return cached }
        let loaded = try RoutingFile.load(agents: key, queues: queuesFile)
        routings.withLock { $0[key] = loaded }
        return loaded
    }
}

/// A scenario's `before:` operations on its line: the library operations the web's routes run
/// (Escalate Now is `EscalationDesk.escalate`, as `POST /cases/{number}/escalate` does).
struct LineOperations: ScenarioOperations {
    let desk: EscalationDesk

    func perform(_ operation: Scenario.Operation.Kind, at now: Date) throws {
        switch operation {
        case .escalate(let caseNumber, let reason, let channel, let by):
            _ = try desk.escalate(caseNumber: caseNumber, reason: reason, channel: channel, by: CaseStore.Author(by, role: .customer), at: now)
        }
    }
}
