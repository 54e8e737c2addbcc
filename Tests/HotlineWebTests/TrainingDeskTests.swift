import Foundation
import HotlineTestSupport
import HotlineApp
import HotlineTraining
import HotlineWeb
import Testing

/// The training desk of `hotline serve` (`/training`), against a real server and a real SQLite
/// file: who may train, CSRF and Origin on its posts, a whole call taken with the desk's forms and
/// scored like the terminal's, and the session stored.
@Suite(.serialized) struct TrainingDeskTests {
    @Test func agentsAndTrainersTrainManagersAndCustomersDoNot() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        for (email, password, status) in [
            (WebRouteTests.agent.0, WebRouteTests.agent.1, 200), (WebRouteTests.trainer.0, WebRouteTests.trainer.1, 200),
            (WebRouteTests.manager.0, WebRouteTests.manager.1, 403), (WebRouteTests.dana.0, WebRouteTests.dana.1, 403),
        ] {
            let browser = Browser(server)
            try await browser.signIn(email, password)
            let page = try await browser.get("/training")
            #expect(page.status == status, "\(email): \(page.status)")
            if status == 200 { #expect(page.body.contains("p1-past-target"), "\(email)") }
            let start = try await browser.post("/training/start", form: [("persona", "p1-past-target")])
            #expect(start.status == (status == 200 ? 303 : 403), "\(email) start: \(start.status)")
        }
        let anonymous = Browser(server)
        #expect(try await anonymous.get("/training").status == 303)
    }

