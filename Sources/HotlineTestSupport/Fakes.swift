import Foundation
import HotlineCore
import Synchronization

/// In-memory stand-ins for the case store, pager and router, for unit tests of the state machine,
/// the driver and the scenario runner. The shipped `hotline` never uses these.
public final class FakeSystems: CallerDirectory, CaseDesk, OnCallPager, CallRouter, FactChecker, Sendable {
    /// Everything the fake knows and has recorded, behind one lock.
    struct State {
        var callers: [String: CallerIdentity]
        var accounts: [String: CallerIdentity]
        var cases: [String: CaseSummary]
        var onCall: String?
        var queueAgents: [String: String]
        var queueWait: Duration
        var failure: (any Error)?
        var escalations: [(caseNumber: String, channel: EscalationChannel)] = []
        var pages: [PageReceipt] = []
        var calls: [CallRecord] = []
        var opened: [CaseSummary] = []
        var acknowledged: [String] = []

        func check() throws {
            if let failure { throw failure }
        }
    }

    private let state: Mutex<State>

    public var callers: [String: CallerIdentity] {
        get { state.withLock { $0.callers } }
        set { state.withLock { $0.callers = newValue } }
    }
    public var accounts: [String: CallerIdentity] {
        get { state.withLock { $0.accounts } }
        set { state.withLock { $0.accounts = newValue } }
    }
    public var cases: [String: CaseSummary] {
        get { state.withLock { $0.cases } }
        set { state.withLock { $0.cases = newValue } }
    }
    public var onCall: String? {
        get { state.withLock { $0.onCall } }
        set { state.withLock { $0.onCall = newValue } }
    }
    public var queueAgents: [String: String] {
        get { state.withLock { $0.queueAgents } }
        set { state.withLock { $0.queueAgents = newValue } }
    }
    public var queueWait: Duration {
        get { state.withLock { $0.queueWait } }
        set { state.withLock { $0.queueWait = newValue } }
    }
    /// When set, every integration call throws it.
    public var failure: (any Error)? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }
    public var escalations: [(caseNumber: String, channel: EscalationChannel)] { state.withLock { $0.escalations } }
    public var pages: [PageReceipt] { state.withLock { $0.pages } }
    public var calls: [CallRecord] { state.withLock { $0.calls } }
    public var opened: [CaseSummary] { state.withLock { $0.opened } }
    public var acknowledged: [String] { state.withLock { $0.acknowledged } }

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
        state = Mutex(
            State(
                callers: callers, accounts: Dictionary(callers.values.map { ($0.accountID, $0) }, uniquingKeysWith: { first, _ in first }),
                cases: cases, onCall: onCall, queueAgents: queueAgents, queueWait: queueWait))
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

    public func identify(callerID: String, at now: Date) throws -> CallerIdentity? {
        try state.withLock { state in
            try state.check()
            return state.callers[callerID]
        }
    }

    public func identify(accountNumber: String, callerID: String, at now: Date) throws -> Lookup<CallerIdentity> {
        try state.withLock { state in
            try state.check()
            return state.accounts[accountNumber].map { .found($0) } ?? .notFound
        }
    }

    public func lookUpCase(number: String, accountID: String, callerID: String, at now: Date) throws -> Lookup<CaseSummary> {
        try state.withLock { state in
            try state.check()
            guard let summary = state.cases[number], summary.accountID == accountID else { return .notFound }
            return .found(summary)
        }
    }

    public func recordEscalation(caseNumber: String, reason: String, channel: EscalationChannel, by: String, at now: Date) throws -> EscalationReceipt {
        try state.withLock { state in
            try state.check()
            state.escalations.append((caseNumber, channel))
            state.cases[caseNumber]?.status = "escalated"
            return EscalationReceipt(caseNumber: caseNumber, escalationID: "E\(state.escalations.count)")
        }
    }

    public func openCase(accountID: String, priority: String, skill: String, summary: String, callerID: String, at now: Date) throws -> CaseSummary {
        try state.withLock { state in
            try state.check()
            let number = String(format: "%08d", 600_000 + state.opened.count)
            let created = CaseSummary(number: number, accountID: accountID, priority: priority, status: "new", level: "L0", skill: skill)
            state.opened.append(created)
            state.cases[number] = created
            return created
        }
    }

    public func recordCall(_ record: CallRecord) throws {
        try state.withLock { state in
            try state.check()
            state.calls.append(record)
        }
    }

    public func pageOnCall(caseNumber: String, reason: String, at now: Date) throws -> PageReceipt? {
        try state.withLock { state in
            try state.check()
            guard let onCall = state.onCall else { return nil }
            let page = PageReceipt(pageID: "P\(state.pages.count + 1)", personName: onCall, level: 1)
            state.pages.append(page)
            return page
        }
    }

    public func acknowledgePage(pageID: String, by person: String, at now: Date) throws -> Bool {
        try state.withLock { state in
            try state.check()
            guard state.pages.contains(where: { $0.pageID == pageID }), !state.acknowledged.contains(pageID) else { return false }
            state.acknowledged.append(pageID)
            return true
        }
    }

    public func enqueue(_ request: QueueRequest, at now: Date) throws -> QueueOutcome {
        try state.withLock { state in
            try state.check()
            guard let agent = state.queueAgents[request.queue] else {
                return .overflow(queue: request.queue, destination: "callback", waited: .zero)
            }
            return .answered(queue: request.queue, agent: agent, waited: state.queueWait)
        }
    }

    public func check(_ fact: Fact) throws -> (holds: Bool, observed: String) {
        state.withLock { state in
            switch fact {
            case .caseStatus(let number, let status):
                let actual = state.cases[number]?.status ?? "no such case"
                return (actual == status, "status \(actual)")
            case .caseFeed(let number, let kind, let channel):
                let found = kind == "escalation" && state.escalations.contains { $0.caseNumber == number && (channel == nil || $0.channel.rawValue == channel) }
                return (found, "\(state.escalations.filter { $0.caseNumber == number }.count) escalations on the case")
            case .pageSent(let to, _, let level):
                let found = state.pages.contains { (to == nil || $0.personName == to) && (level == nil || $0.level == level) }
                return (found, state.pages.map(\.personName).joined(separator: ", "))
            case .caseOpened(let account, let priority):
                let found = state.opened.contains { $0.accountID == account && (priority == nil || $0.priority == priority) }
                return (found, "\(state.opened.count) cases opened")
            }
        }
    }

    /// All four integrations backed by this fake.
    public var integrations: Integrations {
        Integrations(directory: self, desk: self, pager: self, router: self)
    }
}
