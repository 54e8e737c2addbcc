import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// Reads and checks the agents and queues files (`Fixtures/routing/agents.yaml`, `queues.yaml`).
///
/// Agents file:
/// ```yaml
/// skills:                      # every skill an agent or queue may name, by group
///   products: [pcs, pps]
///   languages: [en, ja]
/// agents:
///   - id: ava.morgan           # unique; designated-SME accounts refer to it
///     name: Ava Morgan
///     team: Customer Care      # Customer Care | GSC | GEC | PSIRT | SME
///     level: L0                # L0 … L3
///     skills: {en: 5, es: 3}   # skill: proficiency 1–5
///     state: available         # available | on-break | offline (default available)
/// ```
/// Queues file:
/// ```yaml
/// defaults:                    # any queue setting, for every queue
///   ring-timeout: 15
/// queues:
///   - name: gsc
///     team: GSC
///     skills: {en: 1}          # minimum proficiency (a list means 1)
///     strategy: longest-idle   # longest-idle | round-robin | top-down | ring-all | fewest-calls | least-talk-time | random
///     tiers:
///       - level: L1
///       - level: L2
///         after: 60            # L2 may take the call once the caller has waited 60 s
///     max-wait: 600            # then overflow; `none` to wait until answered
///     overflow: callback       # callback | voicemail
///     contact: sip:gsc@pbx.example.com   # optional: where a SIP line sends a transfer to `gsc`
/// ```
/// Every mistake is a ``Diagnostic`` naming the file, line and the fix; all of them are reported at once.
public enum RoutingFile {
    /// Loads and cross-checks both files; every problem in either is reported at once.
    public static func load(agents agentsPath: String, queues queuesPath: String) throws(Diagnostics) -> RoutingConfig {
        let agentsFile = YAMLFile(path: agentsPath)
        let agents = agentsFile.root.flatMap { root in agentsFile.attempt { try loadAgents(root, file: agentsFile) } }
        let queuesFile = YAMLFile(path: queuesPath)
        // Unknown skills are only checked when the agents file declared them.
        let queues = queuesFile.root.flatMap { root in queuesFile.attempt { try loadQueues(root, file: queuesFile, skills: agents?.0) } }
        var problems = agentsFile.errors + queuesFile.errors
        if problems.isEmpty, let agents, let queues {
            let config = RoutingConfig(skillGroups: agents.0, agents: agents.1, queues: queues)
            problems = check(config, queuesPath: queuesPath)
            if problems.isEmpty { return config }
        }
        throw Diagnostics(problems)
    }

    // MARK: - Agents

    static let agentKeys = ["id", "name", "team", "level", "skills", "state", "contact"]

