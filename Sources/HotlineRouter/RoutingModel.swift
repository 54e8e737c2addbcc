import Foundation
import HotlineCore

/// An engineer's support level. L0 answers and triages; L3 (GEC) escalates to engineering with a PR.
public enum AgentLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case l0 = 0
    case l1 = 1
    case l2 = 2
    case l3 = 3

    public init?(name: String) {
        switch name.uppercased() {
        case "L0": self = .l0
        case "L1": self = .l1
        case "L2": self = .l2
        case "L3": self = .l3
        default: return nil
        }
    }

    public static func < (lhs: AgentLevel, rhs: AgentLevel) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "L\(rawValue)" }
}

/// The seed's support teams.
public enum Team: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Answers option #1; takes escalation requests.
    case customerCare = "Customer Care"
    /// Global Support Center engineers: technical support, L1/L2.
    case gsc = "GSC"
    /// Global Escalation Center engineers: L3.
    case gec = "GEC"
    /// Product security incident response: vulnerability reports.
    case psirt = "PSIRT"
    /// Designated (CSM-Lite, CSM) and dedicated (Resident Engineer) SMEs: no queue serves them;
    /// they answer their own accounts' callers during the account's business hours.
    case sme = "SME"

    public init?(name: String) {
        let wanted = name.lowercased()
        guard let team = Team.allCases.first(where: { $0.rawValue.lowercased() == wanted }) else { return nil }
        self = team
    }

    public var description: String { rawValue }
}

/// How a queue picks among the agents free to take a call (FreeSWITCH mod_callcenter / Asterisk app_queue).
///
/// Every strategy ranks lower tiers first: an L2 who may take an L1 call after widening is only tried
/// when no L1 is free.
public enum QueueStrategy: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The agent who has been free the longest (since their last call's wrap-up ended).
    case longestIdle = "longest-idle"
    /// The next agent after the one rung last in this queue, wrapping around (the queue remembers).
    case roundRobin = "round-robin"
    /// Always the first free agent in the queue's member order (tier, proficiency, file order).
    case topDown = "top-down"
    /// Every free agent of the lowest open tier rings at once; the first to answer gets the call.
    case ringAll = "ring-all"
    /// The agent who has answered the fewest calls.
    case fewestCalls = "fewest-calls"
    /// The agent with the least total talk time.
    case leastTalkTime = "least-talk-time"
    /// A free agent chosen by the router's seeded random numbers.
    case random = "random"

    public var description: String { rawValue }
}

/// A call's case priority, when the call is about a case.
public enum CallPriority: Int, Sendable, Hashable, CaseIterable {
    case p1 = 1
    case p2 = 2
    case p3 = 3
    /// No case yet (a general call to Customer Care).
    case none = 0

    public init(name: String?) {
        switch name?.uppercased() {
        case "P1": self = .p1
        case "P2": self = .p2
        case "P3": self = .p3
        default: self = .none
        }
    }

    public var name: String {
        switch self {
        case .p1: "P1"
        case .p2: "P2"
        case .p3: "P3"
        case .none: "none"
        }
    }
}

/// The caller's contract tier.
public enum ContractTier: Int, Sendable, Hashable, CaseIterable {
    case platinum
    case gold
    /// The caller is not known to the case store.
    case unknown

    public init(name: String?) {
        switch name?.lowercased() {
        case "platinum": self = .platinum
        case "gold": self = .gold
        default: self = .unknown
        }
    }

    public var name: String {
        switch self {
        case .platinum: "platinum"
        case .gold: "gold"
        case .unknown: "unknown"
        }
    }
}

/// Where a call goes when nobody takes it in time or nobody is logged in.
public enum OverflowDestination: String, Sendable, Hashable, CaseIterable {
    /// The caller leaves a number and the next free engineer calls back.
    case callback
    /// The caller leaves a message.
    case voicemail
}

/// Why a call left the queue without an agent.
public enum OverflowReason: String, Sendable, Hashable {
    /// The queue's maximum wait passed.
    case maxWait = "max-wait"
    /// No agent who can serve the queue is logged in.
    case noAgentsLoggedIn = "no-agents-logged-in"
}

