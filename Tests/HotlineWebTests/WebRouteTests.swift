import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineRuntime
import HotlineStore
import HotlineWeb
import Testing

/// Every page and API call of `hotline serve`, against a real server on 127.0.0.1 and a real
/// SQLite file with the sample data. Dana is a customer of account 100001, Ravi of 100002.
@Suite(.serialized) struct WebRouteTests {
    static let dana = ("dana@acme.example", "customer-demo")
    static let ravi = ("ravi@globex.example", "customer-demo")
    static let agent = ("agent@hotline.example", "agent-demo")
    static let manager = ("manager@hotline.example", "manager-demo")
    static let trainer = ("trainer@hotline.example", "trainer-demo")

    @Test func signInSetsAFreshHttpOnlyLaxCookieAndSignOutEndsTheSession() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let browser = Browser(server)
        #expect(try await browser.get("/cases").status == 303)
        let login = try await browser.get("/login")
        #expect(login.status == 200 && login.body.contains("name=\"email\"") && login.body.contains("name=\"password\""))
        #expect(login.header("Content-Security-Policy")?.contains("default-src 'self'") == true)

        browser.setCookie(String(repeating: "a", count: 64))  // a fixed id the browser brings is not kept
        let response = try await browser.signIn(Self.dana.0, Self.dana.1)
        #expect(response.status == 303)
        let cookie = try #require(response.setCookies.first)
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
        #expect(browser.cookie != String(repeating: "a", count: 64))
        let first = browser.cookie
        #expect(try await browser.get("/cases").status == 200)

        // A second sign-in gets another id.
        let again = Browser(server)
        try await again.signIn(Self.dana.0, Self.dana.1)
        #expect(again.cookie != nil && again.cookie != first)

