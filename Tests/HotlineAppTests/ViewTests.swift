import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineRouter
import HotlineStore
import Testing

/// The views and JSON shapes `hotline` prints, reached without spawning the process.
@Suite struct CaseViewTests {
    static let seedTime = Date(timeIntervalSince1970: 1_798_196_400)  // 2026-12-25T11:00:00Z

    /// A store seeded with the repository's sample data in a temp folder.
    static func seeded() throws -> (CaseStore, URL) {
        let folder = try Repository.temporaryFolder()
        let store = try CaseStore.open(path: folder.appendingPathComponent("views.sqlite").path)
        let root = Repository.root
        _ = try store.seed(
            try SampleData.load(folder: root.appendingPathComponent("Fixtures/data").path),
            sla: try SLATable.load(path: root.appendingPathComponent("Fixtures/sla.yaml").path), at: seedTime, reset: false)
        return (store, folder)
    }

    static func object(_ json: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(json.utf8)) }

    @Test func theCaseListShowsEveryCaseWithItsSLAAndACount() throws {
        let (store, folder) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows = try store.listCases(at: Self.seedTime)
        let lines = CaseViews.list(rows, at: Self.seedTime)
        #expect(lines.first == "CASE      PRI LVL STATUS            ACCOUNT                    SLA")
        #expect(lines.last == "\(rows.count) cases at 2026-12-25T11:00:00Z")
        #expect(lines.count == rows.count * 2 + 2)
        #expect(lines.contains { $0.hasPrefix("00345678  ") })
        #expect(CaseViews.list([], at: Self.seedTime) == ["No cases match."])
    }

    @Test func theListJSONKeepsItsKeysAndSnakeCase() throws {
        let (store, folder) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows = try store.listCases(at: Self.seedTime)
        let json = try JSONOutput.text(rows.map { JSONShapes.Case($0.case, sla: $0.sla) })
        let items = try #require(try Self.object(json) as? [[String: Any]])
        #expect(items.count == rows.count)
        let keys = Set(try #require(items.first).keys)
        #expect(
            keys.isSuperset(of: [
                "number", "account_id", "account_name", "tier", "priority", "status", "level", "skill", "summary", "created_at", "response_due_at", "sla",
            ]))
        #expect(json.contains("\"created_at\" : \"20"))
    }

    @Test func slaLinesSayTheStateAndTheTime() throws {
        let (store, folder) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = try store.listCases(at: Self.seedTime).map { CaseViews.slaLine($0.sla) }
        #expect(lines.allSatisfy { $0.hasPrefix("running") || $0.hasPrefix("WARNING") || $0.hasPrefix("BREACHED") || $0.hasPrefix("met") })
        #expect(lines.contains { $0.hasPrefix("WARNING, ") && $0.contains("% used, due in ") })
    }

    @Test func theDetailShowsUTCAndTheAccountsLocalTime() throws {
        let (store, folder) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = CaseViews.detail(try store.detail(caseNumber: "00345678", at: Self.seedTime))
        #expect(lines[0].hasPrefix("Case 00345678: "))
        let opened = try #require(lines.first { $0.hasPrefix("  Opened       ") })
        #expect(opened.contains("Z  (20"))
        #expect(lines.last?.hasSuffix("(hotline cases feed 00345678)") == true)
    }

    @Test func callRecordsPrintAndEncodeAsBefore() throws {
        let start = Self.seedTime
        let record = CallRecord(
            callerID: "+14085550100", dialled: "+18447517629", startedAt: start, endedAt: start.addingTimeInterval(92), path: ["welcome", "menu"],
            outcome: "transferred", queue: "gsc", agent: "ava.morgan", waitedSeconds: 12)
        #expect(
            CaseViews.calls([record]) == [
                "2026-12-25T11:00:00Z  +14085550100  92s  transferred  queue gsc, agent ava.morgan", "    welcome → menu",
            ])
        #expect(CaseViews.calls([]) == ["No calls recorded."])
        let object = try #require(try Self.object(try JSONOutput.text([record])) as? [[String: Any]])
        #expect(
            Set(object[0].keys) == ["caller_id", "dialled", "started_at", "answered_at", "ended_at", "path", "outcome", "queue", "agent", "waited_seconds"])
        #expect(object[0]["started_at"] as? String == "2026-12-25T11:00:00Z")
        #expect(object[0]["answered_at"] as? String == "2026-12-25T11:00:00Z")
        // A SIP call redirected before the answer: said so, and no answer time in the JSON.
        let redirected = CallRecord(
            callerID: "+14085550100", dialled: "+18447517629", startedAt: start, answeredAt: nil, endedAt: start, path: ["identify", "route", "vip"],
            outcome: "redirected", sipCallID: "moved-1")
        #expect(CaseViews.calls([redirected]).first == "2026-12-25T11:00:00Z  +14085550100  0s  redirected  never answered")
        let unanswered = try #require(try Self.object(try JSONOutput.text([redirected])) as? [[String: Any]])
        #expect(unanswered[0]["answered_at"] == nil && unanswered[0]["outcome"] as? String == "redirected")
    }

    @Test func anUnknownCallerIsSaidAndEncoded() throws {
        let lookup = CallerLookup(e164: "+15550100", identity: nil)
        #expect(CaseViews.identify(lookup) == "+15550100: unknown caller")
        let object = try #require(try Self.object(try JSONOutput.text(lookup)) as? [String: Any])
        #expect(object["known"] as? Bool == false)
        #expect(object["open_cases"] as? [String] == [])
        let known = CallerLookup(e164: "+1", identity: CallerIdentity(contactName: "Dana", accountID: "100002", accountName: "Acme", tier: "gold", openCases: []))
        #expect(CaseViews.identify(known) == "+1: Dana, account 100002 Acme (gold); open cases: none")
    }

    /// Defect 24: `db check` had no `--json`.
    @Test func theDatabaseCheckReportsInTextAndJSON() throws {
        let sound = CaseViews.CheckReport(database: "x.sqlite", integrityCheck: ["ok"], feedMismatches: [], agentsFile: "agents.yaml")
        #expect(sound.passed)
        #expect(
            sound.lines == [
                "integrity_check: ok", "feeds: every case matches its replayed feed", "feed order: every feed is in time order",
                "smes: every account's SME is an agent in agents.yaml",
            ])
        let unroutable = CaseViews.CheckReport(database: "x.sqlite", integrityCheck: ["ok"], feedMismatches: [], unroutableSMEs: ["account 100004 …"])
        #expect(!unroutable.passed)
        #expect(unroutable.lines.suffix(2) == ["smes: 1 accounts' SMEs cannot be routed", "  account 100004 …"])
        let broken = CaseViews.CheckReport(database: "x.sqlite", integrityCheck: ["ok"], feedMismatches: ["00345678"])
        #expect(!broken.passed)
        let object = try #require(try Self.object(try JSONOutput.text(broken)) as? [String: Any])
        #expect(object["feed_mismatches"] as? [String] == ["00345678"])
        #expect(object["integrity_check"] as? [String] == ["ok"])
        #expect(object["passed"] as? Bool == false)
        #expect(object["feed_out_of_order"] as? [String] == [])
        #expect(object["unroutable_smes"] as? [String] == [])
        #expect(object["agents_file"] == nil)
    }

    @Test func columnsArePaddedToTheWidestCell() {
        #expect(TextColumns.table([["a", "bb"], ["ccc", "d"]]) == ["a    bb", "ccc  d "])
        #expect(TextColumns.clip("one\ntwo", 20) == "one ⏎ two")
        #expect(TextColumns.clip("abcdef", 4) == "abc…")
    }
}

