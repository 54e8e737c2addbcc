import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// A scripted customer: who calls, how they get through the line, what they want, what they know,
/// how patient they are and what they say to what the trainee does.
public struct Persona: Sendable, Hashable {
    /// The file's name without `.yaml` (`p1-past-target`); answers are named after it.
    public var id: String
    public var title: String
    /// What the persona wants, in a sentence (shown to the trainer, never to the trainee's script).
    public var wants: String = ""
    /// The caller ID the persona dials from (a sample contact's number, or an unknown one).
    public var caller: String
    /// When the call is made; the sample data is seeded at this instant.
    public var at: Date
    /// What the persona presses on the line, one entry per time the line listens ("1", "2").
    public var keys: [String]
    /// The caller's real account (nil: nobody we know); what "another account" is measured against.
    public var account: String?
    /// The case the call is about, when it is the caller's own.
    public var caseNumber: String?
    /// What a correct handling must achieve.
    public var needs: Needs
    /// What the persona answers when asked (`name`, `company`, `account`, `case`, `problem`, `phone`).
    public var knows: [String: String]
    /// How long the persona waits on hold (or in silence) before hanging up.
    public var patience: Duration
    /// What the persona says in reaction to the trainee (see ``Reaction``).
    public var reactions: [Reaction: String]
    /// Where the file set `account` and `case` (for errors about what they name).
    public var places: [String: SourceLocation] = [:]
    /// The file the persona was read from.
    public var path: String = ""

    /// What a correct handling achieves: the checks that apply to this persona beyond the common ones.
    public struct Needs: Sendable, Hashable {
        /// An escalation recorded on ``Persona/caseNumber`` and the Escalation Manager paged.
        public var escalation = false
        /// The case raised to this priority (`P1`).
        public var priority: String?
        /// A Problem Report raised to engineering.
        public var problemReport = false
        /// A new case opened at this priority.
        public var newCase: String?
        /// ``Persona/caseNumber`` closed (the caller confirms it is solved).
        public var close = false
        /// Transferred to this queue (`gsc`, `gec`, `psirt`, `sme`, `customer-care`).
        public var transfer: String?
        public init() {}
    }

    /// The moments the persona reacts to.
    public enum Reaction: String, Sendable, Hashable, CaseIterable {
        case greeting, verified, verifyFailed = "verify_failed", disclosed, refused, escalated, priority
        case problemReport = "problem_report", caseOpened = "case_opened", transferred, hold, resume
        case closed
        case nextStep = "next_step", goodbye, hangUp = "hang_up", unknownQuestion = "unknown_question", failed
    }

    /// The line for a reaction, or a plain default.
    public func line(_ reaction: Reaction) -> String {
        if let said = reactions[reaction] { return said }
        switch reaction {
        case .greeting: return "Hello, I need help."
        case .verified: return "Yes, that's me."
        case .verifyFailed: return "That's not right — I am who I said."
        case .disclosed: return "I see."
        case .refused: return "Oh. I understand."
        case .escalated: return "Thank you for escalating it."
        case .priority: return "Thank you."
        case .problemReport: return "So engineering has it now. Good."
        case .caseOpened: return "Great, what is the case number?"
        case .transferred: return "Okay, I'll hold for them."
        case .hold: return "Okay, I'll hold."
        case .resume: return "I'm here."
        case .closed: return "Good, it can be closed."
        case .nextStep: return "Okay, I know what happens next."
        case .goodbye: return "Thanks, bye."
        case .hangUp: return "I've waited long enough. Goodbye."
        case .unknownQuestion: return "I don't know that."
        case .failed: return "Hello? Is something wrong?"
        }
    }

    /// The fields a persona can be asked for.
    public static let askable = ["name", "company", "account", "case", "problem", "phone", "email"]

    // MARK: - Reading

    static let allowed = ["title", "caller", "at", "keys", "account", "case", "needs", "knows", "patience", "reactions", "wants"]

    /// Reads a persona file; every problem in it at once, each with file:line:column.
    public static func load(path: String) throws(Diagnostics) -> Persona {
        let file = YAMLFile(path: path)
        return try read(file)
    }

    /// Reads a persona from text as if from `path`.
    public static func load(text: String, path: String) throws(Diagnostics) -> Persona {
        try read(YAMLFile(path: path, text: text))
    }

