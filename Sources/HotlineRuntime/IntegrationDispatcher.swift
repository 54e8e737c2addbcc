import Foundation
import HotlineCore

/// Turns an action request from the state machine into a call on the right integration, and its
/// answer into an outcome and variables. Shared by the virtual-time and the live drivers.
///
/// Integration failures become the `error` outcome with a note that says what failed; they never
/// leave a call stuck.
public struct IntegrationDispatcher: Sendable {
    public var integrations: Integrations
    /// Whether results carry their transcript ``ActionResult/note``: a call that keeps no
    /// transcript (``CallSession``'s `keepsTranscript`, off in benchmarks) reads none, so none is written.
    public var writesNotes: Bool

    public init(integrations: Integrations, writesNotes: Bool = true) {
        self.integrations = integrations
        self.writesNotes = writesNotes
    }

    /// The result, and how long the caller was kept waiting (queues only).
    public func perform(_ request: ActionRequest, callerID: String, variables: [String: String], at now: Date) -> (ActionResult, Duration, CallLogEntry.Event?) {
        perform(request, callerID: callerID, variables: Inputs(for: request.kind) { variables[$0] }, at: now)
    }

    /// The call variables an action reads, taken from the call one by one when the work is made,
    /// and only those its kind reads (``names(readBy:)``; most read none): a call session asks its
    /// machine for them instead of building every variable into a dictionary per action.
    struct Inputs: Sendable {
        private let names: [String]
        private let values: [String?]

        /// The call variables `kind` reads: ``dispatch`` reads no other.
        static func names(readBy kind: ActionKind) -> [String] {
            switch kind {
            case .identifyCaller, .identifyAccount, .pageOnCall, .acknowledgePage, .setVariables: []
            case .validateCase, .openCase: ["caller.account"]
            case .recordEscalation: ["caller.name"]
            case .enqueue: ["caller.account", "caller.tier", "case.number", "case.priority"]
            }
        }

        init(for kind: ActionKind, _ variable: (String) -> String?) {
            names = Self.names(readBy: kind)
            values = names.map(variable)
        }

        /// The variables `kind` reads, from the call's machine as it is now.
        init(for kind: ActionKind, from machine: CallStateMachine) {
            names = Self.names(readBy: kind)
            values = names.map { machine.variable($0) }
        }

        subscript(name: String) -> String? {
            guard let index = names.firstIndex(of: name) else {
                assertionFailure("IntegrationDispatcher reads \(name): add it to Inputs.names(readBy:)")
                return nil
            }
            return values[index]
        }
    }

    func perform(_ request: ActionRequest, callerID: String, variables: Inputs, at now: Date) -> (ActionResult, Duration, CallLogEntry.Event?) {
        do {
            return try dispatch(request, callerID: callerID, variables: variables, at: now)
        } catch {
            return (.error(Self.describe(error)), .zero, nil)
        }
    }