@Suite struct RotaAndPageViewTests {
    @Test func whoIsOnCallNamesEveryLine() throws {
        let rota = try Rota.load(path: Repository.root.appendingPathComponent("Fixtures/rota/escalation-managers.yaml").path)
        let instant = try InstantParser.parse("2026-12-25T03:00 America/Los_Angeles")
        let lines = RotaViews.who(rota, at: instant)
        #expect(lines[0] == "\(rota.name) at 2026-12-25T11:00:00Z")
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("primary") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try RotaViews.whoJSON(rota, at: instant).utf8)) as? [String: Any])
        #expect(object["at"] as? String == "2026-12-25T11:00:00Z")
        #expect((object["primary"] as? [String: Any])?["name"] != nil)
    }

    @Test func noPagesIsSaid() {
        #expect(PageViews.list([]) == ["no pages"])
    }
}

/// Defect 9: what `simulate --json` said disagreed with the text.
@Suite struct SimulationViewTests {
    static func erlangJSON(_ theory: ErlangC) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(try RouterViews.json(theory).utf8)) as? [String: Any])
    }

    @Test func erlangCsServiceLevelIsAtTheThresholdAsked() throws {
        let theory = ErlangC(agents: 10, arrivalsPerHour: 100, meanHandleTime: 300, serviceLevelSeconds: 60)
        let json = try Self.erlangJSON(theory)
        #expect(json["service_level"] as? Double == theory.serviceLevel(within: 60))
        #expect(json["service_level"] as? Double != theory.serviceLevel(within: 20))
        #expect(json["service_level_seconds"] as? Double == 60)
    }

    @Test func unstableLoadGivesFullOccupancyAndANullASA() throws {
        let theory = ErlangC(agents: 2, arrivalsPerHour: 100, meanHandleTime: 300)
        #expect(!theory.isStable)
        let json = try Self.erlangJSON(theory)
        #expect(json["occupancy"] as? Double == 1)
        #expect(json.keys.contains("asa_seconds"))
        #expect(json["asa_seconds"] is NSNull)
        #expect(json["stable"] as? Bool == false)
        #expect((json["offered_load_erlangs"] as? Double ?? 0) > 8)
    }

    @Test func theSingleQueueTextAndJSONAgree() throws {
        let simulation = SingleQueueSimulation(
            queue: "gsc", agents: 10, arrivalsPerHour: 100, meanHandleTime: 300, hours: 2, seed: 3, serviceLevelSeconds: 45)
        let report = try simulation.run()
        let text = RouterViews.single(report)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try RouterViews.json(report).utf8)) as? [String: Any])
        let theory = try #require(json["erlang_c"] as? [String: Any])
        let level = try #require(theory["service_level"] as? Double)
        #expect(text.contains { $0.hasPrefix("service level (45 s)") && $0.hasSuffix(RouterViews.pct(level)) })
    }

    /// The columns were cut to their width: an ASA of 13 digits or more lost its last ones and ran
    /// into the Erlang C column ("337504325377unbounded").
    @Test func aLongNumberIsShownWholeAndApartFromTheNextColumn() throws {
        var report = try SingleQueueSimulation(queue: "gsc", agents: 1, arrivalsPerHour: 10, meanHandleTime: 300, hours: 1, seed: 3).run()
        report.queue.asaSeconds = 43_200_000_000.5
        let asa = try #require(RouterViews.single(report).first { $0.hasPrefix("ASA (s)") })
        #expect(asa.contains("43200000000.5 "), "\(asa)")
    }

    @Test func anUnknownQueueIsRefusedWithTheClosestName() throws {
        let plan = try StaffingPlan.load(path: Repository.root.appendingPathComponent("Fixtures/routing/plan.yaml").path)
        #expect(try SingleQueueSimulation.queue(named: "gsc", in: plan.config, plan: "plan.yaml").name == "gsc")
        do {
            _ = try SingleQueueSimulation.queue(named: "gcs", in: plan.config, plan: "plan.yaml")
            Issue.record("an unknown queue was accepted")
        } catch {
            #expect(error.message == "--queue 'gcs' is not a queue of plan.yaml")
            #expect(error.fix?.hasPrefix("did you mean 'gsc'? use one of: customer-care") == true)
        }
    }

    @Test func runsBeyondTheLimitsAreRefused() throws {
        var plan = try StaffingPlan.load(path: Repository.root.appendingPathComponent("Fixtures/routing/plan.yaml").path)
        try plan.settings.checkLimits(agents: plan.config.agents.count, plan: "plan.yaml")
        plan.settings.traffic[0].arrivalsPerHour = 1e9
        #expect(throws: RouterError.self) { try plan.settings.checkLimits(agents: plan.config.agents.count, plan: "plan.yaml") }
        #expect(throws: RouterError.self) { try plan.settings.checkLimits(agents: 100_000_000, plan: "plan.yaml") }
        let huge = SingleQueueSimulation(queue: "gsc", agents: 100_000_000, arrivalsPerHour: 1, meanHandleTime: 300, hours: 1, seed: 1)
        #expect(throws: RouterError.self) { try huge.validate() }
    }
}

