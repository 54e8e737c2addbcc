import Foundation
import HotlineTestSupport
import Testing

/// `hotline test` as CI runs it: real scenario files, the real store, pager and router.
@Suite struct ScenarioCommandTests {
    @Test func theReferenceScenariosPassWithFullCoverageAndAJUnitReport() throws {
        let folder = try Repository.temporaryFolder()
        let junit = folder.appendingPathComponent("report.xml").path
        let (status, output) = try Repository.run(["test", "Fixtures/scenarios", "--coverage", "--junit", junit, "--jobs", "2"])
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n")
        let summary = try #require(lines.last)
        let passed = Int(summary.split(separator: " ").first ?? "") ?? 0
        #expect(passed >= 20)
        #expect(summary == "\(passed) passed, 0 failed")
        #expect(output.contains("41/41 nodes, 23/23 menu options"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"\(passed)\" failures=\"0\""))
        #expect(xml.components(separatedBy: "<testcase ").count == passed + 1)
    }

    @Test func aWrongExpectationFailsWithItsLineAndTheTranscript() throws {
        let folder = try Repository.temporaryFolder()
        let scenario = folder.appendingPathComponent("wrong.yaml").path
        try """
            name: Option 2 does not reach Customer Care
            caller: "+1 212 555 0199"
            at: 2026-12-02T10:00:00-05:00
            steps:
              - press: "2"
              - expect: cc.menu
            """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let (status, output) = try Repository.run(["test", scenario])
        #expect(status == 1)
        #expect(output.contains("FAIL  Option 2 does not reach Customer Care"))
        #expect(output.contains("wrong.yaml:6:5: expect prompt cc.menu: not heard"))
        #expect(output.contains("press   2"))
        #expect(output.contains("ts.enter-case"))
        #expect(output.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test func aScenarioWithMistakesIsReportedLikeAFlow() throws {
        let folder = try Repository.temporaryFolder()
        let scenario = folder.appendingPathComponent("bad.yaml").path
        try "caller: x\nat: 2026-12-02T10:00:00Z\nsteps:\n  - press: \"1x\"\n".write(toFile: scenario, atomically: true, encoding: .utf8)
        let (status, output) = try Repository.run(["test", scenario])
        #expect(status == 1)
        #expect(output.contains("bad.yaml:4:12: error: 'x' is not a key on a phone keypad"))
        #expect(output.hasSuffix("0 passed, 1 failed\n"))
        let missing = try Repository.run(["test", folder.appendingPathComponent("nowhere").path])
        #expect(missing.status == 2)
        #expect(missing.output.contains("no such file or folder"))
    }
}

/// `make demo`'s command, without waiting.
@Suite struct DemoCommandTests {
    @Test func theDemoEscalatesThePagedManagerAcknowledgesAndARerunWorks() throws {
        let folder = try Repository.temporaryFolder()
        let database = folder.appendingPathComponent("demo.sqlite").path
        let at = "2026-12-05T03:00 America/Los_Angeles"
        let first = try Repository.run(["demo", "--db", database, "--at", at, "--audio", "off"], environment: ["DEMO_FAST": "1"])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("Created \(database)"))
        #expect(first.output.contains("record_escalation → recorded"))
        // The page call dials the paged manager's number from the rota (it was +1 415 555 0199 for anyone).
        #expect(first.output.contains("A minute later the page calls Oliver Hughes (+44 20 7946 0101):"), "\(first.output)")
        #expect(first.output.contains("call    answered at +44 20 7946 0101"), "\(first.output)")
        #expect(!first.output.contains("0199"))
        #expect(first.output.contains("acknowledge_page → acknowledged"))
        #expect(first.output.contains("PG-000001 acknowledged by Oliver Hughes"))
        #expect(first.output.contains("escalation (phone)"))
        // What the demo left in the database is what the Case Center commands show.
        let feed = try Repository.run(["cases", "feed", "00345678", "--db", database])
        #expect(feed.output.contains("escalation (phone)"))
        let pages = try Repository.run(["pages", "list", "--db", database, "--json"])
        #expect(pages.output.contains("\"acknowledged\""))
        #expect(!pages.output.contains("\"sent\""), "the acknowledged page must not climb")
        let second = try Repository.run(["demo", "--db", database, "--at", at, "--fast", "--audio", "off"])
        #expect(second.status == 0, "\(second.output)")
        #expect(!second.output.contains("Created"))
    }

    /// Whoever is paged is the one dialled: in the evening in New York the primary is Sofia Martinez
    /// or James Carter, each with a number of their own.
    @Test func thePageCallDialsTheNumberOfTheManagerPaged() throws {
        let folder = try Repository.temporaryFolder()
        let database = folder.appendingPathComponent("demo.sqlite").path
        let result = try Repository.run(["demo", "--db", database, "--at", "2026-12-07T12:00 America/New_York", "--fast", "--audio", "off"])
        #expect(result.status == 0, "\(result.output)")
        let phones = ["Sofia Martinez": "+1 646 555 0191", "James Carter": "+1 646 555 0192"]
        let paged = phones.keys.filter { result.output.contains("PG-000001 acknowledged by \($0)") }
        #expect(paged.count == 1, "\(result.output)")
        if let person = paged.first, let phone = phones[person] {
            #expect(result.output.contains("A minute later the page calls \(person) (\(phone)):"), "\(result.output)")
            #expect(result.output.contains("answered at \(phone)"))
        }
    }

    @Test func withoutASoundCardAlsaModeFailsBeforeWritingAnything() throws {
        let folder = try Repository.temporaryFolder()
        let database = folder.appendingPathComponent("never.sqlite").path
        let result = try Repository.run(["demo", "--db", database, "--audio", "alsa", "--device", "no-such-device"])
        #expect(result.status == 2)  // could not be done: the device is wrong
        #expect(result.output.contains("no-such-device"))
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
