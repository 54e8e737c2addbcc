import Foundation
import HotlineApp
import HotlineCore
import HotlineRouter
import HotlineStore

/// The desk's calls and queues: the calls waiting in the line's queues and the one routed to the
/// signed-in agent (from the live-call board, with the caller's account and case looked up as the
/// line looks them up), and the line's router — the one the browser, terminal and SIP calls of this
/// server are queued on — queue by queue.
public struct DeskCalls {
    let line: WebLine

    /// Service level at or above this share is green; below it amber.
    public static let amberBelow = 0.80
    /// Below this share it is red.
    public static let redBelow = 0.60

    /// The colour of a service level: `ok`, `amber`, `red`, or `none` when no call was offered.
    public static func level(_ share: Double, offered: Int) -> String {
        guard offered > 0 else { return "none" }
        if share < redBelow { return "red" }
        if share < amberBelow { return "amber" }
        return "ok"
    }

    /// The agent a queue answered the call with, from its transcript (`queue   gsc: answered by ava.morgan after …`).
    static func agent(in transcript: [String]) -> (queue: String, agent: String)? {
        for line in transcript.reversed() {
            let step = ConsoleCallView.step(line)
            guard step.kind == "queue", let colon = step.text.firstIndex(of: ":") else { continue }
            let queue = String(step.text[..<colon])
            guard let range = step.text.range(of: "answered by ") else { return nil }
            let agent = step.text[range.upperBound...].prefix { $0 != " " }
            return (queue, String(agent))
        }
        return nil
    }

    /// The routing agent a web user is: only the one linked to the sign-in (`users add … --agent
    /// ID`); a sign-in without a link is no routing agent, whatever its email says.
    func routingAgent(of user: WebUser, in snapshot: QueueSnapshot) -> QueueSnapshot.Agent? {
        guard let linked = user.agentID else { return nil }
        return snapshot.agents.first { $0.id == linked }
    }

    var router: SimulatedCallRouter? { line.systems.router as? SimulatedCallRouter }

    /// The caller's account and case, as the line finds them: the contact of the calling number,
    /// the case number the caller entered (else the account's newest open case).
    func callerFacts(_ call: LiveCallStore.Row) -> [String: Any] {
        let identity = try? line.cases.identify(callerID: call.callerID, at: line.clock())
        let caseNumber = call.caseNumber ?? identity?.openCases.first
        var facts: [String: Any] = ["account": identity.map { "\($0.accountID) \($0.accountName) (\($0.tier))" } ?? "unknown caller"]
        facts["contact"] = identity?.contactName ?? "—"
        if let caseNumber, let supportCase = try? line.cases.supportCase(caseNumber) {
            facts["caseNumber"] = caseNumber
            facts["caseSummary"] = "\(supportCase.priority.rawValue) \(supportCase.status.rawValue): \(supportCase.summary)"
        } else {
            facts["caseNumber"] = false
        }
        return facts
    }

    /// The calls panel: waiting in a queue now, and routed to this user (still on the line, or ended
    /// in the last 10 minutes).
    func callViews(for user: WebUser) throws -> [String: Any] {
        let now = line.clock()
        let board = line.board?.store
        let going = try board?.inProgress() ?? []
        let waiting = going.filter { $0.waiting.hasPrefix("holding in queue") }.map { call -> [String: Any] in
            var view = callerFacts(call)
            view["id"] = call.id
            view["caller"] = call.callerID
            view["channel"] = call.channel
            view["queue"] = call.waiting.replacingOccurrences(of: "holding in queue ", with: "")
            view["elapsed"] = Self.minutes(call.elapsedSeconds(at: now))
            return view
        }
        var mine: [[String: Any]] = []
        var agentName: String?
        if let router {
            let snapshot = router.snapshot(at: now)
            if let agent = routingAgent(of: user, in: snapshot) {
                agentName = "\(agent.name) (\(agent.id), \(agent.state))"
                let recent = try (board?.finished(limit: 50) ?? []).filter { ($0.endedAt ?? now).addingTimeInterval(600) >= now }
                for call in going + recent {
                    guard let routed = Self.agent(in: call.transcript), routed.agent == agent.id else { continue }
                    var view = callerFacts(call)
                    view["id"] = call.id
                    view["caller"] = call.callerID
                    view["queue"] = routed.queue
                    view["state"] = call.isOver ? "ended (\(call.outcome ?? "?"))" : call.waiting
                    mine.append(view)
                }
            }
        }
        // "Routed to you" is an agent's: managers and trainers take no calls from the queues.
        let isAgent = user.role == .agent
        let unlinked =
            "Your sign-in is not linked to a routing agent, so no call is shown as routed to you "
            + "(fix: remove it and add it again with `hotline users add \(user.email) --role agent --agent AGENT-ID --password-stdin`)."
        return [
            "waitingCalls": waiting, "mine": mine, "agentName": agentName ?? false, "isAgent": isAgent,
            "notAnAgent": isAgent && agentName == nil ? unlinked : false,
            "managerNote": user.role == .manager
                ? "As an Escalation Manager: your pages are below (acknowledge them there), with who is on call now and at the next handoff."
                : false,
        ]
    }