    /// `hotline serve --personas FOLDER --rubric FILE`: the desk lists the folder's personas (not
    /// the repository's), takes a call from one, and scores it on the given rubric.
    @Test func theDeskTakesPersonasFromAFolderOutsideFixturesAndScoresOnTheGivenRubric() async throws {
        let own = try Repository.temporaryFolder()
        let personas = own.appendingPathComponent("my-personas")
        try FileManager.default.createDirectory(at: personas, withIntermediateDirectories: true)
        let original = try String(contentsOfFile: Repository.path("Fixtures/training/personas/p1-past-target.yaml"), encoding: .utf8)
        let edited = original.replacingOccurrences(
            of: "title: Platinum P1 past its response target — wants an Escalation Manager", with: "title: Our own Platinum P1 caller")
        #expect(edited != original, "the persona's title was edited")
        try edited.write(to: personas.appendingPathComponent("our-p1.yaml"), atomically: true, encoding: .utf8)
        let rubric = own.appendingPathComponent("our-rubric.yaml")
        let rubricText = try String(contentsOfFile: Repository.path("Fixtures/training/rubric.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "title: Caller verified before any case detail is disclosed", with: "title: Our own check, verified first")
        try rubricText.write(to: rubric, atomically: true, encoding: .utf8)

        let server = try await TestServer.make(training: TrainingDesks.Files(personas: personas.path, rubric: rubric.path))
        defer { Task { await server.stop() } }
        let agent = Browser(server)
        try await agent.signIn(WebRouteTests.agent.0, WebRouteTests.agent.1)
        let list = try await agent.get("/training")
        #expect(list.body.contains("our-p1") && list.body.contains("Our own Platinum P1 caller"), "\(list.body)")
        #expect(!list.body.contains("p1-past-target"), "only the given folder's personas are listed")
        #expect(try await agent.post("/training/start", form: [("persona", "p1-past-target")]).status == 422, "a repository persona is not offered")
        let start = try await agent.post("/training/start", form: [("persona", "our-p1")])
        #expect(start.status == 303, "\(start.body)")
        #expect(try await agent.get("/training").body.contains("Call from +65 6555 0123"))
        server.clock.advance(10)
        #expect(try await agent.post("/training/act", form: [("do", "end")]).status == 303)
        let debrief = try await agent.get("/training")
        #expect(debrief.body.contains("id=\"debrief\""), "\(debrief.body)")
        #expect(debrief.body.contains("Our own check, verified first"), "scored on the given rubric")
        let stored = try TrainingSessions.open(path: server.folder.appendingPathComponent("training.sqlite").path).sessions()
        #expect(stored.map(\.persona) == ["our-p1"])
    }

    @Test func trainingPostsNeedTheSessionsCSRFTokenAndThisSitesOrigin() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let agent = Browser(server)
        try await agent.signIn(WebRouteTests.agent.0, WebRouteTests.agent.1)
        #expect(try await agent.post("/training/start", form: [("persona", "p1-past-target")], csrf: false).status == 403)
        #expect(try await agent.post("/training/start", form: [("persona", "p1-past-target")], origin: "http://evil.example").status == 403)
        #expect(try await agent.get("/training").body.contains("id=\"persona-form\""), "no call was started")
        #expect(try await agent.post("/training/start", form: [("persona", "p1-past-target")]).status == 303)
        #expect(try await agent.post("/training/act", form: [("do", "end")], csrf: false).status == 403)
        #expect(try await agent.post("/training/act", form: [("do", "end")], origin: nil).status == 403)
        #expect(try await agent.get("/training").body.contains("id=\"do-end\""), "the call is still live")
        // A persona that is not in the list (a path) is refused.
        let other = Browser(server)
        try await other.signIn(WebRouteTests.trainer.0, WebRouteTests.trainer.1)
        let bad = try await other.post("/training/start", form: [("persona", "../../Fixtures/training/bad/persona")])
        #expect(bad.status == 422)
        #expect(bad.body.contains("Pick one of the personas listed."))
    }

    @Test func aCallTakenWithTheDeskFormsIsScoredLikeTheTerminalsAndStored() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let agent = Browser(server)
        try await agent.signIn(WebRouteTests.agent.0, WebRouteTests.agent.1)
        #expect(try await agent.post("/training/start", form: [("persona", "p1-past-target")]).status == 303)
        let live = try await agent.get("/training")
        #expect(live.body.contains("Call from +65 6555 0123"), "\(live.body)")
        #expect(live.body.contains("caller: Our P1"), "the persona's greeting is shown")
        let steps: [[(String, String)]] = [
            [("do", "ask"), ("what", "name")],
            [("do", "verify"), ("name", "Wei Jie Tan"), ("account", "100005")],
            [("do", "disclose"), ("case", "00610005")],
            [("do", "escalate"), ("case", "00610005"), ("reason", "P1 past its 15-minute target; <b>customer</b> asked for an EM")],
            [("do", "next"), ("text", "The Escalation Manager on call will call you within 15 minutes.")],
            [("do", "comment"), ("case", "00610005"), ("text", "Escalated by phone; EM paged.")],
            [("do", "end")],
        ]
        for form in steps {
            server.clock.advance(10)
            #expect(try await agent.post("/training/act", form: form).status == 303, "\(form)")
        }
        let debrief = try await agent.get("/training")
        #expect(debrief.body.contains("id=\"debrief\""), "\(debrief.body)")
        #expect(debrief.body.contains("Score: 100/100"), "\(debrief.body)")
        #expect(debrief.body.contains("caller: Wei Jie Tan"), "the answer to `ask name`")
        #expect(debrief.body.contains("&lt;b&gt;customer&lt;/b&gt;") && !debrief.body.contains("<b>customer</b>"), "escaped")
        let stored = try TrainingSessions.open(path: server.folder.appendingPathComponent("training.sqlite").path).sessions()
        #expect(stored.map(\.persona) == ["p1-past-target"])
        #expect(stored.first?.score == 100)
        #expect(stored.first?.trainee.isEmpty == false)

        // A typed mistake is said, not done; back to the personas after the debrief.
        #expect(try await agent.post("/training/next", form: []).status == 303)
        #expect(try await agent.get("/training").body.contains("id=\"persona-form\""))
        #expect(try await agent.post("/training/start", form: [("persona", "raise-to-p1")]).status == 303)
        #expect(try await agent.post("/training/act", form: [("do", "priority"), ("case", "00412345"), ("priority", "P7")]).status == 303)
        let refused = try await agent.get("/training")
        #expect(refused.body.contains("Not done: priority is P1, P2 or P3, not "), "\(refused.body)")
        #expect(refused.body.contains("id=\"do-end\""), "the call goes on")
    }

