import Foundation
import GRDB
import HotlineStore
import HotlineTestSupport
import Testing

/// The case and paging defects as a user meets them, through the real `hotline` executable on a
/// seeded database in a temp folder.
@Suite struct CaseAndPagingCommandTests {
    func seeded() throws -> String {
        let db = try Repository.temporaryFolder().appendingPathComponent("hotline.sqlite").path
        let seed = try Repository.run(["db", "seed", "--db", db, "--at", "2026-12-01T00:00:00Z"])
        #expect(seed.status == 0, "\(seed.output)")
        return db
    }

    /// Defect 6: `cases escalate` twice a minute apart, `pages tick` 11 minutes later: the backup
    /// gets one page, and the escalation has one id on the case and in `pages list`.
    @Test func escalatingTwicePagesOnce() throws {
        let db = try seeded()
        let first = try Repository.run(["cases", "escalate", "00345678", "--reason", "down", "--db", db, "--at", "2026-12-02T10:00:00Z"])
        #expect(first.status == 0, "\(first.output)")
        let second = try Repository.run(["cases", "escalate", "00345678", "--reason", "still down", "--db", db, "--at", "2026-12-02T10:01:00Z"])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("joined its open escalation") && !second.output.contains("PAGE"))
        let tick = try Repository.run(["pages", "tick", "--db", db, "--at", "2026-12-02T10:12:00Z"])
        #expect(tick.output.components(separatedBy: "PAGE ").count - 1 == 1, "\(tick.output)")
        let list = try Repository.run(["pages", "list", "--json", "--db", db])
        let pages = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(pages.count == 2)
        let ids = Set(pages.compactMap { $0["escalation"] as? String })
        #expect(ids.count == 1)
        let id = try #require(ids.first)
        #expect(first.output.contains("(\(id), web)"), "\(first.output)")
    }

    /// Defect 8: a write dated before the case existed is refused, and nothing is written.
    @Test func aWriteDatedBeforeTheCaseIsRefused() throws {
        let db = try seeded()
        let before = try Repository.run(["cases", "feed", "00345678", "--db", db])
        let result = try Repository.run(["cases", "escalate", "00345678", "--reason", "r", "--db", db, "--at", "2026-03-08T02:30 America/Los_Angeles"])
        #expect(result.status != 0)
        #expect(result.output.contains("before the case was opened") && result.output.contains("fix:"), "\(result.output)")
        #expect(try Repository.run(["cases", "feed", "00345678", "--db", db]).output == before.output)
        let check = try Repository.run(["db", "check", "--db", db])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("every feed is in time order"))
    }

    /// Defect 5: `db check` names an account whose SME is not an agent of the routing data.
    @Test func dbCheckReportsAnSMEThatCannotBeRouted() throws {
        let db = try seeded()
        let good = try Repository.run(["db", "check", "--db", db])
        #expect(good.status == 0 && good.output.contains("every account's SME is an agent"), "\(good.output)")
        let bad = try Repository.run(["db", "check", "--db", db, "--agents", "Fixtures/routing/agents-nobody-staffed.yaml"])
        #expect(bad.status == 1)  // the check ran and found a problem (see Exit)
        #expect(bad.output.contains("account 100004 (Umbrella Health Trust) names SME 'Tomasz Kowalczyk', who is not an agent in Fixtures/routing/agents-nobody-staffed.yaml"), "\(bad.output)")
    }
}

/// `pages list` marks the pages simulated callers raised (`serve --simulate-calls-per-hour`) and
/// filters by `--source`.
@Suite struct SimulatedPagesCommandTests {
    @Test func pagesListMarksSimulatedPagesAndFiltersBySource() throws {
        let db = try CaseAndPagingCommandTests().seeded()
        for number in ["00345678", "00500002"] {
            let escalated = try Repository.run(["cases", "escalate", number, "--reason", "down", "--db", db, "--at", "2026-12-02T10:00:00Z"])
            #expect(escalated.status == 0, "\(escalated.output)")
        }
        // As a simulated caller's escalation would be stored.
        let database = try HotlineDatabase.open(path: db)
        try database.writer.write { db in
            try db.execute(sql: "UPDATE oncall_escalation SET simulated = 1 WHERE case_number = '00345678'")
        }
        let list = try Repository.run(["pages", "list", "--db", db])
        let rows = list.output.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.contains("00345678") && $0.hasSuffix("[simulated]") }, "\(list.output)")
        #expect(rows.contains { $0.contains("00500002") && !$0.contains("[simulated]") }, "\(list.output)")
        #expect(list.output.contains("[simulated]: raised by a simulated caller"))
        let real = try Repository.run(["pages", "list", "--source", "real", "--json", "--db", db])
        let pages = try #require(try JSONSerialization.jsonObject(with: Data(real.output.utf8)) as? [[String: Any]])
        #expect(pages.map { $0["case_number"] as? String } == ["00500002"] && pages.map { $0["source"] as? String } == ["real"])
        let simulated = try Repository.run(["pages", "list", "--source", "simulated", "--db", db])
        #expect(simulated.output.contains("00345678") && !simulated.output.contains("00500002"), "\(simulated.output)")
        let bad = try Repository.run(["pages", "list", "--source", "fake", "--db", db])
        #expect(bad.status != 0 && bad.output.contains("--source must be simulated or real (got 'fake')") && bad.output.contains("fix:"), "\(bad.output)")
    }
}