    static func loadAgents(_ rootNode: Yams.Node, file: YAMLFile) throws -> ([String: [String]], [AgentProfile]) {
        let path = file.path
        let root = try mapping(rootNode, path: path, what: "an agents file is a mapping with `skills` and `agents`")
        var skillGroups: [String: [String]] = [:]
        var agentNodes: [Yams.Node] = []
        var agentsNode: Yams.Node?
        var badSkills = false
        for (key, value) in root {
            _ = file.attempt { () throws in
                switch key.string {
                case "skills":
                    guard let groups = value.mapping else {
                        badSkills = true
                        throw Diagnostic(.structure, file: path, node: value, message: "`skills` must map a group (products, languages) to a list of skill names", fix: "write `skills: {products: [pcs], languages: [en]}`")
                    }
                    for (group, list) in groups {
                        _ = file.attempt { () throws in
                            guard let items = list.sequence, let name = group.string else {
                                badSkills = true
                                throw Diagnostic(.structure, file: path, node: list, message: "skill group '\(group.string ?? "")' must be a list of names", fix: "write `\(group.string ?? "products"): [name, name]`")
                            }
                            var names: [String] = []
                            for item in items {
                                guard let skill = item.string, !skill.isEmpty else {
                                    file.record(Diagnostic(.structure, file: path, node: item, message: "a skill name must be text", fix: "write a name such as `pcs` or `en`"))
                                    continue
                                }
                                if skillGroups.values.contains(where: { $0.contains(skill) }) || names.contains(skill) {
                                    file.record(Diagnostic(.duplicate, file: path, node: item, message: "skill '\(skill)' is declared twice", fix: "declare each skill once"))
                                    continue
                                }
                                names.append(skill)
                            }
                            skillGroups[name] = names
                        }
                    }
                case "agents":
                    guard let list = value.sequence else {
                        throw Diagnostic(.structure, file: path, node: value, message: "`agents` must be a list", fix: "start each agent with `- id: …`")
                    }
                    agentsNode = value
                    agentNodes = Array(list)
                default:
                    let text = key.string ?? ""
                    throw Diagnostic(.unknownKey, file: path, node: key, message: "unknown key '\(text)'", fix: Suggestions.fix(for: text, in: ["skills", "agents"], what: "an agents file's keys"))
                }
            }
        }
        if skillGroups.isEmpty && !badSkills {
            file.record(Diagnostic(.structure, file: path, line: 1, column: 1, message: "no skills declared", fix: "add `skills:` with the products and languages agents may have"))
        }
        if agentNodes.isEmpty && !root.contains(where: { $0.key.string == "agents" && $0.value.sequence == nil }) {
            file.record(Diagnostic(.structure, file: path, node: agentsNode, message: "no agents", fix: "add at least one agent under `agents:`"))
        }
        let known: [String]? = badSkills ? nil : skillGroups.keys.sorted().flatMap { skillGroups[$0] ?? [] }
        var agents: [AgentProfile] = []
        var seen: Set<String> = []
        for node in agentNodes {
            guard let agent = file.attempt({ () throws -> AgentProfile? in try agent(node, file: file, known: known) }), let agent else { continue }
            guard seen.insert(agent.id).inserted else {
                file.record(Diagnostic(.duplicate, file: path, node: node, message: "agent id '\(agent.id)' is used twice", fix: "give each agent a unique id"))
                continue
            }
            agents.append(agent)
        }
        return (skillGroups, agents)
    }

