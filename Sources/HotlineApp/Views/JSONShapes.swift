import Foundation
import HotlineCore
import HotlineStore

/// The JSON shapes of the things Hotline prints: a case, its SLA clock, a feed entry, a page, a
/// call record. `hotline cases … --json`, `hotline pages list --json` and the web's `/api/…` all
/// print these, with snake_case keys (`case_number`, `due_at`), so a script can read either. The
/// web's OpenAPI document is generated from them (``JSONShape``, ``JSONSchema``).
public enum JSONShapes {
    /// The instant the examples carry (they describe shapes, never data).
    static let exampleDate = Date(timeIntervalSince1970: 1_796_000_000)
}

extension JSONShapes {
    /// A case's SLA clock at one instant.
    public struct SLA: JSONShape, Sendable, Hashable {
        /// `running`, `warning`, `breached` or `met`.
        public var state: String
        public var dueAt: Date
        public var targetMinutes: Int
        /// Seconds the clock has run (it stops at the first response).
        public var usedSeconds: Int
        /// `usedSeconds` as a share of the target (1.0 = the whole target).
        public var usedFraction: Double
        /// `usedFraction` as a whole percentage.
        public var usedPercent: Int
        /// Seconds left until the due time (negative when past).
        public var remainingSeconds: Int
        public var respondedAt: Date?

        public static let schemaName = "SLA"
        public static var enums: [String: [String]] { ["state": SLAState.allCases.map(\.rawValue)] }
        public static var example: Self {
            Self(
                state: "running", dueAt: exampleDate, targetMinutes: 60, usedSeconds: 600, usedFraction: 600.0 / 3600, usedPercent: 17,
                remainingSeconds: 3000, respondedAt: exampleDate)
        }
    }
}

extension JSONShapes.SLA {
    public init(_ sla: SLAStatus) {
        state = sla.state.rawValue
        dueAt = sla.dueAt
        targetMinutes = sla.targetMinutes
        usedSeconds = Int(sla.usedSeconds.rounded())
        usedFraction = sla.usedFraction
        usedPercent = Int((sla.usedFraction * 100).rounded())
        remainingSeconds = Int(sla.remainingSeconds.rounded())
        respondedAt = sla.respondedAt
    }
}

extension JSONShapes {

    /// A case with its SLA clock (`cases list`, `cases open`, `cases priority`, `GET /api/cases…`).
    public struct Case: JSONShape, Sendable, Hashable {
        public var number: String
        public var accountId: String
        public var accountName: String
        public var tier: String
        public var contactName: String?
        public var priority: String
        public var status: String
        public var level: String
        public var skill: String
        public var owner: String?
        public var summary: String
        public var createdAt: Date
        public var responseDueAt: Date
        public var firstResponseAt: Date?
        public var closedAt: Date?
        public var slaPolicy: String
        public var sla: SLA

        /// The case with its SLA clock at `now`.
        public static let schemaName = "Case"
        public static var enums: [String: [String]] {
            [
                "priority": Priority.allCases.map(\.rawValue), "status": CaseStatus.allCases.map(\.rawValue),
                "level": SupportLevel.allCases.map(\.rawValue),
            ]
        }
        public static var example: Self {
            Self(
                number: "00345678", accountId: "100001", accountName: "Example Ltd", tier: "premier", contactName: "Ana", priority: "P1",
                status: "open", level: "L1", skill: "vpn", owner: "Sam", summary: "VPN down", createdAt: exampleDate,
                responseDueAt: exampleDate, firstResponseAt: exampleDate, closedAt: exampleDate, slaPolicy: "premier", sla: .example)
        }

    }
}

extension JSONShapes.Case {
    public init(_ supportCase: SupportCase, sla: SLAStatus) {
        number = supportCase.number
        accountId = supportCase.accountID
        accountName = supportCase.accountName
        tier = supportCase.tier.rawValue
        contactName = supportCase.contactName
        priority = supportCase.priority.rawValue
        status = supportCase.status.rawValue
        level = supportCase.level.rawValue
        skill = supportCase.skill
        owner = supportCase.owner
        summary = supportCase.summary
        createdAt = supportCase.createdAt
        responseDueAt = supportCase.responseDueAt
        firstResponseAt = supportCase.firstResponseAt
        closedAt = supportCase.closedAt
        slaPolicy = supportCase.slaPolicy
        self.sla = JSONShapes.SLA(sla)
    }

    public init(_ supportCase: SupportCase, at now: Date) {
        self.init(supportCase, sla: supportCase.sla(at: now))
    }
}

extension JSONShapes {

    /// One entry of a case's feed (`cases feed`, `cases comment`, …, `GET /api/cases/{number}/feed`).
    /// Entries that change the case carry the new `priority`, `level` or `status`.
    public struct FeedEntry: JSONShape, Sendable, Hashable {
        public var id: Int64
        public var caseNumber: String
        public var at: Date
        public var kind: String
        public var author: String
        public var authorRole: String
        public var body: String
        /// For escalations (and cases opened from a call): `phone` or `web`.
        public var channel: String?
        public var priority: String?
        public var level: String?
        public var status: String?
        /// A Problem Report id, or for an escalation that joined an open one, that one's id.
        public var ref: String?
        /// For escalation entries, the escalation's id (`ESC-42`), as `pages list` shows it.
        public var escalationId: String?

