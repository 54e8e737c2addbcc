import Foundation
import HotlineApp
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