    /// One agent; nil when its problems are already recorded.
    static func agent(_ node: Yams.Node, file: YAMLFile, known: [String]?) throws -> AgentProfile? {
        let path = file.path
        guard let fields = node.mapping else {
            throw Diagnostic(.structure, file: path, node: node, message: "an agent is a mapping with id, team, level and skills", fix: "write `- {id: ada.lovelace, team: GSC, level: L1, skills: {en: 5}}`")
        }
        var id: String?
        var name: String?
        var team: Team?
        var level: AgentLevel?
        var skills: [String: Int] = [:]
        var state = AgentProfile.InitialState.available
        var contact: SIPContact?
        var unreadable = false
        for (key, value) in fields {
            let read: Void? = file.attempt { () throws in
                switch key.string {
                case "id": id = value.string
                case "name": name = value.string
                case "team":
                    let text = value.string ?? ""
                    guard let parsed = Team(name: text) else {
                        throw Diagnostic(.unknownTeam, file: path, node: value, message: "unknown team '\(text)'", fix: Suggestions.fix(for: text, in: Team.allCases.map(\.rawValue), what: "the teams"))
                    }
                    team = parsed
                case "level":
                    let text = value.string ?? ""
                    guard let parsed = AgentLevel(name: text) else {
                        throw Diagnostic(.unknownLevel, file: path, node: value, message: "unknown level '\(text)'", fix: "use L0, L1, L2 or L3")
                    }
                    level = parsed
                case "skills":
                    skills = try skillMap(value, path: path, known: known, defaultLevel: nil, what: "agent")
                case "state":
                    let text = value.string ?? ""
                    guard let parsed = AgentProfile.InitialState(rawValue: text) else {
                        throw Diagnostic(.badValue, file: path, node: value, message: "unknown state '\(text)'", fix: Suggestions.fix(for: text, in: AgentProfile.InitialState.allCases.map(\.rawValue), what: "the starting states"))
                    }
                    state = parsed
                case "contact":
                    let text = value.string ?? ""
                    do throws(SIPContact.ParseError) {
                        contact = try SIPContact(parsing: text)
                    } catch {
                        throw Diagnostic(
                            .badValue, file: path, node: value, message: "the contact '\(text)': \(error.message)",
                            fix: "write the agent's SIP phone as sip:[user@]host[:port], e.g. sip:ava@192.0.2.10:5060")
                    }
                default:
                    let text = key.string ?? ""
                    throw Diagnostic(.unknownKey, file: path, node: key, message: "unknown key '\(text)' in an agent", fix: Suggestions.fix(for: text, in: agentKeys, what: "an agent's keys"))
                }
            }
            if read == nil { unreadable = true }
        }
        // A key that was there but could not be read is already reported: do not call it missing.
        let present = Set(fields.keys.compactMap(\.string))
        guard let id, !id.isEmpty else {
            if present.contains("id") && unreadable { return nil }
            throw Diagnostic(.structure, file: path, node: node, message: "agent without an `id`", fix: "add `id: first.last`")
        }
        guard let team else {
            if present.contains("team") { return nil }
            throw Diagnostic(.structure, file: path, node: node, message: "agent '\(id)' has no `team`", fix: "add `team:` (Customer Care, GSC, GEC, PSIRT or SME)")
        }
        guard let level else {
            if present.contains("level") { return nil }
            throw Diagnostic(.structure, file: path, node: node, message: "agent '\(id)' has no `level`", fix: "add `level:` (L0 … L3)")
        }
        if skills.isEmpty {
            if present.contains("skills") && unreadable { return nil }
            throw Diagnostic(.structure, file: path, node: node, message: "agent '\(id)' has no skills", fix: "add `skills: {en: 5}` with at least a language")
        }
        if unreadable { return nil }
        return AgentProfile(
            id: id, name: name, team: team, level: level, skills: skills, initialState: state, contact: contact, location: location(path, node))
    }

    // MARK: - Queues

    static let queueKeys = [
        "name", "team", "skills", "strategy", "tiers", "ring-timeout", "wrap-up", "max-misses", "miss-break", "max-wait",
        "overflow", "service-level-seconds", "priority", "sme-time-limit", "mean-handle-time", "contact",
    ]
    static let priorityKeys = ["P1", "P2", "P3", "none", "platinum", "gold", "unknown", "ageing-per-minute"]