        let out = try await browser.post("/logout", form: [])
        #expect(out.status == 303 && out.header("Location") == "/login")
        #expect(try await browser.get("/cases").status == 303)
        #expect(try await browser.get("/api/cases").status == 401)
    }

    @Test func wrongPasswordsAreRefusedThenSlowedDownPerAccountAndPerAddress() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let browser = Browser(server)
        for _ in 0..<WebStore.freeFailures {
            let response = try await browser.signIn(Self.agent.0, "wrong password")
            #expect(response.status == 401 && response.body.contains("Wrong email or password."))
        }
        // Now even the right password waits.
        let slowed = try await browser.signIn(Self.agent.0, Self.agent.1)
        #expect(slowed.status == 429 && slowed.header("Retry-After") != nil)
        #expect(browser.cookie == nil)
        // The same address is slowed down for another account too.
        let other = try await Browser(server).signIn(Self.trainer.0, Self.trainer.1)
        #expect(other.status == 429)
        server.clock.advance(WebStore.failureWindow + 1)
        #expect(try await browser.signIn(Self.agent.0, Self.agent.1).status == 303)
    }

    @Test func sessionsSurviveARestartOfTheServer() async throws {
        let folder = try Repository.temporaryFolder()
        let clock = TestClock(TestServer.start)
        let first = try await TestServer.make(folder: folder, clock: clock)
        let browser = Browser(first)
        try await browser.signIn(Self.dana.0, Self.dana.1)
        let cookie = try #require(browser.cookie)
        await first.stop()

        let second = try await TestServer.make(folder: folder, clock: clock)
        defer { Task { await second.stop() } }
        let again = Browser(second)
        again.setCookie(cookie)
        let page = try await again.get("/cases")
        #expect(page.status == 200 && page.body.contains("Your cases"))
    }

    @Test func aCustomerSeesOnlyTheirAccountAndAnotherAccountsCaseIsTheSame404AsAMissingOne() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let other = try server.caseNumber(account: "100002")
        let missing = "99999999"
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)

        let list = try await dana.get("/cases")
        #expect(list.body.contains(own) && !list.body.contains(other))
        let apiList = try #require(try await dana.get("/api/cases").json as? [[String: Any]])
        #expect(!apiList.isEmpty && apiList.allSatisfy { $0["account_id"] as? String == "100001" })
        #expect(try await dana.get("/cases/\(own)").status == 200)

        for number in [other, missing, "not-a-case"] {
            let routes: [(String, () async throws -> HTTPResponse)] = [
                ("page", { try await dana.get("/cases/\(number)") }),
                ("feed", { try await dana.get("/cases/\(number)/feed") }),
                ("comment", { try await dana.post("/cases/\(number)/comments", form: [("body", "hello")]) }),
                ("priority", { try await dana.post("/cases/\(number)/priority", form: [("priority", "P1"), ("reason", "x")]) }),
                ("escalate", { try await dana.post("/cases/\(number)/escalate", form: [("reason", "now")]) }),
                ("close", { try await dana.post("/cases/\(number)/close", form: []) }),
                ("api", { try await dana.get("/api/cases/\(number)") }),
                ("api feed", { try await dana.get("/api/cases/\(number)/feed") }),
                ("api comment", { try await dana.api("/api/cases/\(number)/comments", json: ["body": "hello"]) }),
                ("api priority", { try await dana.api("/api/cases/\(number)/priority", json: ["priority": "P1"]) }),
                ("api escalate", { try await dana.api("/api/cases/\(number)/escalate", json: ["reason": "now"]) }),
                ("api close", { try await dana.api("/api/cases/\(number)/close", json: [:]) }),
            ]
            for (name, route) in routes {
                let response = try await route()
                #expect(response.status == 404, "\(name) of \(number): \(response.status)")
                // Identical words for another account's case and a missing one.
                #expect(!response.body.contains(number) || name.hasPrefix("api") == false, "\(name) names the case")
                #expect(!response.body.contains("100002"))
            }
        }
        // Nothing was written to the other account's case.
        let feed = try server.line.cases.feed(caseNumber: other)
        #expect(!feed.contains { $0.author == "Dana Whitfield" })
        let refusedPage = try await dana.get("/cases/\(other)")
        let missingPage = try await dana.get("/cases/\(missing)")
        #expect(refusedPage.body == missingPage.body)
        let refusedAPI = try await dana.get("/api/cases/\(other)")
        let missingAPI = try await dana.get("/api/cases/\(missing)")
        #expect(refusedAPI.body == missingAPI.body)
    }

    /// A role (or nobody signed in) and the status each route answers it. `{case}` is an open
    /// case of account 100002 (not Dana's).
    struct RoleRoutes: Sendable, CustomTestStringConvertible {
        var who: (email: String, password: String)?
        var gets: [String: Int]
        var posts: [String: Int] = [:]
        var testDescription: String { who?.email ?? "signed out" }
    }

    static let roleRoutes: [RoleRoutes] = [
        RoleRoutes(
            who: dana,
            gets: ["/cases": 200, "/desk": 403, "/console": 403, "/api/pages": 403, "/api/oncall": 403, "/api/calls": 403, "/api/queues": 403, "/cases/{case}": 404]),
        RoleRoutes(
            who: agent,
            gets: ["/cases": 200, "/desk": 200, "/console": 403, "/api/pages": 200, "/api/oncall": 200, "/api/calls": 200, "/api/queues": 200, "/cases/{case}": 200]),
        RoleRoutes(
            who: manager,
            gets: ["/cases": 200, "/desk": 200, "/console": 403, "/api/pages": 200, "/api/oncall": 200, "/api/calls": 403, "/api/queues": 200, "/cases/{case}": 404]),
        RoleRoutes(
            who: trainer,
            gets: ["/cases": 200, "/desk": 200, "/console": 200, "/api/pages": 200, "/api/oncall": 200, "/api/calls": 200, "/api/queues": 200, "/cases/{case}": 200]),
        // Signed out: pages redirect to the sign-in, the API answers 401.
        RoleRoutes(
            who: nil,
            gets: [
                "/cases": 303, "/desk": 303, "/console": 303, "/cases/{case}": 303, "/logout": 303, "/api/cases": 401, "/api/pages": 401, "/api/oncall": 401,
                "/api/calls": 401, "/api/queues": 401, "/api/me": 401,
            ],
            posts: ["/cases/{case}/escalate": 303]),
    ]

    @Test(arguments: roleRoutes)
    func everyRoleAgainstEveryPage(_ role: RoleRoutes) async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let someCase = try server.caseNumber(account: "100002")
        let browser = Browser(server)
        if let who = role.who { try await browser.signIn(who.email, who.password) }
        for (template, status) in role.gets.sorted(by: { $0.key < $1.key }) {
            let path = template.replacingOccurrences(of: "{case}", with: someCase)
            let response = try await browser.get(path)
            #expect(response.status == status, "\(role.testDescription) GET \(path): \(response.status)")
        }
        for (template, status) in role.posts.sorted(by: { $0.key < $1.key }) {
            let path = template.replacingOccurrences(of: "{case}", with: someCase)
            let response = try await browser.post(path, form: [("reason", "x")])
            #expect(response.status == status, "\(role.testDescription) POST \(path): \(response.status)")
        }
    }

    @Test func statePostsNeedTheSessionsCSRFTokenAndThisSitesOrigin() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)
        let before = try server.line.cases.feed(caseNumber: own).count

        #expect(try await dana.post("/cases/\(own)/comments", form: [("body", "no token")], csrf: false).status == 403)
        #expect(try await dana.post("/cases/\(own)/comments", form: [("body", "bad token"), ("csrf", String(repeating: "0", count: 64))], csrf: false).status == 403)
        #expect(try await dana.post("/cases/\(own)/comments", form: [("body", "no origin")], origin: nil).status == 403)
        #expect(try await dana.post("/cases/\(own)/comments", form: [("body", "evil origin")], origin: "http://evil.example").status == 403)
        #expect(try await dana.api("/api/cases/\(own)/comments", json: ["body": "no token"], csrf: false).status == 403)
        #expect(try await dana.api("/api/cases/\(own)/comments", json: ["body": "evil"], origin: "http://127.0.0.1:1").status == 403)
        #expect(try await dana.post("/login", form: [("email", Self.dana.0), ("password", Self.dana.1)], csrf: false, origin: "http://evil.example").status == 403)
        // Another session's token is not this session's.
        let other = Browser(server)
        try await other.signIn(Self.dana.0, Self.dana.1)
        #expect(try await dana.post("/cases/\(own)/comments", form: [("body", "x"), ("csrf", other.csrf ?? "")], csrf: false).status == 403)
        #expect(try server.line.cases.feed(caseNumber: own).count == before)

        // With both: written.
        let ok = try await dana.post("/cases/\(own)/comments", form: [("body", "with token")])
        #expect(ok.status == 303 && ok.header("Location") == "/cases/\(own)")
        #expect(try server.line.cases.feed(caseNumber: own).count == before + 1)
    }

    @Test func badInputIsSaidOnTheCaseScreen() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)
        let before = try server.line.cases.feed(caseNumber: own).count

        let empty = try await dana.post("/cases/\(own)/comments", form: [("body", "   ")])
        #expect(empty.status == 422 && empty.body.contains("the comment is empty") && empty.body.contains("Case \(own)"))
        let long = try await dana.post("/cases/\(own)/comments", form: [("body", String(repeating: "x", count: 10_001))])
        #expect(long.status == 422 && long.body.contains("the comment is 10001 characters long; at most 10000 are kept"))
        // The limit is the case's (`CaseText`): the API gives the same refusal, as before.
        let apiLong = try await dana.api("/api/cases/\(own)/comments", json: ["body": String(repeating: "x", count: 10_001)])
        #expect(apiLong.status == 422 && apiLong.body.contains("the comment is 10001 characters long; at most 10000 are kept"))
        let longReason = try await dana.api("/api/cases/\(own)/escalate", json: ["reason": String(repeating: "r", count: 2_001)])
        #expect(longReason.status == 422 && longReason.body.contains("the reason is 2001 characters long; at most 2000 are kept"))
        let nul = try await dana.api("/api/cases/\(own)/comments", json: ["body": "a\u{0}b"])
        #expect(nul.status == 422 && nul.body.contains("the comment contains a NUL character"))
        let huge = try await dana.post("/cases/\(own)/comments", raw: Array(("body=" + String(repeating: "y", count: 400_000)).utf8))
        #expect(huge.status == 413)
        var invalid = Array("body=".utf8) + [0xC3, 0x28, 0xFF]
        invalid += Array("&csrf=\(dana.csrf ?? "")".utf8)
        let notUTF8 = try await dana.post("/cases/\(own)/comments", raw: invalid)
        #expect(notUTF8.status == 400 && notUTF8.body.contains("UTF-8"))
        let encoded = try await dana.post("/cases/\(own)/comments", raw: Array("body=%C3%28%FF&csrf=\(dana.csrf ?? "")".utf8))
        #expect(encoded.status == 400)
        let priority = try await dana.post("/cases/\(own)/priority", form: [("priority", "P9"), ("reason", "x")])
        #expect(priority.status == 422 && priority.body.contains("priority &#39;P9&#39; is not P1, P2 or P3") || priority.body.contains("is not P1, P2 or P3"))
        let noReason = try await dana.post("/cases/\(own)/escalate", form: [("reason", "")])
        #expect(noReason.status == 422 && noReason.body.contains("the reason is empty"))
        let apiBad = try await dana.api("/api/cases/\(own)/priority", json: ["priority": "urgent"])
        #expect(apiBad.status == 422)
        let apiNotJSON = try await dana.post("/api/cases/\(own)/comments", raw: [0xFF, 0xFE], type: "application/json")
        #expect(apiNotJSON.status == 403 || apiNotJSON.status == 400)
        #expect(try server.line.cases.feed(caseNumber: own).count == before)
    }

    /// A list filter that is not a status or a priority is said, on the page as in the API, not
    /// ignored (which showed every case as if it matched).
    @Test func aBadCaseListFilterIsSaidOnThePageAsInTheAPI() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)
        let page = try await dana.get("/cases?status=bogus&priority=P9")
        #expect(page.status == 400)
        #expect(page.body.contains("id=\"error\"") && page.body.contains("status must be new, open, pending-customer, escalated or closed"))
        #expect(page.body.contains("&#39;bogus&#39;"))
        let priority = try await dana.get("/cases?priority=P9")
        #expect(priority.status == 400 && priority.body.contains("priority must be P1, P2 or P3"))
        let api = try await dana.get("/api/cases?priority=P9")
        #expect(api.status == 400 && api.body.contains("priority must be P1, P2 or P3"))
        let good = try await dana.get("/cases?status=open&priority=P1")
        #expect(good.status == 200 && !good.body.contains("id=\"error\""))
    }

    @Test func outOfRangeOrGarbageLimitAndOffsetAre400NamingTheParameterAndRangeOnEveryListRoute() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let spec = try OpenAPICheck(yaml: try await Browser(server).get("/openapi.yaml").body)
        let trainer = Browser(server)
        try await trainer.signIn(Self.trainer.0, Self.trainer.1)
        let api = ["/api/cases", "/api/cases/\(own)/feed", "/api/pages", "/api/oncall", "/api/calls", "/api/queues"]
        let pages = ["/cases", "/cases/\(own)/feed"]
        let bad: [(String, String)] = [
            ("limit=-1", "limit must be a whole number from 1 to 1000 (got '-1')"), ("limit=0", "limit must be a whole number from 1 to 1000"),
            ("limit=1001", "from 1 to 1000"), ("limit=abc", "(got 'abc')"), ("limit=1.5", "limit must be"), ("limit=%2B3", "limit must be"),
            ("limit=99999999999999999999999", "limit must be"), ("offset=-1", "offset must be a whole number from 0 to 1000000"),
            ("offset=x", "offset must be"), ("limit=5&offset=1000001", "offset must be"),
        ]
        for path in api + pages {
            for (query, message) in bad {
                let response = try await trainer.get(path + "?" + query)
                let shown = path.hasPrefix("/api") ? message : message.replacingOccurrences(of: "'", with: "&#39;")
                #expect(response.status == 400 && response.body.contains(shown), "\(path)?\(query): \(response.status) \(response.body.prefix(300))")
                if path.hasPrefix("/api") {
                    let template = path.replacingOccurrences(of: own, with: "{number}")
                    try spec.check(method: "get", path: template, status: response.status, body: response.bodyBytes)
                }
            }
        }
        // In range, the window is what is answered: the second case alone, the whole list without it.
        let all = try #require(try await trainer.get("/api/cases").json as? [[String: Any]])
        let second = try #require(try await trainer.get("/api/cases?limit=1&offset=1").json as? [[String: Any]])
        #expect(all.count > 2 && second.count == 1 && second[0]["number"] as? String == all[1]["number"] as? String)
        let beyond = try #require(try await trainer.get("/api/cases?offset=1000000").json as? [[String: Any]])
        #expect(beyond.isEmpty)
        let page = try await trainer.get("/cases?limit=2")
        #expect(page.status == 200 && page.body.components(separatedBy: "class=\"case-link\"").count == 3)
        #expect(try await trainer.get("/cases/\(own)/feed?limit=1&offset=0").status == 200)
    }

    @Test func aHostileCommentIsEscapedEverywhere() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)
        let hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> & \"quoted\""
        #expect(try await dana.post("/cases/\(own)/comments", form: [("body", hostile)]).status == 303)
        for path in ["/cases/\(own)", "/cases/\(own)/feed"] {
            let page = try await dana.get(path)
            #expect(!page.body.contains("<script>alert"), "\(path)")
            #expect(!page.body.contains("<img src=x"), "\(path)")
            #expect(page.body.contains("&lt;script&gt;alert("), "\(path)")
        }
        // The API returns the text exactly as written (JSON, not HTML).
        let feed = try #require(try await dana.get("/api/cases/\(own)/feed").json as? [[String: Any]])
        #expect(feed.contains { $0["body"] as? String == hostile })
        // A hostile email at sign-in is escaped on the refusal page too.
        let refused = try await Browser(server).signIn("\"><script>x</script>@x", "whatever1")
        #expect(!refused.body.contains("<script>x</script>"))
    }

    @Test func caseActionsGoThroughTheCaseStoreWithItsRefusals() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)

        let page = try await dana.get("/cases/\(own)")
        for part in ["Case Detail", "Show Feed", "Case Comments", "Change Priority", "Escalate Now", "Close Case", "time left", "due"] {
            #expect(page.body.contains(part), "\(part)")
        }
        let before = try server.line.cases.supportCase(own)
        let target: Priority = before.priority == .p1 ? .p2 : .p1
        #expect(try await dana.post("/cases/\(own)/priority", form: [("priority", target.rawValue), ("reason", "production down")]).status == 303)
        let after = try server.line.cases.supportCase(own)
        #expect(after.priority == target && after.responseDueAt != before.responseDueAt)
        let flash = try await dana.get("/cases/\(own)")
        #expect(flash.body.contains("is now \(target.rawValue)"))
        // The same priority again: the command line's refusal, on the page.
        let same = try await dana.post("/cases/\(own)/priority", form: [("priority", target.rawValue), ("reason", "")])
        #expect(same.status == 422 && same.body.contains("already has"))

        #expect(try await dana.post("/cases/\(own)/close", form: []).status == 303)
        #expect(try server.line.cases.supportCase(own).status == .closed)
        let closed = try await dana.post("/cases/\(own)/escalate", form: [("reason", "too late")])
        #expect(closed.status == 422 && closed.body.contains("is closed and cannot be changed"))
        let apiClosed = try await dana.api("/api/cases/\(own)/escalate", json: ["reason": "too late"])
        #expect(apiClosed.status == 409)
        #expect(try server.line.paging.store.pages(caseNumber: own).isEmpty)
    }

    @Test func escalateNowRecordsAWebEscalationAndPagesTheManagerOnCallLikeAPhoneEscalation() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)
        let response = try await dana.post("/cases/\(own)/escalate", form: [("reason", "production is down")])
        #expect(response.status == 303)

        let entry = try #require(try server.line.cases.feed(caseNumber: own).last)
        #expect(entry.kind == .escalation && entry.channel == "web" && entry.body == "production is down" && entry.authorRole == .customer)
        #expect(try server.line.cases.supportCase(own).status == .escalated)
        let pages = try server.line.paging.store.pages(caseNumber: own)
        #expect(pages.count == 1 && pages[0].level == 1)
        #expect(pages[0].person == server.line.policy.person(level: 1, at: server.clock.now))
        #expect(server.delivery.delivered.map(\.id) == pages.map(\.id))

        // The same case escalated by phone on an identical line (what the call flow's record_escalation
        // does, through the same desk) makes the same kind of record and the same page.
        let phoneSide = try await TestServer.make()
        defer { Task { await phoneSide.stop() } }
        let desk = EscalationDesk(database: phoneSide.line.database, policy: phoneSide.line.policy, delivery: FanOutDelivery([]))
        let (phoneEntry, phonePages) = try desk.escalate(
            caseNumber: own, reason: "production is down", channel: .phone, by: CaseStore.Author("Dana Whitfield", role: .customer), at: phoneSide.clock.now)
        #expect(phoneEntry.kind == entry.kind && phoneEntry.caseNumber == entry.caseNumber && phoneEntry.channel == "phone")
        #expect(phoneEntry.body == entry.body && phoneEntry.authorRole == entry.authorRole && phoneEntry.id == entry.id)
        #expect(phonePages.count == pages.count && phonePages[0].person == pages[0].person && phonePages[0].level == pages[0].level)
        #expect(phonePages[0].id == pages[0].id && phonePages[0].caseNumber == pages[0].caseNumber && phonePages[0].ackDeadline == pages[0].ackDeadline)
        #expect(phonePages[0].reason.replacingOccurrences(of: "(phone)", with: "(web)") == pages[0].reason)
        // Escalating again while the escalation pages joins it: nobody is paged twice.
        let again = try await dana.post("/cases/\(own)/escalate", form: [("reason", "still down")])
        #expect(again.status == 303)
        #expect(try await dana.get("/cases/\(own)").body.contains("already paging goes on"))
        #expect(try server.line.paging.store.pages(caseNumber: own).count == 1)

        // The manager sees it on the desk and acknowledges it there.
        let manager = Browser(server)
        try await manager.signIn(Self.manager.0, Self.manager.1)
        let deskPage = try await manager.get("/desk")
        #expect(deskPage.body.contains(pages[0].id) && deskPage.body.contains("Acknowledge"))
        #expect(try await manager.get("/cases/\(own)").status == 200)  // escalated: the manager may open it
        let ack = try await manager.post("/pages/\(pages[0].id)/ack", form: [])
        #expect(ack.status == 303)
        #expect(try server.line.paging.store.page(pages[0].id)?.state == .acknowledged)
        // An agent may not acknowledge.
        let agent = Browser(server)
        try await agent.signIn(Self.agent.0, Self.agent.1)
        #expect(try await agent.api("/api/pages/\(pages[0].id)/ack", json: [:]).status == 403)
    }

    @Test func theLinesClockClimbsUnacknowledgedPages() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let own = try server.caseNumber(account: "100001")
        let dana = Browser(server)
        try await dana.signIn(Self.dana.0, Self.dana.1)
        #expect(try await dana.api("/api/cases/\(own)/escalate", json: ["reason": "down"]).status == 200)
        let first = try #require(try server.line.paging.store.pages(caseNumber: own).first)
        server.clock.advance(first.ackDeadline.timeIntervalSince(server.clock.now) + 1)
        let sent = try server.line.tick()
        #expect(sent.count == 1 && sent[0].level == 2)
        #expect(try server.line.paging.store.page(first.id)?.state == .escalated)
        // The desk's event stream announces it to a browser that reconnects with an old id.
        let events = server.line.events.events(after: "\(server.line.events.epoch)-0")
        #expect(events.contains { $0.name == "page" && $0.data.contains(sent[0].id) })
        #expect(server.line.events.events(after: "other-3").first?.name == "reload")
    }

    @Test func theDeskStreamsEventsWithIdsAndReplaysWhatAReconnectingPageMissed() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let agent = Browser(server)
        try await agent.signIn(Self.agent.0, Self.agent.1)
        let own = try server.caseNumber(account: "100001")
        let start = server.line.events.latestID
        #expect(try await agent.api("/api/cases/\(own)/comments", json: ["body": "first"]).status == 200)
        let missed = server.line.events.events(after: start)
        #expect(missed.count == 1 && missed[0].name == "case" && missed[0].data == own)
        #expect(missed[0].eventID != start)
    }

    @Test func aGarbageLastEventIDGetsAReloadAndCannotWriteEventsIntoTheStream() {
        let log = EventLog()
        log.append("case", "00345678")
        let own = log.latestID
        #expect(EventLog.acceptedID(own) == own && EventLog.acceptedID(nil) == nil)
        for given in ["x\nevent: evil\ndata: injected", "garbage", "\(own)\r\n", "-1", "a-", "a-b", String(repeating: "1", count: 41) + "-1"] {
            let accepted = EventLog.acceptedID(given)
            #expect(accepted == "unknown-0", "\(given)")
            #expect(log.events(after: accepted).map(\.name) == ["reload"], "\(given)")
        }
    }

    @Test func theAPIAnswersMatchTheOpenAPIDocument() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let document = try await Browser(server).get("/openapi.yaml")
        #expect(document.status == 200)
        let spec = try OpenAPICheck(yaml: document.body)
        let own = try server.caseNumber(account: "100001")
        let agent = Browser(server)
        try await agent.signIn(Self.agent.0, Self.agent.1)
        let trainer = Browser(server)
        try await trainer.signIn(Self.trainer.0, Self.trainer.1)
        let manager = Browser(server)
        try await manager.signIn(Self.manager.0, Self.manager.1)
        let anonymous = Browser(server)
        let who = ["agent": agent, "trainer": trainer, "manager": manager, "nobody": anonymous]
        // In order: each step may depend on the ones before (the escalation makes PG-000001, the
        // first close makes the second a refusal, the agent may not acknowledge, the manager may).
        let steps: [(who: String, method: String, template: String, path: String, json: [String: String]?)] = [
            ("agent", "get", "/api/me", "/api/me", nil),
            ("agent", "get", "/api/cases", "/api/cases", nil),
            ("agent", "get", "/api/cases", "/api/cases?status=nonsense", nil),
            ("agent", "get", "/api/cases/{number}", "/api/cases/\(own)", nil),
            ("agent", "get", "/api/cases/{number}", "/api/cases/00000000", nil),
            ("agent", "get", "/api/cases/{number}/feed", "/api/cases/\(own)/feed", nil),
            ("agent", "post", "/api/cases/{number}/comments", "/api/cases/\(own)/comments", ["body": "looking"]),
            ("agent", "post", "/api/cases/{number}/comments", "/api/cases/\(own)/comments", ["body": ""]),
            ("agent", "post", "/api/cases/{number}/priority", "/api/cases/\(own)/priority", ["priority": "P1", "reason": "x"]),
            ("agent", "post", "/api/cases/{number}/escalate", "/api/cases/\(own)/escalate", ["reason": "x"]),
            ("agent", "get", "/api/pages", "/api/pages", nil),
            ("agent", "get", "/api/oncall", "/api/oncall", nil),
            ("trainer", "get", "/api/calls", "/api/calls", nil),
            ("agent", "get", "/api/queues", "/api/queues", nil),
            ("agent", "post", "/api/pages/{id}/ack", "/api/pages/PG-000001/ack", [:]),
            ("agent", "post", "/api/cases/{number}/close", "/api/cases/\(own)/close", [:]),
            ("agent", "post", "/api/cases/{number}/close", "/api/cases/\(own)/close", [:]),
            ("manager", "post", "/api/pages/{id}/ack", "/api/pages/PG-000001/ack", [:]),
            ("nobody", "get", "/api/me", "/api/me", nil),
        ]
        var statuses: [Int] = []
        for step in steps {
            let browser = try #require(who[step.who])
            let response: HTTPResponse
            if let json = step.json {
                response = try await browser.api(step.path, json: json)
            } else {
                response = try await browser.get(step.path)
            }
            try spec.check(method: step.method, path: step.template, status: response.status, body: response.bodyBytes)
            statuses.append(response.status)
        }
        // Answers and refusals alike were checked against the document.
        #expect(statuses.count == 19 && Set(statuses).isSuperset(of: [200, 400, 401, 403, 404, 409, 422]), "\(statuses)")
        // Every operation the document lists was exercised.
        #expect(Set(steps.map { "\($0.method.uppercased()) \($0.template)" }) == Set(OpenAPIDocument.routes))
    }
}