    @Test func aThirdCallForOneUserIsRefusedWithAMessageAndTheServerStoppingStoresTheOpenCalls() async throws {
        let server = try await TestServer.make()
        var browsers: [Browser] = []
        for _ in 0..<3 {
            let browser = Browser(server)
            try await browser.signIn(WebRouteTests.agent.0, WebRouteTests.agent.1)
            browsers.append(browser)
        }
        #expect(try await browsers[0].post("/training/start", form: [("persona", "raise-to-p1")]).status == 303)
        #expect(try await browsers[1].post("/training/start", form: [("persona", "issue-solved")]).status == 303)
        let third = try await browsers[2].post("/training/start", form: [("persona", "raise-to-p1")])
        #expect(third.status == 429)
        #expect(third.body.contains("You have 2 training calls open in other browsers"), "\(third.body)")
        server.clock.advance(10)
        #expect(try await browsers[0].post("/training/act", form: [("do", "ask"), ("what", "name")]).status == 303)
        // Nobody ends the calls: stopping the server scores and stores them as abandoned.
        await server.stop()
        let stored = try TrainingSessions.open(path: server.folder.appendingPathComponent("training.sqlite").path).sessions()
        #expect(stored.map(\.persona).sorted() == ["issue-solved", "raise-to-p1"], "\(stored)")
    }

    @Test func thePersonasLinesAreServedAsWAVToTheTraineeOnly() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let agent = Browser(server)
        try await agent.signIn(WebRouteTests.agent.0, WebRouteTests.agent.1)
        #expect(try await agent.get("/training/lines/1.wav").status == 404, "no call taken yet")
        #expect(try await agent.post("/training/start", form: [("persona", "raise-to-p1")]).status == 303)
        let live = try await agent.get("/training")
        // The greeting is new: the page lists its line to play, and loads the script that plays it.
        guard let range = live.body.range(of: #"data-lines="(\d+)""#, options: .regularExpression) else {
            Issue.record("no line to play: \(live.body)")
            return
        }
        let index = live.body[range].dropFirst("data-lines=\"".count).dropLast()
        #expect(live.body.contains("<script src=\"/static/training.js\" defer></script>"))
        #expect(try await agent.get("/training").body.contains("data-lines=\"\""), "shown once: nothing new on a reload")

        let wav = try await agent.get("/training/lines/\(index).wav")
        #expect(wav.status == 200)
        #expect(wav.header("Content-Type") == "audio/wav")
        #expect(Array(wav.bodyBytes.prefix(4)) == Array("RIFF".utf8) && wav.bodyBytes.count > 1000)
        // Unknown lines: past the end, a line that is not the caller's (the IVR's first), not a number.
        #expect(try await agent.get("/training/lines/9999.wav").status == 404)
        #expect(try await agent.get("/training/lines/0.wav").status == 404)
        #expect(try await agent.get("/training/lines/greeting.wav").status == 404)
        #expect(try await agent.get("/training/lines/\(index).mp3").status == 404)
        // Someone else's session has no such line; signed out is sent to sign in; a manager may not.
        let other = Browser(server)
        try await other.signIn(WebRouteTests.trainer.0, WebRouteTests.trainer.1)
        #expect(try await other.get("/training/lines/\(index).wav").status == 404)
        #expect(try await Browser(server).get("/training/lines/\(index).wav").status == 303)
        let manager = Browser(server)
        try await manager.signIn(WebRouteTests.manager.0, WebRouteTests.manager.1)
        #expect(try await manager.get("/training/lines/\(index).wav").status == 403)
        let script = try await agent.get("/static/training.js")
        #expect(script.status == 200 && script.body.contains("/training/lines/"))
    }

    @Test func theNavigationLinksTrainingForAgentsAndTrainersOnly() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        for (email, password, sees) in [
            (WebRouteTests.agent.0, WebRouteTests.agent.1, true), (WebRouteTests.trainer.0, WebRouteTests.trainer.1, true),
            (WebRouteTests.manager.0, WebRouteTests.manager.1, false), (WebRouteTests.dana.0, WebRouteTests.dana.1, false),
        ] {
            let browser = Browser(server)
            try await browser.signIn(email, password)
            let page = try await browser.get("/cases")
            #expect(page.status == 200)
            #expect(page.body.contains("<a href=\"/training\" id=\"nav-training\">Training</a>") == sees, "\(email)")
        }
    }

    @Test func anExamTakesItsDrawnPersonasOneAfterAnother() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let trainer = Browser(server)
        try await trainer.signIn(WebRouteTests.trainer.0, WebRouteTests.trainer.1)
        #expect(try await trainer.post("/training/start", form: [("exam", "2"), ("seed", "5")]).status == 303)
        let drawn = try Training.exam(count: 2, seed: 5, folder: Repository.path(TrainingDefaults.personas))
        let first = try Persona.load(path: drawn[0])
        #expect(try await trainer.get("/training").body.contains("Call from \(first.caller)"))
        #expect(try await trainer.post("/training/act", form: [("do", "end")]).status == 303)
        #expect(try await trainer.get("/training").body.contains("id=\"next-call\""))
        #expect(try await trainer.post("/training/next", form: []).status == 303)
        let second = try Persona.load(path: drawn[1])
        #expect(try await trainer.get("/training").body.contains("Call from \(second.caller)"))
        #expect(try await trainer.post("/training/act", form: [("do", "end")]).status == 303)
        #expect(try await trainer.get("/training").body.contains("id=\"exam-score\""))
        let stored = try TrainingSessions.open(path: server.folder.appendingPathComponent("training.sqlite").path).sessions()
        #expect(stored.count == 2)
    }
}

