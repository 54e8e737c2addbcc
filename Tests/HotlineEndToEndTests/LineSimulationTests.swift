import Foundation
import HotlineTestSupport
import Testing

/// `hotline simulate --line`: generated calls through the IVR, store, pager and router.
@Suite struct LineSimulationTests {
    @Test func theSameSeedGivesTheSameDayAndCallsReachTheQueuesAndThePager() throws {
        let arguments = ["simulate", "--line", "--calls-per-hour", "60", "--hours", "2", "--seed", "5", "--at", "2026-12-07T08:00 America/Los_Angeles", "--json"]
        let first = try Repository.run(arguments)
        let second = try Repository.run(arguments)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output == second.output)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
        let calls = try #require(report["calls"] as? Int)
        #expect(calls > 60 && calls < 200)
        let outcomes = try #require(report["outcomes"] as? [String: Int])
        #expect(outcomes.values.reduce(0, +) == calls, "every generated call ends")
        #expect((report["escalations"] as? Int ?? 0) > 0)
        // A second escalation on a case whose escalation is open joins it: no new page chain.
        let opened = try #require(report["escalations_opened"] as? Int)
        #expect(opened > 0 && opened <= (report["escalations"] as? Int ?? 0))
        #expect(report["escalations_not_paged"] as? Int == 0, "every escalation opened pages someone")
        #expect((report["pages"] as? Int ?? 0) >= opened)
        let router = try #require(report["router"] as? [String: Any])
        let total = try #require(router["total"] as? [String: Any])
        #expect((total["offered"] as? Int ?? 0) > 0)
        let other = try Repository.run(arguments.map { $0 == "5" ? "6" : $0 })
        #expect(other.output != first.output)
    }
}
