import Foundation
import HotlineApp
import HotlineCore
import HotlineDiagnostics
import HotlineStore
import HotlineTraining
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import Synchronization

/// Training on the web desk (`/training`): a signed-in agent or trainer picks a persona (or an
/// exam), takes the call on the same ``TrainingLine`` as `hotline train`, acts with the terminal
/// desk's commands as buttons and forms, and gets the debrief; every finished call is stored as a
/// training session like the terminal's. Time on the call is the web line's clock since pickup.
///
/// A call the browser abandons (never ended, the tab closed) does not keep its private database
/// copy: ``expire(now:)`` (each beat of the line's clock) ends a call idle for ``idleTimeout`` —
/// scored and stored as abandoned — and drops a debrief nobody came back to; ``endAll(now:)`` does
/// the same for every call when the server stops. At most ``limits`` calls are open at once.
public final class TrainingDesks: Sendable {
    /// How many training calls may be open at once, and how long one may sit idle.
    public struct Limits: Sendable, Hashable {
        /// Calls open at once on this server (each holds a private copy of the database).
        public var perServer: Int
        /// Calls open at once for one user (across their browsers).
        public var perUser: Int
        /// A call with no desk action for this long (the line's clock) is ended as abandoned.
        public var idleTimeout: Duration

        public init(perServer: Int = 16, perUser: Int = 2, idleTimeout: Duration = .seconds(15 * 60)) {
            self.perServer = perServer
            self.perUser = perUser
            self.idleTimeout = idleTimeout
        }
    }

    /// Refused: too many calls open.
    public struct Full: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// One trainee's call at the desk (by web session), and what comes after it in an exam.
    struct Seat {
        var line: TrainingLine
        /// The web user taking it (the per-user limit).
        var user: Int64
        /// The line's clock when the call was put through.
        var started: Date
        /// The line's clock at the last thing the trainee did (the idle timeout counts from here).
        var lastSeen: Date
        /// Persona files still to take (an exam), in order.
        var queue: [String]
        var exam: Exam?
        /// Set when the call is over: scored and stored.
        var debrief: Debrief?
        /// How many timeline entries the page has shown: the caller's lines after these are new
        /// (the page plays them).
        var shown = 0
    }

    struct Exam {
        var seed: UInt64
        var debriefs: [Debrief] = []
    }

    /// The personas the desk offers and the rubric it scores with (`hotline serve --personas
    /// FOLDER --rubric FILE`; the repository's by default).
    public struct Files: Sendable, Hashable {
        /// The folder of persona files (`*.yaml`) the desk lists.
        public var personas: String
        /// The rubric every call is scored on.
        public var rubric: String

        public init(personas: String = TrainingDefaults.personas, rubric: String = TrainingDefaults.rubric) {
            self.personas = personas
            self.rubric = rubric
        }

        /// Reads the folder, every persona in it and the rubric, so a server is not started with a
        /// desk that cannot take a call: a missing or empty folder is a ``TrainingError`` naming it,
        /// a persona or rubric that does not load is its file's ``Diagnostics`` (file:line, fix).
        /// Returns how many personas the folder holds.
        @discardableResult
        public func check() throws -> Int {
            let files = try TrainingDefaults.personaFiles(in: personas)
            var problems: [Diagnostic] = []
            for file in files {
                do { _ = try Persona.load(path: file) } catch { problems += error.errors }
            }
            do { _ = try Rubric.load(path: rubric) } catch { problems += error.errors }
            if !problems.isEmpty { throw Diagnostics(problems) }
            return files.count
        }
    }

    private let seats = Mutex<[String: Seat]>([:])
    /// The folder the default training files are read from (the working folder when empty).
    let root: String
    /// The persona folder and the rubric (relative ones under ``root``).
    let files: Files
    /// Where finished calls are stored (the `training.sqlite` beside the line's database).
    public let sessionsPath: String

    public let limits: Limits
    /// Where the persona's spoken lines are cached (``PersonaLines``).
    public let linesCache: String

    public init(
        sessionsPath: String, root: String = "", files: Files = Files(), limits: Limits = Limits(), linesCache: String = PersonaLines.defaultCache()
    ) {
        self.sessionsPath = sessionsPath
        self.root = root
        self.files = files
        self.limits = limits
        self.linesCache = linesCache
    }

