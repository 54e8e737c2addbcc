import Foundation
import HotlineApp
import HotlineCore
import HotlineRuntime
import HotlineStore
import Testing

/// `hotline test` keeps one in-memory database per worker and gives it the template's content
/// again before each scenario (issue 16): what one scenario writes is never seen by the next,
/// whatever the order and however many workers.
@Suite struct KeptCopyTests {
    static let at = Date(timeIntervalSince1970: 1_796_468_400)  // 2026-12-05T11:00:00Z

    static func scenario() -> Scenario {
        Scenario(name: "kept", file: "kept.yaml", callerID: "+1 408 555 0100", at: at, steps: [])
    }

    /// What a scenario sees, then writes: the case's status, its feed, the escalation and page it
    /// makes (their ids are rowids), and the pages the store then holds.
    static func observeThenWrite(_ prepared: PreparedEnvironment) throws -> [String] {
        let status = try prepared.facts.check(.caseStatus(caseNumber: "00345678", status: "escalated"))
        let feed = try prepared.facts.check(.caseFeed(caseNumber: "00345678", kind: "escalation", channel: nil))
        let receipt = try prepared.integrations.desk.recordEscalation(caseNumber: "00345678", reason: "kept", channel: .phone, by: "Dana Whitfield", at: at)
        let page = try prepared.integrations.pager.pageOnCall(caseNumber: "00345678", reason: "kept", at: at)
        let pages = try prepared.facts.check(.pageSent(to: nil, caseNumber: "00345678", level: nil))
        return [status.observed, feed.observed, receipt.escalationID, page.map { "\($0)" } ?? "no page", pages.observed]
    }

    @Test func aScenarioNeverSeesWhatTheOneBeforeWroteOnTheSameConnection() throws {
        let systems = try ScenarioSystems(database: nil)
        let first = try systems.prepare(for: Self.scenario())
        let seenByFirst = try Self.observeThenWrite(first)
        first.cleanup()
        #expect(systems.keptCopies == 1)
        let second = try systems.prepare(for: Self.scenario())
        // The second took the kept copy (none is left idle) and saw the template, not the first's writes.
        #expect(systems.keptCopies == 0)
        let seenBySecond = try Self.observeThenWrite(second)
        second.cleanup()
        #expect(seenBySecond == seenByFirst)
        #expect(seenByFirst[0] == "case 00345678 has status open")
        #expect(systems.keptCopies == 1)
    }

    @Test func resultsDoNotDependOnTheOrderOrTheNumberOfJobs() throws {
        let files = try ScenarioFile.files(in: [Repository.root.appendingPathComponent("Fixtures/scenarios/gsc").path])
        let scenarios = try files.map { try ScenarioFile.load(path: $0) }
        func run(_ list: [Scenario], jobs: Int) throws -> [String: String] {
            let runner = ScenarioRunner(
                defaultFlow: Repository.root.appendingPathComponent("Fixtures/flows/gsc.yaml").path, environment: try ScenarioSystems(database: nil))
            var outcome: [String: String] = [:]
            for result in runner.run(list, jobs: jobs) {
                outcome[result.scenario.file] = "\(result.failure.map(\.description) ?? "passed") \(result.trail) \(result.transcript)"
            }
            return outcome
        }
        let inOrder = try run(scenarios, jobs: 1)
        #expect(inOrder.count == scenarios.count)
        #expect(inOrder.values.filter { $0.hasPrefix("passed ") }.count == scenarios.count)
        #expect(try run(scenarios.reversed(), jobs: 1) == inOrder)
        #expect(try run(scenarios.shuffled(), jobs: 2) == inOrder)
    }
}