        public static let schemaName = "FeedEntry"
        public static var enums: [String: [String]] {
            [
                "kind": FeedKind.allCases.map(\.rawValue), "author_role": AuthorRole.allCases.map(\.rawValue),
                "priority": Priority.allCases.map(\.rawValue), "status": CaseStatus.allCases.map(\.rawValue),
                "level": SupportLevel.allCases.map(\.rawValue),
            ]
        }
        public static var example: Self {
            Self(
                id: 1, caseNumber: "00345678", at: exampleDate, kind: "escalation", author: "Ana", authorRole: "customer", body: "down",
                channel: "web", priority: "P1", level: "L2", status: "escalated", ref: "ESC-1", escalationId: "ESC-1")
        }
    }
}

extension JSONShapes.FeedEntry {
    public init(_ entry: HotlineStore.FeedEntry) {
        id = entry.id
        caseNumber = entry.caseNumber
        at = entry.at
        kind = entry.kind.rawValue
        author = entry.author
        authorRole = entry.authorRole.rawValue
        body = entry.body
        channel = entry.channel
        priority = entry.priority?.rawValue
        level = entry.level?.rawValue
        status = entry.status?.rawValue
        ref = entry.ref
        escalationId = entry.escalationID
    }
}

extension JSONShapes {

    /// A page to an Escalation Manager (`pages list`, `GET /api/pages`).
    public struct Page: JSONShape, Sendable, Hashable {
        /// `PG-000001`.
        public var id: String
        /// The escalation, named as on the case's feed (`ESC-86`).
        public var escalation: String
        public var caseNumber: String
        public var reason: String
        public var level: Int
        public var round: Int
        public var person: String
        public var state: String
        public var sentAt: Date
        public var ackDeadline: Date
        public var acknowledgedBy: String?
        public var acknowledgedAt: Date?
        /// When delivery succeeded; absent while the page waits in the outbox.
        public var deliveredAt: Date?
        /// `simulated` when a simulated caller of `serve --simulate-calls-per-hour` raised it, else `real`.
        public var source: String

        public static let schemaName = "Page"
        public static var enums: [String: [String]] {
            ["state": PageRecord.State.allCases.map(\.rawValue), "source": PageRecord.Source.allCases.map(\.rawValue)]
        }
        public static var example: Self {
            Self(
                id: "PG-000001", escalation: "ESC-1", caseNumber: "00345678", reason: "down", level: 1, round: 1, person: "Grace Kim",
                state: "acknowledged", sentAt: exampleDate, ackDeadline: exampleDate, acknowledgedBy: "Grace Kim", acknowledgedAt: exampleDate,
                deliveredAt: exampleDate, source: "real")
        }
    }
}

extension JSONShapes.Page {
    public init(_ page: PageRecord) {
        id = page.id
        escalation = page.escalation
        caseNumber = page.caseNumber
        reason = page.reason
        level = page.level
        round = page.round
        person = page.person
        state = page.state.rawValue
        sentAt = page.sentAt
        ackDeadline = page.ackDeadline
        acknowledgedBy = page.acknowledgedBy
        acknowledgedAt = page.acknowledgedAt
        deliveredAt = page.deliveredAt
        source = page.source.rawValue
    }
}

extension JSONShapes {

    /// A finished call's record (`cases calls`, `GET /api/calls`).
    public struct Call: JSONShape, Sendable, Hashable {
        public var callerId: String
        public var dialled: String?
        public var startedAt: Date
        /// When the line answered; absent for a call never answered (a SIP call redirected with
        /// a 302, or hung up while it rang).
        public var answeredAt: Date?
        public var endedAt: Date
        /// Flow node ids in the order the call visited them.
        public var path: [String]
        public var outcome: String
        public var caseNumber: String?
        public var queue: String?
        public var agent: String?
        public var waitedSeconds: Double?
        public var sipCallId: String?
        /// Which phone placed the call (left out for scenario runs and older records).
        public var channel: String?

        public static let schemaName = "Call"
        public static var enums: [String: [String]] { ["channel": CallChannel.allCases.map(\.rawValue)] }
        public static var example: Self {
            Self(
                callerId: "+15551230001", dialled: "+15550000000", startedAt: exampleDate, answeredAt: exampleDate, endedAt: exampleDate, path: ["welcome"],
                outcome: "completed", caseNumber: "00345678", queue: "vpn", agent: "Sam", waitedSeconds: 12, sipCallId: "abc", channel: "sip")
        }
    }
}

extension JSONShapes.Call {
    public init(_ record: CallRecord) {
        callerId = record.callerID
        dialled = record.dialled
        startedAt = record.startedAt
        answeredAt = record.answeredAt
        endedAt = record.endedAt
        path = record.path
        outcome = record.outcome
        caseNumber = record.caseNumber
        queue = record.queue
        agent = record.agent
        waitedSeconds = record.waitedSeconds
        sipCallId = record.sipCallID
        channel = record.channel
    }
}

extension JSONShapes {

    /// What a case action answers (`POST /api/cases/{number}/comments|priority|escalate|close`,
    /// `hotline cases escalate --json`): what was done, the feed entry it wrote, the case after it
    /// and the pages it sent.
    public struct ActionResult: JSONShape, Sendable, Hashable {
        public var message: String
        public var entry: FeedEntry
        public var `case`: Case
        public var pages: [Page]

        public init(message: String, entry: FeedEntry, case supportCase: Case, pages: [Page]) {
            self.message = message
            self.entry = entry
            self.case = supportCase
            self.pages = pages
        }

        public static let schemaName = "ActionResult"
        public static var enums: [String: [String]] { [:] }
        public static var example: Self { Self(message: "done", entry: .example, case: .example, pages: [.example]) }
    }
}