    /// What the audio route answers for a line.
    enum LineAudio {
        case wav(Data)
        /// No such caller line on this seat's call.
        case notFound
        /// espeak-ng or sox is missing, or the line could not be made: what to do about it.
        case unavailable(String)
    }

    /// The WAV of the caller's line at `index` of this seat's transcript (generated with the
    /// prompts' espeak-ng + sox pipeline, cached).
    func lineAudio(session: String, index: Int) -> LineAudio {
        let text: String? = seats.withLock { seats in
            guard let seat = seats[session], seat.line.call.timeline.indices.contains(index) else { return nil }
            let entry = seat.line.call.timeline[index]
            return entry.who == .caller ? entry.text : nil
        }
        guard let text else { return .notFound }
        do {
            let file = try PersonaLines.open(cache: linesCache).wav(for: text)
            guard let data = FileManager.default.contents(atPath: file) else { return .unavailable("the line's file \(file) could not be read") }
            return .wav(data)
        } catch {
            return .unavailable("\(error)")
        }
    }

    /// `training.sqlite` in the folder of the line's database file.
    public convenience init(line: WebLine, files: Files = Files(), limits: Limits = Limits()) {
        let folder = (line.database.path as NSString).deletingLastPathComponent
        self.init(sessionsPath: ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(TrainingDefaults.sessions), files: files, limits: limits)
    }

    /// `15 min`, `90 s`.
    static func wording(_ duration: Duration) -> String {
        let seconds = Int(duration.timeInterval.rounded())
        return seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }

    /// How many calls are open (a debrief still on screen counts: its line is still held).
    public var openCalls: Int { seats.withLock { $0.count } }