/// An engineer, as read from the agents file.
public struct AgentProfile: Sendable, Hashable {
    /// Initial state of an agent when the router starts.
    public enum InitialState: String, Sendable, Hashable, CaseIterable {
        case available
        case onBreak = "on-break"
        case offline
    }

    /// Unique id (`ava.morgan`); also the name a designated-SME account refers to.
    public var id: String
    public var name: String
    public var team: Team
    public var level: AgentLevel
    /// Skill name → proficiency 1 (basic) … 5 (expert).
    public var skills: [String: Int]
    public var initialState: InitialState
    /// The agent's SIP phone (`contact: sip:…` in the agents file): a SIP call the router hands to the
    /// agent is blind-transferred there. Only URIs written in the file are ever dialled.
    public var contact: SIPContact?
    public var location: SourceLocation?

    public init(
        id: String, name: String? = nil, team: Team, level: AgentLevel, skills: [String: Int],
        initialState: InitialState = .available, contact: SIPContact? = nil, location: SourceLocation? = nil
    ) {
        self.contact = contact
        self.id = id
        self.name = name ?? id
        self.team = team
        self.level = level
        self.skills = skills
        self.initialState = initialState
        self.location = location
    }
}

/// A tier of a queue: agents of `level` may take the queue's calls once a caller has waited `after` seconds.
public struct QueueTier: Sendable, Hashable {
    public var level: AgentLevel
    public var after: TimeInterval
    public var location: SourceLocation?
    public init(level: AgentLevel, after: TimeInterval = 0, location: SourceLocation? = nil) {
        self.level = level
        self.after = after
        self.location = location
    }
}

/// How callers are ranked: base points for priority and tier, plus points that grow with waiting time.
///
/// Ranking is by `score = priority + tier + ageingPerMinute × minutes waited`; ties go to whoever came first.
public struct PriorityWeights: Sendable, Hashable {
    public var p1: Double = 300
    public var p2: Double = 200
    public var p3: Double = 100
    public var none: Double = 0
    public var platinum: Double = 60
    public var gold: Double = 0
    public var unknown: Double = 0
    public var ageingPerMinute: Double = 10

    public init() {}

    public func base(priority: CallPriority, tier: ContractTier) -> Double {
        let forPriority: Double
        switch priority {
        case .p1: forPriority = p1
        case .p2: forPriority = p2
        case .p3: forPriority = p3
        case .none: forPriority = none
        }
        let forTier: Double
        switch tier {
        case .platinum: forTier = platinum
        case .gold: forTier = gold
        case .unknown: forTier = unknown
        }
        return forPriority + forTier
    }
}

/// A queue per team and skill, as read from the queues file.
public struct QueueConfig: Sendable, Hashable {
    public var name: String
    public var team: Team
    /// Skill name → minimum proficiency an agent needs to be a member.
    public var skills: [String: Int]
    public var strategy: QueueStrategy
    /// In increasing `after` order; the first opens at 0.
    public var tiers: [QueueTier]
    /// How long an agent's phone rings before it counts as a miss and the next agent is tried.
    public var ringTimeout: TimeInterval = 15
    /// After-call work before the agent is free again.
    public var wrapUp: TimeInterval = 30
    /// Misses in a row after which the agent is put on break.
    public var maxMisses: Int = 3
    /// How long a break after misses lasts before the agent is free again (0: until logged in again).
    public var missBreak: TimeInterval = 300
    /// The longest a caller waits before overflow; `nil` waits until answered (if anyone is logged in).
    public var maxWait: TimeInterval? = 600
    public var overflow: OverflowDestination = .callback
    /// Threshold of the service level: the share of calls answered within this many seconds.
    public var serviceLevelSeconds: TimeInterval = 20
    public var priority = PriorityWeights()
    /// How long a designated SME is waited for before the call falls back to the queue.
    public var smeTimeLimit: TimeInterval = 120
    /// Mean talk time of a call, used by the router's simulated agents (IVR runs and plans without one).
    public var meanHandleTime: TimeInterval = 600
    /// Where a SIP line (`hotline serve --sip`) sends a flow's `transfer` to this queue's name
    /// (`contact: sip:…` in the queues file: a queue hosted on another PBX, or its desk's phone);
    /// `nil`: a transfer to the name as on every other phone.
    public var contact: SIPContact?
    public var location: SourceLocation?

