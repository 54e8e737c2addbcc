import Foundation
import HotlineTestSupport
import HotlineApp
import HotlineTraining
import Testing

/// The persona's call on the real line, the desk on the real store and pager, and `hotline train`.
@Suite struct TrainingLineTests {
    @Test func thePersonaComesThroughTheRealLineToCustomerCare() throws {
        let line = try TrainingLine(persona: try Repo.persona("unknown-number"), trainee: "t", root: Repo.root)
        let heard = line.call.timeline.filter { $0.who == .line }.map(\.text)
        #expect(heard.contains { $0.contains("press   1") })
        #expect(heard.contains { $0.contains("cc_identify") }, "an unknown number is asked for its account: \(heard)")
        #expect(heard.contains { $0.contains("queue   customer-care: answered") }, "\(heard)")
        #expect(line.call.state == .talking)
    }

    @Test func aPersonaWhoseKeysMissCustomerCareIsAClearError() throws {
        var persona = try Repo.persona("raise-to-p1")
        persona.keys = ["4"]
        #expect(throws: TrainingError.self) { _ = try TrainingLine(persona: persona, trainee: "t", root: Repo.root) }
    }

    @Test func scoringIsDeterministicOnTheInjectedClock() throws {
        let persona = try Repo.persona("p1-past-target")
        let script = try TraineeScript.load(path: Repo.path("Fixtures/training/answers/p1-past-target.late-page.yaml"))
        let (first, _) = try Repo.run(persona, script)
        let (again, _) = try Repo.run(persona, script)
        #expect(first == again)
        #expect(first.checks.first { $0.id == "paged-within-target" }?.moment == again.checks.first { $0.id == "paged-within-target" }?.moment)
    }

    @Test func theDeskActsOnTheRealStore() throws {
        let persona = try Repo.persona("raise-problem-report")
        let line = try TrainingLine(persona: persona, trainee: "t", root: Repo.root)
        let now = line.pickedUpAt.addingTimeInterval(30)
        line.act(.problemReport(case: "00345678", summary: "too early"), at: now)
        #expect(line.call.timeline.contains { $0.text.contains("not done:") && $0.text.contains("L3") }, "a PR below L3 is refused by the store")
        line.act(.disclose(case: "99999999"), at: now.addingTimeInterval(5))
        #expect(line.call.timeline.contains { $0.text.contains("not done:") && $0.text.contains("99999999") })
        line.finish(at: now.addingTimeInterval(10))
        #expect(line.call.isOver)
    }

    @Test func closeAtTheDeskIsTheStoresCloseCaseWithItsRefusals() throws {
        let line = try TrainingLine(persona: try Repo.persona("issue-solved"), trainee: "t", root: Repo.root)
        let now = line.pickedUpAt.addingTimeInterval(20)
        line.act(.verify(name: "Marco Bellini", account: "100001"), at: now)
        line.act(.close(case: "00345680", note: "again"), at: now.addingTimeInterval(5))
        #expect(line.call.timeline.contains { $0.text.contains("not done:") && $0.text.contains("00345680") }, "a closed case is refused as `hotline cases close` refuses it")
        line.act(.close(case: "99999999", note: ""), at: now.addingTimeInterval(10))
        #expect(line.call.timeline.contains { $0.text.contains("not done:") && $0.text.contains("99999999") })
        line.act(.close(case: "00345679", note: "solved"), at: now.addingTimeInterval(15))
        #expect(line.call.timeline.contains { $0.fact == .closed(case: "00345679") })
        line.act(.close(case: "00345679", note: "twice"), at: now.addingTimeInterval(20))
        #expect(line.call.timeline.filter { $0.text.contains("not done:") }.count == 3, "closing twice is refused: \(line.call.timeline.map(\.text))")
    }

