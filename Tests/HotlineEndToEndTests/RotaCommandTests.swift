import Foundation
import HotlineTestSupport
import Testing

/// The real `hotline` executable, as CI runs it.
@Suite struct RotaCommandTests {
    func hotline() throws -> String {
        try #require(Built.hotline, "build it first: swift build --product hotline")
    }

    @Test func checkPassesOnTheReferenceRotaAndFailsOnAGap() throws {
        let ok = try runProcess(try hotline(), ["rota", "check", "--days", "400", "--from", "2026-01-01T00:00:00Z"])
        #expect(ok.status == 0, "\(ok.output)\(ok.error)")
        #expect(ok.output.contains("no gaps"))
        #expect(ok.output.contains("Mia Chen"))
        let gap = try runProcess(try hotline(), ["rota", "check", "--rota", "Fixtures/rota/bad/gap.yaml", "--days", "3", "--from", "2026-01-01T00:00:00Z"])
        #expect(gap.status == 1)
        #expect(gap.output.components(separatedBy: "Fixtures/rota/bad/gap.yaml:4:3: error: line 'primary' has nobody on call").count - 1 == 3)
    }

    /// `rota show` checked its options in `run`, so a wrong one showed the root's usage
    /// ("Usage: hotline <subcommand>") instead of its own, and only after loading the rota.
    @Test(arguments: [["--days", "0"], ["--zone", "Nowhere/X"], ["--from", "2026-13-01"]])
    func showNamesItsOwnUsageForAWrongOption(option: [String]) throws {
        let result = try runProcess(try hotline(), ["rota", "show", "--rota", "no-such-rota.yaml"] + option)
        #expect(result.status == 64)
        #expect(result.error.contains("Usage: hotline rota show"), "\(result.error)")
        #expect(result.error.contains(option[0]), "\(result.error)")
        #expect(!result.error.contains("no-such-rota.yaml"), "the options are checked before the rota is read")
    }

    @Test func whoJSON() throws {
        let result = try runProcess(try hotline(), ["rota", "who", "--at", "2026-12-25T03:00 Australia/Sydney", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let primary = try #require(object["primary"] as? [String: Any])
        let backup = try #require(object["backup"] as? [String: Any])
        #expect(primary["name"] is String)
        #expect(backup["name"] is String)
        #expect(object["at"] as? String == "2026-12-24T16:00:00Z")
    }

    /// Defect 24: the help says what `rota who` prints (every line, gec-duty too), and `pages`
    /// names its database option `<path>` like every other command.
    @Test func helpSaysWhatTheCommandsDo() throws {
        let help = try runProcess(try hotline(), ["rota", "who", "--help"])
        #expect(!help.output.contains("primary and backup"))
        #expect(help.output.contains("every line of the rota"))
        let who = try runProcess(try hotline(), ["rota", "who", "--at", "2026-12-25T03:00 Australia/Sydney"])
        #expect(who.output.contains("gec-duty"))
        let pages = try runProcess(try hotline(), ["pages", "list", "--help"])
        #expect(pages.output.contains("--db <path>"))
    }

    @Test func badRotaFileExitsWithFileLineError() throws {
        let result = try runProcess(try hotline(), ["rota", "who", "--rota", "Fixtures/rota/bad/unknown-zone.yaml"])
        #expect(result.status != 0)
        #expect(result.error.contains("Fixtures/rota/bad/unknown-zone.yaml:7:15: error: unknown time zone 'Europe/Atlantis'"))
    }

    @Test func pagesFromTheCommandLine() throws {
        let db = try Built.temporaryFolder() + "/hotline.sqlite"
        let seed = try runProcess(try hotline(), ["db", "seed", "--db", db, "--at", "2026-06-03T10:00 Europe/London"])
        #expect(seed.status == 0, "\(seed.error)")
        let send = try runProcess(try hotline(), ["pages", "send", "--db", db, "--case", "00345678", "--reason", "P1", "--at", "2026-06-03T11:00 Europe/London"])
        #expect(send.status == 0, "\(send.error)")
        #expect(send.output.contains("PAGE PG-000001"))
        let tick = try runProcess(try hotline(), ["pages", "tick", "--db", db, "--at", "2026-06-03T11:10 Europe/London"])
        #expect(tick.output.contains("PAGE PG-000002") && tick.output.contains("(level 2)"))
        let ack = try runProcess(try hotline(), ["pages", "ack", "PG-000002", "--by", "Grace Kim", "--db", db, "--at", "2026-06-03T11:12 Europe/London"])
        #expect(ack.status == 0, "\(ack.error)")
        let list = try runProcess(try hotline(), ["pages", "list", "--json", "--db", db])
        let pages = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(pages.map { $0["state"] as? String } == ["escalated", "acknowledged"])
        #expect(pages.last?["acknowledged_by"] as? String == "Grace Kim")
        // One id for the escalation: the one on the case's feed.
        let feed = try runProcess(try hotline(), ["cases", "feed", "00345678", "--db", db])
        let escalation = try #require(pages.first?["escalation"] as? String)
        #expect(feed.output.contains("escalation (web) \(escalation)"), "\(feed.output)")
    }

    /// Defect 7: no page for a case that does not exist; exit non-zero, database unchanged.
    @Test(arguments: ["99999999", "; DROP"])
    func pagesSendRefusesACaseThatDoesNotExist(_ number: String) throws {
        let db = try Built.temporaryFolder() + "/hotline.sqlite"
        let seed = try runProcess(try hotline(), ["db", "seed", "--db", db, "--at", "2026-06-03T10:00 Europe/London"])
        #expect(seed.status == 0, "\(seed.error)")
        let send = try runProcess(try hotline(), ["pages", "send", "--db", db, "--case", number, "--at", "2026-06-03T11:00 Europe/London"])
        #expect(send.status != 0)
        #expect(send.error.contains("case"), "\(send.error)")
        #expect(!send.output.contains("PAGE"))
        let list = try runProcess(try hotline(), ["pages", "list", "--db", db])
        #expect(list.output.contains("no pages"))
    }

    @Test func exportAndShow() throws {
        let ics = try runProcess(try hotline(), ["rota", "export", "--ics", "--days", "7", "--from", "2026-10-01T00:00:00Z"])
        #expect(ics.status == 0)
        #expect(ics.output.hasPrefix("BEGIN:VCALENDAR\r\n"))
        let show = try runProcess(try hotline(), ["rota", "show", "--from", "2026-03-08", "--days", "1", "--zone", "America/New_York"])
        #expect(show.output.contains("Sun 2026-03-08"))
        #expect(show.output.contains("10:00–18:00"))
    }
}