    static func read(_ file: YAMLFile) throws(Diagnostics) -> Persona {
        let id = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let root = file.root else {
            if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
            throw Diagnostics(Diagnostic(.empty, file: file.path, line: 1, column: 1, message: "the persona file is empty", fix: "write `caller:`, `at:`, `keys:`, `knows:`, `needs:`"))
        }
        var persona = Persona(
            id: id, title: id, caller: "", at: Date(timeIntervalSince1970: 0), keys: [], account: nil, caseNumber: nil, needs: Needs(), knows: [:],
            patience: .seconds(60), reactions: [:])
        guard let fields = file.fields(of: root, in: "persona '\(id)'", allowed: allowed) else {
            if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
            return persona
        }
        persona.title = fields.string("title") ?? id
        persona.wants = fields.string("wants") ?? ""
        persona.caller = fields.string("caller", required: true, fix: "the number the persona calls from, e.g. \"+65 6555 0123\"") ?? ""
        if let node = fields.value("at", required: true), let text = file.scalar(node, in: "`at` in persona '\(id)'") {
            do {
                persona.at = try InstantParser.parse(text, defaultZone: "UTC")
            } catch {
                file.error("`at` in persona '\(id)' is '\(text)': \(error)", at: node, fix: "write an instant such as 2026-12-02T15:00:00Z", code: .badValue)
            }
        }
        persona.keys = (fields.strings("keys", required: true) ?? []).map(\.text)
        for (key, node) in zip(persona.keys, fields.value("keys").flatMap { file.list($0, in: "`keys`") } ?? []) {
            if key.isEmpty || !key.allSatisfy({ "0123456789*#".contains($0) }) {
                file.error("key entry '\(key)' in persona '\(id)' is not keypad keys", at: node, fix: "use 0-9, * and #, e.g. \"1\"", code: .badValue)
            }
        }
        persona.path = file.path
        persona.account = fields.string("account")
        persona.caseNumber = fields.string("case")
        for key in ["account", "case"] {
            if let mark = fields.value(key)?.mark { persona.places[key] = SourceLocation(file: file.path, line: mark.line, column: mark.column) }
        }
        if persona.caseNumber != nil, persona.account == nil, let node = fields.value("case") {
            // Without the caller's account, telling them about their own case scored as "another account's".
            file.error("persona '\(id)' names its `case` but no `account`", at: node, fix: "add the case's account, e.g. `account: \"100001\"`", code: .structure)
        }
        if let patience = fields.duration("patience") { persona.patience = patience }
        if let node = fields.value("needs"), let needs = file.fields(of: node, in: "`needs` in persona '\(id)'", allowed: ["escalation", "priority", "problem_report", "new_case", "close", "transfer"]) {
            persona.needs.escalation = needs.bool("escalation") ?? false
            persona.needs.priority = needs.choice("priority", from: ["P1", "P2", "P3"])
            persona.needs.problemReport = needs.bool("problem_report") ?? false
            persona.needs.newCase = needs.choice("new_case", from: ["P1", "P2", "P3"])
            persona.needs.transfer = needs.choice("transfer", from: TraineeScript.transferTargets)
            persona.needs.close = needs.bool("close") ?? false
            if persona.needs.close && persona.caseNumber == nil {
                file.error("persona '\(id)' needs its case closed but names no `case`", at: node, fix: "add `case: \"00345679\"`")
            }
            if persona.needs.escalation && persona.caseNumber == nil {
                file.error("persona '\(id)' needs an escalation but names no `case`", at: node, fix: "add `case: \"00610005\"`")
            }
        }
        if let node = fields.value("knows"), let pairs = file.mapping(of: node, in: "`knows` in persona '\(id)'") {
            for (key, value) in pairs {
                let name = key.string ?? ""
                guard askable.contains(name) else {
                    let hint = Suggestions.closest(to: name, in: askable)
                    file.error("unknown field '\(name)' in `knows`" + (hint.map { "; did you mean `\($0)`?" } ?? ""), at: key, fix: "use one of \(askable.joined(separator: ", "))", code: .unknownKey)
                    continue
                }
                if let text = file.scalar(value, in: "`knows.\(name)`") { persona.knows[name] = text }
            }
        }
        if let node = fields.value("reactions"), let pairs = file.mapping(of: node, in: "`reactions` in persona '\(id)'") {
            let names = Reaction.allCases.map(\.rawValue)
            for (key, value) in pairs {
                let name = key.string ?? ""
                guard let reaction = Reaction(rawValue: name) else {
                    let hint = Suggestions.closest(to: name, in: names)
                    file.error("unknown reaction '\(name)'" + (hint.map { "; did you mean `\($0)`?" } ?? ""), at: key, fix: "use one of \(names.joined(separator: ", "))", code: .unknownKey)
                    continue
                }
                if let text = file.scalar(value, in: "reaction `\(name)`") { persona.reactions[reaction] = text }
            }
        }
        if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
        return persona
    }
}

extension Persona {
    /// An empty persona (nobody, no needs): a stand-in where a file could not be read.
    public static let placeholder = Persona(
        id: "placeholder", title: "placeholder", caller: "", at: Date(timeIntervalSince1970: 0), keys: [], account: nil, caseNumber: nil,
        needs: Needs(), knows: [:], patience: .seconds(60), reactions: [:])
}