    @Test func closingACaseTheCallerDidNotAskToCloseMissesTheCheck() throws {
        let persona = try Repo.persona("raise-to-p1")
        var script = try TraineeScript.load(path: Repo.path("Fixtures/training/answers/raise-to-p1.model.yaml"))
        script.steps.insert(TraineeScript.Step(at: .seconds(105), action: .close(case: "00412345", note: "done")), at: script.steps.count - 1)
        let (debrief, _) = try Repo.run(persona, script)
        #expect(debrief.missed == ["case-closed"])
    }

    @Test(arguments: 0..<12)
    func randomDeskActionsOnTheRealLineNeverLeaveTheCallStuck(seed: Int) throws {
        let persona = try Repo.persona(Repo.personaIDs[seed % Repo.personaIDs.count])
        var steps: [TraineeScript.Step] = []
        var at = Duration.zero
        for (gap, action) in TrainingCallTests.randomScript(seed: UInt64(seed) &+ 1000) {
            at += .seconds(gap)
            steps.append(TraineeScript.Step(at: at, action: action))
        }
        let (debrief, line) = try Repo.run(persona, TraineeScript(name: "random", steps: steps))
        #expect(line.call.isOver)
        #expect((0...100).contains(debrief.score))
    }

    /// The built `hotline`.
    static var binary: String {
        ProcessInfo.processInfo.environment["HOTLINE_BIN"]
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hotline").path
    }