    func at(_ path: String) -> String { root.isEmpty || path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path) }

    /// The personas a trainee may pick: id and title (the title is for the trainer's picker).
    func personas() throws -> [(id: String, file: String)] {
        try TrainingDefaults.personaFiles(in: at(self.files.personas)).map { file in
            (((file as NSString).lastPathComponent as NSString).deletingPathExtension, file)
        }
    }

    /// Starts a call (the first of `files`); a call already at this seat is replaced. Throws
    /// ``Full`` when the server or the user has as many calls open as ``limits`` allow.
    public func start(session: String, user: Int64, trainee: String, files: [String], exam: UInt64?, now: Date) throws {
        // Every persona of an exam is read first: a mistake in a later one ended the exam halfway.
        for file in files.dropFirst() { _ = try Persona.load(path: file) }
        try seat(session: session, user: user, trainee: trainee, files: files, exam: exam.map { Exam(seed: $0) }, now: now)
    }

    /// Dials the first of `files` for this seat (the line is made inside the lock: it is not `Sendable`).
    private func seat(session: String, user: Int64, trainee: String, files: [String], exam: Exam?, now: Date) throws {
        guard let first = files.first else { throw TrainingError("no persona to call", fix: "pick a persona") }
        let persona = try Persona.load(path: first)
        let rubric = try Rubric.load(path: at(self.files.rubric))
        let root = root
        let limits = limits
        let replaced = try seats.withLock { seats throws -> (Debrief, [(at: Double, action: String)])? in
            let others = seats.filter { $0.key != session }
            if others.count >= limits.perServer {
                throw Full(description: "\(others.count) training calls are open on this server, the most it takes at once. Try again when one ends (an idle call ends after \(Self.wording(limits.idleTimeout)))")
            }
            let mine = others.values.filter { $0.user == user }.count
            if mine >= limits.perUser {
                throw Full(description: "You have \(mine) training calls open in other browsers, the most one user may have at once. End or leave one of them first (an idle call ends after \(Self.wording(limits.idleTimeout)))")
            }
            let line = try TrainingLine(persona: persona, trainee: trainee, root: root)
            // A live call this browser leaves for another is ended as abandoned and stored, as an
            // idle one is (it was dropped unscored: a bad call could be hidden by starting anew).
            var stored: (Debrief, [(at: Double, action: String)])?
            if let old = seats[session], old.debrief == nil {
                let moment = old.line.pickedUpAt.addingTimeInterval(max(0, now.timeIntervalSince(old.started)))
                old.line.abandon(because: "the trainee started another call", at: moment)
                stored = (old.line.debrief(rubric: rubric), old.line.actions)
            }
            seats[session] = Seat(line: line, user: user, started: now, lastSeen: now, queue: Array(files.dropFirst()), exam: exam)
            return stored
        }
        if let (debrief, actions) = replaced {
            try TrainingSessions.open(path: sessionsPath).save(debrief, actions: actions, at: now)
        }
    }

    /// Ends every call idle for longer than ``Limits/idleTimeout`` at `now` (the line's clock):
    /// a live call is scored and stored as abandoned, a debrief nobody came back to is dropped.
    /// Returns how many seats were let go.
    @discardableResult
    public func expire(now: Date) throws -> Int {
        let timeout = limits.idleTimeout.timeInterval
        return try release(reason: "the web desk was idle for \(Self.wording(limits.idleTimeout))", now: now, idleBefore: now.addingTimeInterval(-timeout))
    }

    /// The server stops: every call still open is scored and stored as abandoned.
    @discardableResult
    public func endAll(now: Date) throws -> Int {
        try release(reason: "the server stopped", now: now, idleBefore: nil)
    }

    /// Lets go of the seats last seen before `idleBefore` (every seat when nil).
    private func release(reason: String, now: Date, idleBefore: Date?) throws -> Int {
        // Each beat of the line's clock comes here: nothing to read when no call is open.
        guard openCalls > 0 else { return 0 }
        let rubric = try Rubric.load(path: at(self.files.rubric))
        let (count, finished) = seats.withLock { seats -> (Int, [(Debrief, [(at: Double, action: String)])]) in
            var finished: [(Debrief, [(at: Double, action: String)])] = []
            var gone: [String] = []
            for (session, seat) in seats {
                if let idleBefore, seat.lastSeen >= idleBefore { continue }
                gone.append(session)
            }
            for session in gone {
                guard let seat = seats.removeValue(forKey: session) else { continue }
                guard seat.debrief == nil else { continue }
                // The trainee's last moment on the call: the persona lives on from there (and hangs up).
                let moment = seat.line.pickedUpAt.addingTimeInterval(max(0, seat.lastSeen.timeIntervalSince(seat.started)))
                seat.line.abandon(because: reason, at: moment)
                finished.append((seat.line.debrief(rubric: rubric), seat.line.actions))
            }
            return (gone.count, finished)
        }
        if !finished.isEmpty {
            let store = try TrainingSessions.open(path: sessionsPath)
            for (debrief, actions) in finished { _ = try store.save(debrief, actions: actions, at: now) }
        }
        return count
    }

    /// The next persona of an exam, or back to the picker.
    func next(session: String, user: Int64, trainee: String, now: Date) throws {
        let upcoming: (files: [String], exam: Exam?)? = seats.withLock { seats in
            guard let seat = seats[session], seat.debrief != nil else { return nil }
            seats[session] = nil
            return seat.queue.isEmpty ? nil : (seat.queue, seat.exam)
        }
        guard let upcoming else { return }
        try seat(session: session, user: user, trainee: trainee, files: upcoming.files, exam: upcoming.exam, now: now)
    }

    /// Performs one desk action at the line's `now`; when the call is over it is scored and stored.
    /// Returns what to tell the trainee when the action could not be read (nil: done).
    @discardableResult
    public func act(session: String, _ action: DeskAction, now: Date, takenAt: Date) throws -> String? {
        let rubric = try Rubric.load(path: at(self.files.rubric))
        // A trainee back from a break whose call was ended for being idle was sent to the persona
        // list without a word: say what happened to the call.
        let open = seats.withLock { $0[session] != nil }
        guard open else {
            return "No training call is open in this browser: a call idle for \(Self.wording(limits.idleTimeout)) is ended as abandoned, scored and stored (hotline train report shows it). Pick a persona to take another."
        }
        let finished: (Debrief, [(at: Double, action: String)])? = seats.withLock { seats in
            guard var seat = seats[session], seat.debrief == nil else { return nil }
            seat.lastSeen = max(seat.lastSeen, now)
            seats[session] = seat
            let moment = seat.line.pickedUpAt.addingTimeInterval(max(0, now.timeIntervalSince(seat.started)))
            seat.line.act(action, at: moment)
            guard seat.line.call.isOver else { return nil }
            seat.line.finish(at: moment)
            let debrief = seat.line.debrief(rubric: rubric)
            seat.debrief = debrief
            seat.exam?.debriefs.append(debrief)
            let actions = seat.line.actions
            seats[session] = seat
            return (debrief, actions)
        }
        if let (debrief, actions) = finished {
            try TrainingSessions.open(path: sessionsPath).save(debrief, actions: actions, at: takenAt)
        }
        return nil
    }

    /// Leaves the call (and any exam) without scoring it.
    func leave(session: String) {
        seats.withLock { $0[session] = nil }
    }

    /// What the page shows for this seat: nil when no call is taken.
    /// The caller's lines not shown before are listed for the page to play; they count as shown.
    func view(session: String, csrf: String) -> [String: Any]? {
        seats.withLock { seats -> String? in
            guard var seat = seats[session] else { return nil }
            let html = TrainingDeskPage.render(seat, csrf: csrf)
            seat.shown = seat.line.call.timeline.count
            seats[session] = seat
            return html
        }.map { ["call": $0] }
    }
}