    /// The router's queues now: waiting, longest wait, agents available/busy/wrap-up, answered,
    /// abandoned, service level (with its colour).
    func queueViews() -> [[String: Any]] {
        guard let router else { return [] }
        let now = line.clock()
        let snapshot = router.snapshot(at: now)
        let report = router.report(through: now)
        let states = Dictionary(snapshot.agents.map { ($0.id, $0.state) }, uniquingKeysWith: { first, _ in first })
        return snapshot.queues.map { queue in
            let members = queue.members.compactMap { states[$0] }
            let figures = report.queues.first { $0.name == queue.name }
            let offered = figures?.offered ?? queue.offered
            let share = figures?.serviceLevel ?? 0
            return [
                "name": queue.name, "waiting": queue.waiting.count, "longestWait": Self.minutes(queue.longestWaitSeconds),
                "available": members.count { $0 == "available" }, "busy": members.count { $0 == "on-call" || $0 == "ringing" },
                "wrapUp": members.count { $0 == "wrap-up" }, "answered": figures?.answered ?? queue.answered,
                "abandoned": figures?.abandoned ?? 0, "offered": offered,
                "serviceLevel": offered > 0 ? "\(Int((share * 100).rounded()))% in \(Int(figures?.serviceLevelSeconds ?? 20)) s" : "—",
                "level": Self.level(share, offered: offered),
            ]
        }
    }

    /// Changes when the queues change: what the line's clock watches to refresh open desks.
    func queuesFingerprint() -> String {
        queueViews().map { "\($0["name"] ?? ""):\($0["waiting"] ?? ""):\($0["available"] ?? ""):\($0["busy"] ?? ""):\($0["answered"] ?? "")" }.joined(separator: ",")
    }

    static func minutes(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        return "\(s / 60)m \(String(format: "%02d", s % 60))s"
    }

    static let callsTemplate = """
        <section id="desk-calls"><h2>Calls</h2>
        {{#managerNote}}<p class="note" id="manager-note">{{managerNote}} <a href="#pages">Pages</a> · <a href="#oncall">On call</a></p>{{/managerNote}}
        {{#isAgent}}<h3>Routed to you{{#agentName}}: {{agentName}}{{/agentName}}</h3>
        {{#notAnAgent}}<p class="note">{{notAnAgent}}</p>{{/notAnAgent}}
        <table id="my-calls"><thead><tr><th>Caller</th><th>Account</th><th>Case</th><th>Queue</th><th>State</th></tr></thead><tbody>
        {{#mine}}<tr><td>{{caller}} ({{contact}})</td><td>{{account}}</td><td>{{#caseNumber}}<a href="/cases/{{caseNumber}}">{{caseNumber}}</a> {{caseSummary}}{{/caseNumber}}{{^caseNumber}}—{{/caseNumber}}</td><td>{{queue}}</td><td>{{state}}</td></tr>{{/mine}}
        {{^mine}}<tr><td colspan="5">No call routed to you.</td></tr>{{/mine}}
        </tbody></table>{{/isAgent}}
        <h3>Waiting in the queues</h3>
        <table id="waiting-calls"><thead><tr><th>Caller</th><th>Account</th><th>Case</th><th>Queue</th><th>On the line</th><th>Phone</th></tr></thead><tbody>
        {{#waitingCalls}}<tr><td>{{caller}} ({{contact}})</td><td>{{account}}</td><td>{{#caseNumber}}<a href="/cases/{{caseNumber}}">{{caseNumber}}</a> {{caseSummary}}{{/caseNumber}}{{^caseNumber}}—{{/caseNumber}}</td><td>{{queue}}</td><td>{{elapsed}}</td><td>{{channel}}</td></tr>{{/waitingCalls}}
        {{^waitingCalls}}<tr><td colspan="6">No call waiting.</td></tr>{{/waitingCalls}}
        </tbody></table></section>
        <section id="router-queues"><h2>Queues</h2>
        <table><thead><tr><th>Queue</th><th>Waiting</th><th>Longest wait</th><th>Available</th><th>Busy</th><th>Wrap-up</th><th>Answered</th><th>Abandoned</th><th>Service level</th></tr></thead><tbody>
        {{#routerQueues}}<tr class="queue"><td>{{name}}</td><td>{{waiting}}</td><td>{{longestWait}}</td><td>{{available}}</td><td>{{busy}}</td><td>{{wrapUp}}</td><td>{{answered}}</td><td>{{abandoned}}</td><td><span class="badge sl-{{level}}">{{serviceLevel}}</span></td></tr>{{/routerQueues}}
        </tbody></table></section>
        """
}
