import Foundation
import HotlineTestSupport
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import HotlineRuntime
import Testing

@Suite struct ScenarioFileTests {
    func write(_ text: String) throws -> String {
        let folder = try TestFolders.make("scenario")
        let path = folder.appendingPathComponent("call.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func problems(_ text: String) throws -> [Diagnostic] {
        let path = try write(text)
        do {
            _ = try ScenarioFile.load(path: path)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func aScenarioReadsWithItsStepsAndTime() throws {
        let path = try write("""
            name: Escalation
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00
            zone: America/Los_Angeles
            rota: ../rota.yaml
            steps:
              - expect: gsc.main-menu
              - press: {keys: "0034#", gap: 1s, during_prompt: true}
              - say: escalation manager
              - silence: 6s
              - expect: {heard_regex: "case number( \\\\w+){8}"}
              - expect: {case: "00345678", feed: escalation, channel: phone}
              - expect: {page: {to: Alex, level: 2}}
              - hangup: true
            """)
        let scenario = try ScenarioFile.load(path: path)
        #expect(scenario.name == "Escalation")
        #expect(scenario.at == ISO8601DateFormatter().date(from: "2026-12-05T11:00:00Z"))
        #expect(scenario.steps.count == 8)
        #expect(scenario.rota?.hasSuffix("/rota.yaml") == true && scenario.rota?.contains("..") == false)
        guard case .press(let keys, let gap, let during) = scenario.steps[1].action else { Issue.record("not a press"); return }
        #expect(keys == "0034#" && gap == .seconds(1) && during)
        #expect(scenario.steps[1].location.line == 8)
        guard case .expectFact(.pageSent(let to, nil, let level)) = scenario.steps[6].action else { Issue.record("not a page"); return }
        #expect(to == "Alex" && level == 2)
    }

    /// A scenario's `variables:` keep the rules of `hotline call --set` (``CallVariableRule``), each
    /// mistake said at its key or value with the same fix; good ones are the call's variables.
    @Test(arguments: [
        ("{1x: a}", 6, 13, "'1x' in `variables` is not a variable name", "a name is letters, digits, '.', '_' and '-', starting with a letter"),
        ("{\"case number\": \"00345678\"}", 6, 13, "'case number' in `variables` is not a variable name", "starting with a letter, e.g. case.number"),
        ("{page.to: \"\"}", 6, 22, "the variable page.to has an empty value", "give the value, e.g. `page.to: 'Oliver Hughes'`, or leave page.to out"),
        ("{case.number: \"0034567\"}", 6, 26, "the variable case.number: case number '0034567' has 7 digits, not 8", "a case number is 8 digits, e.g. 00345678"),
        ("{case.number: \"００３４５６７８\"}", 6, 26, "case number '００３４５６７８' contains characters that are not digits 0-9: '０' (U+FF10)", "type them as 0-9"),
        ("{caller.account: 10000A}", 6, 29, "the variable caller.account: account number '10000A' contains characters that are not digits 0-9: 'A' (U+0041)", "an account/site number is 6 digits 0-9"),
    ])
    func aScenariosVariablesKeepTheRulesOfSet(_ variables: String, _ line: Int, _ column: Int, _ message: String, _ fix: String) throws {
        let found = try problems("""
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            steps:
              - expect: {end: completed}
            zone: UTC
            variables: \(variables)
            """)
        #expect(found.count == 1, "\(found)")
        let problem = try #require(found.first)
        #expect(problem.line == line && problem.column == column, "\(problem)")
        #expect(problem.message.contains(message), "\(problem.message)")
        #expect(problem.fix?.contains(fix) == true, "\(problem.fix ?? "no fix")")
        #expect(problem.file.hasSuffix("call.yaml"))
    }

    @Test func aScenariosGoodVariablesAreTheCallsWithNumbersTrimmed() throws {
        let path = try write("""
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            variables: {page.id: PG-000042, page.to: Oliver Hughes, case.number: " 00345678", caller.account: "100001"}
            steps:
              - expect: {end: completed}
            """)
        let scenario = try ScenarioFile.load(path: path)
        #expect(scenario.variables == ["page.id": "PG-000042", "page.to": "Oliver Hughes", "case.number": "00345678", "caller.account": "100001"])
    }

    @Test func everyBadVariableOfAScenarioIsSaidInOneRun() throws {
        let found = try problems("""
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            variables:
              1x: a
              case.number: "123"
              page.to: ""
            steps:
              - expect: {end: completed}
            """)
        #expect(found.map(\.line) == [4, 5, 6], "\(found)")
    }

    @Test func theDatabaseIsInMemoryUnlessTheScenarioAsksForAFile() throws {
        let base = """
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            steps:
              - expect: {end: completed}

            """
        #expect(try ScenarioFile.load(path: try write(base)).database == .memory)
        #expect(try ScenarioFile.load(path: try write(base + "database: file\n")).database == .file)
        let errors = try problems(base + "database: disk\n")
        #expect(errors.count == 1)
        #expect(errors.first?.line == 5)
        #expect(errors.first?.message.contains("'disk'") == true)
        #expect(errors.first?.fix?.contains("memory, file") == true)
    }

    @Test func beforeOperationsReadAndTheirMistakesAreReportedAtTheirLines() throws {
        let path = try write("""
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            before:
              - escalate: {case: "00345678", channel: web, reason: VPN down, by: Dana Whitfield}
              - escalate: {case: "00345679"}
            steps:
              - expect: {end: completed}
            """)
        let scenario = try ScenarioFile.load(path: path)
        #expect(scenario.before.map(\.kind) == [
            .escalate(caseNumber: "00345678", reason: "VPN down", channel: .web, by: "Dana Whitfield"),
            .escalate(caseNumber: "00345679", reason: "Escalate Now from the scenario", channel: .web, by: "Case Center"),
        ])
        #expect(scenario.before.map(\.location.line) == [4, 5])

        let found = try problems("""
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            before:
              - escalate: {case: "00345678", channel: fax}
              - escalate: {channel: web}
              - close: {case: "00345678"}
              - escalate: {case: "00345678", reason: "  "}
            steps:
              - expect: {end: completed}
            """)
        #expect(found.map(\.line) == [4, 5, 6, 7], "\(found)")
        #expect(found[0].message.contains("'fax' is not an escalation channel") && found[0].fix?.contains("phone, web") == true)
        #expect(found[1].message.contains("case") && found[1].fix?.contains("case:") == true)
        #expect(found[2].message.contains("close"))
        #expect(found[3].message.contains("reason is empty"))
        #expect(try problems("caller: x\nat: 2026-12-05T03:00:00Z\nbefore: escalate\nsteps:\n  - expect: {end: completed}").first?.line == 3)
    }

    @Test func unknownKeysAreReportedWithASuggestionAndTheirLine() throws {
        let errors = try problems("""
            caller: "+1"
            at: 2026-12-05T03:00:00Z
            steps:
              - pres: "1"
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.line == 4)
        #expect(errors.first?.message.contains("did you mean `press`") == true)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() throws {
        let errors = try problems("""
            caller: "+1"
            at: 2026-12-05 03:00
            zone: Mars/Olympus
            steps:
              - press: "12a"
              - expect: {heard_regex: "(unclosed"}
              - expect: {action: record_escalaton}
              - silence: soon
            """)
        let text = errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("Mars/Olympus"))
        #expect(text.contains("'a' is not a key"))
        #expect(text.contains("not a valid regular expression"))
        #expect(text.contains("did you mean `record_escalation`"))
        #expect(text.contains("`silence` is not a duration: 'soon'"))
        #expect(errors.allSatisfy { $0.line > 0 && $0.file.hasSuffix("call.yaml") })
    }

    /// The keys are read in a fixed order (zone before the steps, `database` last), not the
    /// file's: the errors once came out as lines 4, 6, 1. They are listed by line, then column.
    @Test func problemsAreListedByLineThenColumn() throws {
        let errors = try problems("""
            database: cloud
            caller: "+1"
            at: 2026-12-05T03:00:00Z
            zone: Mars/Olympus
            steps:
              - {silence: soon, press: "1"}
              - silence: soon
              - expect: {action: record_escalaton}
            """)
        #expect(errors.map(\.line) == [1, 4, 6, 7, 8])
        #expect(errors.first?.message.contains("cloud") == true)
        let positions = errors.map { [$0.line, $0.column] }
        #expect(positions == positions.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// A silence too long to convert to a duration once trapped the scenario reader (exit 132).
    @Test func aHugeSilenceIsAnErrorAtItsLineNotATrap() throws {
        let errors = try problems("""
            caller: "+1"
            at: 2026-12-05T03:00:00Z
            steps:
              - silence: 99999999999999999999s
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.line == 4)
        #expect(errors.first?.code == .badDuration)
        #expect(errors.first?.description.contains("longer than the 1d allowed") == true)
    }

    @Test func loadingManyOnSeveralThreadsKeepsTheFilesOrderAndTheirErrors() throws {
        var paths: [String] = []
        for index in 0..<40 {
            paths.append(try write(index == 17 ? "name: broken\nsteps: []\n" : """
                name: Call \(index)
                caller: "+1 408 555 0100"
                at: 2026-12-05T03:00:00-08:00
                steps:
                  - press: "1"
                  - expect: {end: completed}
                """))
        }
        let results = ScenarioFile.loadAll(paths: paths, jobs: 4)
        #expect(results.count == 40)
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let scenario): #expect(index != 17 && scenario.name == "Call \(index)")
            case .failure(let error): #expect(index == 17 && error.errors.contains { $0.description.contains(paths[17]) })
            }
        }
    }

    /// Issue 12 #25: a scenario that expects nothing tests nothing and is refused at its `steps` line.
    @Test(arguments: [("steps: []", 3), ("steps:\n  - press: \"1\"\n  - silence: 5s", 4)])
    func aScenarioWithNoExpectationIsRefused(steps: String, line: Int) throws {
        let found = try problems("caller: \"+1 408 555 0100\"\nat: 2026-12-05T03:00:00Z\n" + steps + "\n")
        #expect(found.count == 1)
        #expect(found.first?.line == line)
        #expect(found.first?.message.contains("expects nothing") == true)
        #expect(found.first?.fix?.contains("expect_not") == true)
    }

    @Test func negativeAndCountedExpectationsRead() throws {
        let scenario = try ScenarioFile.load(path: try write("""
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            steps:
              - expect_not: {page: {case: "00345678"}}
              - expect_not: cc.case-failed
              - expect: {action: validate_case, times: 3}
            """))
        guard case .expectNot(.expectFact(.pageSent(nil, "00345678", nil))) = scenario.steps[0].action,
            case .expectNot(.expectPrompt(.id("cc.case-failed"))) = scenario.steps[1].action,
            case .expectCount(.expectAction(.validateCase, nil), 3) = scenario.steps[2].action
        else {
            Issue.record("read as \(scenario.steps.map(\.action.summary))")
            return
        }
    }

    @Test func timesOnWhatCannotBeCountedOrOnANegativeIsRefused() throws {
        let found = try problems("""
            caller: "+1 408 555 0100"
            at: 2026-12-05T03:00:00Z
            steps:
              - expect: {end: completed, times: 2}
              - expect_not: {action: page_on_call, times: 1}
              - expect: {node: main, times: -1}
            """)
        #expect(found.map(\.line) == [4, 5, 6])
        #expect(found[0].message.contains("`times` counts only"))
        #expect(found[1].message.contains("says two things"))
    }

    @Test func aMissingCallerAndTimeSayWhatToAdd() throws {
        let errors = try problems("steps: []\n")
        let text = errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("missing `caller`"))
        #expect(text.contains("missing `at`"))
    }

    @Test func aFolderMeansEveryScenarioInItSorted() throws {
        let first = try write("x: 1")
        let folder = (first as NSString).deletingLastPathComponent
        try "y: 1".write(toFile: folder + "/a.yml", atomically: true, encoding: .utf8)
        try "not a scenario".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(try ScenarioFile.files(in: [folder]).map { ($0 as NSString).lastPathComponent } == ["a.yml", "call.yaml"])
        #expect(throws: Diagnostics.self) { try ScenarioFile.files(in: [folder + "/missing"]) }
    }

    /// `hotline test FOLDER` on a folder without scenarios (a wrong path in CI) said "0 passed,
    /// 0 failed" and exited 0.
    @Test func aFolderWithoutScenariosIsAnError() throws {
        let first = try write("x: 1")
        let empty = (first as NSString).deletingLastPathComponent + "/nothing-here"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try "not a scenario".write(toFile: empty + "/notes.txt", atomically: true, encoding: .utf8)
        #expect {
            try ScenarioFile.files(in: [empty])
        } throws: { error in
            "\(error)".contains("\(empty):0:0: error: the folder holds no scenario files (.yaml or .yml) (fix: give the folder of your scenarios, or their files)")
        }
    }

    @Test(arguments: [
        ("2026-12-25T03:00:00-08:00", "2026-12-25T11:00:00Z"),
        ("2026-12-25T03:00 Australia/Sydney", "2026-12-24T16:00:00Z"),
        ("2026-03-29T01:30:00Z", "2026-03-29T01:30:00Z"),
        ("2026-07-01 09:00 Asia/Kolkata", "2026-07-01T03:30:00Z"),
    ])
    func instantsReadWithOffsetsAndZones(text: String, utc: String) throws {
        #expect(try InstantParser.parse(text) == ISO8601DateFormatter().date(from: utc))
    }

    @Test func anInstantWithoutAZoneNeedsOne() {
        #expect(throws: InstantParser.Failure.self) { try InstantParser.parse("2026-12-25T03:00") }
        #expect(throws: InstantParser.Failure.self) { try InstantParser.parse("2026-12-25T25:00Z") }
        #expect(throws: InstantParser.Failure.self) { try InstantParser.parse("2026-12-25T03:00 Nowhere/City") }
    }
}
