import Foundation
import HotlineApp
import HotlineDiagnostics
import HotlineTraining
import Synchronization
import Testing

/// Defects found by a training lead writing their own personas and scripts, trainees at the
/// terminal desk, and a CI job running `hotline train` (each test failed before its fix).
@Suite struct OutsideUserTests {
    static func persona(_ text: String, name: String = "mine") throws -> Persona {
        try Persona.load(text: text, path: "/trainers/\(name).yaml")
    }

    static let header = """
        title: Ünïcödé — 案件のエスカレーション 🚨
        caller: "+65 6555 0123"
        at: 2026-12-02T15:00:00Z
        keys: ["1", "2"]

        """

    /// A typo in the persona's case was taken silently: every trainee then missed the escalation
    /// checks, which nobody could pass.
    @Test func aPersonaWhoseCaseIsNotInTheSampleDataIsAnErrorAtItsLine() throws {
        let persona = try Self.persona(Self.header + "account: \"100005\"\ncase: \"00610050\"\nneeds: { escalation: true }\n")
        #expect {
            _ = try TrainingLine(persona: persona, trainee: "t", root: Repo.root)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("/trainers/mine.yaml:6:7: error: persona 'mine' is about case '00610050', which the sample data")
                && text.contains("(fix: use one of account 100005's cases: ") && text.contains("00610005")
        }
    }

    @Test func aPersonaAboutAnotherCompanysCaseOrFromAnUnknownAccountIsAnError() throws {
        let other = try Self.persona(Self.header + "account: \"100005\"\ncase: \"00345678\"\n")
        #expect {
            _ = try TrainingLine(persona: other, trainee: "t", root: Repo.root)
        } throws: { error in
            "\(error)".contains("mine.yaml:6:7: error: persona 'mine' is about case 00345678, which is account 100001's")
                && "\(error)".contains("`knows: { case: … }`")
        }
        let unknown = try Self.persona(Self.header + "account: \"999999\"\n")
        #expect {
            _ = try TrainingLine(persona: unknown, trainee: "t", root: Repo.root)
        } throws: { error in
            "\(error)".hasPrefix("/trainers/mine.yaml:5:10: error: persona 'mine' calls from account '999999', which the sample data")
        }
        #expect {
            _ = try Self.persona(Self.header + "case: \"00610005\"\n")
        } throws: { error in
            "\(error)".contains("mine.yaml:5:7: error: persona 'mine' names its `case` but no `account`")
        }
    }

    /// `--junit` to a folder that does not exist: the trainee took the whole call, then got a raw
    /// "NSCocoaErrorDomain Code=4" and no report.
    @Test func aJUnitPathThatCannotBeWrittenIsRefusedBeforeTheCall() throws {
        let sessions = TrainingLineTests.temporary("sessions.sqlite")
        defer { try? FileManager.default.removeItem(atPath: sessions) }
        let run = try TrainingLineTests.hotline([
            "train", "--persona", "Fixtures/training/personas/p1-past-target.yaml", "--trainee-script", "Fixtures/training/answers/p1-past-target.model.yaml",
            "--sessions", sessions, "--junit", "/nonexistent-qa4/report.xml",
        ])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("error: cannot write /nonexistent-qa4/report.xml: the folder /nonexistent-qa4 does not exist (fix: create it"), "\(run.output)")
        #expect(!run.output.contains("NSCocoaErrorDomain") && !run.output.contains("Score:"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: sessions), "no call was taken")
    }

    /// Ctrl-C at the terminal desk killed the call: nothing was stored and the call's private
    /// database copy was left in the temporary folder.
    @Test func ctrlCAtTheDeskEndsTheCallAsAbandonedAndStoresIt() throws {
        let folder = TrainingLineTests.temporary("ctrl-c")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sessions = (folder as NSString).appendingPathComponent("training.sqlite")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TrainingLineTests.binary)
        process.arguments = ["train", "--persona", "Fixtures/training/personas/p1-past-target.yaml", "--as", "sam", "--sessions", sessions]
        process.currentDirectoryURL = URL(fileURLWithPath: Repo.root)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = folder  // where the call's private database copy goes
        process.environment = environment
        let out = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data("ask name\n".utf8))
        // Wait until the desk has taken the action, then press Ctrl-C (stdin stays open).
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("caller: Wei Jie Tan") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        process.interrupt()
        seen += out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        let output = String(decoding: seen, as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(output.contains("system: abandoned: the trainee pressed Ctrl-C"), "\(output)")
        #expect(output.contains("Score: "), "\(output)")
        let report = try TrainingLineTests.hotline(["train", "report", "--sessions", sessions])
        #expect(report.output.contains("sam: 1 call(s)"), "\(report.output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("hotline-training-") }
        #expect(left.isEmpty, "the call's database copy is removed: \(left)")
    }

    /// A trainee could "verify" any caller by typing a contact's name from the case screen: the
    /// impostor answered "Yes, that's me." and disclosing the case passed verified-before-disclosure.
    @Test func verifyingAContactWhoIsNotTheCallerDoesNotVerifyTheCaller() throws {
        for id in ["impostor", "other-account-case"] {
            let line = try TrainingLine(persona: try Repo.persona(id), trainee: "t", root: Repo.root)
            let now = line.pickedUpAt.addingTimeInterval(10)
            line.act(.verify(name: "Dana Whitfield", account: "100001"), at: now)
            #expect(line.call.timeline.contains { $0.fact == .verifyFailed }, "\(id): \(line.call.timeline.map(\.text))")
            #expect(!line.call.timeline.contains { $0.text == "Yes, that's me." }, "\(id)")
            line.act(.disclose(case: "00345678"), at: now.addingTimeInterval(5))
            line.act(.end, at: now.addingTimeInterval(10))
            let debrief = line.debrief(rubric: try Repo.rubric())
            #expect(debrief.missed.contains("verified-before-disclosure"), "\(id): \(debrief.missed)")
        }
        // The caller's own name and account still verify (in any letter case).
        let line = try TrainingLine(persona: try Repo.persona("raise-problem-report"), trainee: "t", root: Repo.root)
        line.act(.verify(name: "dana whitfield", account: "100001"), at: line.pickedUpAt.addingTimeInterval(10))
        #expect(line.call.timeline.contains { $0.fact == .verified(account: "100001") })
    }

    /// A training lead's own persona folder: `--exam` could only draw from Fixtures/training/personas,
    /// and a missing folder was a raw "NSCocoaErrorDomain Code=260".
    @Test func anExamDrawsFromTheLeadsOwnFolderAndAMissingFolderIsNamed() throws {
        let folder = TrainingLineTests.temporary("personas")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let mine = (folder as NSString).appendingPathComponent("mine.yaml")
        try (Self.header + "account: \"100005\"\ncase: \"00610005\"\n").write(toFile: mine, atomically: true, encoding: .utf8)
        let sessions = (folder as NSString).appendingPathComponent("training.sqlite")
        let run = try TrainingLineTests.hotline(["train", "--exam", "1", "--personas", folder, "--as", "kim", "--sessions", sessions], input: "end\n")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("Exam (seed 1): mine"), "\(run.output)")
        let missing = try TrainingLineTests.hotline(["train", "--exam", "1", "--personas", "/nonexistent-qa4", "--sessions", sessions], input: "")
        #expect(missing.status == 2, "\(missing.output)")
        #expect(missing.output.contains("error: the persona folder /nonexistent-qa4 does not exist (fix: give --personas a folder"), "\(missing.output)")
        #expect(!missing.output.contains("NSCocoaErrorDomain"))
    }

    /// A mistake in an exam's later persona was found only after the trainee took the earlier calls.
    @Test func everyPersonaOfAnExamIsReadBeforeTheFirstCall() throws {
        let folder = TrainingLineTests.temporary("personas-bad")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try (Self.header + "account: \"100005\"\n").write(toFile: (folder as NSString).appendingPathComponent("a-good.yaml"), atomically: true, encoding: .utf8)
        try (Self.header + "patience: forever\n").write(toFile: (folder as NSString).appendingPathComponent("b-bad.yaml"), atomically: true, encoding: .utf8)
        let sessions = (folder as NSString).appendingPathComponent("training.sqlite")
        let run = try TrainingLineTests.hotline(["train", "--exam", "2", "--personas", folder, "--sessions", sessions], input: "end\nend\n")
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("b-bad.yaml:5:"), "\(run.output)")
        #expect(!run.output.contains("Score:"), "no call taken: \(run.output)")
        #expect(!FileManager.default.fileExists(atPath: sessions))
    }

    /// A rubric with `checks: []` scored every call 100/100.
    @Test func aRubricWithNoChecksIsAnError() {
        #expect {
            _ = try Rubric.load(text: "rubric: mine\nchecks: []\n", path: "/trainers/rubric.yaml")
        } throws: { error in
            "\(error)".hasPrefix("/trainers/rubric.yaml:2:9: error: the rubric has no checks")
        }
    }

    /// A persona's errors came out of line order (line 1, 5, 5, 4).
    @Test func aPersonasErrorsAreListedInFileOrder() throws {
        let text = "caller: \"\"\nat: 2026-12-02T15:00:00Z\nkeys: []\nknows: { name: 42, account: [1, 2] }\nneeds: { escalation: yes, priority: p1 }\n"
        do {
            _ = try Persona.load(text: text, path: "/trainers/mixed.yaml")
            Issue.record("the persona has mistakes")
        } catch {
            let places = error.errors.map { [$0.line, $0.column] }
            #expect(places.count >= 4, "\(error)")
            #expect(places == places.sorted { $0.lexicographicallyPrecedes($1) }, "\(error)")
        }
    }

    /// `--as ""` was stored as a trainee with no name.
    @Test func anEmptyTraineeNameIsRefused() throws {
        let run = try TrainingLineTests.hotline(["train", "--persona", "Fixtures/training/personas/p1-past-target.yaml", "--as", " ", "--sessions", TrainingLineTests.temporary("s.sqlite")], input: "end\n")
        #expect(run.status == 64, "\(run.output)")
        #expect(run.output.contains("--as needs the trainee's name"), "\(run.output)")
    }

    /// A caller left on hold at the terminal desk hung up only when the trainee typed again (into
    /// a call that was over); now the desk wakes when the caller's patience runs out.
    @Test func aCallerOnHoldHangsUpAtTheDeskWhileTheTraineeIsAway() throws {
        let line = try TrainingLine(persona: try Repo.persona("angry-hold"), trainee: "t", root: Repo.root)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let clock = Mutex(start)
        let typed = Mutex(["hold", "resume", "next The engineer calls you back"])
        let written = Mutex<[String]>([])
        let console = TrainingConsole(
            readLine: {
                // The trainee comes back ten minutes later.
                clock.withLock { $0 += 600 }
                return typed.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            },
            write: { text in written.withLock { $0.append(text) } },
            clock: { clock.withLock { $0 } },
            readWithin: { seconds in
                clock.withLock { $0 += seconds }
                return .timedOut
            })
        console.take(line)
        let output = written.withLock { $0 }.joined(separator: "\n")
        #expect(line.call.timeline.contains { $0.fact == .callerHungUp(onHold: true) }, "\(output)")
        #expect(!output.contains("takes the caller off hold") && !output.contains("not done: the call is over"), "\(output)")
        #expect(typed.withLock { $0 } == ["resume", "next The engineer calls you back"], "nothing more was read")
    }
}
