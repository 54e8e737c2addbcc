import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// A staffing plan: which agents and queues, what traffic, for how long (`Fixtures/routing/plan.yaml`).
///
/// ```yaml
/// agents: agents.yaml            # relative to this file
/// queues: queues.yaml
/// start: 2026-12-01T08:00 America/Los_Angeles
/// hours: 8
/// seed: 7
/// agent-behaviour: {answer-delay: 2-6, no-answer-rate: 0.02}
/// callback-delay: 1800           # seconds from overflow to the callback, for the response-time SLA
/// traffic:
///   - queue: gsc
///     arrivals-per-hour: 30
///     mean-handle-time: 900
///     patience: 300              # mean seconds a caller waits before hanging up; omit for never
///     priorities: {P1: 0.1, P2: 0.3, P3: 0.6}
///     platinum: 0.25             # share of callers on Platinum
///     designated-sme:            # a Platinum account with a CSM/Resident Engineer add-on
///       agent: ren.yamamoto      # its SME, tried first during the account's business hours
///       share: 0.1               # share of the stream's callers from that account
///       time-zone: Asia/Tokyo
///       hours: 09:00-17:00       # Monday to Friday, local time
///       time-limit: 120          # optional; else the queue's sme-time-limit
/// ```
public struct StaffingPlan: Sendable {
    public var path: String
    public var config: RoutingConfig
    public var settings: SimulationSettings

    static let keys = ["agents", "queues", "start", "hours", "seed", "agent-behaviour", "callback-delay", "page-on-p1-breach", "traffic"]
    static let trafficKeys = ["queue", "arrivals-per-hour", "mean-handle-time", "patience", "priorities", "platinum", "designated-sme"]
    static let smeKeys = ["agent", "share", "time-zone", "hours", "time-limit"]