    /// Runs `hotline`; with `stderr`, standard error goes to that file and the output is stdout's alone.
    static func hotline(_ arguments: [String], input: String? = nil, stderr: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Repo.root)
        let out = Pipe()
        process.standardOutput = out
        if let stderr {
            _ = FileManager.default.createFile(atPath: stderr, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        } else {
            process.standardError = out
        }
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func temporary(_ name: String) -> String {
        TestFolders.path("training-test", suffix: name)
    }

    @Test func trainPrintsOneJSONObjectAndJUnitAndStoresTheSession() throws {
        let sessions = Self.temporary("sessions.sqlite")
        let junit = Self.temporary("junit.xml")
        defer { try? FileManager.default.removeItem(atPath: sessions); try? FileManager.default.removeItem(atPath: junit) }
        let run = try Self.hotline([
            "train", "--persona", "Fixtures/training/personas/other-account-case.yaml", "--trainee-script", "Fixtures/training/answers/other-account-case.discloses.yaml",
            "--as", "alex", "--json", "--junit", junit, "--sessions", sessions,
        ])
        #expect(run.status == 0, "\(run.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        let score = try #require(object["score"] as? Int)
        #expect(score < 100)
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.contains { $0["id"] as? String == "no-other-account" && $0["passed"] as? Bool == false })
        #expect(checks.allSatisfy { $0["id"] is String && $0["passed"] is Bool })
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testcase classname=\"other-account-case\" name=\"no-other-account\"><failure"))

        let model = try Self.hotline([
            "train", "--persona", "Fixtures/training/personas/other-account-case.yaml", "--trainee-script", "Fixtures/training/answers/other-account-case.model.yaml",
            "--as", "alex", "--sessions", sessions,
        ])
        #expect(model.output.contains("Score: 100/100"), "\(model.output)")
        let report = try Self.hotline(["train", "report", "--as", "alex", "--sessions", sessions])
        #expect(report.output.contains("alex: 2 call(s)"), "\(report.output)")
        #expect(report.output.contains("1×  no-other-account"), "\(report.output)")
    }

    @Test func theTerminalDeskTakesTypedActions() throws {
        let sessions = Self.temporary("sessions.sqlite")
        defer { try? FileManager.default.removeItem(atPath: sessions) }
        let typed = "ask name\nescalte 00610005\nverify Wei Jie Tan 100005\ndisclose 00610005\nescalate 00610005 P1 past target\nnext The EM will call you\ncomment 00610005 escalated\nend\n"
        let run = try Self.hotline(["train", "--persona", "Fixtures/training/personas/p1-past-target.yaml", "--as", "sam", "--sessions", sessions], input: typed)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("caller: Wei Jie Tan"), "\(run.output)")
        #expect(run.output.contains("did you mean 'escalate'"), "\(run.output)")
        #expect(run.output.contains("Score: 100/100"), "\(run.output)")
    }

    @Test func anExamTakesItsDrawnPersonasAtTheDeskOneAfterAnother() throws {
        let sessions = Self.temporary("sessions.sqlite")
        defer { try? FileManager.default.removeItem(atPath: sessions) }
        let run = try Self.hotline(["train", "--exam", "2", "--seed", "5", "--as", "kim", "--sessions", sessions], input: "end\nend\n")
        #expect(run.status == 0, "\(run.output)")
        let drawn = try Training.exam(count: 2, seed: 5, folder: Repo.path(TrainingDefaults.personas)).map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        #expect(run.output.contains("Exam (seed 5): " + drawn.joined(separator: ", ")), "\(run.output)")
        #expect(run.output.components(separatedBy: "Score: ").count == 3, "\(run.output)")
        let report = try Self.hotline(["train", "report", "--sessions", sessions])
        #expect(report.output.contains("kim: 2 call(s)"), "\(report.output)")
        #expect(report.output.contains("told-next-step"), "ending at once never tells the next step: \(report.output)")
    }

    @Test func anExamOfMorePersonasThanThereAreIsAClearErrorNotAShorterExam() throws {
        let sessions = Self.temporary("sessions.sqlite")
        defer { try? FileManager.default.removeItem(atPath: sessions) }
        let run = try Self.hotline(["train", "--exam", "99999999", "--seed", "5", "--as", "kim", "--sessions", sessions], input: "")
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("--exam 99999999: there are only"), "\(run.output)")
        #expect(run.output.contains("(fix: ask for at most"), "\(run.output)")
        #expect(!run.output.contains("Score:"), "\(run.output)")
    }

    @Test func anExamWithJSONPrintsOneDocumentWithTheSeedTheScoreAndEveryCall() throws {
        let sessions = Self.temporary("sessions.sqlite")
        let desk = Self.temporary("desk.txt")
        defer { try? FileManager.default.removeItem(atPath: sessions); try? FileManager.default.removeItem(atPath: desk) }
        let run = try Self.hotline(["train", "--exam", "3", "--seed", "7", "--as", "kim", "--json", "--sessions", sessions], input: "end\nend\nend\n", stderr: desk)
        #expect(run.status == 0, "\(run.output)")
        // One document: the desk's prompts went to stderr, stdout parses as a single JSON object.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        #expect(object["seed"] as? Int == 7)
        let calls = try #require(object["calls"] as? [[String: Any]])
        let drawn = try Training.exam(count: 3, seed: 7, folder: Repo.path(TrainingDefaults.personas)).map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        #expect(calls.compactMap { $0["persona"] as? String } == drawn)
        #expect(object["personas"] as? [String] == drawn)
        let scores = calls.compactMap { $0["score"] as? Int }
        #expect(scores.count == 3)
        #expect(object["score"] as? Int == scores.reduce(0, +) / 3)
        for call in calls {
            let checks = try #require(call["checks"] as? [[String: Any]])
            #expect(checks.allSatisfy { $0["id"] is String && $0["passed"] is Bool })
        }
        #expect(try String(contentsOfFile: desk, encoding: .utf8).contains("desk> "))
    }

    @Test func aBadPersonaFileIsAFileLineErrorFromTheCommand() throws {
        let run = try Self.hotline(["train", "--persona", "Fixtures/training/bad/persona.yaml", "--trainee-script", "Fixtures/training/answers/raise-to-p1.model.yaml", "--sessions", Self.temporary("s.sqlite")])
        #expect(run.status != 0)
        #expect(run.output.contains("Fixtures/training/bad/persona.yaml:3:"), "\(run.output)")
    }

    @Test func anExamDrawsTheSamePersonasForTheSameSeed() throws {
        let first = try Training.exam(count: 3, seed: 9, folder: Repo.path(TrainingDefaults.personas))
        #expect(first == (try Training.exam(count: 3, seed: 9, folder: Repo.path(TrainingDefaults.personas))))
        #expect(first.count == 3)
    }
}
