import Foundation
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
