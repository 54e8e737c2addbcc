import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// One thing the trainee does at the desk. Each maps to one of the product's operations (the
/// runner performs it on the real store, pager and router) or to something said to the caller.
public enum DeskAction: Sendable, Hashable {
    /// Ask the caller for something they know (`name`, `company`, `account`, `case`, `problem`, …).
    case ask(String)
    /// Verify the caller: the store must hold a contact of that name at that account.
    case verify(name: String, account: String)
    /// Look a case up on the desk's screen (nothing is said to the caller).
    case lookup(case: String)
    /// Tell the caller about a case (status, priority, level, response target): a disclosure.
    case disclose(case: String)
    /// Decline to discuss something (another company's case).
    case refuse(String)
    /// Case Comments.
    case comment(case: String, text: String)
    /// Change Priority; an empty reason is recorded as none.
    case changePriority(case: String, to: String, reason: String)
    /// Escalate: recorded on the case, then the Escalation Manager on call paged.
    case escalate(case: String, reason: String)
    /// A Problem Report to engineering (the case must be at L3).
    case problemReport(case: String, summary: String)
    /// One support level up (L0 → L1 → L2 → L3).
    case raiseLevel(case: String, reason: String)
    /// Close Case (the same operation as `hotline cases close`); the note is recorded on the feed.
    case close(case: String, note: String)
    /// Open a new case for the verified caller's account.
    case openCase(priority: String, skill: String, summary: String)
    /// Transfer the caller to a queue, or to the account's SME (`sme`); the trainee's part ends.
    case transfer(String)
    case hold
    case resume
    /// Tell the caller what happens next.
    case nextStep(String)
    /// Say something else.
    case say(String)
    /// End the call.
    case end

    /// Whether the caller must hear it (refused while the caller is on hold).
    public var isSpoken: Bool {
        switch self {
        case .ask, .verify, .disclose, .refuse, .nextStep, .say, .transfer: true
        case .lookup, .comment, .changePriority, .escalate, .problemReport, .raiseLevel, .close, .openCase, .hold, .resume, .end: false
        }
    }

    /// How the action reads in a transcript.
    public var text: String {
        switch self {
        case .ask(let what): "asks for the caller's \(what)"
        case .verify(let name, let account): "verifies \(name) at account \(account)"
        case .lookup(let number): "looks up case \(number)"
        case .disclose(let number): "tells the caller about case \(number)"
        case .refuse(let text): "declines: \(text)"
        case .comment(let number, let text): "comments on \(number): \(text)"
        case .changePriority(let number, let to, let reason): "changes \(number) to \(to)" + (reason.isEmpty ? " (no reason given)" : ": \(reason)")
        case .escalate(let number, let reason): "escalates \(number)" + (reason.isEmpty ? " (no reason given)" : ": \(reason)")
        case .problemReport(let number, let summary): "raises a Problem Report on \(number): \(summary)"
        case .raiseLevel(let number, let reason): "raises \(number) one level: \(reason)"
        case .close(let number, let note): "closes \(number)" + (note.isEmpty ? "" : ": \(note)")
        case .openCase(let priority, let skill, let summary): "opens a \(priority) \(skill) case: \(summary)"
        case .transfer(let to): "transfers the caller to \(to)"
        case .hold: "puts the caller on hold"
        case .resume: "takes the caller off hold"
        case .nextStep(let text): "tells the next step: \(text)"
        case .say(let text): "says: \(text)"
        case .end: "ends the call"
        }
    }
}

