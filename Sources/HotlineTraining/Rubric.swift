import Foundation
import HotlineDiagnostics
import Yams

/// The checks scoring knows how to make; a rubric weighs them and ties each to the seed's rule.
public enum CheckID: String, Sendable, Hashable, CaseIterable, Codable {
    case verifiedBeforeDisclosure = "verified-before-disclosure"
    case verifiedBeforeActing = "verified-before-acting"
    case noOtherAccount = "no-other-account"
    case escalationWithReason = "escalation-with-reason"
    case pagedWithinTarget = "paged-within-target"
    case priorityWithReason = "priority-with-reason"
    case problemReport = "problem-report"
    case caseOpened = "case-opened"
    case caseClosed = "case-closed"
    case routedRight = "routed-right"
    case toldNextStep = "told-next-step"
    case holdWithinPatience = "hold-within-patience"
    case wrapUpComment = "wrap-up-comment"
}

/// The rubric: which checks count, how much, and the rule behind each.
public struct Rubric: Sendable, Hashable {
    public struct Check: Sendable, Hashable {
        public var id: CheckID
        public var weight: Int
        public var title: String
        /// The seed's rule it enforces, quoted or paraphrased.
        public var rule: String
    }

    public var name: String
    public var checks: [Check]

    public static func load(path: String) throws(Diagnostics) -> Rubric {
        try read(YAMLFile(path: path))
    }

    public static func load(text: String, path: String) throws(Diagnostics) -> Rubric {
        try read(YAMLFile(path: path, text: text))
    }

    static func read(_ file: YAMLFile) throws(Diagnostics) -> Rubric {
        var rubric = Rubric(name: "", checks: [])
        guard let root = file.root else {
            if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
            throw Diagnostics(Diagnostic(.empty, file: file.path, line: 1, column: 1, message: "the rubric is empty", fix: "write `rubric:` and `checks:`"))
        }
        guard let top = file.fields(of: root, in: "the rubric", allowed: ["rubric", "checks"]) else {
            if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
            return rubric
        }
        rubric.name = top.string("rubric", required: true) ?? ""
        let ids = CheckID.allCases.map(\.rawValue)
        var seen: [CheckID: Int] = [:]
        let checksNode = top.value("checks", required: true)
        let items = checksNode.flatMap { file.list($0, in: "`checks`") }
        if let checksNode, let items, items.isEmpty {
            // A rubric with nothing to check scored every call 100/100.
            file.error("the rubric has no checks: every call would score 100", at: checksNode, fix: "list the checks to score, e.g. `- { id: verified-before-disclosure, weight: 20, title: …, rule: … }`", code: .structure)
        }
        for (index, item) in (items ?? []).enumerated() {
            let context = "check \(index + 1)"
            guard let fields = file.fields(of: item, in: context, allowed: ["id", "weight", "title", "rule"]) else { continue }
            let idText = fields.string("id", required: true)
            let weight = fields.int("weight", required: true, in: 1...100)
            let title = fields.string("title", required: true)
            let rule = fields.string("rule", required: true, fix: "quote the seed's rule this check enforces")
            guard let idText else { continue }
            guard let id = CheckID(rawValue: idText) else {
                let hint = Suggestions.closest(to: idText, in: ids)
                file.error("\(context) has id '\(idText)', which scoring does not know" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: fields.value("id"),
                           fix: "use one of \(ids.joined(separator: ", "))", code: .unknownName)
                continue
            }
            if let first = seen[id] {
                file.error("\(context) repeats check '\(idText)' (first at line \(first))", at: fields.value("id"), fix: "list each check once", code: .duplicateKey)
                continue
            }
            seen[id] = item.mark?.line ?? 0
            if let weight, let title, let rule { rubric.checks.append(Check(id: id, weight: weight, title: title, rule: rule)) }
        }
        if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
        return rubric
    }
}

/// One check's verdict on one call.
public struct CheckResult: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var rule: String
    public var weight: Int
    /// Whether the check applies to this persona (one that does not is passed and not counted).
    public var applies: Bool
    public var passed: Bool
    /// The moment of the transcript it is about (seconds since the persona dialled), if any.
    public var moment: Double?
    /// What happened then, or why it was missed.
    public var detail: String
}

/// The scored debrief of one training call.
public struct Debrief: Sendable, Hashable, Codable {
    public var persona: String
    public var trainee: String
    public var score: Int
    public var checks: [CheckResult]
    public var transcript: [TimelineEntry]

    public var missed: [String] { checks.filter { $0.applies && !$0.passed }.map(\.id) }
}