    static func loadQueues(_ rootNode: Yams.Node, file: YAMLFile, skills: [String: [String]]?) throws -> [QueueConfig] {
        let path = file.path
        let root = try mapping(rootNode, path: path, what: "a queues file is a mapping with `defaults` and `queues`")
        let known = skills.map { skills in skills.keys.sorted().flatMap { skills[$0] ?? [] } }
        var defaults: Yams.Node.Mapping?
        var queueNodes: [Yams.Node] = []
        var queuesNode: Yams.Node?
        var badDefaults = false
        for (key, value) in root {
            _ = file.attempt { () throws in
                switch key.string {
                case "defaults":
                    guard let mapping = value.mapping else {
                        throw Diagnostic(.structure, file: path, node: value, message: "`defaults` must be a mapping of queue settings", fix: "write `defaults: {ring-timeout: 15}`")
                    }
                    defaults = mapping
                case "queues":
                    guard let list = value.sequence else {
                        throw Diagnostic(.structure, file: path, node: value, message: "`queues` must be a list", fix: "start each queue with `- name: …`")
                    }
                    queuesNode = value
                    queueNodes = Array(list)
                default:
                    let text = key.string ?? ""
                    throw Diagnostic(.unknownKey, file: path, node: key, message: "unknown key '\(text)'", fix: Suggestions.fix(for: text, in: ["defaults", "queues"], what: "a queues file's keys"))
                }
            }
        }
        if queueNodes.isEmpty && !root.contains(where: { $0.key.string == "queues" && $0.value.sequence == nil }) {
            file.record(Diagnostic(.structure, file: path, node: queuesNode, message: "no queues", fix: "add at least one queue under `queues:`"))
        }
        // The defaults are checked once, not once per queue.
        var template = QueueConfig(name: "", team: .gsc, skills: [:], strategy: .longestIdle, tiers: [], location: nil)
        var teamSetByDefault = false
        var strategySetByDefault = false
        for (key, value) in defaults ?? [:] {
            let read: Void? = file.attempt { () throws in
                switch key.string {
                case "name", "team", "skills", "tiers", "contact":
                    throw Diagnostic(.unknownKey, file: path, node: key, message: "`\(key.string ?? "")` cannot be a default", fix: "set it on each queue")
                default:
                    try apply(key: key, value: value, to: &template, path: path, known: known, teamSet: &teamSetByDefault, strategySet: &strategySetByDefault)
                }
            }
            if read == nil { badDefaults = true }
        }
        var queues: [QueueConfig] = []
        for node in queueNodes {
            let read = file.attempt { () throws -> QueueConfig? in
                guard let fields = node.mapping else {
                    throw Diagnostic(.structure, file: path, node: node, message: "a queue is a mapping with name, team, skills, strategy and tiers", fix: "write `- {name: gsc, team: GSC, skills: [en], strategy: longest-idle, tiers: [L1]}`")
                }
                var queue = template
                queue.location = location(path, node)
                var teamSet = teamSetByDefault
                var strategySet = strategySetByDefault
                var unreadable = badDefaults
                for (key, value) in fields {
                    let applied: Void? = file.attempt { () throws in
                        try apply(key: key, value: value, to: &queue, path: path, known: known, teamSet: &teamSet, strategySet: &strategySet)
                    }
                    if applied == nil { unreadable = true }
                }
                let present = Set(fields.keys.compactMap(\.string))
                guard !queue.name.isEmpty else {
                    if present.contains("name") && unreadable { return nil }
                    throw Diagnostic(.structure, file: path, node: node, message: "queue without a `name`", fix: "add `name: gsc`")
                }
                guard teamSet || present.contains("team") else { throw Diagnostic(.structure, file: path, node: node, message: "queue '\(queue.name)' has no `team`", fix: "add `team:` (Customer Care, GSC, GEC, PSIRT or SME)") }
                guard strategySet || present.contains("strategy") else {
                    throw Diagnostic(.structure, file: path, node: node, message: "queue '\(queue.name)' has no `strategy`", fix: "add `strategy:` (\(QueueStrategy.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard !queue.tiers.isEmpty || present.contains("tiers") else { throw Diagnostic(.structure, file: path, node: node, message: "queue '\(queue.name)' has no tiers", fix: "add `tiers: [{level: L1}]`") }
                if queues.contains(where: { $0.name == queue.name }) {
                    throw Diagnostic(.duplicate, file: path, node: node, message: "queue name '\(queue.name)' is used twice", fix: "give each queue a unique name")
                }
                return unreadable ? nil : queue
            }
            if let read, let read { queues.append(read) }
        }
        return queues
    }

    static func apply(
        key: Yams.Node, value: Yams.Node, to queue: inout QueueConfig, path: String, known: [String]?, teamSet: inout Bool, strategySet: inout Bool
    ) throws {
        let name = key.string ?? ""
        switch name {
        case "name":
            queue.name = value.string ?? ""
        case "team":
            let text = value.string ?? ""
            guard let team = Team(name: text) else {
                throw Diagnostic(.unknownTeam, file: path, node: value, message: "unknown team '\(text)'", fix: Suggestions.fix(for: text, in: Team.allCases.map(\.rawValue), what: "the teams"))
            }
            queue.team = team
            teamSet = true
        case "skills":
            queue.skills = try skillMap(value, path: path, known: known, defaultLevel: 1, what: "queue")
        case "strategy":
            let text = value.string ?? ""
            guard let strategy = QueueStrategy(rawValue: text) else {
                throw Diagnostic(.unknownStrategy, file: path, node: value, message: "unknown strategy '\(text)'", fix: Suggestions.fix(for: text, in: QueueStrategy.allCases.map(\.rawValue), what: "the strategies"))
            }
            queue.strategy = strategy
            strategySet = true
        case "tiers":
            guard let list = value.sequence, !list.isEmpty else {
                throw Diagnostic(.structure, file: path, node: value, message: "`tiers` must be a non-empty list", fix: "write `tiers: [{level: L1}, {level: L2, after: 60}]`")
            }
            var tiers: [QueueTier] = []
            for item in list {
                var level: AgentLevel?
                var after: Double = 0
                if let text = item.string {
                    level = AgentLevel(name: text)
                    if level == nil { throw Diagnostic(.unknownLevel, file: path, node: item, message: "unknown level '\(text)'", fix: "use L0, L1, L2 or L3") }
                } else if let fields = item.mapping {
                    for (tierKey, tierValue) in fields {
                        switch tierKey.string {
                        case "level":
                            let text = tierValue.string ?? ""
                            guard let parsed = AgentLevel(name: text) else {
                                throw Diagnostic(.unknownLevel, file: path, node: tierValue, message: "unknown level '\(text)'", fix: "use L0, L1, L2 or L3")
                            }
                            level = parsed
                        case "after":
                            after = try seconds(tierValue, path: path, key: "after")
                        default:
                            throw Diagnostic(.unknownKey, file: path, node: tierKey, message: "unknown key '\(tierKey.string ?? "")' in a tier", fix: "a tier has `level` and `after` (seconds)")
                        }
                    }
                }
                guard let level else { throw Diagnostic(.structure, file: path, node: item, message: "tier without a `level`", fix: "write `- level: L2`") }
                tiers.append(QueueTier(level: level, after: after, location: location(path, item)))
            }
            queue.tiers = tiers
        case "ring-timeout":
            queue.ringTimeout = try positiveSeconds(value, path: path, key: name)
        case "wrap-up":
            queue.wrapUp = try seconds(value, path: path, key: name)
        case "max-misses":
            guard let count = value.int, count >= 1 else {
                throw Diagnostic(.badValue, file: path, node: value, message: "`max-misses` must be a whole number of at least 1, not '\(value.string ?? "")'", fix: "write `max-misses: 3`")
            }
            queue.maxMisses = count
        case "miss-break":
            queue.missBreak = try seconds(value, path: path, key: name)
        case "max-wait":
            if let text = value.string, text == "none" || text == "never" {
                queue.maxWait = nil
            } else {
                queue.maxWait = try positiveSeconds(value, path: path, key: name)
            }
        case "overflow":
            let text = value.string ?? ""
            guard let destination = OverflowDestination(rawValue: text) else {
                throw Diagnostic(.badValue, file: path, node: value, message: "unknown overflow destination '\(text)'", fix: Suggestions.fix(for: text, in: OverflowDestination.allCases.map(\.rawValue), what: "the destinations"))
            }
            queue.overflow = destination
        case "contact":
            let text = value.string ?? ""
            do throws(SIPContact.ParseError) {
                queue.contact = try SIPContact(parsing: text)
            } catch {
                throw Diagnostic(
                    .badValue, file: path, node: value, message: "the queue's contact '\(text)': \(error.message)",
                    fix: "write where a SIP line sends a transfer to this queue as sip:[user@]host[:port], e.g. sip:gsc@pbx.example.com")
            }
        case "service-level-seconds":
            queue.serviceLevelSeconds = try positiveSeconds(value, path: path, key: name)
        case "sme-time-limit":
            queue.smeTimeLimit = try positiveSeconds(value, path: path, key: name)
        case "mean-handle-time":
            queue.meanHandleTime = try positiveSeconds(value, path: path, key: name)
        case "priority":
            guard let fields = value.mapping else {
                throw Diagnostic(.structure, file: path, node: value, message: "`priority` must be a mapping of points", fix: "write `priority: {P1: 300, P2: 200, P3: 100, platinum: 60, ageing-per-minute: 10}`")
            }
            for (weightKey, weightValue) in fields {
                let weightName = weightKey.string ?? ""
                guard let points = weightValue.float, points.isFinite, points >= 0 else {
                    throw Diagnostic(.badValue, file: path, node: weightValue, message: "priority points for '\(weightName)' must be a number of 0 or more", fix: "write points such as `P1: 300`")
                }
                switch weightName {
                case "P1": queue.priority.p1 = points
                case "P2": queue.priority.p2 = points
                case "P3": queue.priority.p3 = points
                case "none": queue.priority.none = points
                case "platinum": queue.priority.platinum = points
                case "gold": queue.priority.gold = points
                case "unknown": queue.priority.unknown = points
                case "ageing-per-minute": queue.priority.ageingPerMinute = points
                default:
                    throw Diagnostic(.unknownKey, file: path, node: weightKey, message: "unknown priority key '\(weightName)'", fix: Suggestions.fix(for: weightName, in: priorityKeys, what: "the priority keys"))
                }
            }
            let weights = queue.priority
            if !(weights.p1 > weights.p2 && weights.p2 > weights.p3) || weights.platinum < weights.gold {
                throw Diagnostic(.badValue, file: path, node: value, message: "priority points must rank P1 above P2 above P3, and platinum at least as high as gold", fix: "e.g. P1: 300, P2: 200, P3: 100, platinum: 60, gold: 0")
            }
        default:
            throw Diagnostic(.unknownKey, file: path, node: key, message: "unknown key '\(name)' in a queue", fix: Suggestions.fix(for: name, in: queueKeys, what: "a queue's keys"))
        }
    }

    // MARK: - Cross-checks

    /// Every queue's impossible tiers and missing agents.
    static func check(_ config: RoutingConfig, queuesPath: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for queue in config.queues {
            var levels: Set<AgentLevel> = []
            var previousAfter = -1.0
            for (index, tier) in queue.tiers.enumerated() {
                if index == 0 && tier.after != 0 {
                    problems.append(Diagnostic(.impossibleTier, at: tier.location, file: queuesPath, message: "the first tier of queue '\(queue.name)' opens at \(format(tier.after)) s, so nobody may take a call before then", fix: "remove `after` from the first tier"))
                    previousAfter = tier.after
                    continue
                }
                if !levels.insert(tier.level).inserted {
                    problems.append(Diagnostic(.impossibleTier, at: tier.location, file: queuesPath, message: "level \(tier.level) appears twice in the tiers of queue '\(queue.name)'", fix: "list each level once"))
                    previousAfter = tier.after
                    continue
                }
                if tier.after <= previousAfter && index > 0 {
                    problems.append(Diagnostic(.impossibleTier, at: tier.location, file: queuesPath, message: "tier \(tier.level) of queue '\(queue.name)' opens at \(format(tier.after)) s, not later than the tier before it", fix: "list tiers in the order they open, each `after` larger than the last"))
                    previousAfter = tier.after
                    continue
                }
                if let maxWait = queue.maxWait, tier.after >= maxWait {
                    problems.append(Diagnostic(.impossibleTier, at: tier.location, file: queuesPath, message: "tier \(tier.level) of queue '\(queue.name)' opens at \(format(tier.after)) s, but callers overflow at \(format(maxWait)) s (max-wait), so it can never take a call", fix: "make `after` smaller than max-wait, or raise max-wait"))
                    previousAfter = tier.after
                    continue
                }
                previousAfter = tier.after
            }
            let members = config.members(of: queue)
            if members.isEmpty {
                let skills = queue.skills.keys.sorted().joined(separator: ", ")
                problems.append(Diagnostic(.unservedQueue, at: queue.location, file: queuesPath, message: "nobody can serve queue '\(queue.name)': no agent of team \(queue.team) at level \(queue.tiers.map(\.level.description).joined(separator: "/")) has the skills [\(skills)] at the required proficiency", fix: "add such an agent to the agents file, or change the queue's team, tiers or skills"))
                continue
            }
            for (index, tier) in queue.tiers.enumerated() where !members.contains(where: { $0.tier == index }) {
                problems.append(Diagnostic(.impossibleTier, at: tier.location, file: queuesPath, message: "tier \(tier.level) of queue '\(queue.name)' can never ring anyone: no agent of team \(queue.team) at level \(tier.level) has the queue's skills", fix: "add such an agent, or remove the tier"))
            }
        }
        return problems
    }

    // MARK: - Helpers

    static func mapping(_ node: Yams.Node, path: String, what: String) throws -> Yams.Node.Mapping {
        guard let root = node.mapping else {
            throw Diagnostic(.structure, file: path, node: node, message: what, fix: "write `key: value` lines at the top of the file")
        }
        return root
    }

    /// `known` nil: the agents file could not declare its skills, so names are not checked.
    static func skillMap(_ node: Yams.Node, path: String, known: [String]?, defaultLevel: Int?, what: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        func checkName(_ nameNode: Yams.Node) throws -> String {
            let name = nameNode.string ?? ""
            guard let known else { return name }
            guard known.contains(name) else {
                throw Diagnostic(.unknownSkill, file: path, node: nameNode, message: "unknown skill '\(name)'", fix: Suggestions.fix(for: name, in: known, what: "the declared skills (agents file, `skills:`)"))
            }
            return name
        }
        if let list = node.sequence, let defaultLevel {
            for item in list { result[try checkName(item)] = defaultLevel }
            return result
        }
        guard let mapping = node.mapping else {
            throw Diagnostic(.structure, file: path, node: node, message: "an \(what)'s `skills` must map skill names to proficiency 1–5", fix: "write `skills: {en: 5, pcs: 3}`")
        }
        for (key, value) in mapping {
            let name = try checkName(key)
            guard let level = value.int, (1...5).contains(level) else {
                throw Diagnostic(.badValue, file: path, node: value, message: "proficiency of '\(name)' must be a whole number from 1 to 5, not '\(value.string ?? "")'", fix: "use 1 (basic) … 5 (expert)")
            }
            result[name] = level
        }
        return result
    }

    /// Seconds: a number, or a duration (`90`, `90s`, `2m`, `1h`, `1m30s`), at most a day — read by the
    /// one duration parser every file uses.
    static func seconds(_ node: Yams.Node, path: String, key: String) throws -> Double {
        let text = (node.string ?? "").trimmingCharacters(in: .whitespaces)
        switch DurationText.read(text) {
        case .success(let duration):
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        case .failure(let problem):
            let said = DurationText.explain(problem, text: text, what: "`\(key)`")
            throw Diagnostic(.badValue, file: path, node: node, message: said.message, fix: said.fix)
        }
    }

    static func positiveSeconds(_ node: Yams.Node, path: String, key: String) throws -> Double {
        let value = try seconds(node, path: path, key: key)
        if value <= 0 {
            throw Diagnostic(.badValue, file: path, node: node, message: "`\(key)` must be more than 0 seconds", fix: "write a duration such as 15s or 2m")
        }
        return value
    }

    static func location(_ path: String, _ node: Yams.Node) -> SourceLocation {
        SourceLocation(file: path, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
