import Foundation
import HotlineApp
import HotlineCore
import HotlineRouter
import HotlineStore
import HotlineWeb
import Testing

/// The desk's calls (waiting, routed to me) with the caller's account and case, and the line's
/// router queue by queue with its service level.
@Suite(.serialized) struct DeskCallsTests {
    static func report(_ board: LiveCallStore, id: String, at start: Date, waiting: String, lines: [String], caseNumber: String?) throws {
        try board.report(
            id: id, channel: "terminal", callerID: "+14085550100", dialled: "+18447517629", sipCallID: nil, host: "here", processID: 1,
            startedAt: start, at: start.addingTimeInterval(30), node: "ts_queue", waiting: waiting, newLines: lines, outcome: nil, caseNumber: caseNumber)
    }

    @Test func theDeskShowsTheCallsWaitingAndTheOneRoutedToThisAgentWithAccountAndCase() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let board = try #require(server.line.board).store
        let caseNumber = try server.caseNumber(account: "100001")
        let start = server.clock.now.addingTimeInterval(-30)
        try Self.report(board, id: "waits", at: start, waiting: "holding in queue gsc at ts_queue", lines: ["[00:00.0] call    answered on +18447517629"], caseNumber: caseNumber)
        try Self.report(
            board, id: "routed", at: start, waiting: "transfer at cc_agent",
            lines: ["[00:00.0] call    answered on +18447517629", "[00:20.0] queue   customer-care: answered by ava.morgan after 00:12.0"], caseNumber: nil)
        let routingAgents = try #require(server.line.systems.router as? SimulatedCallRouter).snapshot(at: server.clock.now).agents.map(\.id)
        _ = try server.line.users.addUser(
            email: "ava@hotline.example", password: "agent-demo-ava", role: .agent, contact: nil, agent: "ava.morgan", routingAgents: routingAgents,
            at: server.clock.now)

        let ava = Browser(server)
        try await ava.signIn("ava@hotline.example", "agent-demo-ava")
        let panels = try await ava.get("/desk/panels")
        #expect(panels.status == 200)
        let waiting = try #require(panels.body.components(separatedBy: "id=\"waiting-calls\"").last?.components(separatedBy: "</table>").first)
        #expect(waiting.contains("100001") && waiting.contains(caseNumber) && waiting.contains("gsc") && waiting.contains("terminal"))
        let mine = try #require(panels.body.components(separatedBy: "id=\"my-calls\"").last?.components(separatedBy: "</table>").first)
        #expect(mine.contains("customer-care") && mine.contains("100001") && !mine.contains("No call routed to you"))
        #expect(panels.body.contains("Ava Morgan (ava.morgan"))