    /// Reads the plan and the agents and queues files it names; every problem in the three files is
    /// reported at once.
    public static func load(path: String) throws(Diagnostics) -> StaffingPlan {
        let file = YAMLFile(path: path)
        guard let rootNode = file.root,
            let root = file.attempt({ () throws -> Yams.Node.Mapping in
                try RoutingFile.mapping(rootNode, path: path, what: "a staffing plan is a mapping with agents, queues, hours and traffic")
            })
        else { throw Diagnostics(file.errors) }
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ name: String) -> String { normalizedPath(name.hasPrefix("/") ? name : (folder as NSString).appendingPathComponent(name)) }
        var agentsPath = resolve("agents.yaml")
        var queuesPath = resolve("queues.yaml")
        var start = Date(timeIntervalSinceReferenceDate: 818_294_400)  // 2026-12-07 (a Monday) 00:00 UTC
        var hours = 8.0
        var seed: UInt64 = 1
        var behaviour = AgentBehaviour(answerDelay: 2...6, noAnswerRate: 0)
        var callbackDelay = 1800.0
        var pageOnP1Breach = true
        var trafficNodes: [(Yams.Node, Yams.Node.Mapping)] = []
        for (key, value) in root {
            let name = key.string ?? ""
            _ = file.attempt { () throws in
                switch name {
                case "agents": agentsPath = resolve(value.string ?? "")
                case "queues": queuesPath = resolve(value.string ?? "")
                case "start":
                    let text = value.string ?? ""
                    do {
                        start = try InstantParser.parse(text)
                    } catch {
                        throw Diagnostic(.badValue, file: path, node: value, message: "cannot read the start time: \(error)", fix: "write ISO 8601 with an offset (2026-12-07T08:00:00-08:00) or with a zone (2026-12-07T08:00 America/Los_Angeles)")
                    }
                case "hours":
                    guard let number = value.float, number > 0, number <= 100_000 else {
                        throw Diagnostic(.badValue, file: path, node: value, message: "`hours` must be a number more than 0", fix: "e.g. `hours: 8`")
                    }
                    hours = number
                case "seed":
                    guard let number = value.int, number >= 0 else {
                        throw Diagnostic(.badValue, file: path, node: value, message: "`seed` must be a whole number of 0 or more", fix: "e.g. `seed: 7`")
                    }
                    seed = UInt64(number)
                case "callback-delay":
                    callbackDelay = try RoutingFile.seconds(value, path: path, key: name)
                case "page-on-p1-breach":
                    guard let flag = value.bool else {
                        throw Diagnostic(.badValue, file: path, node: value, message: "`page-on-p1-breach` must be true or false", fix: "write true or false")
                    }
                    pageOnP1Breach = flag
                case "agent-behaviour":
                    guard let fields = value.mapping else {
                        throw Diagnostic(.structure, file: path, node: value, message: "`agent-behaviour` must be a mapping", fix: "write `agent-behaviour: {answer-delay: 2-6, no-answer-rate: 0.02}`")
                    }
                    for (field, fieldValue) in fields {
                        switch field.string {
                        case "answer-delay":
                            let text = fieldValue.string ?? ""
                            let parts = text.split(separator: "-").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                            if parts.count == 1, let low = parts[0], low >= 0 {
                                behaviour.answerDelay = low...low
                            } else if parts.count == 2, let low = parts[0], let high = parts[1], low >= 0, low <= high {
                                behaviour.answerDelay = low...high
                            } else {
                                throw Diagnostic(.badValue, file: path, node: fieldValue, message: "cannot read answer-delay '\(text)'", fix: "write seconds (`3`) or a range (`2-6`)")
                            }
                        case "no-answer-rate":
                            guard let rate = fieldValue.float, (0...1).contains(rate) else {
                                throw Diagnostic(.badValue, file: path, node: fieldValue, message: "`no-answer-rate` must be a share from 0 to 1", fix: "e.g. 0.02")
                            }
                            behaviour.noAnswerRate = rate
                        default:
                            throw Diagnostic(.unknownKey, file: path, node: field, message: "unknown key '\(field.string ?? "")' in agent-behaviour", fix: "use `answer-delay` and `no-answer-rate`")
                        }
                    }
                case "traffic":
                    guard let list = value.sequence else {
                        throw Diagnostic(.structure, file: path, node: value, message: "`traffic` must be a list", fix: "start each stream with `- queue: …`")
                    }
                    for item in list {
                        guard let fields = item.mapping else {
                            file.record(Diagnostic(.structure, file: path, node: item, message: "a traffic stream is a mapping with queue, arrivals-per-hour and mean-handle-time", fix: "write `- {queue: gsc, arrivals-per-hour: 30}`"))
                            continue
                        }
                        trafficNodes.append((item, fields))
                    }
                default:
                    throw Diagnostic(.unknownKey, file: path, node: key, message: "unknown key '\(name)' in a staffing plan", fix: Suggestions.fix(for: name, in: keys, what: "a plan's keys"))
                }
            }
        }
        let config: RoutingConfig
        do {
            config = try RoutingFile.load(agents: agentsPath, queues: queuesPath)
        } catch {
            file.record(error.errors)
            throw Diagnostics(file.errors)
        }
        var traffic: [TrafficStream] = []
        var unreadableStreams = false
        for (node, fields) in trafficNodes {
            var queue: Int?
            var rate: Double?
            var handle: Double?
            var stream = TrafficStream(queue: 0, arrivalsPerHour: 0, meanHandleTime: 1)
            var unreadable = false
            for (key, value) in fields {
                let name = key.string ?? ""
                let read: Void? = file.attempt { () throws in
                    switch name {
                    case "queue":
                        let text = value.string ?? ""
                        guard let index = config.queueIndex(named: text) else {
                            throw Diagnostic(.unknownQueue, file: path, node: value, message: "no queue named '\(text)' in \(queuesPath)", fix: Suggestions.fix(for: text, in: config.queues.map(\.name), what: "the queues"))
                        }
                        queue = index
                    case "arrivals-per-hour":
                        guard let number = value.float, number >= 0, number.isFinite else {
                            throw Diagnostic(.badValue, file: path, node: value, message: "`arrivals-per-hour` must be a number of 0 or more", fix: "e.g. `arrivals-per-hour: 30`")
                        }
                        rate = number
                    case "mean-handle-time":
                        handle = try RoutingFile.positiveSeconds(value, path: path, key: name)
                    case "patience":
                        stream.meanPatience = try RoutingFile.positiveSeconds(value, path: path, key: name)
                    case "platinum":
                        guard let share = value.float, (0...1).contains(share) else {
                            throw Diagnostic(.badValue, file: path, node: value, message: "`platinum` must be a share from 0 to 1", fix: "e.g. `platinum: 0.25`")
                        }
                        stream.platinumShare = share
                    case "priorities":
                        guard let mix = value.mapping else {
                            throw Diagnostic(.structure, file: path, node: value, message: "`priorities` must map P1/P2/P3 to shares", fix: "write `priorities: {P1: 0.1, P2: 0.3, P3: 0.6}`")
                        }
                        var total = 0.0
                        for (priorityKey, shareNode) in mix {
                            let priority = CallPriority(name: priorityKey.string)
                            guard priority != .none else {
                                throw Diagnostic(.badValue, file: path, node: priorityKey, message: "unknown priority '\(priorityKey.string ?? "")'", fix: "use P1, P2 and P3")
                            }
                            guard let share = shareNode.float, (0...1).contains(share) else {
                                throw Diagnostic(.badValue, file: path, node: shareNode, message: "the share of \(priority.name) must be from 0 to 1", fix: "write a share such as 0.3")
                            }
                            stream.priorityMix[priority] = share
                            total += share
                        }
                        if total > 1.000_001 {
                            throw Diagnostic(.badValue, file: path, node: value, message: "priority shares add up to \(total), more than 1", fix: "make P1 + P2 + P3 at most 1 (the rest have no priority)")
                        }
                    case "designated-sme":
                        (stream.designatedSME, stream.designatedSMEShare) = try designatedSME(value, path: path, config: config)
                    default:
                        throw Diagnostic(.unknownKey, file: path, node: key, message: "unknown key '\(name)' in a traffic stream", fix: Suggestions.fix(for: name, in: trafficKeys, what: "a stream's keys"))
                    }
                }
                if read == nil { unreadable = true }
            }
            let present = Set(fields.keys.compactMap(\.string))
            if queue == nil && !present.contains("queue") {
                file.record(Diagnostic(.structure, file: path, node: node, message: "traffic stream without a `queue`", fix: "add `queue: gsc`"))
            }
            if rate == nil && !present.contains("arrivals-per-hour") {
                file.record(Diagnostic(.structure, file: path, node: node, message: "traffic stream without `arrivals-per-hour`", fix: "add `arrivals-per-hour: 30`"))
            }
            guard let queue, let rate, !unreadable else {
                unreadableStreams = true
                continue
            }
            stream.queue = queue
            stream.arrivalsPerHour = rate
            stream.meanHandleTime = handle ?? config.queues[queue].meanHandleTime
            traffic.append(stream)
        }
        if traffic.isEmpty && !unreadableStreams && !root.contains(where: { $0.key.string == "traffic" }) {
            file.record(Diagnostic(.structure, file: path, line: 1, column: 1, message: "the plan has no traffic", fix: "add `traffic:` with at least one queue's arrivals"))
        }
        try file.throwIfErrors()
        let settings = SimulationSettings(
            start: start, hours: hours, seed: seed, traffic: traffic, behaviour: behaviour, callbackDelay: callbackDelay,
            pageOnP1Breach: pageOnP1Breach)
        return StaffingPlan(path: path, config: config, settings: settings)
    }
}

