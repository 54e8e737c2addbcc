import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import HotlineRota
import HotlineRuntime
import HotlineStore
import HotlineTraining

/// A training call that could not start or run, with what to do about it.
public struct TrainingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var fix: String
    public init(_ message: String, fix: String) {
        self.message = message
        self.fix = fix
    }
    public var description: String { "error: \(message) (fix: \(fix))" }
}

/// Where training's files are, relative to the repository root.
public enum TrainingDefaults {
    public static let personas = "Fixtures/training/personas"
    public static let rubric = "Fixtures/training/rubric.yaml"
    public static let answers = "Fixtures/training/answers"
    public static let sessions = "training.sqlite"

    /// The persona files of a folder, sorted. A folder that is missing, unreadable or holds no
    /// `.yaml` is a ``TrainingError`` naming it (it was a raw "NSCocoaErrorDomain Code=260").
    public static func personaFiles(in folder: String = personas) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw TrainingError(
                "the persona folder \(folder) does not exist" + (FileManager.default.fileExists(atPath: folder) ? " (it is a file)" : ""),
                fix: folder == personas ? "run from the repository root, or give your own folder with --personas FOLDER" : "give --personas a folder of persona files (*.yaml)")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw TrainingError("cannot read the persona folder \(folder)", fix: "check its permissions")
        }
        let names = entries.filter { $0.hasSuffix(".yaml") }.sorted()
        guard !names.isEmpty else {
            throw TrainingError("the persona folder \(folder) holds no persona files (*.yaml)", fix: "write personas there (see docs/training.md), or give another folder with --personas FOLDER")
        }
        return names.map { (folder as NSString).appendingPathComponent($0) }
    }
}

/// One training call on the real line: the persona dials the reference flow on a ``CallSession``
/// (virtual time), presses its keys, waits in the Customer Care queue and is put through to the
/// trainee, whose desk actions run on the real case store, Escalation Desk and pager — all on a
/// private copy of the seeded database, seeded at the persona's instant.
public final class TrainingLine {
    public let persona: Persona
    public private(set) var call: TrainingCall
    /// When the trainee picked up.
    public let pickedUpAt: Date
    public let trainee: String
    let systems: LineSystems
    let desk: EscalationDesk
    let folder: String
    private var verifiedAccount: String?
    /// The case opened on this call: scripts write `opened` for its number.
    private var openedCase: String?
    /// Every desk action taken, with its moment (for the session store).
    public private(set) var actions: [(at: Double, action: String)] = []