/// Training calls a browser abandons end on the line's clock; the number of open calls is bounded.
@Suite struct TrainingDeskExpiryTests {
    static let start = Date(timeIntervalSince1970: 1_796_223_600)
    static let persona = Repository.path("Fixtures/training/personas/raise-to-p1.yaml")

    static func desks(_ limits: TrainingDesks.Limits) throws -> (TrainingDesks, String) {
        let folder = try TestFolders.make("training-desks")
        let path = folder.appendingPathComponent("training.sqlite").path
        return (TrainingDesks(sessionsPath: path, root: Repository.root.path, limits: limits), path)
    }

    @Test func aCallLeftIdleEndsAfterTheTimeoutAndIsStoredAsAbandoned() throws {
        let (desks, path) = try Self.desks(.init(perServer: 4, perUser: 2, idleTimeout: .seconds(600)))
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        let acted = Self.start.addingTimeInterval(30)
        try desks.act(session: "s1", .ask("name"), now: acted, takenAt: acted)
        #expect(try desks.expire(now: acted.addingTimeInterval(600)) == 0, "idle for exactly the timeout: still open")
        #expect(desks.openCalls == 1)
        #expect(try TrainingSessions.open(path: path).sessions().isEmpty)
        #expect(try desks.expire(now: acted.addingTimeInterval(601)) == 1)
        #expect(desks.openCalls == 0)
        let stored = try TrainingSessions.open(path: path).sessions()
        #expect(stored.map(\.persona) == ["raise-to-p1"])
        #expect(stored.first?.trainee == "ann")
        #expect(stored.first?.missed.contains("told-next-step") == true, "\(stored)")
        #expect(stored.first?.score ?? 100 < 100)
        #expect(try desks.expire(now: acted.addingTimeInterval(6000)) == 0, "stored once")
        #expect(try TrainingSessions.open(path: path).sessions().count == 1)
    }

    /// A trainee back after the idle timeout pressed a desk button and landed on the persona list
    /// without a word about the call.
    @Test func anActionAfterTheCallWasEndedForBeingIdleSaysWhatHappened() throws {
        let (desks, _) = try Self.desks(.init(perServer: 4, perUser: 2, idleTimeout: .seconds(600)))
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        #expect(try desks.act(session: "s1", .ask("name"), now: Self.start.addingTimeInterval(10), takenAt: Self.start) == nil)
        #expect(try desks.expire(now: Self.start.addingTimeInterval(700)) == 1)
        let note = try desks.act(session: "s1", .end, now: Self.start.addingTimeInterval(710), takenAt: Self.start)
        #expect(note?.hasPrefix("No training call is open in this browser: a call idle for 10 min is ended as abandoned, scored and stored") == true, "\(note ?? "nil")")
    }

    @Test func aDebriefNobodyCameBackToIsDroppedNotStoredAgain() throws {
        let (desks, path) = try Self.desks(.init(perServer: 4, perUser: 2, idleTimeout: .seconds(60)))
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        try desks.act(session: "s1", .end, now: Self.start.addingTimeInterval(5), takenAt: Self.start)
        #expect(try TrainingSessions.open(path: path).sessions().count == 1)
        #expect(desks.openCalls == 1, "the debrief is on screen")
        #expect(try desks.expire(now: Self.start.addingTimeInterval(100)) == 1)
        #expect(desks.openCalls == 0)
        #expect(try TrainingSessions.open(path: path).sessions().count == 1)
    }