/// Defect 15: a JUnit report that cannot be written was lost silently after the run.
@Suite struct OutputFileTests {
    @Test func aMissingFolderAFolderAndAWritableFileAreTold() throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(OutputFile.problem(path: folder.appendingPathComponent("report.xml").path) == nil)
        let missing = try #require(OutputFile.problem(path: folder.appendingPathComponent("no/such/report.xml").path))
        #expect(missing.contains("does not exist") && missing.contains("fix:"))
        #expect(OutputFile.problem(path: folder.path)?.contains("it is a folder") == true)
        #expect(OutputFile.problem(path: "")?.contains("empty") == true)
    }

    @Test func aTestRunReportsEveryScenarioAndWritesItsJUnitFile() throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let junit = folder.appendingPathComponent("report.xml").path
        var run = ScenarioTestRun(paths: [Repository.root.appendingPathComponent("Fixtures/scenarios/page-call").path])
        run.flow = Repository.root.appendingPathComponent("Fixtures/flows/gsc.yaml").path
        run.junit = junit
        run.jobs = 2
        var printed: [String] = []
        let outcome = try run.run(out: { printed.append($0) })
        #expect(outcome.failed == 0)
        #expect(outcome.passed == printed.filter { $0.hasPrefix("PASS  ") }.count)
        #expect(outcome.passed > 0)
        #expect(outcome.summary == "\(outcome.passed) passed, 0 failed")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"\(outcome.passed)\" failures=\"0\""))
        run.quiet = true
        printed = []
        _ = try run.run(out: { printed.append($0) })
        #expect(printed.isEmpty)
    }

    @Test func aTestRunWithAnUnwritableReportStopsBeforeRunning() throws {
        var run = ScenarioTestRun(paths: [Repository.root.appendingPathComponent("Fixtures/scenarios/gsc").path])
        run.junit = "/nonexistent-hotline-folder/report.xml"
        var printed: [String] = []
        #expect(throws: ScenarioTestRun.Problem.self) { try run.run(out: { printed.append($0) }) }
        #expect(printed.isEmpty)
    }
}