    /// Dials the line. Throws when the persona does not reach Customer Care.
    /// - Parameter root: the folder the default files (`Fixtures/…`) are read from; the working folder when empty.
    public init(persona: Persona, trainee: String, root: String = "") throws {
        func at(_ path: String) -> String { root.isEmpty ? path : (root as NSString).appendingPathComponent(path) }
        self.persona = persona
        self.trainee = trainee
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-training-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var wiring = LineWiring(database: (folder as NSString).appendingPathComponent("training.sqlite"), start: persona.at, seeding: .whenEmpty(at: persona.at))
        wiring.durability = .scratch
        wiring.sampleData = at(Defaults.sampleData)
        wiring.sla = at(Defaults.sla)
        wiring.policy = .file(at(Defaults.policy))
        wiring.routing = .files(agents: at(Defaults.routing + "/agents.yaml"), queues: at(Defaults.routing + "/queues.yaml"))
        // Until the call is put through, a failure removes the private copy here (deinit does not
        // run for an object that was not made): a flow file with a mistake left it behind.
        let loaded: LoadedFlow
        do {
            systems = try wiring.open().systems
            try Self.check(persona, in: systems.store, sampleData: wiring.sampleData)
            loaded = try FlowFile.load(path: at(Defaults.flow))
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        desk = EscalationDesk(database: systems.database, policy: systems.paging.policy, delivery: FanOutDelivery([]))

        var line = VirtualCall(
            flow: loaded.flow, integrations: systems.integrations, callerID: persona.caller, at: persona.at,
            lengths: EstimatedPromptLengths(catalog: loaded.catalog), catalog: loaded.catalog)
        line.answer()
        for keys in persona.keys {
            while line.machine.end == nil, !line.isWaitingForInput, line.step() {}
            guard line.machine.end == nil else { break }
            for key in keys { line.press(key) }
        }
        line.runToEnd()
        var call = TrainingCall(persona: persona, dialledAt: persona.at)
        for entry in line.log {
            let text = entry.line
            let body = text.firstIndex(of: "]").map { String(text[text.index(after: $0)...]).trimmingCharacters(in: .whitespaces) } ?? text
            call.lineHeard(body, offset: entry.offset.timeInterval)
        }
        let queued = line.log.contains { if case .queued(let queue, let agent, _, _) = $0.event { return queue == "customer-care" && agent != nil }; return false }
        guard queued, case .ended(.transferred) = line.waiting else {
            try? FileManager.default.removeItem(atPath: folder)
            throw TrainingError(
                "persona '\(persona.id)' did not reach an agent of the Customer Care queue (the line ended: \(line.record?.outcome ?? "not at all"))",
                fix: "check its `keys:` against Fixtures/flows/gsc.yaml (Customer Care is 1, then 2 for a representative) and its `at:` against the queue's staffing")
        }
        pickedUpAt = line.now
        call.pickedUp(at: line.now)
        self.call = call
    }

    /// The persona's `account` and `case` must be in the sample data, and the case the caller's
    /// own: a typo (`case: "00610050"`) made every trainee miss the escalation checks, which no one
    /// could pass, and nobody was told why.
    static func check(_ persona: Persona, in store: CaseStore, sampleData: String) throws(Diagnostics) {
        func problem(_ key: String, _ message: String, fix: String) -> Diagnostics {
            Diagnostics(Diagnostic(.unknownName, at: persona.places[key], file: persona.path.isEmpty ? persona.id : persona.path, message: message, fix: fix))
        }
        var account: Account?
        if let id = persona.account {
            do {
                account = try store.account(id: id)
            } catch {
                let known = ((try? store.accounts()) ?? []).prefix(3).map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                throw problem(
                    "account", "persona '\(persona.id)' calls from account '\(id)', which the sample data (\(sampleData)) does not hold",
                    fix: "use an account of \(sampleData)/accounts.yaml (\(known), …), or leave `account` out for a caller nobody knows")
            }
        }
        guard let number = persona.caseNumber else { return }
        let found: SupportCase
        do {
            found = try store.supportCase(number)
        } catch {
            let theirs = account.flatMap { account in try? store.listCases(.init(accountID: account.id), at: persona.at).map(\.case.number) } ?? []
            throw problem(
                "case", "persona '\(persona.id)' is about case '\(number)', which the sample data (\(sampleData)) does not hold",
                fix: theirs.isEmpty ? "use a case of \(sampleData)/cases.yaml" : "use one of account \(persona.account ?? "")'s cases: \(theirs.joined(separator: ", "))")
        }
        if let account, found.accountID != account.id {
            throw problem(
                "case", "persona '\(persona.id)' is about case \(number), which is account \(found.accountID)'s (\(found.accountName)), not the caller's account \(account.id) (\(account.name))",
                fix: "`case:` is the caller's own case; a case of another company they ask about goes in `knows: { case: … }`")
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Performs one desk action at `now` (not before pickup): the persona's patience first, then
    /// the action on the real systems, then the persona's reaction.
    public func act(_ action: DeskAction, at now: Date) {
        call.timePasses(to: now)
        actions.append((now.timeIntervalSince(persona.at), action.text))
        switch call.decide(action, at: now) {
        case .refuse(let reason):
            call.refused(action, because: reason, at: now)
        case .perform:
            call.performed(action, outcome: perform(action, at: now), at: now)
        }
    }

    /// Time passes on the call to `now` with no desk action (a caller on hold may hang up).
    public func timePasses(to now: Date) {
        call.timePasses(to: now)
    }

    /// The trainee has nothing more to do: the call ends.
    public func finish(at now: Date) {
        call.scriptEnded(at: now)
    }

    /// The trainee left without ending the call: the call is over, scored as the persona lived it.
    public func abandon(because reason: String, at now: Date) {
        call.abandoned(because: reason, at: now)
    }

    /// Runs a whole script (moments after pickup) and finishes the call.
    public func run(_ script: TraineeScript) {
        var now = pickedUpAt
        for step in script.steps {
            now = pickedUpAt.addingTimeInterval(step.at.timeInterval)
            act(step.action, at: now)
        }
        finish(at: now)
    }

    public func debrief(rubric: Rubric) -> Debrief {
        Scoring.score(timeline: call.timeline, persona: persona, rubric: rubric, trainee: trainee)
    }

    // MARK: - The product's operations

    private var author: CaseStore.Author { CaseStore.Author(trainee, role: .support) }

    private func perform(_ action: DeskAction, at now: Date) -> DeskOutcome {
        do {
            return try performing(resolve(action), at: now)
        } catch {
            return .failed(Self.describe(error))
        }
    }

    private func performing(_ action: DeskAction, at now: Date) throws -> DeskOutcome {
        let store = systems.store
        switch action {
        case .ask(let what):
            return .done(.asked(what), note: "")
        case .verify(let name, let account):
            let contacts = try store.contacts(accountID: account)
            if let contact = contacts.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
                // The store holds that contact — but is it the caller? A name read off the case
                // screen ("Dana Whitfield") verified an impostor, who then said "Yes, that's me."
                guard isTheCaller(contact) else {
                    return .done(.verifyFailed, note: "\(contact.name) is a contact of account \(contact.accountID), but the caller does not answer to that name and account")
                }
                verifiedAccount = contact.accountID
                return .done(.verified(account: contact.accountID), note: "\(contact.name) is a contact of account \(contact.accountID)")
            }
            return .done(.verifyFailed, note: "no contact named \(name) at account \(account)")
        case .lookup(let number):
            return .done(.said, note: try summary(of: number, at: now))
        case .disclose(let number):
            let detail = try store.detail(caseNumber: number, at: now)
            return .done(.disclosed(case: number, account: detail.account.id), note: try summary(of: number, at: now))
        case .refuse:
            return .done(.refused, note: "")
        case .comment(let number, let text):
            _ = try store.comment(caseNumber: number, text: text, by: author, at: now)
            return .done(.commented(case: number), note: "comment added to \(number)")
        case .changePriority(let number, let to, let reason):
            let priority = try Priority(parsing: to)
            _ = try store.changePriority(caseNumber: number, to: priority, note: reason, by: author, at: now)
            return .done(.priorityChanged(case: number, to: to, reason: reason), note: "\(number) is \(to) now")
        case .escalate(let number, let reason):
            let (_, pages) = try desk.escalate(caseNumber: number, reason: reason, channel: .phone, by: author, at: now)
            let target = try store.supportCase(number).targetMinutes
            let paged = pages.map(\.person).joined(separator: ", ")
            return .done(
                .escalated(case: number, reason: reason, paged: pages.count, targetMinutes: target),
                note: "escalation recorded on \(number); " + (pages.isEmpty ? "nobody is on call to page" : "paged \(paged)"))
        case .problemReport(let number, let summary):
            let report = try store.openProblemReport(caseNumber: number, summary: summary, by: author, at: now)
            return .done(.problemReport(case: number, id: report.id), note: "\(report.id) raised to engineering")
        case .raiseLevel(let number, let reason):
            _ = try store.escalateLevel(caseNumber: number, reason: reason, by: author, at: now)
            let level = try store.supportCase(number).level.rawValue
            return .done(.levelRaised(case: number, to: level), note: "\(number) is at \(level) now")
        case .close(let number, let note):
            // The same library operation as `hotline cases close`, with its refusals (an unknown
            // case, a case closed already).
            _ = try store.close(caseNumber: number, note: note, by: author, at: now)
            return .done(.closed(case: number), note: "\(number) closed")
        case .openCase(let priority, let skill, let summary):
            guard let account = verifiedAccount else { return .failed("verify the caller first: a case is opened for their account") }
            let opened = try store.openCase(
                CaseStore.NewCase(accountID: account, priority: try Priority(parsing: priority), skill: skill, summary: summary, channel: .phone), by: author, at: now)
            openedCase = opened.number
            return .done(.caseOpened(case: opened.number, priority: priority), note: "case \(opened.number) opened (\(priority), response target \(opened.targetMinutes) min)")
        case .transfer(let to):
            if to == "sme" {
                guard let number = persona.caseNumber ?? verifiedAccount.flatMap({ try? store.listCases(.init(accountID: $0), at: now).first?.case.number }) else {
                    return .failed("no case or account to find an SME for")
                }
                let detail = try store.detail(caseNumber: number, at: now)
                guard let sme = detail.sme else { return .failed("account \(detail.account.name) has no designated SME") }
                guard sme.onDutyNow else { return .failed("\(sme.name) is outside their hours (\(sme.businessHours) \(sme.timeZone))") }
                return .done(.transferred(to: to), note: "transferred to \(sme.name)")
            }
            return .done(.transferred(to: to), note: "transferred to the \(to) queue")
        case .hold: return .done(.held, note: "")
        case .resume: return .done(.resumed, note: "")
        case .nextStep: return .done(.toldNextStep, note: "")
        case .say: return .done(.said, note: "")
        case .end: return .done(.ended, note: "")
        }
    }

    /// Whether a contact the store holds is this persona: its name is the name the persona gives
    /// (`knows.name`) and its account the persona's (`account`). A persona that is nobody the
    /// store knows (no `account`) is never a contact.
    private func isTheCaller(_ contact: Contact) -> Bool {
        guard let account = persona.account, contact.accountID == account else { return false }
        guard let name = persona.knows["name"] else { return true }
        return contact.name.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(name.trimmingCharacters(in: .whitespaces)) == .orderedSame
    }

    /// `opened` stands for the case opened on this call.
    private func resolve(_ action: DeskAction) -> DeskAction {
        func number(_ text: String) -> String { text == "opened" ? (openedCase ?? text) : text }
        switch action {
        case .lookup(let c): return .lookup(case: number(c))
        case .disclose(let c): return .disclose(case: number(c))
        case .comment(let c, let text): return .comment(case: number(c), text: text)
        case .changePriority(let c, let to, let reason): return .changePriority(case: number(c), to: to, reason: reason)
        case .escalate(let c, let reason): return .escalate(case: number(c), reason: reason)
        case .problemReport(let c, let summary): return .problemReport(case: number(c), summary: summary)
        case .raiseLevel(let c, let reason): return .raiseLevel(case: number(c), reason: reason)
        case .close(let c, let note): return .close(case: number(c), note: note)
        case .ask, .verify, .refuse, .openCase, .transfer, .hold, .resume, .nextStep, .say, .end: return action
        }
    }

    private func summary(of number: String, at now: Date) throws -> String {
        let detail = try systems.store.detail(caseNumber: number, at: now)
        let c = detail.supportCase
        var text = "\(c.number) \(detail.account.name) (\(detail.account.tier.rawValue)): \(c.priority.rawValue) \(c.level.rawValue) \(c.status.rawValue), \(c.summary); response target \(detail.sla.targetMinutes) min, \(detail.sla.state.rawValue)"
        if let sme = detail.sme { text += "; SME \(sme.name) " + (sme.onDutyNow ? "on duty" : "off duty") }
        return text
    }

    static func describe(_ error: any Error) -> String {
        if let store = error as? StoreError { return "\(store)" }
        return "\(error)"
    }
}