/// The browser phone: the server's call (a `LiveCall` on a `CallSession`) with the browser as
/// keypad and speaker; a page that comes back gets the call so far.
@Suite(.serialized) struct BrowserPhoneTests {
    @Test func aBrowserCallRunsOnTheServerAndAReloadedPageResumesIt() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let phones = BrowserPhones(line: server.line, flowPath: Repository.path(Defaults.flow))
        guard case .signedIn(let session) = try server.line.users.signIn(
            email: "dana@acme.example", password: "customer-demo", address: "test", at: server.clock.now)
        else {
            Issue.record("the demo customer cannot sign in")
            return
        }
        let call = try phones.place(session: session)
        #expect(call.caller == "+14085550100")
        #expect(try phones.place(session: session) === call)  // a reload finds the same call
        #expect(phones.active.count == 1)

        // Wait (bounded) until the flow listens, then press 1.
        func waitFor(_ what: String, _ condition: () -> Bool) async throws {
            for _ in 0..<600 where !condition() { try await Task.sleep(for: .milliseconds(100)) }
            #expect(condition(), "\(what)")
        }
        try await waitFor("the menu listens") { call.waiting.hasPrefix("listening") || call.waiting.hasPrefix("playing") }
        let before = call.transcript.count
        call.send(.key("1"))
        try await waitFor("the key is in the transcript") { call.transcript.count > before }

        // A page that subscribes now gets everything so far first.
        var iterator = call.subscribe().makeAsyncIterator()
        let first = try #require(await iterator.next())
        #expect(first.contains("\"type\":\"call\"") && first.contains("transcript"))
        call.send(.hangUp)
        try await waitFor("the call ends") { call.isOver }
        #expect(phones.active.isEmpty)
        // The call was on the line's live-call board all along, as a browser call, and is finished there.
        let board = try #require(server.line.board)
        try await waitFor("the board has the browser call finished") {
            ((try? board.store.finished()) ?? []).contains { $0.channel == "browser" && $0.outcome == "caller-hung-up" && $0.transcript.contains { $0.contains("press") } }
        }
        try await waitFor("the call record is saved") { ((try? server.line.cases.callRecords()) ?? []).contains { $0.callerID == "+14085550100" } }
    }
}