/// The routes of the training desk, added to the web app's router.
struct TrainingDeskRoutes {
    let app: WebApp
    var desks: TrainingDesks { app.training }
    /// Agents and trainers train; managers and customers do not.
    static let roles: Set<WebRole> = [.agent, .trainer]

    func add(to router: Router<WebContext>) {
        router.get("/training") { request, _ in
            let session = try app.requireSession(request)
            try app.requireRole(session, Self.roles, html: true)
            return try page(session, flash: try app.line.users.takeFlash(sessionID: session.id))
        }
        router.post("/training/start") { request, context in
            let (session, fields) = try await app.checkedForm(request, context)
            try app.requireRole(session, Self.roles, html: true)
            let personas = try desks.personas()
            let now = app.line.clock()
            do {
                if let count = fields["exam"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                    guard (1...personas.count).contains(count), let seed = UInt64((fields["seed"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                        return try page(session, error: "An exam takes 1 to \(personas.count) personas and a whole-number seed.", status: .unprocessableContent)
                    }
                    let files = HotlineTraining.Exam.draw(from: personas.map(\.file), count: count, seed: seed)
                    try desks.start(session: session.id, user: session.user.id, trainee: session.user.displayName, files: files, exam: seed, now: now)
                } else {
                    guard let chosen = personas.first(where: { $0.id == fields["persona"] }) else {
                        return try page(session, error: "Pick one of the personas listed.", status: .unprocessableContent)
                    }
                    try desks.start(session: session.id, user: session.user.id, trainee: session.user.displayName, files: [chosen.file], exam: nil, now: now)
                }
            } catch let problem as TrainingError {
                return try page(session, error: problem.description, status: .unprocessableContent)
            } catch let problems as Diagnostics {
                // A persona file of the folder with a mistake (or naming a case the data does not
                // hold): its file:line errors on the page, not a bare 500.
                return try page(session, error: problems.description, status: .unprocessableContent)
            } catch let full as TrainingDesks.Full {
                return try page(session, error: full.description, status: .tooManyRequests)
            }
            return HTTP.redirect("/training")
        }
        router.post("/training/act") { request, context in
            let (session, fields) = try await app.checkedForm(request, context)
            try app.requireRole(session, Self.roles, html: true)
            switch TrainingDeskPage.action(from: fields) {
            case .failure(let problem):
                try app.line.users.setFlash("Not done: \(problem.description)", sessionID: session.id)
            case .success(let action):
                let now = app.line.clock()
                if let note = try desks.act(session: session.id, action, now: now, takenAt: now) {
                    try app.line.users.setFlash(note, sessionID: session.id)
                }
            }
            return HTTP.redirect("/training")
        }
        router.get("/training/lines/{file}") { request, context in
            let session = try app.requireSession(request)
            try app.requireRole(session, Self.roles, html: false)
            let name = context.parameters.get("file") ?? ""
            guard name.hasSuffix(".wav"), let index = Int(name.dropLast(4)) else {
                return HTTP.text("no such line\n", type: "text/plain; charset=utf-8", status: .notFound)
            }
            switch desks.lineAudio(session: session.id, index: index) {
            case .wav(let data):
                return Response(status: .ok, headers: [.contentType: "audio/wav", .cacheControl: "private, no-store"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            case .notFound:
                return HTTP.text("no such line\n", type: "text/plain; charset=utf-8", status: .notFound)
            case .unavailable(let reason):
                return HTTP.text("the line cannot be spoken: \(reason)\n", type: "text/plain; charset=utf-8", status: .serviceUnavailable)
            }
        }
        router.get("/static/training.js") { _, _ in
            var response = HTTP.text(TrainingDeskPage.script, type: "text/javascript; charset=utf-8")
            response.headers[.cacheControl] = "max-age=300"
            return response
        }
        router.post("/training/next") { request, context in
            let (session, fields) = try await app.checkedForm(request, context)
            try app.requireRole(session, Self.roles, html: true)
            if fields["leave"] != nil {
                desks.leave(session: session.id)
            } else {
                do {
                    try desks.next(session: session.id, user: session.user.id, trainee: session.user.displayName, now: app.line.clock())
                } catch let full as TrainingDesks.Full {
                    return try page(session, error: full.description, status: .tooManyRequests)
                } catch let problem as TrainingError {
                    return try page(session, error: problem.description, status: .unprocessableContent)
                } catch let problems as Diagnostics {
                    return try page(session, error: problems.description, status: .unprocessableContent)
                }
            }
            return HTTP.redirect("/training")
        }
    }

    func page(_ session: WebSession, error: String? = nil, flash: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        var object: [String: Any] = ["csrf": session.csrf]
        if let call = desks.view(session: session.id, csrf: session.csrf) {
            object.merge(call) { $1 }
        } else {
            object["personas"] = try desks.personas().map { persona -> [String: Any] in
                let title = (try? Persona.load(path: persona.file).title) ?? persona.id
                return ["id": persona.id, "title": title]
            }
        }
        let content = TrainingDeskPage.library.render(object, withTemplate: "training") ?? ""
        var layout: [String: Any] = ["title": "Training", "content": content, "csrf": session.csrf]
        let role = session.user.role
        layout["user"] = [
            "name": session.user.displayName, "role": role.rawValue, "seesCases": true, "seesDesk": role != .customer, "seesConsole": role == .trainer,
            "seesTraining": TrainingDeskRoutes.roles.contains(role),
        ] as [String: Any]
        if let error { layout["error"] = error }
        if let flash { layout["flash"] = flash }
        return HTTP.html(Templates.render("layout", layout), status: status)
    }
}

/// The training desk's page: its template, and the forms read back into desk actions.
enum TrainingDeskPage {
    /// A form's fields as the terminal desk's command line, read by ``DeskCommand/parse(_:)``: the
    /// same commands, the same checks, the same messages.
    static func action(from fields: [String: String]) -> Result<DeskAction, DeskCommand.Problem> {
        func field(_ name: String) -> String {
            (fields[name] ?? "").replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        }
        let verb = field("do")
        let words: [String]
        switch verb {
        case "ask": words = ["ask", field("what")]
        case "verify": words = ["verify", field("name"), field("account")]
        case "lookup", "disclose": words = [verb, field("case")]
        case "refuse", "next", "say": words = [verb, field("text")]
        case "comment": words = ["comment", field("case"), field("text")]
        case "priority": words = ["priority", field("case"), field("priority"), field("reason")]
        case "escalate": words = ["escalate", field("case"), field("reason")]
        case "pr": words = ["pr", field("case"), field("summary")]
        case "level": words = ["level", field("case"), field("reason")]
        case "close": words = ["close", field("case"), field("note")]
        case "open": words = ["open", field("priority"), field("skill"), field("summary")]
        case "transfer": words = ["transfer", field("to")]
        case "hold", "resume", "end": words = [verb]
        default: words = [verb]
        }
        return DeskCommand.parse(words.filter { !$0.isEmpty }.joined(separator: " "))
    }

    /// The call (or its debrief) as HTML; every value escaped by mustache.
    static func render(_ seat: TrainingDesks.Seat, csrf: String) -> String {
        let line = seat.line
        var object: [String: Any] = [
            "csrf": csrf, "caller": line.persona.caller,
            "lines": line.call.timeline.map { entry -> [String: Any] in
                ["stamp": DebriefOutput.stamp(entry.offset), "who": entry.who.rawValue, "text": entry.text]
            },
            "askable": Persona.askable, "transfers": TraineeScript.transferTargets,
            "speak": line.call.timeline.indices.filter { $0 >= seat.shown && line.call.timeline[$0].who == .caller }.map(String.init).joined(separator: ","),
        ]
        if let exam = seat.exam { object["exam"] = ["seed": String(exam.seed), "left": seat.queue.count] as [String: Any] }
        if let debrief = seat.debrief {
            object["debrief"] = [
                "persona": "\(line.persona.title) (\(line.persona.id))", "score": debrief.score, "hasNext": !seat.queue.isEmpty,
                "checks": debrief.checks.map { check -> [String: Any] in
                    [
                        "id": check.id, "title": check.title, "weight": check.weight, "detail": check.detail, "rule": check.rule,
                        "mark": !check.applies ? "n/a" : check.passed ? "PASS" : "MISS", "missed": check.applies && !check.passed,
                        "moment": check.moment.map(DebriefOutput.stamp) ?? "—",
                    ]
                },
                "examScore": seat.exam.map { exam in String(exam.debriefs.reduce(0) { $0 + $1.score } / max(1, exam.debriefs.count)) } ?? "",
                "examDone": seat.exam != nil && seat.queue.isEmpty,
            ] as [String: Any]
        } else {
            object["live"] = true
        }
        return library.render(object, withTemplate: "trainingCall") ?? ""
    }

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in ["training": training, "trainingCall": call] {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("template \(name) does not parse: \(error)")  // our own bug: the templates are constants
            }
        }
        return library
    }()

    static let training = """
        <h1>Training</h1>
        {{{call}}}
        {{^call}}
        <p>A scripted customer calls Customer Care and is put through to you. Answer with the desk's
        actions; the call is scored against the procedure and stored (<code>hotline train report</code>).</p>
        <form method="post" action="/training/start" class="training-start" id="persona-form">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>Persona <select name="persona" id="persona">
            {{#personas}}<option value="{{id}}">{{id}} — {{title}}</option>{{/personas}}
          </select></label>
          <button type="submit" id="take-call">Take the call</button>
        </form>
        <form method="post" action="/training/start" class="training-start" id="exam-form">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>Exam of <input type="number" name="exam" id="exam-count" min="1" value="3"> personas</label>
          <label>seed <input type="number" name="seed" id="exam-seed" min="0" value="1"></label>
          <button type="submit" id="take-exam">Start the exam</button>
        </form>
        {{/call}}
        """

    static let call = """
        <section class="training-call" id="training-call">
          <h2>Call from {{caller}}{{#exam}} · exam (seed {{seed}}, {{left}} more after this){{/exam}}</h2>
          <pre class="transcript" id="training-transcript">{{#lines}}[{{stamp}}] {{who}}: {{text}}
        {{/lines}}</pre>
          {{#live}}
          <div class="training-actions" id="training-actions">
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="ask">
              <label>Ask for <select name="what" id="ask-what">{{#askable}}<option value="{{.}}">{{.}}</option>{{/askable}}</select></label>
              <button type="submit" id="do-ask">Ask</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="verify">
              <label>Name <input name="name" id="verify-name"></label> <label>Account <input name="account" id="verify-account" size="8"></label>
              <button type="submit" id="do-verify">Verify</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}">
              <label>Case <input name="case" id="case-number" size="10"></label>
              <button type="submit" name="do" value="lookup" id="do-lookup">Look up (on screen)</button>
              <button type="submit" name="do" value="disclose" id="do-disclose">Tell the caller (SLA state)</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="comment">
              <label>Case <input name="case" size="10"></label> <label>Comment <input name="text" id="comment-text"></label>
              <button type="submit" id="do-comment">Comment</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="priority">
              <label>Case <input name="case" size="10"></label>
              <select name="priority"><option>P1</option><option>P2</option><option>P3</option></select>
              <label>Reason <input name="reason"></label>
              <button type="submit" id="do-priority">Change priority</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="escalate">
              <label>Case <input name="case" size="10" id="escalate-case"></label> <label>Reason <input name="reason" id="escalate-reason"></label>
              <button type="submit" id="do-escalate">Escalate and page</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="level">
              <label>Case <input name="case" size="10"></label> <label>Reason <input name="reason"></label>
              <button type="submit" id="do-level">Raise a level</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="pr">
              <label>Case <input name="case" size="10"></label> <label>Summary <input name="summary"></label>
              <button type="submit" id="do-pr">Problem Report</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="close">
              <label>Case <input name="case" size="10" id="close-case"></label> <label>Note <input name="note" id="close-note"></label>
              <button type="submit" id="do-close">Close the case</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="open">
              <select name="priority"><option>P1</option><option>P2</option><option>P3</option></select>
              <label>Skill <input name="skill" size="10"></label> <label>Summary <input name="summary"></label>
              <button type="submit" id="do-open">Open a case</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="do" value="transfer">
              <select name="to" id="transfer-to">{{#transfers}}<option value="{{.}}">{{.}}</option>{{/transfers}}</select>
              <button type="submit" id="do-transfer">Transfer</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}">
              <label>Say <input name="text" id="say-text-desk"></label>
              <button type="submit" name="do" value="next" id="do-next">Tell the next step</button>
              <button type="submit" name="do" value="refuse" id="do-refuse">Refuse</button>
              <button type="submit" name="do" value="say" id="do-say">Say</button></form>
            <form method="post" action="/training/act"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" name="do" value="hold" id="do-hold">Hold</button>
              <button type="submit" name="do" value="resume" id="do-resume">Resume</button>
              <button type="submit" name="do" value="end" class="danger" id="do-end">End the call</button></form>
          </div>
          {{/live}}
          {{#debrief}}
          <section class="debrief" id="debrief">
            <h2>Debrief: {{persona}}</h2>
            <table class="checks">
            <thead><tr><th></th><th>Check</th><th>Weight</th><th>At</th><th>What happened</th><th>Rule</th></tr></thead>
            <tbody>
            {{#checks}}<tr class="check-{{mark}}"><td>{{mark}}</td><td>{{id}} — {{title}}</td><td>{{weight}}</td><td>{{moment}}</td><td>{{detail}}</td><td>{{#missed}}{{rule}}{{/missed}}</td></tr>
            {{/checks}}
            </tbody>
            </table>
            <p class="score" id="training-score">Score: {{score}}/100</p>
            {{#examDone}}<p class="score" id="exam-score">Exam score: {{examScore}}/100</p>{{/examDone}}
            <form method="post" action="/training/next"><input type="hidden" name="csrf" value="{{csrf}}">
              {{#hasNext}}<button type="submit" id="next-call">Next call</button>{{/hasNext}}
              {{^hasNext}}<button type="submit" id="done">Back to the personas</button>{{/hasNext}}
            </form>
          </section>
          {{/debrief}}
          {{#live}}<form method="post" action="/training/next"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" name="leave" value="1" id="leave">Leave without scoring</button></form>{{/live}}
          <div id="training-audio" data-lines="{{speak}}" hidden></div>
          <script src="/static/training.js" defer></script>
        </section>
        """

    /// The persona's new lines spoken with WebAudio: fetched at once, played when the browser
    /// lets audio start (at once, or after the first click on the page, as the browser phone's
    /// prompts). The text stays in the transcript either way.
    static let script = """
        "use strict";
        (() => {
          const box = document.getElementById("training-audio");
          if (!box || !box.dataset.lines) return;
          const lines = box.dataset.lines.split(",").filter(Boolean);
          const fetched = lines.map(n => fetch("/training/lines/" + encodeURIComponent(n) + ".wav", { credentials: "same-origin" })
            .then(r => r.ok ? r.arrayBuffer() : null).catch(() => null));
          if (!window.AudioContext) return;
          const audio = new AudioContext();
          let started = false;
          async function play() {
            if (started) return;
            started = true;
            for (const data of fetched) {
              const bytes = await data;
              const buffer = bytes ? await audio.decodeAudioData(bytes).catch(() => null) : null;
              if (!buffer) continue;
              await new Promise(done => {
                const source = audio.createBufferSource();
                source.buffer = buffer;
                source.connect(audio.destination);
                source.onended = done;
                source.start();
              });
            }
            box.dataset.played = "yes";
          }
          if (audio.state === "running") play();
          else document.addEventListener("click", () => { audio.resume().then(play); }, { once: true });
        })();
        """
}
