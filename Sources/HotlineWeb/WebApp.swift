import Foundation
import HotlineApp
import HotlineCore
import HotlineFlowFile
import HotlineRota
import HotlineRuntime
import HotlineStore
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import Synchronization

/// The web pages and the JSON API on one `WebLine`: who is signed in, who may see what, CSRF and
/// `Origin` on every state-changing request, and each page rendered from a mustache template.
public struct WebApp: Sendable {
    public let line: WebLine
    /// The calls placed from browsers, owned by this server.
    public let phones: BrowserPhones
    /// The trainees' calls at the training desk (`/training`).
    public let training: TrainingDesks

    /// - Parameter training: the personas and rubric of the training desk (checked by the caller).
    public init(line: WebLine, training: TrainingDesks.Files = TrainingDesks.Files()) {
        self.line = line
        self.phones = BrowserPhones(line: line)
        self.training = TrainingDesks(line: line, files: training)
    }

    /// Every route. Pages under `/`, the API under `/api/`.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("/") { request, _ in
            guard let session = try self.optionalSession(request) else { return HTTP.redirect("/login") }
            switch session.user.role {
            case .customer: return HTTP.redirect("/cases")
            case .agent, .manager: return HTTP.redirect("/desk")
            case .trainer: return HTTP.redirect("/console")
            }
        }
        router.get("/static/hotline.css") { _, _ in
            var response = HTTP.text(Assets.css, type: "text/css; charset=utf-8")
            response.headers[.cacheControl] = "max-age=300"
            return response
        }
        router.get("/static/hotline.js") { _, _ in
            var response = HTTP.text(Assets.js, type: "text/javascript; charset=utf-8")
            response.headers[.cacheControl] = "max-age=300"
            return response
        }
        router.get("/static/phone.js") { _, _ in
            var response = HTTP.text(Assets.phoneJS, type: "text/javascript; charset=utf-8")
            response.headers[.cacheControl] = "max-age=300"
            return response
        }
        router.get("/openapi.yaml") { _, _ in HTTP.text(OpenAPIDocument.yaml, type: "application/yaml; charset=utf-8") }
        router.get("/healthz") { _, _ in HTTP.text("ok\n", type: "text/plain; charset=utf-8") }

        router.get("/login") { request, _ in
            if try self.optionalSession(request) != nil { return HTTP.redirect("/") }
            return self.page("Sign in", "login", [:], session: nil)
        }
        router.post("/login") { request, context in try await self.login(request, context) }
        router.get("/logout") { request, _ in
            let session = try self.requireSession(request)
            return self.page("Sign out", "logout", [:], session: session)
        }
        router.post("/logout") { request, context in
            let (session, _) = try await self.checkedForm(request, context)
            try self.line.users.signOut(sessionID: session.id)
            var response = HTTP.redirect("/login")
            response.headers[.setCookie] = HTTP.sessionCookieHeader("", maxAge: 0)
            return response
        }

        router.get("/cases") { request, _ in try self.casesPage(request) }
        router.get("/cases/{number}") { request, context in
            let session = try self.requireSession(request)
            let number = context.parameters.get("number") ?? ""
            return try self.casePage(session: session, number: number, flash: try self.line.users.takeFlash(sessionID: session.id), error: nil)
        }
        router.get("/cases/{number}/feed") { request, context in
            let session = try self.requireSession(request)
            let number = context.parameters.get("number") ?? ""
            return try self.htmlRefusals(session) {
                let entries = try CaseCenter(line: self.line, user: session.user).feed(number)
                switch WebAPI.window(request) {
                case .success(let window):
                    return self.page("Feed of \(number)", "feed", ["number": number, "entries": window.apply(entries).map(Self.entryView)], session: session)
                case .failure(let refusal):
                    return self.page(
                        "Bad input", "message", ["heading": "Bad input", "text": refusal.message + "."], session: session, status: .badRequest)
                }
            }
        }
        for (path, kind) in [("comments", "comment"), ("priority", "priority"), ("escalate", "escalate"), ("close", "close")] {
            router.post("/cases/{number}/\(path)") { request, context in
                try await self.caseAction(kind, request, context)
            }
        }

        router.get("/desk") { request, _ in
            let session = try self.requireSession(request)
            try self.requireRole(session, [.agent, .manager, .trainer], html: true)
            // A `source` that is neither is said on the page (400); the pages are then all shown.
            let query = Self.listQuery(request, channels: false)
            return self.page(
                "Desk", "desk",
                [
                    "panels": try self.deskPanels(session, source: query.source), "panelsURL": query.panelsURL("/desk/panels"),
                    "sources": query.sourceOptions,
                ], session: session, error: query.error, flash: try self.line.users.takeFlash(sessionID: session.id),
                status: query.error == nil ? .ok : .badRequest)
        }
        router.get("/desk/panels") { request, _ in
            let session = try self.requireSession(request)
            try self.requireRole(session, [.agent, .manager, .trainer], html: true)
            let query = Self.listQuery(request, channels: false)
            if let error = query.error { return HTTP.problem(.badRequest, "bad-input", error) }
            return HTTP.html(try self.deskPanels(session, source: query.source))
        }
        router.get("/desk/events") { request, _ in
            let session = try self.requireSession(request)
            try self.requireRole(session, [.agent, .manager, .trainer], html: true)
            return self.eventStream(request)
        }
        router.post("/pages/{id}/ack") { request, context in
            let (session, _) = try await self.checkedForm(request, context)
            let id = context.parameters.get("id") ?? ""
            do {
                let record = try CaseCenter(line: self.line, user: session.user).acknowledge(pageID: id)
                try self.line.users.setFlash("\(record.escalation) (case \(record.caseNumber)) acknowledged by \(session.user.displayName).", sessionID: session.id)
            } catch let refusal as CaseCenter.Refusal {
                try self.line.users.setFlash(Self.words(refusal), sessionID: session.id)
            }
            return HTTP.redirect("/desk")
        }
        router.get("/console") { request, _ in
            let session = try self.requireSession(request)
            try self.requireRole(session, [.trainer], html: true)
            // A `channel` that is no phone, or a `source` that is neither, is said on the page (400);
            // the lists are then shown whole.
            let query = Self.listQuery(request, channels: true)
            return self.page(
                "Console", "console",
                [
                    "panels": try self.consolePanels(channel: query.channel, source: query.source), "panelsURL": query.panelsURL("/console/panels"),
                    "channels": CallChannel.allCases.map { ["value": $0.rawValue, "selected": $0 == query.channel] }, "sources": query.sourceOptions,
                ], session: session, error: query.error, status: query.error == nil ? .ok : .badRequest)
        }
        router.get("/console/calls/{id}") { request, context in
            let session = try self.requireSession(request)
            try self.requireRole(session, [.trainer], html: true)
            guard let id = context.parameters.get("id").flatMap(Int64.init), let view = try ConsoleCallView(line: self.line).view(id: id) else {
                return self.page("Not found", "message", ["heading": "Not found", "text": "There is no such call."], session: session, status: .notFound)
            }
            return self.page("Call \(id)", "consoleCall", view, session: session)
        }
        router.get("/console/panels") { request, _ in
            let session = try self.requireSession(request)
            try self.requireRole(session, [.trainer], html: true)
            let query = Self.listQuery(request, channels: true)
            if let error = query.error { return HTTP.problem(.badRequest, "bad-input", error) }
            return HTTP.html(try self.consolePanels(channel: query.channel, source: query.source))
        }

        router.get("/phone") { request, _ in
            let session = try self.requireSession(request)
            return self.page(
                "Phone", "phone",
                ["number": (try? self.phones.loadedFlow().flow.number) ?? "the line", "keys": ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]],
                session: session)
        }
        router.get("/prompts/{file}") { request, context in
            _ = try self.requireSession(request)
            let name = context.parameters.get("file") ?? ""
            guard name.hasSuffix(".wav"), let catalog = try self.phones.loadedFlow().catalog, let entry = catalog[String(name.dropLast(4))],
                let data = FileManager.default.contents(atPath: entry.file)
            else { return HTTP.text("no such prompt\n", type: "text/plain; charset=utf-8", status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: "audio/wav", .cacheControl: "max-age=3600"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        WebAPI(app: self).add(to: router)
        TrainingDeskRoutes(app: self).add(to: router)
        return router
    }

    /// The browser phone's WebSocket: the upgrade needs a signed-in session and this site's
    /// `Origin` (browsers do not protect WebSocket upgrades as they protect forms). Messages in:
    /// `{"type":"call"}`, `{"type":"key","key":"1"}`, `{"type":"say","text":"…"}`,
    /// `{"type":"hangup"}`; out: `call` (the call so far), `log`, `waiting`, `play`, `stop`, `ended`.
    public func phoneRouter() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.ws("/phone/ws") { request, _ in
            do {
                try self.checkOrigin(request, api: true)
                guard try self.optionalSession(request) != nil else { return .dontUpgrade }
                return .upgrade([:])
            } catch {
                return .dontUpgrade
            }
        } onUpgrade: { inbound, outbound, context in
            guard let session = try self.optionalSession(context.request) else { return }
            let forward = Mutex<Task<Void, Never>?>(nil)
            func follow(_ call: BrowserCall) {
                let stream = call.subscribe()
                let task = Task {
                    for await message in stream { try? await outbound.write(.text(message)) }
                }
                forward.withLock { $0?.cancel(); $0 = task }
            }
            if let call = self.phones.call(session: session.id) { follow(call) }
            for try await message in inbound.messages(maxSize: 16 * 1024) {
                guard case .text(let text) = message,
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    let type = object["type"] as? String
                else { continue }
                switch type {
                case "call":
                    do {
                        follow(try self.phones.place(session: session))
                    } catch {
                        try await outbound.write(.text(BrowserCall.json(["type": "error", "message": "\(error)"])))
                    }
                case "key":
                    if let key = (object["key"] as? String).flatMap({ $0.count == 1 ? $0.first : nil }), "0123456789*#".contains(key) {
                        self.phones.call(session: session.id)?.send(.key(key))
                    }
                case "say":
                    if let text = object["text"] as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty, text.count <= 500 {
                        self.phones.call(session: session.id)?.send(.say(text))
                    }
                case "hangup":
                    self.phones.call(session: session.id)?.send(.hangUp)
                default:
                    continue
                }
            }
            forward.withLock { $0?.cancel() }
        }
        return router
    }

    // MARK: - Sessions, CSRF, Origin

    func optionalSession(_ request: Request) throws -> WebSession? {
        guard let id = request.cookies[HTTP.sessionCookie]?.value, !id.isEmpty else { return nil }
        return try line.users.session(id: id, at: line.clock())
    }

    /// The signed-in session, or a redirect to the sign-in page (pages) / 401 (API).
    func requireSession(_ request: Request, api: Bool = false) throws -> WebSession {
        if let session = try optionalSession(request) { return session }
        if api { throw EarlyResponse(response: HTTP.problem(.unauthorized, "unauthorized", "sign in at /login first")) }
        throw EarlyResponse(response: HTTP.redirect("/login"))
    }

    func requireRole(_ session: WebSession, _ roles: Set<WebRole>, html: Bool) throws {
        guard roles.contains(session.user.role) else {
            let text = "This page is not for the role \(session.user.role.rawValue)."
            if html {
                throw EarlyResponse(response: page("Not allowed", "message", ["heading": "Not allowed", "text": text], session: session, status: .forbidden))
            }
            throw EarlyResponse(response: HTTP.problem(.forbidden, "forbidden", text))
        }
    }

    /// A state-changing request must come from a page of this site: `Origin` equal to this
    /// server's, and the session's CSRF token (form field `csrf` or header `X-CSRF-Token`).
    func checkOrigin(_ request: Request, api: Bool) throws {
        guard let origin = request.headers[.origin], let authority = request.head.authority,
            origin == "http://\(authority)" || origin == "https://\(authority)"
        else {
            throw EarlyResponse(
                response: api
                    ? HTTP.problem(.forbidden, "bad-origin", "the Origin header must be this server's")
                    : HTTP.html(Templates.render("layout", ["title": "Refused", "content": "<h1>Refused</h1><p>This request did not come from a page of this site.</p>"]), status: .forbidden))
        }
    }

    func checkCSRF(_ session: WebSession, token: String?, api: Bool) throws {
        guard let token, HTTP.sameSecret(token, session.csrf) else {
            throw EarlyResponse(
                response: api
                    ? HTTP.problem(.forbidden, "bad-csrf", "send the session's CSRF token in X-CSRF-Token")
                    : HTTP.html(Templates.render("layout", ["title": "Refused", "content": "<h1>Refused</h1><p>The form has expired; reload the page and try again.</p>"]), status: .forbidden))
        }
    }

    /// Session, Origin, body (as a form) and CSRF token of a state-changing page request.
    func checkedForm(_ request: Request, _ context: WebContext) async throws -> (WebSession, [String: String]) {
        try checkOrigin(request, api: false)
        let session = try requireSession(request)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let (fields, invalid) = HTTP.form(body)
        try checkCSRF(session, token: fields["csrf"] ?? request.headers[HTTP.csrfHeader], api: false)
        if let name = invalid.first {
            throw EarlyResponse(
                response: page(
                    "Bad input", "message", ["heading": "Bad input", "text": "The form field '\(name.prefix(40))' is not valid UTF-8 text."],
                    session: session, status: .badRequest))
        }
        return (session, fields)
    }

    // MARK: - Sign-in

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        try checkOrigin(request, api: false)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let fields = HTTP.form(body).fields
        let email = fields["email"] ?? ""
        let result = try line.users.signIn(email: email, password: fields["password"] ?? "", address: context.remoteAddress, at: line.clock())
        switch result {
        case .signedIn(let session):
            // The session id is new at every sign-in: one the browser brought is dropped.
            if let old = request.cookies[HTTP.sessionCookie]?.value { try line.users.signOut(sessionID: old) }
            var response = HTTP.redirect("/")
            response.headers[.setCookie] = HTTP.sessionCookieHeader(session.id, maxAge: Int(WebStore.sessionLifetime))
            return response
        case .refused:
            return page("Sign in", "login", ["email": email], session: nil, error: "Wrong email or password.", status: .unauthorized)
        case .slowedDown(let until):
            let seconds = max(1, Int(until.timeIntervalSince(line.clock()).rounded(.up)))
            var response = page(
                "Sign in", "login", ["email": email], session: nil,
                error: "Too many failed sign-ins. Try again in \(seconds) seconds.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
    }

    // MARK: - Pages

    func page(
        _ title: String, _ template: String, _ object: [String: Any], session: WebSession?, error: String? = nil, flash: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var object = object
        object["csrf"] = session?.csrf ?? ""
        let content = Templates.render(template, object)
        var layout: [String: Any] = ["title": title, "content": content, "csrf": session?.csrf ?? ""]
        if let session {
            let role = session.user.role
            layout["user"] = [
                "name": session.user.displayName, "role": role.rawValue,
                "seesCases": true, "seesDesk": role != .customer, "seesConsole": role == .trainer,
            "seesTraining": TrainingDeskRoutes.roles.contains(role),
            ] as [String: Any]
        }
        if let error { layout["error"] = error }
        if let flash { layout["flash"] = flash }
        return HTTP.html(Templates.render("layout", layout), status: status)
    }

    static func words(_ refusal: CaseCenter.Refusal) -> String {
        switch refusal {
        case .notFound: "Not found."
        case .forbidden(let text), .badInput(let text), .refused(let text): text
        }
    }

    /// Runs a page body; a case the user may not see becomes the same 404 as a missing one.
    func htmlRefusals(_ session: WebSession, _ body: () throws -> Response) throws -> Response {
        do {
            return try body()
        } catch let refusal as CaseCenter.Refusal {
            switch refusal {
            case .notFound:
                return page("Not found", "message", ["heading": "Not found", "text": "There is no such case."], session: session, status: .notFound)
            case .forbidden(let text):
                return page("Not allowed", "message", ["heading": "Not allowed", "text": text], session: session, status: .forbidden)
            case .badInput(let text), .refused(let text):
                return page("Refused", "message", ["heading": "Refused", "text": text], session: session, status: .unprocessableContent)
            }
        }
    }

    func casesPage(_ request: Request) throws -> Response {
        let session = try requireSession(request)
        let query = request.uri.queryParameters
        // A filter that is not a status or priority is said on the page (400), as the API says it;
        // the list then shows every case rather than a silently wrong selection.
        var filter = CaseCenter.ListFilter()
        var filterError: String?
        switch CaseCenter.ListFilter.reading(status: query.get("status"), priority: query.get("priority")) {
        case .success(let read): filter = read
        case .failure(let refusal): filterError = refusal.message
        }
        // So are `limit` and `offset` out of their range (the list is then shown whole).
        var window = CaseCenter.ListWindow()
        switch WebAPI.window(request) {
        case .success(let read): window = read
        case .failure(let refusal): filterError = [filterError, refusal.message].compactMap { $0 }.joined(separator: "; ")
        }
        let status = filter.status
        let priority = filter.priority
        let center = CaseCenter(line: line, user: session.user)
        let now = line.clock()
        let rows = try window.apply(center.cases(status: status, priority: priority)).map { row -> [String: Any] in
            [
                "number": row.case.number, "priority": row.case.priority.rawValue, "status": row.case.status.rawValue,
                "account": "\(row.case.accountID) \(row.case.accountName)", "summary": row.case.summary,
                "slaState": row.sla.state.rawValue, "due": InstantParser.utcString(row.sla.dueAt), "timeLeft": Self.timeLeft(row.sla, now: now),
            ]
        }
        let heading = session.user.role == .customer ? "Your cases" : (session.user.role == .manager ? "Escalated cases" : "All cases")
        return page(
            "Cases", "cases",
            [
                "heading": heading, "rows": rows,
                "statuses": CaseStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == status] },
                "priorities": Priority.allCases.map { ["value": $0.rawValue, "selected": $0 == priority] },
            ], session: session, error: filterError, flash: try line.users.takeFlash(sessionID: session.id),
            status: filterError == nil ? .ok : .badRequest)
    }

    static func timeLeft(_ sla: SLAStatus, now: Date) -> String {
        switch sla.state {
        case .met: return "met"
        case .running, .warning, .breached:
            let seconds = Int(sla.remainingSeconds.rounded())
            let sign = seconds < 0 ? "-" : ""
            let s = abs(seconds)
            return "\(sign)\(s / 3600)h \(String(format: "%02d", s % 3600 / 60))m \(String(format: "%02d", s % 60))s"
        }
    }

    static func entryView(_ entry: FeedEntry) -> [String: Any] {
        var extra = ""
        switch entry.kind {
        case .opened: extra = "\(entry.priority?.rawValue ?? "") \(entry.level?.rawValue ?? "") via \(entry.channel ?? "web")"
        case .priority: extra = "→ \(entry.priority?.rawValue ?? "")"
        case .level: extra = "→ \(entry.level?.rawValue ?? "")"
        case .status: extra = "→ \(entry.status?.rawValue ?? "")"
        case .escalation: extra = "(\(entry.channel ?? "")) \(entry.escalationID ?? "")"
        case .problemReport: extra = entry.ref ?? ""
        case .comment, .close: break
        }
        return [
            "id": entry.id, "at": InstantParser.utcString(entry.at), "kind": entry.kind.rawValue, "extra": extra, "author": entry.author,
            "role": entry.authorRole.rawValue, "body": entry.body.isEmpty ? false : entry.body as Any,
        ]
    }

    func casePage(session: WebSession, number: String, flash: String?, error: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        try htmlRefusals(session) {
            let center = CaseCenter(line: line, user: session.user)
            let detail = try center.detail(number)
            let entries = try line.cases.feed(caseNumber: detail.supportCase.number)
            let supportCase = detail.supportCase
            let sla = detail.sla
            let object: [String: Any] = [
                "number": supportCase.number, "summary": supportCase.summary, "accountID": supportCase.accountID,
                "accountName": supportCase.accountName, "tier": detail.account.tier.label, "contact": supportCase.contactName ?? "—",
                "priority": supportCase.priority.rawValue, "level": supportCase.level.rawValue, "status": supportCase.status.rawValue,
                "owner": supportCase.owner ?? "unassigned", "opened": InstantParser.utcString(supportCase.createdAt),
                "slaState": sla.state.rawValue, "dueEpoch": Int(sla.dueAt.timeIntervalSince1970), "due": InstantParser.utcString(sla.dueAt),
                "target": MinutesText.format(minutes: sla.targetMinutes), "policy": supportCase.slaPolicy,
                "warningPercent": supportCase.warningPercent, "timeLeft": Self.timeLeft(sla, now: line.clock()),
                "used": Int((sla.usedFraction * 100).rounded()), "breached": sla.state == .breached, "warning": sla.state == .warning,
                "priorities": Priority.allCases.map { ["value": $0.rawValue, "selected": $0 == supportCase.priority] },
                "entries": entries.map(Self.entryView),
            ]
            return page("Case \(supportCase.number)", "case", object, session: session, error: error, flash: flash, status: status)
        }
    }

    func caseAction(_ kind: String, _ request: Request, _ context: WebContext) async throws -> Response {
        let (session, fields) = try await checkedForm(request, context)
        let number = context.parameters.get("number") ?? ""
        let action: CaseCenter.Action
        switch kind {
        case "comment": action = .comment(body: fields["body"] ?? "")
        case "priority": action = .priority(fields["priority"] ?? "", reason: fields["reason"] ?? "")
        case "escalate": action = .escalate(reason: fields["reason"] ?? "")
        default: action = .close(note: fields["note"] ?? "")
        }
        do {
            let outcome = try CaseCenter(line: line, user: session.user).perform(action, on: number)
            try line.users.setFlash(outcome.message, sessionID: session.id)
            return HTTP.redirect("/cases/\(outcome.entry.caseNumber)")
        } catch let refusal as CaseCenter.Refusal {
            switch refusal {
            case .notFound, .forbidden: return try htmlRefusals(session) { throw refusal }
            case .badInput(let text), .refused(let text):
                // The refusal is said on the case screen, not on an error page.
                return try casePage(session: session, number: number, flash: nil, error: text, status: .unprocessableContent)
            }
        }
    }

    // MARK: - Desk and console

    /// The filters of the desk's and the console's lists (`channel` of the finished calls, `source`
    /// of the pages), and what is wrong with them.
    struct ListQuery {
        var channel: CallChannel?
        var source: PageRecord.Source?
        var error: String?

        /// The panels' address with the same filters, so a refresh keeps them.
        func panelsURL(_ path: String) -> String {
            let query = [channel.map { "channel=\($0.rawValue)" }, source.map { "source=\($0.rawValue)" }].compactMap { $0 }
            return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
        }

        var sourceOptions: [[String: Any]] { PageRecord.Source.allCases.map { ["value": $0.rawValue, "selected": $0 == source] } }
    }

    static func listQuery(_ request: Request, channels: Bool) -> ListQuery {
        let parameters = request.uri.queryParameters
        var query = ListQuery()
        var errors: [String] = []
        if channels {
            switch CaseCenter.ListFilter.channel(reading: parameters.get("channel")) {
            case .success(let read): query.channel = read
            case .failure(let refusal): errors.append(refusal.message)
            }
        }
        switch CaseCenter.ListFilter.source(reading: parameters.get("source")) {
        case .success(let read): query.source = read
        case .failure(let refusal): errors.append(refusal.message)
        }
        query.error = errors.isEmpty ? nil : errors.joined(separator: "; ")
        return query
    }

    /// The pages, newest first; with `source`, only those raised by simulated (or real) callers.
    func pageViews(canAck: Bool, csrf: String, source: PageRecord.Source? = nil) throws -> [[String: Any]] {
        try line.paging.store.pages().reversed().filter { source == nil || $0.source == source }.map { page in
            let ack = page.acknowledgedBy.map { "\($0) at \(InstantParser.utcString(page.acknowledgedAt ?? page.sentAt))" }
                ?? InstantParser.utcString(page.ackDeadline)
            return [
                "id": page.id, "caseNumber": page.caseNumber, "level": page.level, "person": page.person, "state": page.state.rawValue,
                "sent": InstantParser.utcString(page.sentAt), "ack": ack, "canAck": canAck && page.state == .sent, "csrf": csrf,
                "simulated": page.simulated, "source": page.source.rawValue,
            ]
        }
    }

    func escalatedViews() throws -> [[String: Any]] {
        let now = line.clock()
        let simulated = try line.paging.store.simulatedEscalationCases()
        return try line.cases.listCases(CaseStore.CaseFilter(status: .escalated), at: now).map { row in
            [
                "number": row.case.number, "simulated": simulated.contains(row.case.number), "priority": row.case.priority.rawValue,
                "account": "\(row.case.accountID) \(row.case.accountName)",
                "slaState": row.sla.state.rawValue, "due": InstantParser.utcString(row.sla.dueAt), "timeLeft": Self.timeLeft(row.sla, now: now),
            ]
        }
    }

    func onCallViews() -> [[String: Any]] {
        let now = line.clock()
        return line.policy.rota.detail(at: now).map { detail in
            let next = detail.until.flatMap { until in line.policy.rota.detail(at: until.addingTimeInterval(1)).first { $0.line == detail.line }?.person }
            return [
                "line": detail.line, "person": detail.person ?? "nobody (gap)", "until": detail.until.map(InstantParser.utcString) ?? "—",
                "next": next ?? "—",
            ]
        }
    }

    func deskPanels(_ session: WebSession, source: PageRecord.Source? = nil) throws -> String {
        let desk = DeskCalls(line: line)
        var object: [String: Any] = try desk.callViews(for: session.user)
        object["routerQueues"] = desk.queueViews()
        return Templates.render(
            "deskPanels",
            object.merging([
                "oncall": onCallViews(), "pages": try pageViews(canAck: session.user.role == .manager, csrf: session.csrf, source: source),
                "queues": try WebAPI(app: self).queues().map { ["name": $0.name, "waiting": $0.waiting, "escalatedCases": $0.escalatedCases] },
                "escalated": try escalatedViews(), "now": InstantParser.utcString(line.clock()),
            ]) { _, new in new })
    }

    func consolePanels(channel: CallChannel? = nil, source: PageRecord.Source? = nil) throws -> String {
        let calls = try ConsoleCallView(line: line).finishedCalls(channel: channel)
        return Templates.render(
            "consolePanels",
            [
                "pages": try pageViews(canAck: false, csrf: "", source: source), "escalated": try escalatedViews(), "calls": calls,
                "channel": channel?.rawValue ?? false,
                "liveCalls": try liveCallViews(),
                "now": InstantParser.utcString(line.clock()),
            ])
    }

    /// The calls in progress on the line's board: every phone on this database, whatever process runs it.
    func liveCallViews() throws -> [[String: Any]] {
        let now = line.clock()
        return try (line.board?.store.inProgress() ?? []).map { call -> [String: Any] in
            // In the call's own time (its transcript's), whatever its pace or start.
            let seconds = Int(call.elapsedSeconds(at: now))
            return [
                "id": call.id, "channel": call.channel, "caller": call.callerID, "sipCallID": call.sipCallID ?? false, "node": call.node ?? "—",
                "waiting": call.waiting, "elapsed": "\(seconds / 60)m \(String(format: "%02d", seconds % 60))s",
                "transcript": call.transcript.joined(separator: "\n"),
            ]
        }
    }

    /// Server-sent events: what changed since `Last-Event-ID` first, then new events as they come,
    /// for at most five minutes (the browser reconnects and catches up).
    func eventStream(_ request: Request) -> Response {
        let events = line.events
        let last = EventLog.acceptedID(request.headers[HTTP.lastEventID] ?? request.uri.queryParameters.get("last"))
        let body = ResponseBody { writer in
            var seen = last ?? events.latestID
            try await writer.write(ByteBuffer(string: "retry: 2000\nid: \(seen)\nevent: hello\ndata: connected\n\n"))
            for _ in 0..<300 {
                for event in events.events(after: seen) {
                    seen = event.eventID
                    try await writer.write(ByteBuffer(string: "id: \(event.eventID)\nevent: \(event.name)\ndata: \(event.data)\n\n"))
                }
                try await Task.sleep(for: .seconds(1))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