    public init(name: String, team: Team, skills: [String: Int], strategy: QueueStrategy, tiers: [QueueTier], location: SourceLocation? = nil) {
        self.name = name
        self.team = team
        self.skills = skills
        self.strategy = strategy
        self.tiers = tiers
        self.location = location
    }
}

/// The whole routing set-up: declared skills, agents and queues, checked against each other.
public struct RoutingConfig: Sendable {
    /// Declared skills by group (`products`, `languages`): an agent or queue naming another is an error.
    public var skillGroups: [String: [String]]
    public var agents: [AgentProfile]
    public var queues: [QueueConfig]

    public init(skillGroups: [String: [String]], agents: [AgentProfile], queues: [QueueConfig]) {
        self.skillGroups = skillGroups
        self.agents = agents
        self.queues = queues
    }

    public var allSkills: [String] { skillGroups.keys.sorted().flatMap { skillGroups[$0] ?? [] } }

    public func queueIndex(named name: String) -> Int? { queues.firstIndex { $0.name == name } }
    public func agentIndex(id: String) -> Int? { agents.firstIndex { $0.id == id } }

    /// Whether the agent can be a member of the queue at all (team, skills, and a tier of their level).
    public func canServe(agent: AgentProfile, queue: QueueConfig) -> Bool {
        guard agent.team == queue.team, queue.tiers.contains(where: { $0.level == agent.level }) else { return false }
        return queue.skills.allSatisfy { skill, minimum in (agent.skills[skill] ?? 0) >= minimum }
    }

    /// The queue's members in hunt order: by tier, then by proficiency in the queue's skills (best first),
    /// then by file order. Top-down and round-robin follow this order.
    public func members(of queue: QueueConfig) -> [(agent: Int, tier: Int)] {
        var result: [(agent: Int, tier: Int, proficiency: Int)] = []
        for (index, agent) in agents.enumerated() where canServe(agent: agent, queue: queue) {
            guard let tier = queue.tiers.firstIndex(where: { $0.level == agent.level }) else { continue }
            let proficiency = queue.skills.keys.reduce(0) { $0 + (agent.skills[$1] ?? 0) }
            result.append((index, tier, proficiency))
        }
        result.sort { lhs, rhs in
            if lhs.tier != rhs.tier { return lhs.tier < rhs.tier }
            if lhs.proficiency != rhs.proficiency { return lhs.proficiency > rhs.proficiency }
            return lhs.agent < rhs.agent
        }
        return result.map { ($0.agent, $0.tier) }
    }
}

/// A designated (or dedicated) SME for a Platinum account with a CSM-Lite, CSM or Resident Engineer add-on.
public struct DesignatedSME: Sendable {
    /// The agent id of the SME, as in the agents file.
    public var agentID: String
    /// The account's business hours, in the account's own time zone.
    public var businessHours: BusinessCalendar
    /// Overrides the queue's `sme-time-limit` when set.
    public var timeLimit: TimeInterval?

    public init(agentID: String, businessHours: BusinessCalendar, timeLimit: TimeInterval? = nil) {
        self.agentID = agentID
        self.businessHours = businessHours
        self.timeLimit = timeLimit
    }
}

/// Where the router learns an account's designated SME. The case store implements it from its
/// accounts table (add-ons, SME, time zone, hours); tests use a fake.
public protocol AccountProfiles: Sendable {
    /// The account's designated SME, or `nil` when the account has no SME add-on.
    func designatedSME(forAccount accountID: String) throws -> DesignatedSME?
}
