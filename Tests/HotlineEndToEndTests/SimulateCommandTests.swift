import Foundation
import HotlineTestSupport
import Testing

/// The real `hotline` executable, run as a process.
@Suite struct SimulateCommandTests {
    func run(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(try hotline(), arguments)
    }

    @Test func simulateSingleQueuePrintsTheKeysAsJSON() throws {
        let result = try run(["simulate", "--queue", "gsc", "--agents", "10", "--arrivals-per-hour", "100", "--mean-handle-time", "300", "--hours", "8", "--seed", "3", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        for key in ["offered", "answered", "asa_seconds", "service_level", "occupancy"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect((json["offered"] as? Int ?? 0) > 600)
        let again = try run(["simulate", "--queue", "gsc", "--agents", "10", "--arrivals-per-hour", "100", "--mean-handle-time", "300", "--hours", "8", "--seed", "3", "--json"])
        #expect(again.output == result.output)
    }

    @Test func simulatePlanAndQueuesRun() throws {
        let plan = try run(["simulate", "--plan", Repository.path("Fixtures/routing/plan.yaml"), "--json"])
        #expect(plan.status == 0, "\(plan.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(plan.output.utf8)) as? [String: Any])
        let queues = try #require(report["queues"] as? [[String: Any]])
        #expect(queues.map { $0["queue"] as? String ?? "" }.contains("gsc"))
        #expect(queues.allSatisfy { $0["sla_breaches"] != nil && $0["pages"] != nil && $0["abandoned"] != nil })

        let snapshot = try run(["queues", "--plan", Repository.path("Fixtures/routing/plan.yaml"), "--after", "3600"])
        #expect(snapshot.status == 0, "\(snapshot.error)")
        #expect(snapshot.output.contains("customer-care"))
        #expect(snapshot.output.contains("ava.morgan"))
    }
}

