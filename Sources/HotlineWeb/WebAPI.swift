import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineStore
import HTTPTypes
import Hummingbird
import NIOCore

/// The JSON API beside the pages (`/api/…`), with the same rules: the session cookie, the CSRF
/// token in `X-CSRF-Token` and a same-site `Origin` on every POST, a case of another account
/// answered as a case that does not exist. Described by `/openapi.yaml` (``OpenAPIDocument``).
struct WebAPI: Sendable {
    let app: WebApp
    var line: WebLine { app.line }

    // The API's own shapes; a case, feed entry, page or call is printed as ``JSONShapes`` says,
    // exactly as the CLI's `--json` prints it.

    /// What a case action (comment, priority, escalate, close) answers: the shape
    /// `hotline cases escalate --json` prints too.
    typealias ActionView = JSONShapes.ActionResult

    struct OnCallView: JSONShape {
        var line: String
        var person: String?
        var until: Date?
        var next: String?

        static let schemaName = "OnCall"
        static var enums: [String: [String]] { [:] }
        static var example: Self { Self(line: "primary", person: "Grace Kim", until: Date(timeIntervalSince1970: 0), next: "Mia Chen") }
    }

    struct MeView: JSONShape {
        var email: String
        var role: String
        var accountId: String?
        var csrfToken: String

        static let schemaName = "Me"
        static var enums: [String: [String]] { ["role": WebRole.allCases.map(\.rawValue)] }
        static var example: Self { Self(email: "a@example.com", role: "agent", accountId: "100001", csrfToken: "token") }
    }

    struct QueueView: JSONShape {
        var name: String
        var waiting: Int
        var escalatedCases: Int

        static let schemaName = "Queue"
        static var enums: [String: [String]] { [:] }
        static var example: Self { Self(name: "vpn", waiting: 1, escalatedCases: 0) }
    }

    func add(to router: Router<WebContext>) {
        router.get("/api/me") { request, _ in
            let session = try app.requireSession(request, api: true)
            return try HTTP.json(MeView(email: session.user.email, role: session.user.role.rawValue, accountId: session.user.accountID, csrfToken: session.csrf))
        }
        router.get("/api/cases") { request, _ in
            let session = try app.requireSession(request, api: true)
            let query = request.uri.queryParameters
            let filter: CaseCenter.ListFilter
            switch CaseCenter.ListFilter.reading(status: query.get("status"), priority: query.get("priority")) {
            case .success(let read): filter = read
            case .failure(let refusal): return HTTP.problem(.badRequest, "bad-input", refusal.message)
            }
            let window: CaseCenter.ListWindow
            switch Self.window(request) {
            case .success(let read): window = read
            case .failure(let refusal): return HTTP.problem(.badRequest, "bad-input", refusal.message)
            }
            let rows = try CaseCenter(line: line, user: session.user).cases(status: filter.status, priority: filter.priority)
            return try HTTP.json(window.apply(rows).map { JSONShapes.Case($0.case, sla: $0.sla) })
        }
        router.get("/api/cases/{number}") { request, context in
            let session = try app.requireSession(request, api: true)
            return try refusals {
                let detail = try CaseCenter(line: line, user: session.user).detail(context.parameters.get("number") ?? "")
                return try HTTP.json(JSONShapes.Case(detail.supportCase, sla: detail.sla))
            }
        }
        router.get("/api/cases/{number}/feed") { request, context in
            let session = try app.requireSession(request, api: true)
            return try windowed(request) { window in
                try refusals {
                    try HTTP.json(window.apply(try CaseCenter(line: line, user: session.user).feed(context.parameters.get("number") ?? "")).map(JSONShapes.FeedEntry.init))
                }
            }
        }
        for (path, kind) in [("comments", "comment"), ("priority", "priority"), ("escalate", "escalate"), ("close", "close")] {
            router.post("/api/cases/{number}/\(path)") { request, context in
                try await action(kind, request, context)
            }
        }
        router.get("/api/pages") { request, _ in
            let session = try app.requireSession(request, api: true)
            try app.requireRole(session, [.agent, .manager, .trainer], html: false)
            let source: PageRecord.Source?
            switch CaseCenter.ListFilter.source(reading: request.uri.queryParameters.get("source")) {
            case .success(let read): source = read
            case .failure(let refusal): return HTTP.problem(.badRequest, "bad-input", refusal.message)
            }
            return try windowed(request) { window in
                try HTTP.json(window.apply(try line.paging.store.pages().filter { source == nil || $0.source == source }).map(JSONShapes.Page.init))
            }
        }
        router.post("/api/pages/{id}/ack") { request, context in
            let session = try checked(request)
            return try refusals {
                try HTTP.json(JSONShapes.Page(try CaseCenter(line: line, user: session.user).acknowledge(pageID: context.parameters.get("id") ?? "")))
            }
        }
        router.get("/api/oncall") { request, _ in
            let session = try app.requireSession(request, api: true)
            try app.requireRole(session, [.agent, .manager, .trainer], html: false)
            let now = line.clock()
            return try windowed(request) { window in
              try HTTP.json(
                window.apply(line.policy.rota.detail(at: now)).map { detail in
                    OnCallView(
                        line: detail.line, person: detail.person, until: detail.until,
                        next: detail.until.flatMap { until in line.policy.rota.detail(at: until.addingTimeInterval(1)).first { $0.line == detail.line }?.person })
                })
            }
        }
        router.get("/api/calls") { request, _ in
            let session = try app.requireSession(request, api: true)
            try app.requireRole(session, [.agent, .trainer], html: false)
            let channel: CallChannel?
            switch CaseCenter.ListFilter.channel(reading: request.uri.queryParameters.get("channel")) {
            case .success(let read): channel = read
            case .failure(let refusal): return HTTP.problem(.badRequest, "bad-input", refusal.message)
            }
            // The newest first for the window (default: the newest 100), answered oldest first.
            return try windowed(request) { window in
                var newest = window
                newest.limit = window.limit ?? 100
                let records = try line.cases.callRecords().filter { channel == nil || $0.channel == channel?.rawValue }
                return try HTTP.json(Array(newest.apply(records.reversed()).reversed()).map(JSONShapes.Call.init))
            }
        }
        router.get("/api/queues") { request, _ in
            let session = try app.requireSession(request, api: true)
            try app.requireRole(session, [.agent, .manager, .trainer], html: false)
            return try windowed(request) { window in try HTTP.json(window.apply(try queues())) }
        }
    }