/// A scripted trainee: desk actions at their moments (time since the trainee picked up).
public struct TraineeScript: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        public var at: Duration
        public var action: DeskAction
        /// Where the step was written, for errors.
        public var line: Int

        public init(at: Duration, action: DeskAction, line: Int = 0) {
            self.at = at
            self.action = action
            self.line = line
        }
    }

    public var name: String
    public var steps: [Step]
    /// The check ids a careless script is built to miss (`misses:`); empty for a model answer.
    public var misses: [String] = []

    public init(name: String, steps: [Step], misses: [String] = []) {
        self.name = name
        self.steps = steps
        self.misses = misses
    }

    /// Where a transfer may go.
    public static let transferTargets = ["customer-care", "gsc", "gec", "psirt", "sme"]
    static let kinds = [
        "ask", "verify", "lookup", "disclose", "refuse", "comment", "priority", "escalate", "problem_report", "raise_level", "close", "open_case",
        "transfer", "hold", "resume", "next_step", "say", "end",
    ]

    public static func load(path: String) throws(Diagnostics) -> TraineeScript {
        try read(YAMLFile(path: path))
    }

    public static func load(text: String, path: String) throws(Diagnostics) -> TraineeScript {
        try read(YAMLFile(path: path, text: text))
    }

    static func read(_ file: YAMLFile) throws(Diagnostics) -> TraineeScript {
        let name = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
        var script = TraineeScript(name: name, steps: [])
        guard let root = file.root else {
            if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
            throw Diagnostics(Diagnostic(.empty, file: file.path, line: 1, column: 1, message: "the trainee script is empty", fix: "write `actions:` with a list of desk actions"))
        }
        guard let top = file.fields(of: root, in: "trainee script", allowed: ["actions", "misses", "note"]),
            let listNode = top.value("actions", required: true), let items = file.list(listNode, in: "`actions`")
        else {
            if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
            return script
        }
        script.misses = (top.strings("misses") ?? []).map(\.text)
        var last: Duration = .zero
        for (index, item) in items.enumerated() {
            let context = "action \(index + 1)"
            guard let fields = file.fields(of: item, in: context, allowed: ["at"] + kinds) else { continue }
            guard let at = fields.duration("at", required: true) else { continue }
            if at < last {
                file.error("\(context) is at \(DurationText.format(at)), before the action above it (\(DurationText.format(last)))", at: fields.value("at"), fix: "list actions in time order", code: .badValue)
            }
            last = max(last, at)
            guard let kind = fields.exactlyOne(of: kinds), let value = fields.value(kind) else { continue }
            if let action = readAction(kind, value, file: file, context: "`\(kind)` in \(context)") {
                script.steps.append(Step(at: at, action: action, line: item.mark?.line ?? 0))
            }
        }
        if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
        return script
    }

    private static func readAction(_ kind: String, _ node: Yams.Node, file: YAMLFile, context: String) -> DeskAction? {
        func text() -> String? { file.scalar(node, in: context) }
        func map(_ allowed: [String]) -> YAMLFields? { file.fields(of: node, in: context, allowed: allowed) }
        switch kind {
        case "ask":
            guard let what = text() else { return nil }
            guard Persona.askable.contains(what) else {
                file.error("\(context) asks for '\(what)'" + (Suggestions.closest(to: what, in: Persona.askable).map { "; did you mean '\($0)'?" } ?? ""), at: node,
                           fix: "ask for one of \(Persona.askable.joined(separator: ", "))", code: .badValue)
                return nil
            }
            return .ask(what)
        case "verify":
            guard let f = map(["name", "account"]), let name = f.string("name", required: true), let account = f.string("account", required: true) else { return nil }
            return .verify(name: name, account: account)
        case "lookup": return text().map { .lookup(case: $0) }
        case "disclose": return text().map { .disclose(case: $0) }
        case "refuse": return text().map { .refuse($0) }
        case "comment":
            guard let f = map(["case", "text"]), let number = f.string("case", required: true), let body = f.string("text", required: true) else { return nil }
            return .comment(case: number, text: body)
        case "priority":
            guard let f = map(["case", "to", "reason"]), let number = f.string("case", required: true),
                let to = f.choice("to", from: ["P1", "P2", "P3"], required: true)
            else { return nil }
            return .changePriority(case: number, to: to, reason: f.string("reason") ?? "")
        case "escalate":
            guard let f = map(["case", "reason"]), let number = f.string("case", required: true) else { return nil }
            return .escalate(case: number, reason: f.string("reason") ?? "")
        case "problem_report":
            guard let f = map(["case", "summary"]), let number = f.string("case", required: true), let summary = f.string("summary", required: true) else { return nil }
            return .problemReport(case: number, summary: summary)
        case "raise_level":
            guard let f = map(["case", "reason"]), let number = f.string("case", required: true) else { return nil }
            return .raiseLevel(case: number, reason: f.string("reason") ?? "")
        case "close":
            guard let f = map(["case", "note"]), let number = f.string("case", required: true) else { return nil }
            return .close(case: number, note: f.string("note") ?? "")
        case "open_case":
            guard let f = map(["priority", "skill", "summary"]), let priority = f.choice("priority", from: ["P1", "P2", "P3"], required: true),
                let skill = f.string("skill", required: true), let summary = f.string("summary", required: true)
            else { return nil }
            return .openCase(priority: priority, skill: skill, summary: summary)
        case "transfer":
            guard let to = text() else { return nil }
            guard transferTargets.contains(to) else {
                file.error("\(context) is '\(to)'" + (Suggestions.closest(to: to, in: transferTargets).map { "; did you mean '\($0)'?" } ?? ""), at: node,
                           fix: "transfer to one of \(transferTargets.joined(separator: ", "))", code: .badValue)
                return nil
            }
            return .transfer(to)
        case "hold": return .hold
        case "resume": return .resume
        case "end": return .end
        case "next_step": return text().map { .nextStep($0) }
        case "say": return text().map { .say($0) }
        default:
            return nil
        }
    }
}
