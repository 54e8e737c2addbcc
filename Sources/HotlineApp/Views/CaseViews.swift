import Foundation
import HotlineCore
import HotlineStore

/// What `hotline cases …` and `hotline db …` print: text lines and JSON shapes, from the store's
/// values. The commands only parse arguments and call these.
public enum CaseViews {
    // MARK: - Text

    /// `running, 40% used, due in 1 h 12 min`, `BREACHED, 3 min overdue`, `met, responded after 12 min`.
    public static func slaLine(_ sla: SLAStatus) -> String {
        let percent = Int((sla.usedFraction * 100).rounded())
        let remaining = Int((sla.remainingSeconds / 60).rounded(.towardZero))
        switch sla.state {
        case .running: return "running, \(percent)% used, due in \(minutes(remaining))"
        case .warning: return "WARNING, \(percent)% used, due in \(minutes(remaining))"
        case .breached:
            if let responded = sla.respondedAt {
                return "BREACHED, responded \(minutes(Int(responded.timeIntervalSince(sla.dueAt) / 60))) late"
            }
            return "BREACHED, \(minutes(-remaining)) overdue"
        case .met:
            return "met"
                + (sla.respondedAt.map { ", responded after \(minutes(Int(($0.timeIntervalSince(sla.dueAt) / 60) + Double(sla.targetMinutes))))" } ?? "")
        }
    }

    static func minutes(_ value: Int) -> String { MinutesText.format(minutes: value) }

    /// `cases list`: two lines a case, most urgent first, and a count.
    public static func list(_ rows: [(case: SupportCase, sla: SLAStatus)], at now: Date) -> [String] {
        guard !rows.isEmpty else { return ["No cases match."] }
        var lines = ["CASE      PRI LVL STATUS            ACCOUNT                    SLA"]
        for (supportCase, sla) in rows {
            lines.append(
                "\(supportCase.number)  \(supportCase.priority.rawValue)  \(supportCase.level.rawValue)  \(TextColumns.pad(supportCase.status.rawValue, 16))  "
                    + "\(TextColumns.pad(TextColumns.clip("\(supportCase.accountID) \(supportCase.accountName)", 25), 25))  \(slaLine(sla))")
            lines.append("          \(TextColumns.clip(supportCase.summary, 90))")
        }
        lines.append("\(rows.count) case\(rows.count == 1 ? "" : "s") at \(InstantParser.utcString(now))")
        return lines
    }

