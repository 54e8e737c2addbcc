import Foundation
import HotlineApp
import HotlineCore
import HotlineTestSupport
import Testing

/// Every input file is loaded before the database is opened: a run that fails on a file leaves no
/// new database behind (it used to create and seed it, then fail).
@Suite struct InputFilesFirstTests {
    static let at = Date(timeIntervalSince1970: 1_796_468_400)  // 2026-12-05T11:00Z

    static func leavesNoFile(_ path: String) -> Bool {
        ["", "-wal", "-shm"].allSatisfy { !FileManager.default.fileExists(atPath: path + $0) }
    }

    @Test func aMissingAgentsFileLeavesNoDatabase() throws {
        let folder = TemporaryFolder()
        let path = folder.path("new.sqlite")
        var wiring = LineWiring(database: path, start: Self.at)
        wiring.routing = .files(agents: folder.path("MISSING.yaml"), queues: (Defaults.routing as NSString).appendingPathComponent("queues.yaml"))
        #expect(throws: (any Error).self) { try wiring.open() }
        #expect(Self.leavesNoFile(path))
    }

    @Test func aBadPolicyOrSampleDataLeavesNoDatabase() throws {
        let folder = TemporaryFolder()
        let path = folder.path("new.sqlite")
        var wiring = LineWiring(database: path, start: Self.at)
        wiring.policy = .file(folder.path("MISSING-policy.yaml"))
        #expect(throws: (any Error).self) { try wiring.open() }
        #expect(Self.leavesNoFile(path))
        var seeding = LineWiring(database: path, start: Self.at)
        seeding.sampleData = folder.path("no-such-fixtures")
        #expect(throws: (any Error).self) { try seeding.open() }
        #expect(Self.leavesNoFile(path))
    }

    @Test func hotlineTestWithABadPolicyLeavesNoDatabaseAtDb() throws {
        let folder = TemporaryFolder()
        let path = folder.path("given.sqlite")
        #expect(throws: (any Error).self) { try ScenarioSystems(database: path, policy: folder.path("MISSING.yaml")) }
        #expect(Self.leavesNoFile(path))
    }

    /// A policy, rota or routing file that does not load left an empty `hotline-test-<uuid>` work
    /// folder in /tmp on every `hotline test` run that stopped on it (a throwing init runs no deinit).
    @Test func aFileThatDoesNotLoadLeavesNoWorkFolder() throws {
        let folder = TemporaryFolder()
        let scratch = folder.path("scratch")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try ScenarioSystems(database: nil, policy: folder.path("MISSING.yaml"), scratch: scratch) }
        #expect(throws: (any Error).self) { try ScenarioSystems(database: nil, routing: folder.path("no-routing"), scratch: scratch) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == [])
        let systems = try ScenarioSystems(database: nil, scratch: scratch)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).count == 1)
        _ = systems
    }

    @Test func theDemoWithAMissingPageCallScriptLeavesNoDatabase() async throws {
        let folder = TemporaryFolder()
        let path = folder.path("demo.sqlite")
        var demo = EscalationDemo(database: path, at: Self.at, clock: PacedCallClock(startingAt: Self.at))
        demo.fast = true
        demo.pageCallScript = folder.path("MISSING.yaml")
        await #expect(throws: (any Error).self) { try await demo.run(out: { _ in }) }
        #expect(Self.leavesNoFile(path))
    }

    @Test func trainingWithAMissingPersonaLeavesNoSessionsDatabase() throws {
        let folder = TemporaryFolder()
        let sessions = folder.path("sessions.sqlite")
        let personas = try TrainingDefaults.personaFiles(in: TrainingDefaults.personas)
        let request = Training.Request(
            personas: [try #require(personas.first), folder.path("MISSING.yaml")], script: nil, trainee: "Tess", rubric: TrainingDefaults.rubric,
            sessions: sessions, json: true, junit: nil)
        let console = TrainingConsole(readLine: { nil }, write: { _ in }, clock: { Self.at })
        #expect(throws: (any Error).self) { try Training.take(request, console: console, takenAt: { Self.at }, out: { _ in }) }
        #expect(Self.leavesNoFile(sessions))
    }
}
