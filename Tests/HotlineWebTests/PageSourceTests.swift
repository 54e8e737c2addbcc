import Foundation
import HotlineCore
import HotlineStore
import HotlineTestSupport
import HotlineWeb
import Testing

/// Pages raised by simulated callers are badged on the desk and the console, carry `source` in the
/// API, and every page list filters by it (`source=simulated|real`; a bad value is a 400 naming it).
@Suite(.serialized) struct PageSourceTests {
    static func withPages(_ body: (TestServer, Browser, (simulated: String, real: String)) async throws -> Void) async throws {
        let server = try await TestServer.make()
        defer { try? FileManager.default.removeItem(at: server.folder) }
        let simulated = try #require(
            try RotaPager(service: server.line.paging, simulated: true).pageOnCall(caseNumber: "00345678", reason: "simulated caller", at: server.clock.now))
        let real = try #require(try server.line.paging.escalate(caseNumber: "00500002", reason: "a real customer", at: server.clock.now).first)
        let manager = Browser(server)
        #expect(try await manager.signIn("manager@hotline.example", "manager-demo").status == 303)
        try await body(server, manager, (simulated.pageID, real.id))
        await server.stop()
    }

    @Test func theDeskBadgesSimulatedPagesAndFiltersBySource() async throws {
        try await Self.withPages { _, manager, ids in
            let desk = try await manager.get("/desk")
            #expect(desk.status == 200)
            #expect(desk.body.contains("<td>\(ids.simulated) <span class=\"badge simulated\">simulated</span></td>"), "\(desk.body)")
            #expect(desk.body.contains("<td>\(ids.real)</td>"))
            // The escalated cases: the one a simulated caller escalated is badged too.
            #expect(desk.body.contains("<a href=\"/cases/00345678\">00345678</a> <span class=\"badge simulated\">simulated</span></td>"), "\(desk.body)")
            #expect(desk.body.contains("<a href=\"/cases/00500002\">00500002</a></td>"))
            let onlySimulated = try await manager.get("/desk?source=simulated")
            #expect(onlySimulated.body.contains(ids.simulated) && !onlySimulated.body.contains(ids.real))
            #expect(onlySimulated.body.contains("data-panels=\"/desk/panels?source=simulated\""))
            let onlyReal = try await manager.get("/desk/panels?source=real")
            #expect(onlyReal.status == 200 && onlyReal.body.contains(ids.real) && !onlyReal.body.contains(ids.simulated))
            // A real page can still be acknowledged from the filtered desk.
            #expect(onlyReal.body.contains("action=\"/pages/\(ids.real)/ack\""))
        }
    }

    @Test func theAPIAndTheConsoleSayTheSourceAndFilterByIt() async throws {
        try await Self.withPages { server, _, ids in
            let trainer = Browser(server)
            #expect(try await trainer.signIn("trainer@hotline.example", "trainer-demo").status == 303)
            let all = try #require(try await trainer.get("/api/pages").json as? [[String: Any]])
            #expect(Set(all.compactMap { $0["source"] as? String }) == ["simulated", "real"])
            let simulated = try #require(try await trainer.get("/api/pages?source=simulated").json as? [[String: Any]])
            #expect(simulated.map { $0["id"] as? String } == [ids.simulated])
            let real = try #require(try await trainer.get("/api/pages?source=real").json as? [[String: Any]])
            #expect(real.map { $0["id"] as? String } == [ids.real])
            let console = try await trainer.get("/console?source=real&channel=sip")
            #expect(console.status == 200 && console.body.contains(ids.real) && !console.body.contains(ids.simulated))
            #expect(console.body.contains("data-panels=\"/console/panels?channel=sip&amp;source=real\""))
        }
    }

    @Test(arguments: ["/desk?source=fake", "/desk/panels?source=fake", "/console?source=fake", "/console/panels?source=fake", "/api/pages?source=fake"])
    func aSourceThatIsNeitherIsRefusedNamingIt(path: String) async throws {
        try await Self.withPages { server, manager, _ in
            let trainer = Browser(server)
            #expect(try await trainer.signIn("trainer@hotline.example", "trainer-demo").status == 303)
            let response = try await (path.hasPrefix("/console") ? trainer : manager).get(path)
            #expect(response.status == 400, "\(path)")
            #expect(response.body.replacingOccurrences(of: "&#39;", with: "'").contains("source must be simulated or real (got 'fake')"), "\(response.body)")
        }
    }
}
