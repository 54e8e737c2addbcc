import Foundation

/// Who a caller is, as far as the case store knows.
public struct CallerIdentity: Sendable, Hashable {
    public var contactName: String
    public var accountID: String
    public var accountName: String
    /// `gold` or `platinum`.
    public var tier: String
    /// Open case numbers of the account, newest first.
    public var openCases: [String]

    public init(contactName: String, accountID: String, accountName: String, tier: String, openCases: [String]) {
        self.contactName = contactName
        self.accountID = accountID
        self.accountName = accountName
        self.tier = tier
        self.openCases = openCases
    }
}

/// A lookup that can be refused for too many wrong tries (from one caller ID, across calls).
public enum Lookup<Value: Sendable>: Sendable {
    case found(Value)
    /// Not found — or found but not the caller's: the two are indistinguishable on purpose.
    case notFound
    /// Too many wrong tries from this caller ID; try again later.
    case locked
}

/// The facts about a case a call needs.
public struct CaseSummary: Sendable, Hashable {
    public var number: String
    public var accountID: String
    /// `P1`, `P2` or `P3`.
    public var priority: String
    public var status: String
    /// `L0` … `L3`.
    public var level: String
    public var skill: String

    public init(number: String, accountID: String, priority: String, status: String, level: String, skill: String) {
        self.number = number
        self.accountID = accountID
        self.priority = priority
        self.status = status
        self.level = level
        self.skill = skill
    }
}

/// How a customer escalated: the seed's two ways.
public enum EscalationChannel: String, Sendable, CaseIterable {
    case phone
    case web
}

/// An escalation as recorded on a case.
public struct EscalationReceipt: Sendable, Hashable {
    public var caseNumber: String
    public var escalationID: String
    public init(caseNumber: String, escalationID: String) {
        self.caseNumber = caseNumber
        self.escalationID = escalationID
    }
}

/// A page sent to the person on call.
public struct PageReceipt: Sendable, Hashable {
    public var pageID: String
    public var personName: String
    /// The escalation-policy level that was paged (1 = primary).
    public var level: Int
    public init(pageID: String, personName: String, level: Int) {
        self.pageID = pageID
        self.personName = personName
        self.level = level
    }
}

/// A request to queue a caller for an agent.
public struct QueueRequest: Sendable, Hashable {
    public var queue: String
    public var callerID: String
    public var accountID: String?
    public var caseNumber: String?
    /// `P1` … `P3` when the call is about a case.
    public var priority: String?
    /// `gold` or `platinum` when the caller is known.
    public var tier: String?

    public init(queue: String, callerID: String, accountID: String? = nil, caseNumber: String? = nil, priority: String? = nil, tier: String? = nil) {
        self.queue = queue
        self.callerID = callerID
        self.accountID = accountID
        self.caseNumber = caseNumber
        self.priority = priority
        self.tier = tier
    }
}

/// How a queued call left the queue.
public enum QueueOutcome: Sendable, Hashable {
    /// An agent took the call after the caller waited.
    case answered(queue: String, agent: String, waited: Duration)
    /// Nobody could take it in time (or nobody is logged in); the call goes to the overflow destination.
    case overflow(queue: String, destination: String, waited: Duration)
}

/// What a finished call leaves behind.
public struct CallRecord: Sendable, Hashable, Encodable {
    public var callerID: String
    public var dialled: String?
    /// When the call reached the line (a SIP call: when its flow started, while it still rang).
    public var startedAt: Date
    /// When the line answered it; `nil` when it never was (a SIP call redirected with a 302, or
    /// hung up by its caller while it rang). Every other phone answers at ``startedAt``.
    public var answeredAt: Date?
    public var endedAt: Date
    /// Flow node ids in the order the call visited them.
    public var path: [String]
    /// `completed`, `transferred`, `redirected`, `caller-hung-up`, `failed`, …
    public var outcome: String
    public var caseNumber: String?
    public var queue: String?
    public var agent: String?
    public var waitedSeconds: Double?
    /// The SIP `Call-ID` of a call answered over SIP (`hotline serve --sip`); `nil` otherwise.
    public var sipCallID: String?
    /// Which phone placed the call (``CallChannel``: `browser`, `terminal`, `sip`, `simulated`);
    /// `nil` for scenario runs and for records saved before the channel was kept.
    public var channel: String?

    public init(
        callerID: String, dialled: String?, startedAt: Date, endedAt: Date, path: [String], outcome: String,
        caseNumber: String? = nil, queue: String? = nil, agent: String? = nil, waitedSeconds: Double? = nil, sipCallID: String? = nil,
        channel: String? = nil
    ) {
        self.callerID = callerID
        self.dialled = dialled
        self.startedAt = startedAt
        self.answeredAt = startedAt
        self.endedAt = endedAt
        self.path = path
        self.outcome = outcome
        self.caseNumber = caseNumber
        self.queue = queue
        self.agent = agent
        self.waitedSeconds = waitedSeconds
        self.sipCallID = sipCallID
        self.channel = channel
    }

