import Foundation
import Testing

/// The real `hotline` executable, as CI runs it.
@Suite struct RotaCommandTests {
    func hotline() throws -> String {
        try #require(hotlineBinary(), "build it first: swift build --product hotline")
    }

    @Test func checkPassesOnTheReferenceRotaAndFailsOnAGap() throws {
        let ok = try run(try hotline(), ["rota", "check", "--days", "400", "--from", "2026-01-01T00:00:00Z"])
        #expect(ok.status == 0, "\(ok.out)\(ok.err)")
        #expect(ok.out.contains("no gaps"))
        #expect(ok.out.contains("Mia Chen"))
        let gap = try run(try hotline(), ["rota", "check", "--rota", "Fixtures/rota/bad/gap.yaml", "--days", "3", "--from", "2026-01-01T00:00:00Z"])
        #expect(gap.status == 1)
        #expect(gap.out.components(separatedBy: "Fixtures/rota/bad/gap.yaml:4:3: error: line 'primary' has nobody on call").count - 1 == 3)
    }

    @Test func whoJSON() throws {
        let result = try run(try hotline(), ["rota", "who", "--at", "2026-12-25T03:00 Australia/Sydney", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let primary = try #require(object["primary"] as? [String: Any])
        let backup = try #require(object["backup"] as? [String: Any])
        #expect(primary["name"] is String)
        #expect(backup["name"] is String)
        #expect(object["at"] as? String == "2026-12-24T16:00:00Z")
    }

    /// Defect 24: the help says what `rota who` prints (every line, gec-duty too), and `pages`
    /// names its database option `<path>` like every other command.
    @Test func helpSaysWhatTheCommandsDo() throws {
        let help = try run(try hotline(), ["rota", "who", "--help"])
        #expect(!help.out.contains("primary and backup"))
        #expect(help.out.contains("every line of the rota"))
        let who = try run(try hotline(), ["rota", "who", "--at", "2026-12-25T03:00 Australia/Sydney"])
        #expect(who.out.contains("gec-duty"))
        let pages = try run(try hotline(), ["pages", "list", "--help"])
        #expect(pages.out.contains("--db <path>"))
    }

    @Test func badRotaFileExitsWithFileLineError() throws {
        let result = try run(try hotline(), ["rota", "who", "--rota", "Fixtures/rota/bad/unknown-zone.yaml"])
        #expect(result.status != 0)
        #expect(result.err.contains("Fixtures/rota/bad/unknown-zone.yaml:7:15: error: unknown time zone 'Europe/Atlantis'"))
    }

    @Test func pagesFromTheCommandLine() throws {
        let db = temporaryDirectory() + "/hotline.sqlite"
        let seed = try run(try hotline(), ["db", "seed", "--db", db, "--at", "2026-06-03T10:00 Europe/London"])
        #expect(seed.status == 0, "\(seed.err)")
        let send = try run(try hotline(), ["pages", "send", "--db", db, "--case", "00345678", "--reason", "P1", "--at", "2026-06-03T11:00 Europe/London"])
        #expect(send.status == 0, "\(send.err)")
        #expect(send.out.contains("PAGE PG-000001"))
        let tick = try run(try hotline(), ["pages", "tick", "--db", db, "--at", "2026-06-03T11:10 Europe/London"])
        #expect(tick.out.contains("PAGE PG-000002") && tick.out.contains("(level 2)"))
        let ack = try run(try hotline(), ["pages", "ack", "PG-000002", "--by", "Grace Kim", "--db", db, "--at", "2026-06-03T11:12 Europe/London"])
        #expect(ack.status == 0, "\(ack.err)")
        let list = try run(try hotline(), ["pages", "list", "--json", "--db", db])
        let pages = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
        #expect(pages.map { $0["state"] as? String } == ["escalated", "acknowledged"])
        #expect(pages.last?["acknowledgedBy"] as? String == "Grace Kim")
        // One id for the escalation: the one on the case's feed.
        let feed = try run(try hotline(), ["cases", "feed", "00345678", "--db", db])
        let escalation = try #require(pages.first?["escalation"] as? String)
        #expect(feed.out.contains("escalation (web) \(escalation)"), "\(feed.out)")
    }

    /// Defect 7: no page for a case that does not exist; exit non-zero, database unchanged.
    @Test(arguments: ["99999999", "; DROP"])
    func pagesSendRefusesACaseThatDoesNotExist(_ number: String) throws {
        let db = temporaryDirectory() + "/hotline.sqlite"
        let seed = try run(try hotline(), ["db", "seed", "--db", db, "--at", "2026-06-03T10:00 Europe/London"])
        #expect(seed.status == 0, "\(seed.err)")
        let send = try run(try hotline(), ["pages", "send", "--db", db, "--case", number, "--at", "2026-06-03T11:00 Europe/London"])
        #expect(send.status != 0)
        #expect(send.err.contains("case"), "\(send.err)")
        #expect(!send.out.contains("PAGE"))
        let list = try run(try hotline(), ["pages", "list", "--db", db])
        #expect(list.out.contains("no pages"))
    }

    @Test func exportAndShow() throws {
        let ics = try run(try hotline(), ["rota", "export", "--ics", "--days", "7", "--from", "2026-10-01T00:00:00Z"])
        #expect(ics.status == 0)
        #expect(ics.out.hasPrefix("BEGIN:VCALENDAR\r\n"))
        let show = try run(try hotline(), ["rota", "show", "--from", "2026-03-08", "--days", "1", "--zone", "America/New_York"])
        #expect(show.out.contains("Sun 2026-03-08"))
        #expect(show.out.contains("10:00–18:00"))
    }
}