    /// Queues as the case store sees them: open cases waiting per skill, and how many are escalated.
    func queues() throws -> [QueueView] {
        let open = try line.cases.listCases(CaseStore.CaseFilter(includeClosed: false), at: line.clock())
        var bySkill: [String: (Int, Int)] = [:]
        for row in open {
            var counts = bySkill[row.case.skill] ?? (0, 0)
            counts.0 += 1
            if row.case.status == .escalated { counts.1 += 1 }
            bySkill[row.case.skill] = counts
        }
        return bySkill.keys.sorted().map { QueueView(name: $0, waiting: bySkill[$0]?.0 ?? 0, escalatedCases: bySkill[$0]?.1 ?? 0) }
    }

    /// The request's `limit` and `offset`.
    static func window(_ request: Request) -> Result<CaseCenter.ListWindow, CaseCenter.Refusal> {
        let query = request.uri.queryParameters
        return CaseCenter.ListWindow.reading(limit: query.get("limit"), offset: query.get("offset"))
    }

    /// Answers with `body` on the request's window, or 400 naming the bad parameter and its range.
    func windowed(_ request: Request, _ body: (CaseCenter.ListWindow) throws -> Response) throws -> Response {
        switch Self.window(request) {
        case .success(let window): return try body(window)
        case .failure(let refusal): return HTTP.problem(.badRequest, "bad-input", refusal.message)
        }
    }

    func refusals(_ body: () throws -> Response) throws -> Response {
        do {
            return try body()
        } catch let refusal as CaseCenter.Refusal {
            switch refusal {
            case .notFound: return HTTP.problem(.notFound, "not-found", "no such case or page")
            case .forbidden(let text): return HTTP.problem(.forbidden, "forbidden", text)
            case .badInput(let text): return HTTP.problem(.unprocessableContent, "bad-input", text)
            case .refused(let text): return HTTP.problem(.conflict, "refused", text)
            }
        }
    }

    /// Origin, then session, then CSRF header.
    func checked(_ request: Request) throws -> WebSession {
        try app.checkOrigin(request, api: true)
        let session = try app.requireSession(request, api: true)
        try app.checkCSRF(session, token: request.headers[HTTP.csrfHeader], api: true)
        return session
    }

    struct ActionBody: Decodable {
        var body: String?
        var priority: String?
        var reason: String?
        var note: String?
    }

    func action(_ kind: String, _ request: Request, _ context: WebContext) async throws -> Response {
        let session = try checked(request)
        let bytes = try await request.body.collect(upTo: context.maxUploadSize)
        let fields: ActionBody
        if bytes.readableBytes == 0 {
            fields = ActionBody()
        } else {
            do {
                fields = try JSONDecoder().decode(ActionBody.self, from: Data(bytes.readableBytesView))
            } catch {
                return HTTP.problem(.badRequest, "bad-input", "the body must be a JSON object of strings (UTF-8)")
            }
        }
        let action: CaseCenter.Action
        switch kind {
        case "comment": action = .comment(body: fields.body ?? "")
        case "priority": action = .priority(fields.priority ?? "", reason: fields.reason ?? "")
        case "escalate": action = .escalate(reason: fields.reason ?? "")
        default: action = .close(note: fields.note ?? "")
        }
        let number = context.parameters.get("number") ?? ""
        return try refusals {
            let center = CaseCenter(line: line, user: session.user)
            let outcome = try center.perform(action, on: number)
            let changed = try line.cases.supportCase(outcome.entry.caseNumber)
            return try HTTP.json(
                ActionView(
                    message: outcome.message, entry: JSONShapes.FeedEntry(outcome.entry), case: JSONShapes.Case(changed, at: line.clock()),
                    pages: outcome.pages.map(JSONShapes.Page.init)), status: .ok)
        }
    }
}