extension StaffingPlan {
    static func designatedSME(_ node: Yams.Node, path: String, config: RoutingConfig) throws -> (DesignatedSME, Double) {
        guard let fields = node.mapping else {
            throw Diagnostic(.structure, file: path, node: node, message: "`designated-sme` must be a mapping", fix: "write `designated-sme: {agent: ren.yamamoto, share: 0.1, time-zone: Asia/Tokyo, hours: 09:00-17:00}`")
        }
        var agent: String?
        var share = 0.0
        var zone = TimeZone(identifier: "UTC")!
        var open = 9 * 60
        var close = 17 * 60
        var limit: Double?
        for (key, value) in fields {
            let name = key.string ?? ""
            switch name {
            case "agent":
                let text = value.string ?? ""
                guard config.agentIndex(id: text) != nil else {
                    throw Diagnostic(.unknownAgent, file: path, node: value, message: "no agent '\(text)' in the agents file", fix: Suggestions.fix(for: text, in: config.agents.map(\.id), what: "the agents"))
                }
                agent = text
            case "share":
                guard let number = value.float, (0...1).contains(number) else {
                    throw Diagnostic(.badValue, file: path, node: value, message: "`share` must be from 0 to 1", fix: "e.g. `share: 0.1`")
                }
                share = number
            case "time-zone":
                let text = value.string ?? ""
                guard let parsed = TimeZone(identifier: text) else {
                    throw Diagnostic(.badValue, file: path, node: value, message: "unknown time zone '\(text)'", fix: "use an IANA zone such as Asia/Tokyo or America/New_York")
                }
                zone = parsed
            case "hours":
                let text = value.string ?? ""
                let parts = text.split(separator: "-").map { part -> Int? in
                    let clock = part.trimmingCharacters(in: .whitespaces).split(separator: ":").compactMap { Int($0) }
                    guard clock.count == 2, (0...24).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
                    return clock[0] * 60 + clock[1]
                }
                guard parts.count == 2, let from = parts[0], let to = parts[1], from < to, to <= 24 * 60 else {
                    throw Diagnostic(.badValue, file: path, node: value, message: "cannot read hours '\(text)'", fix: "write local opening hours as `09:00-17:00`")
                }
                open = from
                close = to
            case "time-limit":
                limit = try RoutingFile.positiveSeconds(value, path: path, key: name)
            default:
                throw Diagnostic(.unknownKey, file: path, node: key, message: "unknown key '\(name)' in designated-sme", fix: Suggestions.fix(for: name, in: smeKeys, what: "its keys"))
            }
        }
        guard let agent else {
            throw Diagnostic(.structure, file: path, node: node, message: "`designated-sme` without an `agent`", fix: "add `agent:` with an agent id")
        }
        let calendar = BusinessCalendar(
            name: "designated SME \(agent)", timeZone: zone,
            weekly: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, [BusinessCalendar.Hours(open: open, close: close)]) }))
        return (DesignatedSME(agentID: agent, businessHours: calendar, timeLimit: limit), share)
    }
}
