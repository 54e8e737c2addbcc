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

    /// The columns `init(row:)` reads, by position.
    static let selectSQL = "SELECT id, name, tier, users, add_on, sme_name, time_zone, business_hours FROM account"
    static let byIDSQL = selectSQL + " WHERE id = ?"

    /// Decodes a row of `selectSQL` (by position: see `Row.stored(_:_:table:key:)`).
    init(row: some StoredColumns) throws(StoreError) {
        id = try row.stored(0, "id", table: "account", key: "an account")
        let key = "account \(id)"
        name = try row.stored(1, "name", table: "account", key: key)
        tier = try Tier(parsing: try row.stored(2, "tier", table: "account", key: key))
        users = try row.storedIfPresent(3, "users", table: "account", key: key)
        addOn = try (try row.storedIfPresent(4, "add_on", as: String.self, table: "account", key: key)).map { text throws(StoreError) in try AddOn(parsing: text) }
        smeName = try row.storedIfPresent(5, "sme_name", table: "account", key: key)
        timeZone = try row.stored(6, "time_zone", table: "account", key: key)
        businessHours = try row.stored(7, "business_hours", table: "account", key: key)
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

    /// One case by number (`fetchCase`), and one case of an account (a caller's look-up).
    static let byNumberSQL = selectSQL + " WHERE c.number = ?"
    static let byNumberAndAccountSQL = selectSQL + " WHERE c.number = ? AND c.account_id = ?"

    static let selectSQL = """
        SELECT c.number, c.account_id, a.name AS account_name, a.tier AS tier, ct.name AS contact_name,
               c.summary, c.skill, c.priority, c.status, c.level, c.owner, c.created_at, c.sla_policy,
               p.p1_minutes, p.p2_minutes, p.p3_minutes, p.warning_percent,
               c.response_due_at, c.first_response_at, c.closed_at
        FROM support_case c
        JOIN account a ON a.id = c.account_id
        JOIN sla_policy p ON p.key = c.sla_policy
        LEFT JOIN contact ct ON ct.id = c.contact_id
        """

    /// Decodes a row of `selectSQL` (by position: see `Row.stored(_:_:table:key:)`).
    init(row: some StoredColumns) throws(StoreError) {
        let table = "support_case"
        number = try row.stored(0, "number", table: table, key: "a case")
        let key = "case \(number)"
        accountID = try row.stored(1, "account_id", table: table, key: key)
        accountName = try row.stored(2, "account_name", table: "account", key: key)
        tier = try Tier(parsing: try row.stored(3, "tier", table: "account", key: key))
        contactName = try row.storedIfPresent(4, "contact_name", table: "contact", key: key)
        summary = try row.stored(5, "summary", table: table, key: key)
        skill = try row.stored(6, "skill", table: table, key: key)
        priority = try Priority(parsing: try row.stored(7, "priority", table: table, key: key))
        status = try CaseStatus(parsing: try row.stored(8, "status", table: table, key: key))
        level = try SupportLevel(parsing: try row.stored(9, "level", table: table, key: key))
        owner = try row.storedIfPresent(10, "owner", table: table, key: key)
        createdAt = try row.stored(11, "created_at", table: table, key: key)
        slaPolicy = try row.stored(12, "sla_policy", table: table, key: key)
        switch priority {
        case .p1: targetMinutes = try row.stored(13, "p1_minutes", table: "sla_policy", key: key)
        case .p2: targetMinutes = try row.stored(14, "p2_minutes", table: "sla_policy", key: key)
        case .p3: targetMinutes = try row.stored(15, "p3_minutes", table: "sla_policy", key: key)
        }
        warningPercent = try row.stored(16, "warning_percent", table: "sla_policy", key: key)
        responseDueAt = try row.stored(17, "response_due_at", table: table, key: key)
        firstResponseAt = try row.storedIfPresent(18, "first_response_at", table: table, key: key)
        closedAt = try row.storedIfPresent(19, "closed_at", table: table, key: key)
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

    init(
        id: Int64, caseNumber: String, at: Date, kind: FeedKind, author: String, authorRole: AuthorRole, body: String, channel: String?,
        priority: Priority?, level: SupportLevel?, status: CaseStatus?, ref: String?
    ) {
        self.id = id
        self.caseNumber = caseNumber
        self.at = at
        self.kind = kind
        self.author = author
        self.authorRole = authorRole
        self.body = body
        self.channel = channel
        self.priority = priority
        self.level = level
        self.status = status
        self.ref = ref
    }

    /// The columns `init(row:)` reads, by position.
    static let selectSQL = "SELECT id, case_number, at, kind, author_role, author, body, channel, priority, level, status, ref FROM case_feed"

    /// Decodes a row of `selectSQL` (by position: see `Row.stored(_:_:table:key:)`).
    init(row: some StoredColumns) throws(StoreError) {
        let table = "case_feed"
        id = try row.stored(0, "id", table: table, key: "a feed entry")
        let key = "feed entry \(id)"
        caseNumber = try row.stored(1, "case_number", table: table, key: key)
        at = try row.stored(2, "at", table: table, key: key)
        guard let kind = FeedKind(rawValue: try row.stored(3, "kind", table: table, key: key)),
            let role = AuthorRole(rawValue: try row.stored(4, "author_role", table: table, key: key))
        else {
            throw StoreError(.database, "a feed entry of case \(caseNumber) has an unknown kind or author role", fix: "the database was written by a newer Hotline")
        }
        self.kind = kind
        author = try row.stored(5, "author", table: table, key: key)
        authorRole = role
        body = try row.stored(6, "body", table: table, key: key)
        channel = try row.storedIfPresent(7, "channel", table: table, key: key)
        priority = try (try row.storedIfPresent(8, "priority", as: String.self, table: table, key: key)).map { text throws(StoreError) in try Priority(parsing: text) }
        level = try (try row.storedIfPresent(9, "level", as: String.self, table: table, key: key)).map { text throws(StoreError) in try SupportLevel(parsing: text) }
        status = try (try row.storedIfPresent(10, "status", as: String.self, table: table, key: key)).map { text throws(StoreError) in try CaseStatus(parsing: text) }
        ref = try row.storedIfPresent(11, "ref", table: table, key: key)
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