    /// A record whose call was answered at `answeredAt` (`nil`: never answered).
    public init(
        callerID: String, dialled: String?, startedAt: Date, answeredAt: Date?, endedAt: Date, path: [String], outcome: String,
        caseNumber: String? = nil, queue: String? = nil, agent: String? = nil, waitedSeconds: Double? = nil, sipCallID: String? = nil,
        channel: String? = nil
    ) {
        self.init(
            callerID: callerID, dialled: dialled, startedAt: startedAt, endedAt: endedAt, path: path, outcome: outcome, caseNumber: caseNumber,
            queue: queue, agent: agent, waitedSeconds: waitedSeconds, sipCallID: sipCallID, channel: channel)
        self.answeredAt = answeredAt
    }

    /// How long the call was answered (from the answer to its end); zero for a call never answered.
    public var answeredSeconds: Double {
        answeredAt.map { max(0, endedAt.timeIntervalSince($0)) } ?? 0
    }
}

/// The phones a call on the line comes from, as the live-call board and the call records name
/// them. (Training-desk calls are scored in the training database, not kept as call records.)
public enum CallChannel: String, Sendable, CaseIterable {
    /// The phone in the browser (`/phone`).
    case browser
    /// `hotline call` in a terminal.
    case terminal
    /// A SIP phone on `hotline serve --sip`.
    case sip
    /// A simulated caller of `hotline serve --simulate-calls-per-hour`.
    case simulated
}

/// Maps callers to accounts. Implemented on SQLite by `HotlineStore`.
public protocol CallerDirectory: Sendable {
    /// The caller behind a caller ID, or `nil` when unknown.
    func identify(callerID: String, at now: Date) throws -> CallerIdentity?
    /// An account/site number typed by a caller; refusals count towards the caller's rate limit.
    func identify(accountNumber: String, callerID: String, at now: Date) throws -> Lookup<CallerIdentity>
}

/// The case operations a call performs. Implemented on SQLite by `HotlineStore`.
public protocol CaseDesk: Sendable {
    /// A case typed on the keypad, accepted only when it belongs to `accountID`.
    func lookUpCase(number: String, accountID: String, callerID: String, at now: Date) throws -> Lookup<CaseSummary>
    func recordEscalation(caseNumber: String, reason: String, channel: EscalationChannel, by: String, at now: Date) throws -> EscalationReceipt
    func openCase(accountID: String, priority: String, skill: String, summary: String, callerID: String, at now: Date) throws -> CaseSummary
    func recordCall(_ record: CallRecord) throws
}

/// An error a `CaseDesk` throws when an escalation is asked for on a closed case; the flow takes the
/// `record_escalation` node's `closed` outcome instead of `error`.
public protocol CaseClosedSignal: Error {
    var isCaseClosed: Bool { get }
}

/// Pages whoever is on call. Implemented by `HotlineRota` on the rota and escalation policy.
public protocol OnCallPager: Sendable {
    /// Pages level 1 of the escalation policy for a case; `nil` when nobody is on call. When the
    /// case's escalation is already paging, nothing new is sent and its latest page is returned.
    func pageOnCall(caseNumber: String, reason: String, at now: Date) throws -> PageReceipt?
    /// Acknowledges a page (and so its escalation); `false` when it was acknowledged already. An
    /// escalation that ran out of levels is still acknowledged by a late acknowledgement (as in
    /// PagerDuty and GoAlert): the person who answers owns it.
    func acknowledgePage(pageID: String, by person: String, at now: Date) throws -> Bool
}

/// Routes a caller to an agent. Implemented by `HotlineRouter`.
public protocol CallRouter: Sendable {
    func enqueue(_ request: QueueRequest, at now: Date) throws -> QueueOutcome
}

/// The outside world a call can reach, one protocol per system.
public struct Integrations: Sendable {
    public var directory: any CallerDirectory
    public var desk: any CaseDesk
    public var pager: any OnCallPager
    public var router: any CallRouter

    public init(directory: any CallerDirectory, desk: any CaseDesk, pager: any OnCallPager, router: any CallRouter) {
        self.directory = directory
        self.desk = desk
        self.pager = pager
        self.router = router
    }
}

/// A fact a scenario can expect to find in the systems behind a call, once it has ended.
public enum Fact: Sendable, Hashable {
    /// The case has this status (`escalated`, `open`, …).
    case caseStatus(caseNumber: String, status: String)
    /// The case's feed has an entry of this kind (`escalation`, `comment`, …), on this channel if given.
    case caseFeed(caseNumber: String, kind: String, channel: String?)
    /// A page was sent, to this person if given, for this case if given, at this level if given.
    case pageSent(to: String?, caseNumber: String?, level: Int?)
    /// A case was opened for the account with this priority.
    case caseOpened(accountID: String, priority: String?)
}

/// Checks facts after a scripted call. Implemented on the real systems by `HotlineApp`.
public protocol FactChecker: Sendable {
    /// Whether the fact holds, and what was observed instead when it does not.
    func check(_ fact: Fact) throws -> (holds: Bool, observed: String)
}

extension Fact: CustomStringConvertible {
    public var description: String {
        switch self {
        case .caseStatus(let number, let status):
            "case \(number) is \(status)"
        case .caseFeed(let number, let kind, let channel):
            "case \(number) has a \(kind) entry" + (channel.map { " by \($0)" } ?? "")
        case .pageSent(let to, let caseNumber, let level):
            "a page was sent" + (to.map { " to \($0)" } ?? "") + (caseNumber.map { " for case \($0)" } ?? "") + (level.map { " at level \($0)" } ?? "")
        case .caseOpened(let account, let priority):
            "a \(priority.map { "\($0) " } ?? "")case was opened for account \(account)"
        }
    }
}
