import Foundation
import HotlineTestSupport
import Testing

/// What a user sees for the defects of issue 12 fixed in the commands: each failed before its fix.
@Suite struct CommandDefectTests {
    /// A database seeded with the sample data in a fresh folder; the caller removes the folder.
    static func seededDatabase() throws -> (folder: String, database: String) {
        let folder = try Built.temporaryFolder()
        let database = folder + "/hotline.sqlite"
        let seed = try runProcess(try hotline(), ["db", "seed", "--db", database, "--at", "2026-12-25T03:00 America/Los_Angeles"])
        #expect(seed.status == 0, "\(seed.combined)")
        return (folder, database)
    }

    /// Defect 3: a time in year 9999 trapped the store (exit 132).
    @Test(arguments: [
        ["cases", "list", "--at", "9999-12-31T23:59:59Z"], ["db", "seed", "--at", "9999-12-31T23:59:59Z"],
        ["simulate", "--line", "--at", "9999-12-31T20:00Z"], ["rota", "who", "--at", "9999-12-31T23:59Z"],
    ])
    func aTimeOutsideTheSupportedRangeIsAUsageError(arguments: [String]) throws {
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runProcess(try hotline(), arguments + (arguments[0] == "simulate" || arguments[0] == "rota" ? [] : ["--db", folder + "/x.sqlite"]))
        #expect(result.status == 64, "\(result.combined)")
        #expect(result.error.contains("is outside the supported times, 1990-01-01T00:00:00Z to 2069-12-31T23:59:59Z"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.sqlite"))
    }