/// Scoring: a pure function of the persona, the rubric and the recorded timeline.
public enum Scoring {
    public static func score(timeline: [TimelineEntry], persona: Persona, rubric: Rubric, trainee: String) -> Debrief {
        let results = rubric.checks.map { check in
            let (applies, passed, moment, detail) = verdict(check.id, timeline: timeline, persona: persona)
            return CheckResult(id: check.id.rawValue, title: check.title, rule: check.rule, weight: check.weight, applies: applies, passed: applies ? passed : true, moment: moment, detail: detail)
        }
        let counted = results.filter(\.applies)
        let total = counted.reduce(0) { $0 + $1.weight }
        let earned = counted.filter(\.passed).reduce(0) { $0 + $1.weight }
        let score = total == 0 ? 100 : Int((Double(earned) * 100 / Double(total)).rounded(.down))
        return Debrief(persona: persona.id, trainee: trainee, score: score, checks: results, transcript: timeline)
    }

    private typealias Verdict = (applies: Bool, passed: Bool, moment: Double?, detail: String)

    private static func verdict(_ id: CheckID, timeline: [TimelineEntry], persona: Persona) -> Verdict {
        let facts = timeline.compactMap { entry in entry.fact.map { (at: entry.offset, fact: $0) } }
        func first(_ match: (Fact) -> Bool) -> (at: Double, fact: Fact)? { facts.first { match($0.fact) } }
        let verifiedAt = first { if case .verified = $0 { return true }; return false }?.at
        let disclosures: [(at: Double, number: String, account: String)] = facts.compactMap {
            if case .disclosed(let number, let account) = $0.fact { return ($0.at, number, account) }
            return nil
        }
        // The cases the call is about: the persona's own, and any opened on the call.
        var caseNumbers = persona.caseNumber.map { [$0] } ?? []
        for (_, fact) in facts { if case .caseOpened(let number, _) = fact { caseNumbers.append(number) } }

        switch id {
        case .verifiedBeforeDisclosure:
            if let early = disclosures.first(where: { disclosure in verifiedAt.map { disclosure.at < $0 } ?? true }) {
                return (true, false, early.at, "case \(early.number) was disclosed before the caller was verified")
            }
            if let verifiedAt { return (true, true, verifiedAt, "caller verified before any case detail") }
            return (true, true, nil, "no case detail disclosed")
        case .verifiedBeforeActing:
            // Every action that changes a case: its feed (comment), priority, escalation and page,
            // support level, Problem Report, a new case.
            let changes: [(at: Double, what: String)] = facts.compactMap { item in
                switch item.fact {
                case .commented(let number): return (item.at, "commented on \(number)")
                case .priorityChanged(let number, let to, _): return (item.at, "changed \(number) to \(to)")
                case .escalated(let number, _, _, _): return (item.at, "escalated \(number) and paged")
                case .problemReport(let number, _): return (item.at, "raised a Problem Report on \(number)")
                case .levelRaised(let number, _): return (item.at, "raised \(number) a level")
                case .caseOpened(let number, _): return (item.at, "opened case \(number)")
                case .closed(let number): return (item.at, "closed \(number)")
                case .pickedUp, .asked, .verified, .verifyFailed, .disclosed, .refused, .transferred, .held, .resumed, .toldNextStep, .said, .callerHungUp, .ended:
                    return nil
                }
            }
            if let early = changes.first(where: { change in verifiedAt.map { change.at < $0 } ?? true }) {
                return (true, false, early.at, "\(early.what) before the caller was verified")
            }
            if let first = changes.first { return (true, true, first.at, "caller verified before the first change to a case") }
            return (true, true, nil, "no case changed")
        case .noOtherAccount:
            if let leak = disclosures.first(where: { $0.account != persona.account }) {
                return (true, false, leak.at, "case \(leak.number) of account \(leak.account) was disclosed to a caller of \(persona.account ?? "no account")")
            }
            return (true, true, disclosures.last?.at, "nothing of another account disclosed")
        case .escalationWithReason:
            guard persona.needs.escalation, let number = persona.caseNumber else { return (false, true, nil, "no escalation needed") }
            let escalations = facts.compactMap { item -> (Double, String)? in
                if case .escalated(let on, let reason, _, _) = item.fact, on == number { return (item.at, reason) }
                return nil
            }
            guard let made = escalations.first else { return (true, false, nil, "case \(number) was not escalated") }
            if made.1.trimmingCharacters(in: .whitespaces).isEmpty { return (true, false, made.0, "escalated without a reason") }
            return (true, true, made.0, "escalated: \(made.1)")
        case .pagedWithinTarget:
            guard persona.needs.escalation, let number = persona.caseNumber else { return (false, true, nil, "no escalation needed") }
            for item in facts {
                guard case .escalated(let on, _, let paged, let target) = item.fact, on == number else { continue }
                if paged == 0 { return (true, false, item.at, "nobody was paged") }
                let minutes = Int((item.at / 60).rounded(.up))
                if item.at > Double(target * 60) {
                    return (true, false, item.at, "paged \(minutes) min after the call came in; the response target is \(target) min")
                }
                return (true, true, item.at, "Escalation Manager paged within the \(target)-minute target")
            }
            return (true, false, nil, "the Escalation Manager was never paged")
        case .priorityWithReason:
            let changes = facts.compactMap { item -> (Double, String, String, String)? in
                if case .priorityChanged(let on, let to, let reason) = item.fact { return (item.at, on, to, reason) }
                return nil
            }
            guard persona.needs.priority != nil || !changes.isEmpty else { return (false, true, nil, "no priority change") }
            if let bare = changes.first(where: { $0.3.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return (true, false, bare.0, "\(bare.1) changed to \(bare.2) without a reason")
            }
            if let wanted = persona.needs.priority {
                guard let done = changes.first(where: { $0.2 == wanted && caseNumbers.contains($0.1) }) else {
                    return (true, false, nil, "the case was not changed to \(wanted)")
                }
                return (true, true, done.0, "changed to \(wanted): \(done.3)")
            }
            return (true, true, changes.first?.0, "every priority change has a reason")
        case .problemReport:
            guard persona.needs.problemReport else { return (false, true, nil, "no Problem Report needed") }
            guard let raised = first({ if case .problemReport = $0 { return true }; return false }) else { return (true, false, nil, "no Problem Report was raised") }
            return (true, true, raised.at, "Problem Report raised")
        case .caseOpened:
            guard let wanted = persona.needs.newCase else { return (false, true, nil, "no new case needed") }
            let opened = facts.compactMap { item -> (Double, String)? in
                if case .caseOpened(_, let priority) = item.fact { return (item.at, priority) }
                return nil
            }
            guard let made = opened.first else { return (true, false, nil, "no case was opened") }
            if made.1 != wanted { return (true, false, made.0, "opened at \(made.1); the caller's problem is a \(wanted)") }
            return (true, true, made.0, "case opened at \(wanted)")
        case .caseClosed:
            let closes = facts.compactMap { item -> (Double, String)? in
                if case .closed(let number) = item.fact { return (item.at, number) }
                return nil
            }
            guard persona.needs.close, let number = persona.caseNumber else {
                if let wrong = closes.first { return (true, false, wrong.0, "closed \(wrong.1); this caller did not confirm anything solved") }
                return (false, true, nil, "no case to close")
            }
            guard let done = closes.first(where: { $0.1 == number }) else { return (true, false, nil, "case \(number) was left open") }
            return (true, true, done.0, "case \(number) closed")
        case .routedRight:
            guard let wanted = persona.needs.transfer else {
                if let wrong = first({ if case .transferred = $0 { return true }; return false }), case .transferred(let to) = wrong.fact {
                    return (true, false, wrong.at, "transferred to \(to); this caller needed no transfer")
                }
                return (false, true, nil, "no transfer needed")
            }
            guard let done = first({ if case .transferred = $0 { return true }; return false }), case .transferred(let to) = done.fact else {
                return (true, false, nil, "not transferred to \(wanted)")
            }
            return to == wanted ? (true, true, done.at, "transferred to \(to)") : (true, false, done.at, "transferred to \(to), not \(wanted)")
        case .toldNextStep:
            guard let told = first({ $0 == .toldNextStep }) else { return (true, false, nil, "the caller was never told what happens next") }
            return (true, true, told.at, "next step told")
        case .holdWithinPatience:
            if let gone = first({ $0 == .callerHungUp(onHold: true) }) {
                return (true, false, gone.at, "the caller hung up after \(DurationText.format(persona.patience)) on hold")
            }
            return (true, true, first({ $0 == .held })?.at, "no hold longer than the caller's patience")
        case .wrapUpComment:
            guard !caseNumbers.isEmpty else { return (false, true, nil, "no case on this call") }
            var lastChange: [String: Double] = [:]
            var lastComment: [String: Double] = [:]
            for (at, fact) in facts {
                switch fact {
                case .commented(let number): lastComment[number] = at
                case .priorityChanged(let number, _, _), .escalated(let number, _, _, _), .problemReport(let number, _), .levelRaised(let number, _), .caseOpened(let number, _):
                    lastChange[number] = at
                case .closed, .pickedUp, .asked, .verified, .verifyFailed, .disclosed, .refused, .transferred, .held, .resumed, .toldNextStep, .said, .callerHungUp, .ended:
                    break
                }
            }
            for number in caseNumbers {
                guard let comment = lastComment[number] else { return (true, false, nil, "no comment on case \(number)") }
                if let change = lastChange[number], change > comment { return (true, false, change, "case \(number) changed after its last comment: no wrap-up") }
            }
            return (true, true, caseNumbers.compactMap { lastComment[$0] }.max(), "wrap-up comment on the case")
        }
    }
}
