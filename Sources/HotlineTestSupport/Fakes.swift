import Foundation
import HotlineCore

/// In-memory stand-ins for the case store, pager and router, for unit tests of the state machine,
/// the driver and the scenario runner. The shipped `hotline` never uses these.
public final class FakeSystems: CallerDirectory, CaseDesk, OnCallPager, CallRouter, FactChecker, @unchecked Sendable {
    private let lock = NSLock()
    public var callers: [String: CallerIdentity]
    public var accounts: [String: CallerIdentity]
    public var cases: [String: CaseSummary]
    public var onCall: String?
    public var queueAgents: [String: String]
    public var queueWait: Duration
    /// When set, every integration call throws it.
    public var failure: (any Error)?
    public private(set) var escalations: [(caseNumber: String, channel: EscalationChannel)] = []
    public private(set) var pages: [PageReceipt] = []
    public private(set) var calls: [CallRecord] = []
    public private(set) var opened: [CaseSummary] = []

    public struct Failure: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "the fake integration was told to fail" }
    }

    public init(
        callers: [String: CallerIdentity] = FakeSystems.sampleCallers,
        cases: [String: CaseSummary] = FakeSystems.sampleCases,
        onCall: String? = "Alex Rivera",
        queueAgents: [String: String] = ["customer-care": "Sam (L0)", "gsc": "Lee (L1)", "gec": "Kim (L3)", "psirt": "Pat (PSIRT)"],
        queueWait: Duration = .seconds(20)
    ) {
        self.callers = callers
        self.accounts = Dictionary(callers.values.map { ($0.accountID, $0) }, uniquingKeysWith: { first, _ in first })
        self.cases = cases
        self.onCall = onCall
        self.queueAgents = queueAgents
        self.queueWait = queueWait
    }

    public static let sampleCallers: [String: CallerIdentity] = [
        "+14085550100": CallerIdentity(contactName: "Dana Whitfield", accountID: "100001", accountName: "Acme Networks", tier: "platinum", openCases: ["00345678", "00345679"]),
        "+12125550199": CallerIdentity(contactName: "Ravi Menon", accountID: "100002", accountName: "Globex Bank", tier: "gold", openCases: ["00412345"]),
    ]

    public static let sampleCases: [String: CaseSummary] = [
        "00345678": CaseSummary(number: "00345678", accountID: "100001", priority: "P1", status: "open", level: "L2", skill: "vpn"),
        "00345679": CaseSummary(number: "00345679", accountID: "100001", priority: "P3", status: "open", level: "L3", skill: "vpn"),
        "00412345": CaseSummary(number: "00412345", accountID: "100002", priority: "P2", status: "open", level: "L1", skill: "vpn"),
        "00999999": CaseSummary(number: "00999999", accountID: "100002", priority: "P3", status: "open", level: "L0", skill: "vpn"),
    ]

    private func check() throws {
        if let failure { throw failure }
    }

    public func identify(callerID: String, at now: Date) throws -> CallerIdentity? {
        try lock.withLock {
            try check()
            return callers[callerID]
        }
    }

    public func identify(accountNumber: String, callerID: String, at now: Date) throws -> Lookup<CallerIdentity> {
        try lock.withLock {
            try check()
            return accounts[accountNumber].map { .found($0) } ?? .notFound
        }
    }

    public func lookUpCase(number: String, accountID: String, callerID: String, at now: Date) throws -> Lookup<CaseSummary> {
        try lock.withLock {
            try check()
            guard let summary = cases[number], summary.accountID == accountID else { return .notFound }
            return .found(summary)
        }
    }

    public func recordEscalation(caseNumber: String, reason: String, channel: EscalationChannel, by: String, at now: Date) throws -> EscalationReceipt {
        try lock.withLock {
            try check()
            escalations.append((caseNumber, channel))
            cases[caseNumber]?.status = "escalated"
            return EscalationReceipt(caseNumber: caseNumber, escalationID: "E\(escalations.count)")
        }
    }

    public func openCase(accountID: String, priority: String, skill: String, summary: String, callerID: String, at now: Date) throws -> CaseSummary {
        try lock.withLock {
            try check()
            let number = String(format: "%08d", 600_000 + opened.count)
            let created = CaseSummary(number: number, accountID: accountID, priority: priority, status: "new", level: "L0", skill: skill)
            opened.append(created)
            cases[number] = created
            return created
        }
    }

    public func recordCall(_ record: CallRecord) throws {
        try lock.withLock {
            try check()
            calls.append(record)
        }
    }

    public func pageOnCall(caseNumber: String, reason: String, at now: Date) throws -> PageReceipt? {
        try lock.withLock {
            try check()
            guard let onCall else { return nil }
            let page = PageReceipt(pageID: "P\(pages.count + 1)", personName: onCall, level: 1)
            pages.append(page)
            return page
        }
    }

    public private(set) var acknowledged: [String] = []

    public func acknowledgePage(pageID: String, by person: String, at now: Date) throws -> Bool {
        try lock.withLock {
            try check()
            guard pages.contains(where: { $0.pageID == pageID }), !acknowledged.contains(pageID) else { return false }
            acknowledged.append(pageID)
            return true
        }
    }

    public func enqueue(_ request: QueueRequest, at now: Date) throws -> QueueOutcome {
        try lock.withLock {
            try check()
            guard let agent = queueAgents[request.queue] else {
                return .overflow(queue: request.queue, destination: "callback", waited: .zero)
            }
            return .answered(queue: request.queue, agent: agent, waited: queueWait)
        }
    }

    public func check(_ fact: Fact) throws -> (holds: Bool, observed: String) {
        lock.withLock {
            switch fact {
            case .caseStatus(let number, let status):
                let actual = cases[number]?.status ?? "no such case"
                return (actual == status, "status \(actual)")
            case .caseFeed(let number, let kind, let channel):
                let found = kind == "escalation" && escalations.contains { $0.caseNumber == number && (channel == nil || $0.channel.rawValue == channel) }
                return (found, "\(escalations.filter { $0.caseNumber == number }.count) escalations on the case")
            case .pageSent(let to, _, let level):
                let found = pages.contains { (to == nil || $0.personName == to) && (level == nil || $0.level == level) }
                return (found, pages.map(\.personName).joined(separator: ", "))
            case .caseOpened(let account, let priority):
                let found = opened.contains { $0.accountID == account && (priority == nil || $0.priority == priority) }
                return (found, "\(opened.count) cases opened")
            }
        }
    }

    /// All four integrations backed by this fake.
    public var integrations: Integrations {
        Integrations(directory: self, desk: self, pager: self, router: self)
    }
}
