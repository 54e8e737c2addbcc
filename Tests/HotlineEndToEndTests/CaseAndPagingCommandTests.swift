import Foundation
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
