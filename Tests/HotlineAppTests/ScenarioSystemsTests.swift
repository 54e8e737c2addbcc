import Foundation
import HotlineApp
import HotlineCore
import HotlineRuntime
import HotlineStore
import Testing

/// Issue 12 #8: the scenario runner's sample data is seeded at the start of each scenario's month,
/// not at a fixed 2026-12-01 no one was told of.
@Suite struct ScenarioSystemsTests {
    static func instant(_ text: String) throws -> Date { try #require(ISO8601DateFormatter().date(from: text)) }

    @Test func aScenarioInMarchActsOnCasesOpenedBeforeItInMarch() throws {
        let systems = try ScenarioSystems(database: nil)
        let march = try Self.instant("2027-03-10T18:00:00Z")
        let store = CaseStore(database: try LineSystems.openDatabase(path: try systems.template(for: march)))
        let cases = try store.listCases(at: march).map(\.case)
        #expect(!cases.isEmpty)
        let monthStart = try Self.instant("2027-03-01T00:00:00Z")
        #expect(ScenarioSystems.seedTime(for: march) == monthStart)
        // Opened shortly before the seed instant: never after the call, never in another season.
        #expect(cases.allSatisfy { $0.createdAt <= march && $0.createdAt > monthStart.addingTimeInterval(-60 * 86400) })
    }

    @Test func theReferenceMonthKeepsItsTemplateAndAnotherMonthGetsItsOwn() throws {
        let systems = try ScenarioSystems(database: nil)
        let december = try systems.template(for: try Self.instant("2026-12-05T11:00:00Z"))
        #expect(december == systems.template)
        #expect(ScenarioSystems.seedTime(for: try Self.instant("2026-12-31T23:59:59Z")) == ScenarioSystems.seedTime)
        #expect(try systems.template(for: try Self.instant("2027-01-02T00:00:00Z")) != december)
    }
}

/// `database: file` in a scenario: its copy of the template is a real SQLite file (WAL, durable)
/// that another connection reads, removed when the scenario ends; the default copy is in memory.
@Suite struct ScenarioDatabaseTests {
    func scenario(_ database: Scenario.ScenarioDatabase) throws -> Scenario {
        var scenario = Scenario(
            name: "file", file: "file.yaml", callerID: "+1 408 555 0100", at: try ScenarioSystemsTests.instant("2026-12-05T11:00:00Z"), steps: [])
        scenario.database = database
        return scenario
    }

    func databaseFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("scenario-") }.sorted()
    }

    @Test func aFileDatabaseIsARealFileOthersCanReadAndIsRemovedAfterwards() throws {
        let systems = try ScenarioSystems(database: nil)
        let folder = (systems.template as NSString).deletingLastPathComponent
        let prepared = try systems.prepare(for: try scenario(.file))
        let files = try databaseFiles(folder)
        let main = try #require(files.first { $0.hasSuffix(".sqlite") }, "\(files)")
        _ = try prepared.integrations.desk.recordEscalation(
            caseNumber: "00345678", reason: "durability", channel: .phone, by: "Dana Whitfield", at: try ScenarioSystemsTests.instant("2026-12-05T11:00:00Z"))
        // Another connection on the file sees the committed escalation: it is on disk, not in memory.
        let other = CaseStore(database: try HotlineDatabase.openForReading(path: (folder as NSString).appendingPathComponent(main)))
        #expect(try other.supportCase("00345678").status == .escalated)
        #expect(try other.feed(caseNumber: "00345678").last?.body == "durability")
        prepared.cleanup()
        #expect(try databaseFiles(folder).isEmpty)
    }

    @Test func theDefaultDatabaseIsInMemory() throws {
        let systems = try ScenarioSystems(database: nil)
        let folder = (systems.template as NSString).deletingLastPathComponent
        let prepared = try systems.prepare(for: try scenario(.memory))
        _ = try prepared.integrations.desk.recordEscalation(
            caseNumber: "00345678", reason: "in memory", channel: .phone, by: "Dana Whitfield", at: try ScenarioSystemsTests.instant("2026-12-05T11:00:00Z"))
        #expect(try databaseFiles(folder).isEmpty)
        #expect(try CaseStore(database: try HotlineDatabase.openForReading(path: systems.template)).supportCase("00345678").status != .escalated)
        prepared.cleanup()
    }
}