    /// `cases show`: Case Detail.
    public static func detail(_ detail: CaseDetail) -> [String] {
        let supportCase = detail.supportCase
        let account = detail.account
        let zone = TimeZone(identifier: account.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        func both(_ date: Date) -> String { "\(InstantParser.utcString(date))  (\(InstantParser.localText(date, in: zone)))" }
        var lines = [
            "Case \(supportCase.number): \(supportCase.summary)",
            "  Account      \(account.id) \(account.name) — \(account.tier.label)\(account.addOn.map { " + \($0.label)" } ?? "")",
            "  Contact      \(supportCase.contactName ?? "—")",
            "  Priority     \(supportCase.priority.rawValue)    Level \(supportCase.level.rawValue)    Status \(supportCase.status.rawValue)",
            "  Skill        \(supportCase.skill)    Owner \(supportCase.owner ?? "unassigned")",
            "  Opened       \(both(supportCase.createdAt))",
            "  SLA policy   \(supportCase.slaPolicy): \(supportCase.priority.rawValue) respond within \(minutes(supportCase.targetMinutes)) (24x7)",
            "  Response due \(both(supportCase.responseDueAt))",
            "  First reply  \(supportCase.firstResponseAt.map(both) ?? "none yet")",
            "  SLA now      \(slaLine(detail.sla))",
        ]
        if let sme = detail.sme {
            lines.append(
                "  SME          \(sme.name) (\(sme.kind), \(sme.addOn.label)), \(sme.businessHours) \(sme.timeZone): \(sme.onDutyNow ? "on duty now" : "off duty now")")
        }
        if let closed = supportCase.closedAt { lines.append("  Closed       \(both(closed))") }
        if !detail.problemReports.isEmpty { lines.append("  Problem Reports \(detail.problemReports.joined(separator: ", "))") }
        lines.append("  Feed         \(detail.feedEntries) entries, Case Comments [\(detail.comments)]  (hotline cases feed \(supportCase.number))")
        return lines
    }

    /// `cases feed`: the heading, then every entry.
    public static func feed(_ entries: [FeedEntry], caseNumber: String) -> [String] {
        ["Feed of case \(entries.first?.caseNumber ?? caseNumber) (\(entries.count) entries)"] + entries.flatMap(\.textLines)
    }

    /// `cases priority`.
    public static func priorityChanged(_ supportCase: SupportCase, at now: Date) -> String {
        "Case \(supportCase.number) is now \(supportCase.priority.rawValue); response due \(InstantParser.utcString(supportCase.responseDueAt)) (\(slaLine(supportCase.sla(at: now))))."
    }

    /// `cases escalate`: the escalation recorded (or the open one joined) and the page sent, as
    /// `page` (the console line of the first page), if any.
    public static func escalated(_ entry: FeedEntry, channel: EscalationChannel, page: String?) -> [String] {
        if let open = entry.joinedEscalation {
            return ["Case \(entry.caseNumber) joined its open escalation \(open) (\(channel.rawValue)); no new page was sent."]
        }
        return [
            "Case \(entry.caseNumber) escalated (\(entry.escalationID ?? ""), \(channel.rawValue)); status escalated.",
            page ?? "Nobody is on call at this time to page; the escalation stands (see `hotline rota check`).",
        ]
    }

    /// `cases open`.
    public static func opened(_ supportCase: SupportCase) -> String {
        "Opened case \(supportCase.number) for \(supportCase.accountName) (\(supportCase.tier.label)), \(supportCase.priority.rawValue): respond by \(InstantParser.utcString(supportCase.responseDueAt)) (\(minutes(supportCase.targetMinutes)), policy \(supportCase.slaPolicy))."
    }

    /// `cases accounts`: one line an account, with whether it is within business hours at `now`.
    public static func accounts(_ accounts: [Account], at now: Date) -> [String] {
        accounts.map { account in
            let open = (try? account.calendar().isOpen(at: now)) ?? false
            let contract = account.tier.label + (account.addOn.map { " + \($0.label)" } ?? "")
            let sme = account.smeName.map { " SME \($0)" } ?? ""
            return
                "\(account.id)  \(TextColumns.pad(TextColumns.clip(account.name, 26), 26))  \(TextColumns.pad(contract, 28)) \(account.businessHours) \(account.timeZone) (\(open ? "open" : "closed") now)\(sme)"
        }
    }

    /// `cases identify`.
    public static func identify(_ lookup: CallerLookup) -> String {
        guard lookup.known else { return "\(lookup.e164): unknown caller" }
        return
            "\(lookup.e164): \(lookup.contactName ?? ""), account \(lookup.accountId ?? "") \(lookup.accountName ?? "") (\(lookup.tier ?? "")); open cases: \(lookup.openCases.isEmpty ? "none" : lookup.openCases.joined(separator: ", "))"
    }

    /// `cases calls`: two lines a call.
    public static func calls(_ records: [CallRecord]) -> [String] {
        guard !records.isEmpty else { return ["No calls recorded."] }
        return records.flatMap { record -> [String] in
            let seconds = Int(record.endedAt.timeIntervalSince(record.startedAt).rounded())
            // A SIP call redirected (302) or hung up while it rang was never answered.
            let extra = [
                record.answeredAt == nil ? "never answered" : nil, record.caseNumber.map { "case \($0)" }, record.queue.map { "queue \($0)" },
                record.agent.map { "agent \($0)" },
            ].compactMap { $0 }
            return [
                "\(InstantParser.utcString(record.startedAt))  \(record.callerID)  \(seconds)s  \(record.outcome)\(extra.isEmpty ? "" : "  " + extra.joined(separator: ", "))",
                "    \(record.path.joined(separator: " → "))",
            ]
        }
    }

    /// `db seed`.
    public static func seeded(_ summary: SeedSummary, database: String, at now: Date) -> [String] {
        [
            "Seeded \(database) at \(InstantParser.utcString(now)) with SLA table \(summary.slaTable):",
            "  \(summary.accounts) accounts, \(summary.contacts) contacts (\(summary.phoneNumbers) phone numbers), \(summary.cases) cases, \(summary.feedEntries) feed entries",
            "  SLA warning now: \(summary.warning.isEmpty ? "none" : summary.warning.joined(separator: ", "))",
            "  SLA breached now: \(summary.breached.isEmpty ? "none" : summary.breached.joined(separator: ", "))",
        ]
    }

    // MARK: - JSON shapes

    /// `db check` (and its `--json`).
    public struct CheckReport: Encodable, Sendable {
        public var database: String
        /// SQLite's `PRAGMA integrity_check` lines: `["ok"]` when sound.
        public var integrityCheck: [String]
        /// Cases whose row differs from the replay of their feed.
        public var feedMismatches: [String]
        /// Feed entries dated before the one they follow.
        public var feedOutOfOrder: [String]
        /// Accounts whose SME is not an agent the router knows.
        public var unroutableSmes: [String]
        public var passed: Bool
        let agentsFile: String

        public init(
            database: String, integrityCheck: [String], feedMismatches: [String], feedOutOfOrder: [String] = [], unroutableSMEs: [String] = [],
            agentsFile: String = "the agents file"
        ) {
            self.database = database
            self.integrityCheck = integrityCheck
            self.feedMismatches = feedMismatches
            self.feedOutOfOrder = feedOutOfOrder
            self.unroutableSmes = unroutableSMEs
            self.agentsFile = agentsFile
            passed = integrityCheck == ["ok"] && feedMismatches.isEmpty && feedOutOfOrder.isEmpty && unroutableSMEs.isEmpty
        }

        enum CodingKeys: String, CodingKey {
            case database, integrityCheck, feedMismatches, feedOutOfOrder, unroutableSmes, passed
        }

        /// The text form.
        public var lines: [String] {
            [
                "integrity_check: \(integrityCheck.joined(separator: "; "))",
                "feeds: \(feedMismatches.isEmpty ? "every case matches its replayed feed" : "\(feedMismatches.count) cases differ from their feed: " + feedMismatches.joined(separator: ", "))",
                "feed order: \(feedOutOfOrder.isEmpty ? "every feed is in time order" : "\(feedOutOfOrder.count) entries out of time order")",
            ] + feedOutOfOrder.map { "  \($0)" }
                + ["smes: \(unroutableSmes.isEmpty ? "every account's SME is an agent in \(agentsFile)" : "\(unroutableSmes.count) accounts' SMEs cannot be routed")"]
                + unroutableSmes.map { "  \($0)" }
        }
    }
}

/// Who a caller ID maps to, as `cases identify` shows it (and its `--json`).
public struct CallerLookup: Encodable, Sendable, Hashable {
    public var e164: String
    public var known: Bool
    public var contactName: String?
    public var accountId: String?
    public var accountName: String?
    public var tier: String?
    public var openCases: [String]

    public init(e164: String, identity: CallerIdentity?) {
        self.e164 = e164
        known = identity != nil
        contactName = identity?.contactName
        accountId = identity?.accountID
        accountName = identity?.accountName
        tier = identity?.tier
        openCases = identity?.openCases ?? []
    }
}