    /// Defect 17: a local time the clocks skip was resolved silently; RFC 3339 forms were refused.
    @Test func aSkippedLocalTimeIsNotedAndRFC3339FormsAreRead() throws {
        let skipped = try runProcess(try hotline(), ["rota", "who", "--at", "2026-03-08T02:30 America/Los_Angeles"])
        #expect(skipped.status == 0, "\(skipped.combined)")
        #expect(skipped.error.contains("note: 02:30 does not exist on 2026-03-08 in America/Los_Angeles (the clocks go forward); using 03:00"))
        #expect(skipped.output.contains("at 2026-03-08T10:00:00Z"))
        let twice = try runProcess(try hotline(), ["rota", "who", "--at", "2026-11-01T01:30 America/Los_Angeles"])
        #expect(twice.error.contains("note: 01:30 happens twice on 2026-11-01 in America/Los_Angeles"))
        let rfc = try runProcess(try hotline(), ["rota", "who", "--at", "2026-12-25t11:00:00.5z"])
        #expect(rfc.status == 0, "\(rfc.combined)")
        #expect(rfc.output.contains("at 2026-12-25T11:00:00Z"))
        #expect(rfc.error.isEmpty)
        let help = try runProcess(try hotline(), ["cases", "list", "--help"])
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("one that happens twice is the first"))
    }

    /// Defect 9: the JSON's Erlang C service level was at 20 s whatever was asked.
    @Test func simulateJSONAgreesWithTheTextAndRefusesWhatItIgnored() throws {
        let arguments = ["simulate", "--queue", "gsc", "--agents", "3", "--arrivals-per-hour", "100", "--mean-handle-time", "300", "--service-level-seconds", "60", "--hours", "1"]
        let json = try runProcess(try hotline(), arguments + ["--json"])
        #expect(json.status == 0, "\(json.combined)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let theory = try #require(object["erlang_c"] as? [String: Any])
        #expect(theory["service_level_seconds"] as? Double == 60)
        #expect(theory["occupancy"] as? Double == 1)
        #expect(theory["asa_seconds"] is NSNull)
        let text = try runProcess(try hotline(), arguments)
        #expect(text.output.contains("occupancy") && text.output.contains("100.0%"))

        let unknown = try runProcess(try hotline(), ["simulate", "--queue", "gcs", "--agents", "3", "--arrivals-per-hour", "10"])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("--queue 'gcs' is not a queue of Fixtures/routing/plan.yaml (fix: did you mean 'gsc'?"))
        let line = try runProcess(try hotline(), ["simulate", "--line", "--queue", "gsc", "--agents", "3"])
        #expect(line.status == 64)
        #expect(line.error.contains("--queue, --agents cannot be used with it"))
        let huge = try runProcess(try hotline(), ["simulate", "--queue", "gsc", "--agents", "100000000", "--arrivals-per-hour", "10"])
        #expect(huge.status == 2)
        #expect(huge.error.contains("more than the 10000 agents"))
        let busy = try runProcess(try hotline(), ["simulate", "--queue", "gsc", "--agents", "3", "--arrivals-per-hour", "1e9"])
        #expect(busy.status == 2)
        #expect(busy.error.contains("more than the 100 million one run allows"))
    }

    /// Defect 15: an unwritable --junit exited 0 after the run; CI lost its report.
    @Test func anUnwritableJUnitReportFailsBeforeRunning() throws {
        let result = try runProcess(try hotline(), ["test", "Fixtures/scenarios/gsc", "--junit", "/nonexistent-hotline/report.xml"])
        #expect(result.status == 2)
        #expect(result.error.contains("--junit: cannot write /nonexistent-hotline/report.xml: the folder /nonexistent-hotline does not exist"))
        #expect(!result.output.contains("PASS"))
    }

    /// Defect 15: `rota export` needed --ics, its only format; -o to a bad path printed an NSError.
    @Test func rotaExportWritesICSByDefaultAndSaysWhyAPathIsBad() throws {
        let plain = try runProcess(try hotline(), ["rota", "export", "--days", "2", "--from", "2026-12-01T00:00Z"])
        #expect(plain.status == 0, "\(plain.combined)")
        #expect(plain.output.hasPrefix("BEGIN:VCALENDAR"))
        let bad = try runProcess(try hotline(), ["rota", "export", "--days", "2", "-o", "/nonexistent-hotline/rota.ics"])
        #expect(bad.status == 2)
        #expect(bad.error == "error: cannot write /nonexistent-hotline/rota.ics: the folder /nonexistent-hotline does not exist (fix: create it, e.g. mkdir -p /nonexistent-hotline, or write elsewhere)\n")
    }

    /// Defect 23: outside the repository `hotline test` suggested a `--fixtures` it does not have.
    @Test func outsideTheRepositoryTheHintNamesRealOptions() throws {
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenarios = Repository.path("Fixtures/scenarios/gsc")
        let result = try runProcess(try hotline(), ["test", scenarios], in: folder)
        #expect(result.status == 2)
        #expect(result.error.contains("hint: `hotline test` reads its defaults from Fixtures/ in the current folder"))
        #expect(result.error.contains("--flow FILE and --db PATH"))
        #expect(!result.error.contains("pass --fixtures"))
    }

    /// Defect 24: `cases status X bogus` offered escalated and closed, which it refuses.
    @Test func caseStatusOffersOnlyWhatItSets() throws {
        let (folder, database) = try Self.seededDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runProcess(try hotline(), ["cases", "status", "00345678", "bogus", "--db", database])
        #expect(result.status == 2)
        #expect(result.error.contains("(fix: use new, open or pending-customer;"))
        #expect(!result.error.contains("use one of: new, open, pending-customer, escalated, closed"))
    }

    /// Defect 24: `db check` had no `--json`.
    @Test func databaseCheckPrintsJSON() throws {
        let (folder, database) = try Self.seededDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runProcess(try hotline(), ["db", "check", "--json", "--db", database])
        #expect(result.status == 0, "\(result.combined)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["integrity_check"] as? [String] == ["ok"])
        #expect(object["feed_mismatches"] as? [String] == [])
        #expect(object["passed"] as? Bool == true)
    }

    /// The one error exit: `error: …` once on stderr, status 2; usage errors 64.
    @Test func errorsEndOneWay() throws {
        let missing = try runProcess(try hotline(), ["flow", "graph", "/nonexistent/flow.yaml"])
        #expect(missing.status == 2)
        #expect(missing.error.hasPrefix("/nonexistent/flow.yaml") || missing.error.hasPrefix("error: "))
        #expect(!missing.error.contains("Error: error:"))
        let usage = try runProcess(try hotline(), ["cases", "list", "--frobnicate"])
        #expect(usage.status == 64)
        let help = try runProcess(try hotline(), ["--help"])
        #expect(help.output.contains("Exit status: 0 done; 1 what ran or was checked failed"))
    }
}