    private func dispatch(_ request: ActionRequest, callerID: String, variables: Inputs, at now: Date) throws -> (ActionResult, Duration, CallLogEntry.Event?) {
        let arguments = request.arguments
        switch request.kind {
        case .identifyCaller:
            guard let identity = try integrations.directory.identify(callerID: callerID, at: now) else {
                return (ActionResult(outcome: "unknown", variables: ["caller.known": "false"], note: note("caller ID not on file")), .zero, nil)
            }
            return (ActionResult(outcome: "known", variables: Self.variables(of: identity), note: note("account \(identity.accountID), \(identity.tier)")), .zero, nil)
        case .identifyAccount:
            switch try integrations.directory.identify(accountNumber: arguments["account"] ?? "", callerID: callerID, at: now) {
            case .found(let identity):
                return (ActionResult(outcome: "known", variables: Self.variables(of: identity), note: note("account \(identity.accountID)")), .zero, nil)
            case .notFound:
                return (ActionResult(outcome: "unknown", note: note("no such account")), .zero, nil)
            case .locked:
                return (ActionResult(outcome: "locked", note: note("too many wrong account numbers from this caller")), .zero, nil)
            }
        case .validateCase:
            let account = arguments["account"].flatMap { $0.isEmpty ? nil : $0 } ?? variables["caller.account"] ?? ""
            switch try integrations.desk.lookUpCase(number: arguments["case"] ?? "", accountID: account, callerID: callerID, at: now) {
            case .found(let summary):
                return (ActionResult(outcome: "valid", variables: Self.variables(of: summary), note: note("\(summary.priority) \(summary.level) \(summary.status)")), .zero, nil)
            case .notFound:
                return (ActionResult(outcome: "invalid", note: note("not a case of this account")), .zero, nil)
            case .locked:
                return (ActionResult(outcome: "locked", note: note("too many wrong case numbers from this caller")), .zero, nil)
            }
        case .recordEscalation:
            let channel = EscalationChannel(rawValue: arguments["channel"] ?? "phone") ?? .phone
            do {
                let receipt = try integrations.desk.recordEscalation(
                    caseNumber: arguments["case"] ?? "", reason: arguments["reason"] ?? "Escalation requested",
                    channel: channel, by: variables["caller.name"] ?? "caller", at: now)
                return (ActionResult(outcome: "recorded", variables: ["escalation.id": receipt.escalationID, "case.status": "escalated"], note: note("escalation \(receipt.escalationID)")), .zero, nil)
            } catch let error as any CaseClosedSignal where error.isCaseClosed {
                return (ActionResult(outcome: "closed", note: note("the case is closed")), .zero, nil)
            }
        case .openCase:
            let summary = try integrations.desk.openCase(
                accountID: arguments["account"].flatMap { $0.isEmpty ? nil : $0 } ?? variables["caller.account"] ?? "",
                priority: arguments["priority"] ?? "P3", skill: arguments["skill"] ?? "general",
                summary: arguments["summary"] ?? "Opened by phone", callerID: callerID, at: now)
            return (ActionResult(outcome: "opened", variables: Self.variables(of: summary), note: note("case \(summary.number) \(summary.priority)")), .zero, nil)
        case .pageOnCall:
            guard let page = try integrations.pager.pageOnCall(caseNumber: arguments["case"] ?? "", reason: arguments["reason"] ?? "Escalation", at: now) else {
                return (ActionResult(outcome: "nobody", note: note("nobody on call")), .zero, nil)
            }
            return (ActionResult(outcome: "paged", variables: ["page.id": page.pageID, "page.to": page.personName, "page.level": String(page.level)], note: note("paged \(page.personName), level \(page.level)")), .zero, nil)
        case .acknowledgePage:
            let page = arguments["page"] ?? ""
            guard try integrations.pager.acknowledgePage(pageID: page, by: arguments["by"] ?? "", at: now) else {
                return (ActionResult(outcome: "closed", note: note("\(page) was already acknowledged")), .zero, nil)
            }
            return (ActionResult(outcome: "acknowledged", variables: ["page.state": "acknowledged"], note: note("\(page) acknowledged")), .zero, nil)
        case .enqueue:
            let priority = arguments["priority"].flatMap { $0.isEmpty ? nil : $0 } ?? variables["case.priority"]
            let queueRequest = QueueRequest(
                queue: arguments["queue"] ?? "", callerID: callerID, accountID: variables["caller.account"],
                caseNumber: variables["case.number"], priority: priority, tier: variables["caller.tier"])
            switch try integrations.router.enqueue(queueRequest, at: now) {
            case .answered(let queue, let agent, let waited):
                let seconds = String(format: "%.0f", waited.timeInterval)
                return (ActionResult(outcome: "answered", variables: ["queue.name": queue, "queue.agent": agent, "queue.wait_seconds": seconds]),
                        waited, .queued(queue: queue, agent: agent, overflow: nil, waited: waited))
            case .overflow(let queue, let destination, let waited):
                let seconds = String(format: "%.0f", waited.timeInterval)
                return (ActionResult(outcome: "overflow", variables: ["queue.name": queue, "queue.overflow": destination, "queue.wait_seconds": seconds]),
                        waited, .queued(queue: queue, agent: nil, overflow: destination, waited: waited))
            }
        case .setVariables:
            return (ActionResult(outcome: "ok", variables: arguments), .zero, nil)
        }
    }

    static func variables(of identity: CallerIdentity) -> ActionResult.Variables {
        var result: ActionResult.Variables = [
            "caller.known": "true", "caller.name": identity.contactName, "caller.account": identity.accountID,
            "caller.account_name": identity.accountName, "caller.tier": identity.tier,
            "caller.open_cases": String(identity.openCases.count),
        ]
        if identity.openCases.count == 1 { result["caller.case"] = identity.openCases[0] }
        return result
    }

    static func variables(of summary: CaseSummary) -> ActionResult.Variables {
        ["case.number": summary.number, "case.priority": summary.priority, "case.status": summary.status, "case.level": summary.level, "case.skill": summary.skill]
    }

    /// A result's transcript note, written only when someone reads it (``writesNotes``).
    private func note(_ text: @autoclosure () -> String) -> String? {
        writesNotes ? text() : nil
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