    /// A persona naming a case the data does not hold: its file:line error (the page shows it with
    /// 422), and no call or database copy is left open.
    @Test func aPersonaWithAMistakeIsItsFileLineErrorAndLeavesNoCallOpen() throws {
        let (desks, path) = try Self.desks(.init(perServer: 4, perUser: 2, idleTimeout: .seconds(600)))
        let persona = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("typo.yaml")
        try "caller: \"+65 6555 0123\"\nat: 2026-12-02T15:00:00Z\nkeys: [\"1\", \"2\"]\naccount: \"100005\"\ncase: \"00610050\"\n"
            .write(toFile: persona, atomically: true, encoding: .utf8)
        #expect {
            try desks.start(session: "s1", user: 1, trainee: "ann", files: [persona], exam: nil, now: Self.start)
        } throws: { error in
            "\(error)".hasPrefix("\(persona):5:7: error: persona 'typo' is about case '00610050'")
        }
        #expect(desks.openCalls == 0)
        // An exam whose later persona has a mistake does not start (it ended halfway, at that persona).
        let broken = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("broken.yaml")
        try "caller: \"+65 6555 0123\"\nat: never\nkeys: [\"1\", \"2\"]\n".write(toFile: broken, atomically: true, encoding: .utf8)
        #expect {
            try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona, broken], exam: 1, now: Self.start)
        } throws: { error in
            "\(error)".hasPrefix("\(broken):2:5: error:")
        }
        #expect(desks.openCalls == 0)
    }

    /// Starting another call in the same browser dropped the live one unscored.
    @Test func aLiveCallReplacedByAnotherIsStoredAsAbandoned() throws {
        let (desks, path) = try Self.desks(.init(perServer: 4, perUser: 2, idleTimeout: .seconds(600)))
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        try desks.act(session: "s1", .ask("name"), now: Self.start.addingTimeInterval(10), takenAt: Self.start)
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start.addingTimeInterval(20))
        #expect(desks.openCalls == 1)
        let stored = try TrainingSessions.open(path: path).sessions()
        #expect(stored.map(\.persona) == ["raise-to-p1"], "the replaced call is stored")
        #expect(stored.first?.score ?? 100 < 100)
    }

    @Test func endAllStoresEveryOpenCallAsAbandoned() throws {
        let (desks, path) = try Self.desks(.init(perServer: 4, perUser: 2, idleTimeout: .seconds(600)))
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        try desks.start(session: "s2", user: 2, trainee: "bob", files: [Self.persona], exam: nil, now: Self.start)
        #expect(try desks.endAll(now: Self.start.addingTimeInterval(1)) == 2)
        #expect(desks.openCalls == 0)
        #expect(try TrainingSessions.open(path: path).sessions().map(\.trainee).sorted() == ["ann", "bob"])
    }

    @Test func openCallsAreBoundedPerUserAndPerServerWithAClearMessage() throws {
        let (desks, _) = try Self.desks(.init(perServer: 2, perUser: 1, idleTimeout: .seconds(600)))
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        #expect(throws: TrainingDesks.Full.self) {
            try desks.start(session: "s2", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        }
        do {
            try desks.start(session: "s2", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)
        } catch {
            #expect("\(error)".contains("You have 1 training calls open in other browsers"), "\(error)")
        }
        try desks.start(session: "s1", user: 1, trainee: "ann", files: [Self.persona], exam: nil, now: Self.start)  // the same seat: replaced
        try desks.start(session: "s2", user: 2, trainee: "bob", files: [Self.persona], exam: nil, now: Self.start)
        do {
            try desks.start(session: "s3", user: 3, trainee: "cy", files: [Self.persona], exam: nil, now: Self.start)
            Issue.record("a third call on a server that takes two")
        } catch {
            #expect("\(error)".contains("2 training calls are open on this server"), "\(error)")
        }
        #expect(desks.openCalls == 2)
        #expect(try desks.expire(now: Self.start.addingTimeInterval(601)) == 2)
        try desks.start(session: "s3", user: 3, trainee: "cy", files: [Self.persona], exam: nil, now: Self.start.addingTimeInterval(601))
    }
}
