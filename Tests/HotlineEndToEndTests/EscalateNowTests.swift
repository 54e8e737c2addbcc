import Foundation
import HotlineTestSupport
import Testing

/// The seed's second way to escalate: "Escalate Now" in the Case Center pages whoever is on call.
@Suite struct EscalateNowTests {
    @Test func escalateNowRecordsTheEscalationAndPagesTheManagerOnCallAtThatInstant() throws {
        let folder = try Repository.temporaryFolder()
        let database = folder.appendingPathComponent("web.sqlite").path
        _ = try Repository.run(["db", "seed", "--db", database, "--at", "2026-12-02T10:00 America/Los_Angeles"])
        // 13:05 in New York: the Americas layer is on call.
        let americas = try Repository.run(["cases", "escalate", "00412345", "--reason", "No progress", "--db", database, "--at", "2026-12-02T10:05 America/Los_Angeles"])
        #expect(americas.status == 0, "\(americas.output)")
        #expect(americas.output.contains("PAGE PG-000001 to James Carter (level 1) for case 00412345"))
        // 03:00 on Saturday in California is 11:00 in London: EMEA is on call.
        let emea = try Repository.run(["cases", "escalate", "00345678", "--reason", "Outage", "--json", "--db", database, "--at", "2026-12-05T03:00 America/Los_Angeles"])
        let escalated = try JSONSerialization.jsonObject(with: Data(emea.output.utf8)) as? [String: Any]
        #expect((escalated?["pages"] as? [[String: Any]])?.first?["person"] as? String == "Oliver Hughes", "\(emea.output)")
        let feed = try Repository.run(["cases", "feed", "00412345", "--db", database])
        #expect(feed.output.contains("escalation (web)"))
    }

    @Test func thePagedManagerAcknowledgesOnTheOutboundPageCall() throws {
        let folder = try Repository.temporaryFolder()
        let database = folder.appendingPathComponent("page.sqlite").path
        _ = try Repository.run(["db", "seed", "--db", database, "--at", "2026-12-02T10:00 America/Los_Angeles"])
        _ = try Repository.run(["cases", "escalate", "00412345", "--reason", "No progress", "--db", database, "--at", "2026-12-02T10:05 America/Los_Angeles"])
        let call = try Repository.run(
            [
                "call", "--flow", "Fixtures/flows/page-call.yaml", "--from", "+1 415 555 0199", "--set", "page.id=PG-000001",
                "--set", "page.to=James Carter", "--set", "case.number=00412345", "--db", database,
                "--at", "2026-12-02T10:06 America/Los_Angeles", "--audio", "off", "--pace", "0.02",
            ], input: "1")
        #expect(call.status == 0, "\(call.output)")
        #expect(call.output.contains("escalated case number zero zero four one two three four five"))
        #expect(call.output.contains("acknowledge_page → acknowledged"))
        let pages = try Repository.run(["pages", "list", "--db", database])
        #expect(pages.output.contains("acknowledged  "), "\(pages.output)")
        #expect(pages.output.contains("James Carter at 2026-12-02T18:06"))
        let bad = try Repository.run(["call", "--set", "page.id"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("--set takes NAME=VALUE"))
    }
}