        // The demo agent's sign-in is linked to ava.morgan (`--agent`), so the call is its too.
        let agent = Browser(server)
        try await agent.signIn(WebRouteTests.agent.0, WebRouteTests.agent.1)
        let theirs = try await agent.get("/desk/panels")
        #expect(try server.line.users.user(email: WebRouteTests.agent.0)?.agentID == "ava.morgan")
        #expect(theirs.body.contains("Ava Morgan (ava.morgan") && !theirs.body.contains("No call routed to you"))
        // A sign-in linked to no agent is told how to link it and sees no call as its own — even
        // when its email's local part is a routing agent's id (only `--agent` links).
        _ = try server.line.users.addUser(email: "ava.morgan@hotline.example", password: "agent-demo-nobody", role: .agent, contact: nil, at: server.clock.now)
        let nobody = Browser(server)
        try await nobody.signIn("ava.morgan@hotline.example", "agent-demo-nobody")
        let none = try await nobody.get("/desk/panels")
        #expect(none.body.contains("not linked to a routing agent") && none.body.contains("--agent AGENT-ID") && none.body.contains("No call routed to you"))
        #expect(!none.body.contains("Ava Morgan (ava.morgan"))
        // A manager's desk has no agent's hint and no "routed to you": it points at the pages and who is on call.
        let manager = Browser(server)
        try await manager.signIn(WebRouteTests.manager.0, WebRouteTests.manager.1)
        let managers = try await manager.get("/desk/panels")
        #expect(managers.status == 200 && managers.body.contains("id=\"manager-note\"") && managers.body.contains("href=\"#pages\""))
        #expect(!managers.body.contains("not linked") && !managers.body.contains("not an agent") && !managers.body.contains("Routed to you"))
        #expect(managers.body.contains("id=\"pages\"") && managers.body.contains("id=\"oncall\""))
        // Customers get no desk, as before.
        let dana = Browser(server)
        try await dana.signIn(WebRouteTests.dana.0, WebRouteTests.dana.1)
        #expect(try await dana.get("/desk/panels").status == 403)
    }

    @Test func serveDemoLinksAnExistingUnlinkedDemoAgentAndSaysSo() throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let line = try WebServer.openLine(
            databasePath: folder.appendingPathComponent("old.sqlite").path, policyPath: Repository.path(Defaults.policy),
            routing: .files(
                agents: Repository.path(Defaults.routing) + "/agents.yaml", queues: Repository.path(Defaults.routing) + "/queues.yaml"),
            delivery: RecordingDelivery(), bcryptCost: 4, clock: { TestServer.start })
        // A database of an older release: the demo agent's sign-in exists, linked to nobody.
        _ = try line.users.addUser(email: "agent@hotline.example", password: "agent-demo", role: .agent, contact: nil, at: TestServer.start)
        let said = try WebDemo.prepare(line: line, sampleData: Repository.path(Defaults.sampleData), sla: Repository.path(Defaults.sla))
        #expect(said.contains { $0.hasPrefix("Linked the existing sign-in agent@hotline.example to the routing agent ava.morgan") }, "\(said)")
        #expect(try line.users.user(email: "agent@hotline.example")?.agentID == "ava.morgan")
        #expect(said.contains { $0.contains("agent@hotline.example / agent-demo, routing agent ava.morgan") })
        // Linked once: the next start has nothing to say about it.
        let again = try WebDemo.prepare(line: line, sampleData: Repository.path(Defaults.sampleData), sla: Repository.path(Defaults.sla))
        #expect(!again.contains { $0.hasPrefix("Linked") })
        // A link is never changed by the demo, and only agents are linked.
        #expect(try !line.users.linkUnlinkedAgent(email: "agent@hotline.example", to: "liam.chen", routingAgents: ["liam.chen", "ava.morgan"]))
        #expect(try !line.users.linkUnlinkedAgent(email: "manager@hotline.example", to: "liam.chen", routingAgents: ["liam.chen"]))
    }

    @Test func theQueuesAreTheLineRoutersWithServiceLevelColoursAndTellOpenDesksWhenTheyChange() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let router = try #require(server.line.systems.router as? SimulatedCallRouter)
        let trainer = Browser(server)
        try await trainer.signIn(WebRouteTests.trainer.0, WebRouteTests.trainer.1)
        var panels = try await trainer.get("/desk/panels")
        let queues = try #require(panels.body.components(separatedBy: "id=\"router-queues\"").last)
        for name in ["customer-care", "gsc", "gec", "psirt"] { #expect(queues.contains("<td>\(name)</td>"), "\(name)") }
        #expect(queues.contains("sl-none"))

        try server.line.tick()
        let seen = server.line.events.latestID
        // A call queued on the line's router (as the flow's enqueue does) shows in its figures.
        _ = try router.enqueue(QueueRequest(queue: "gsc", callerID: "+14085550100"), at: server.clock.now)
        server.clock.advance(120)
        try server.line.tick()
        #expect(server.line.events.events(after: seen).contains { $0.name == "queues" })
        panels = try await trainer.get("/desk/panels")
        let gsc = try #require(panels.body.components(separatedBy: "<td>gsc</td>").last?.components(separatedBy: "</tr>").first)
        #expect(gsc.contains("sl-ok") || gsc.contains("sl-amber") || gsc.contains("sl-red"))
    }

    @Test func anAgentSignInIsLinkedOnlyToARoutingAgentWithADidYouMean() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let users = server.line.users
        let agents = ["ava.morgan", "liam.chen"]
        let linked = try users.addUser(
            email: "liam@hotline.example", password: "agent-demo-liam", role: .agent, contact: nil, agent: "liam.chen", routingAgents: agents,
            at: server.clock.now)
        #expect(linked.agentID == "liam.chen")
        #expect(try users.user(email: "liam@hotline.example")?.agentID == "liam.chen")
        let typo = #expect(throws: WebError.self) {
            try users.addUser(email: "x@hotline.example", password: "agent-demo-x", role: .agent, contact: nil, agent: "liam.chn", routingAgents: agents, at: server.clock.now)
        }
        #expect(typo?.description.contains("'liam.chn' is no agent of the routing file") == true)
        #expect(typo?.description.contains("did you mean 'liam.chen'?") == true)
        let notAgent = #expect(throws: WebError.self) {
            try users.addUser(email: "y@hotline.example", password: "manager-demo-y", role: .manager, contact: nil, agent: "ava.morgan", routingAgents: agents, at: server.clock.now)
        }
        #expect(notAgent?.description.contains("only agents are linked") == true)
        #expect(try users.user(email: "x@hotline.example") == nil && users.user(email: "y@hotline.example") == nil)
    }

    @Test func serviceLevelColoursFollowTheDocumentedThresholds() {
        #expect(DeskCalls.level(0.95, offered: 10) == "ok")
        #expect(DeskCalls.level(0.80, offered: 10) == "ok")
        #expect(DeskCalls.level(0.79, offered: 10) == "amber")
        #expect(DeskCalls.level(0.60, offered: 10) == "amber")
        #expect(DeskCalls.level(0.59, offered: 10) == "red")
        #expect(DeskCalls.level(0, offered: 0) == "none")
    }
}
