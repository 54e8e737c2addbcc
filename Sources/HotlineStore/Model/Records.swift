import Foundation
import GRDB
import HotlineCore

/// A customer account (a site), with its contract.
public struct Account: Sendable, Hashable, Codable {
    /// The 6-digit account/site number.
    public var id: String
    public var name: String
    public var tier: Tier
    public var users: Int?
    public var addOn: AddOn?
    /// The designated (CSM-Lite, CSM) or dedicated (Resident Engineer) SME.
    public var smeName: String?
    /// IANA time zone of the account's business hours.
    public var timeZone: String
    /// Business hours, e.g. `Mon-Fri 08:00-17:00` (see `BusinessHours`).
    public var businessHours: String

    public init(id: String, name: String, tier: Tier, users: Int? = nil, addOn: AddOn? = nil, smeName: String? = nil, timeZone: String, businessHours: String) {
        self.id = id
        self.name = name
        self.tier = tier
        self.users = users
        self.addOn = addOn
        self.smeName = smeName
        self.timeZone = timeZone
        self.businessHours = businessHours
    }

    init(row: Row) throws {
        id = row["id"]
        name = row["name"]
        tier = try Tier(parsing: row["tier"])
        users = row["users"]
        addOn = try (row["add_on"] as String?).map { text throws(StoreError) in try AddOn(parsing: text) }
        smeName = row["sme_name"]
        timeZone = row["time_zone"]
        businessHours = row["business_hours"]
    }

    /// The account's business hours as a calendar.
    public func calendar() throws(StoreError) -> BusinessCalendar {
        try BusinessHours.calendar(name: "\(name) business hours", text: businessHours, timeZone: timeZone)
    }
}

/// A person at a customer who may call, with their phone numbers in E.164.
public struct Contact: Sendable, Hashable, Codable {
    public var id: Int64
    public var accountID: String
    public var name: String
    public var email: String?
    public var phones: [String]
}

/// A support case as stored.
public struct SupportCase: Sendable, Hashable, Codable {
    public var number: String
    public var accountID: String
    public var accountName: String
    public var tier: Tier
    public var contactName: String?
    public var summary: String
    /// The product/skill that routes the case (`vpn`, `sso`, …).
    public var skill: String
    public var priority: Priority
    public var status: CaseStatus
    public var level: SupportLevel
    public var owner: String?
    public var createdAt: Date
    /// The pinned SLA policy (`gsc-response-targets v1 platinum`).
    public var slaPolicy: String
    /// The pinned policy's target for the current priority, in minutes.
    public var targetMinutes: Int
    public var warningPercent: Int
    public var responseDueAt: Date
    public var firstResponseAt: Date?
    public var closedAt: Date?

    /// The response target at `now` (pure).
    public func sla(at now: Date) -> SLAStatus {
        SLAClock.evaluate(
            createdAt: createdAt, targetMinutes: targetMinutes, firstResponseAt: firstResponseAt, closedAt: closedAt,
            warningPercent: warningPercent, at: now)
    }

    /// What a call needs of it.
    public var summaryForCall: CaseSummary {
        CaseSummary(number: number, accountID: accountID, priority: priority.rawValue, status: status.rawValue, level: level.rawValue, skill: skill)
    }

    static let selectSQL = """
        SELECT c.*, a.name AS account_name, a.tier AS tier, ct.name AS contact_name,
               p.p1_minutes, p.p2_minutes, p.p3_minutes, p.warning_percent
        FROM support_case c
        JOIN account a ON a.id = c.account_id
        JOIN sla_policy p ON p.key = c.sla_policy
        LEFT JOIN contact ct ON ct.id = c.contact_id
        """

    init(row: Row) throws {
        number = row["number"]
        accountID = row["account_id"]
        accountName = row["account_name"]
        tier = try Tier(parsing: row["tier"])
        contactName = row["contact_name"]
        summary = row["summary"]
        skill = row["skill"]
        priority = try Priority(parsing: row["priority"])
        status = try CaseStatus(parsing: row["status"])
        level = try SupportLevel(parsing: row["level"])
        owner = row["owner"]
        createdAt = row["created_at"]
        slaPolicy = row["sla_policy"]
        switch priority {
        case .p1: targetMinutes = row["p1_minutes"]
        case .p2: targetMinutes = row["p2_minutes"]
        case .p3: targetMinutes = row["p3_minutes"]
        }
        warningPercent = row["warning_percent"]
        responseDueAt = row["response_due_at"]
        firstResponseAt = row["first_response_at"]
        closedAt = row["closed_at"]
    }
}

/// One entry of a case's append-only feed. Entries that change the case carry the new value
/// (`priority`, `level`, `status`), so replaying the feed rebuilds the case.
public struct FeedEntry: Sendable, Hashable, Codable {
    public var id: Int64
    public var caseNumber: String
    public var at: Date
    public var kind: FeedKind
    public var author: String
    public var authorRole: AuthorRole
    /// The comment, reason, summary or note, exactly as written.
    public var body: String
    /// For escalations (and cases opened from a call): `phone` or `web`.
    public var channel: String?
    public var priority: Priority?
    public var level: SupportLevel?
    public var status: CaseStatus?
    /// A Problem Report id (`PR-1001`) for `problem-report` entries; for an `escalation` entry that
    /// joined an open escalation, that escalation's id (`ESC-86`).
    public var ref: String?

    /// For escalation entries, the escalation's id (`ESC-42`): the id of the entry that opened it,
    /// also for an entry that joined it. `hotline pages` shows the same id.
    public var escalationID: String? {
        switch kind {
        case .escalation: ref ?? CaseLifecycle.escalationID(feedID: id)
        case .opened, .comment, .priority, .level, .problemReport, .status, .close: nil
        }
    }

    /// For an escalation that joined one already open (no new page chain), the open one's id.
    public var joinedEscalation: String? {
        switch kind {
        case .escalation: ref
        case .opened, .comment, .priority, .level, .problemReport, .status, .close: nil
        }
    }

    init(row: Row) throws {
        id = row["id"]
        caseNumber = row["case_number"]
        at = row["at"]
        guard let kind = FeedKind(rawValue: row["kind"]), let role = AuthorRole(rawValue: row["author_role"]) else {
            throw StoreError(.database, "a feed entry of case \(row["case_number"] as String) has an unknown kind or author role", fix: "the database was written by a newer Hotline")
        }
        self.kind = kind
        author = row["author"]
        authorRole = role
        body = row["body"]
        channel = row["channel"]
        priority = try (row["priority"] as String?).map { text throws(StoreError) in try Priority(parsing: text) }
        level = try (row["level"] as String?).map { text throws(StoreError) in try SupportLevel(parsing: text) }
        status = try (row["status"] as String?).map { text throws(StoreError) in try CaseStatus(parsing: text) }
        ref = row["ref"]
    }
}

/// A Problem Report filed with engineering by an L3 engineer.
public struct ProblemReport: Sendable, Hashable, Codable {
    /// `PR-1001`, `PR-1002`, …
    public var id: String
    public var caseNumber: String
    public var summary: String
    public var createdAt: Date
    public var createdBy: String
}
