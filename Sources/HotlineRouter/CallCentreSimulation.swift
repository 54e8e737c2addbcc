import Foundation
import HotlineCore

/// Calls offered to one queue in a simulation: Poisson arrivals, exponential talk times.
public struct TrafficStream: Sendable {
    public var queue: Int
    public var arrivalsPerHour: Double
    /// Mean talk time; talk times are exponentially distributed.
    public var meanHandleTime: TimeInterval
    /// Share of calls per priority (need not sum to 1: the rest have no priority).
    public var priorityMix: [CallPriority: Double]
    /// Share of callers on a Platinum contract; the rest are Gold.
    public var platinumShare: Double
    /// Mean patience of a waiting caller (exponential); `nil` for callers who never hang up.
    public var meanPatience: TimeInterval?
    /// Callers from an account with a designated SME, and their share of the stream.
    public var designatedSME: DesignatedSME?
    public var designatedSMEShare: Double = 0

    public init(
        queue: Int, arrivalsPerHour: Double, meanHandleTime: TimeInterval, priorityMix: [CallPriority: Double] = [:],
        platinumShare: Double = 0, meanPatience: TimeInterval? = nil
    ) {
        self.queue = queue
        self.arrivalsPerHour = arrivalsPerHour
        self.meanHandleTime = meanHandleTime
        self.priorityMix = priorityMix
        self.platinumShare = platinumShare
        self.meanPatience = meanPatience
    }
}

/// How simulated agents pick up the phone.
public struct AgentBehaviour: Sendable, Hashable {
    /// Seconds from ring to pick-up, uniform in this range.
    public var answerDelay: ClosedRange<Double>
    /// Chance that an agent lets a ring time out.
    public var noAnswerRate: Double

    public init(answerDelay: ClosedRange<Double> = 0...0, noAnswerRate: Double = 0) {
        self.answerDelay = answerDelay
        self.noAnswerRate = noAnswerRate
    }

    /// Pick up at once, always: the M/M/c textbook agent.
    public static let instant = AgentBehaviour()
}

/// The seed's targeted response times by contract tier and priority, in seconds.
public struct ResponseTargets: Sendable, Hashable {
    public var platinum: [CallPriority: TimeInterval] = [.p1: 15 * 60, .p2: 3600, .p3: 4 * 3600]
    public var gold: [CallPriority: TimeInterval] = [.p1: 30 * 60, .p2: 3600, .p3: 8 * 3600]
    public init() {}

    public func target(priority: CallPriority, tier: ContractTier) -> TimeInterval? {
        switch tier {
        case .platinum: platinum[priority]
        case .gold, .unknown: gold[priority]
        }
    }
}

/// Everything a simulation run needs besides the routing set-up.
public struct SimulationSettings: Sendable {
    public var start: Date
    /// Calls arrive during this many hours; the run then continues until every offered call has left.
    public var hours: Double
    /// `hours` rounded up (0 when it is not a positive finite number): what a progress line counts.
    public var wholeHours: Int {
        guard hours.isFinite, hours > 0 else { return 0 }
        return Int(min(hours, 1_000_000_000).rounded(.up))
    }
    public var seed: UInt64
    public var traffic: [TrafficStream]
    public var behaviour: AgentBehaviour
    /// How long after an overflow the callback reaches the caller, for the response-time SLA.
    public var callbackDelay: TimeInterval
    public var targets: ResponseTargets
    /// Whether a breached P1 pages the Escalation Manager on call (one page per breach).
    public var pageOnP1Breach: Bool

    public init(
        start: Date, hours: Double, seed: UInt64, traffic: [TrafficStream], behaviour: AgentBehaviour = .instant,
        callbackDelay: TimeInterval = 1800, targets: ResponseTargets = ResponseTargets(), pageOnP1Breach: Bool = true
    ) {
        self.start = start
        self.hours = hours
        self.seed = seed
        self.traffic = traffic
        self.behaviour = behaviour
        self.callbackDelay = callbackDelay
        self.targets = targets
        self.pageOnP1Breach = pageOnP1Breach
    }
}

/// How big one simulation may be, so a typo (`--agents 100000000`, 1e9 calls an hour) is an error
/// instead of a run that never ends or exhausts memory.
public enum SimulationLimits {
    /// Agents in one run.
    public static let agents = 10_000
    /// Expected calls in one run (arrival rate × hours, over every stream).
    public static let calls: Double = 100_000_000
    static let callsText = "100 million"

    /// A call count for a message, without trapping on huge or infinite values.
    static func count(_ value: Double) -> String {
        value.isFinite && value < 1e15 ? String(Int(value)) : String(format: "%.3g", value)
    }
}

extension SimulationSettings {
    /// Refuses a run beyond `SimulationLimits`: too many agents in `config`, or too many
    /// expected calls; the message names the plan's numbers and what to lower.
    public func checkLimits(agents: Int, plan: String) throws(RouterError) {
        if agents > SimulationLimits.agents {
            throw RouterError(
                message: "\(plan) has \(agents) agents, more than the \(SimulationLimits.agents) one run simulates", fix: "use fewer agents")
        }
        let expected = traffic.reduce(0) { $0 + $1.arrivalsPerHour } * hours
        if !(expected <= SimulationLimits.calls) {
            throw RouterError(
                message: "\(plan): the traffic's arrivals per hour × \(SimulationLimits.count(hours)) hours is \(SimulationLimits.count(expected)) calls, more than the \(SimulationLimits.callsText) one run allows",
                fix: "lower `hours` (or --hours) or the streams' arrivals-per-hour")
        }
    }
}

/// Counters of one queue during a run.
public struct QueueStatistics: Sendable, Hashable {
    public var offered = 0
    public var answered = 0
    public var abandoned = 0
    public var overflowCallback = 0
    public var overflowVoicemail = 0
    public var answeredWithinThreshold = 0
    /// Answered calls that waited at all (for Erlang C's probability of waiting).
    public var answeredAfterWaiting = 0
    public var totalAnswerWait: Double = 0
    public var longestWait: Double = 0
    public var slaBreaches = 0
    public var pages = 0
    public var overflowed: Int { overflowCallback + overflowVoicemail }
}

/// A discrete-event simulation of the call centre on virtual time: traffic streams make calls, the
/// `RouterStateMachine` routes them, simulated agents answer and talk. Seeded: the same settings give
/// the same numbers.
///
/// Also the engine behind `SimulatedCallRouter`, where the IVR injects its calls one at a time.
public struct CallCentreSimulation: Sendable {
    public private(set) var router: RouterStateMachine
    public let settings: SimulationSettings
    public private(set) var now: Double
    public private(set) var statistics: [QueueStatistics]
    /// Events processed so far.
    public private(set) var eventCount = 0
    /// Seconds each agent spent talking or in wrap-up within the arrival window.
    public private(set) var busyTime: [Double]

    var heap = EventHeap(capacity: 4096)
    var rng: SplitMix64
    var actions: [RouterAction] = []
    let startTime: Double
    let windowEnd: Double
    /// Mean talk time per queue: from its traffic stream, else the queue's `mean-handle-time`.
    let meanHandle: [Double]
    /// Per call slot: the instant the current agent connected, and that agent.
    var connectedAt: [Double] = []
    var connectedAgent: [Int32] = []
    /// The call whose outcome `resolve` waits for, and what happened to it.
    var watched: CallHandle?
    var watchedOutcome: RouterAction?

    public init(config: RoutingConfig, settings: SimulationSettings) {
        self.settings = settings
        startTime = settings.start.timeIntervalSinceReferenceDate
        windowEnd = startTime + settings.hours * 3600
        now = startTime
        router = RouterStateMachine(config: config, seed: settings.seed ^ 0x5DEE_CE66_D1CE_5EED, start: settings.start)
        rng = SplitMix64(seed: settings.seed)
        statistics = Array(repeating: QueueStatistics(), count: config.queues.count)
        busyTime = Array(repeating: 0, count: config.agents.count)
        meanHandle = config.queues.indices.map { queue in
            settings.traffic.first { $0.queue == queue }?.meanHandleTime ?? config.queues[queue].meanHandleTime
        }
        actions.reserveCapacity(64)
        for (index, stream) in settings.traffic.enumerated() where stream.arrivalsPerHour > 0 {
            let first = startTime + rng.exponential(mean: 3600 / stream.arrivalsPerHour)
            if first < windowEnd { heap.push(.arrival(stream: Int32(index)), at: first) }
        }
    }

    /// Runs to the end: arrivals stop after `hours`, then every call still in the system is finished.
    public mutating func run() {
        while let next = heap.pop() { handle(next.event, at: next.time) }
    }

    /// Runs to the end as `run()` does — the same events in the same order — and says after each
    /// simulated hour of arrivals how many hours are done (of `settings.hours`, rounded up): what
    /// a progress line counts.
    public mutating func run(hourDone: (Int) -> Void) {
        let hours = settings.wholeHours
        if hours > 0 {
            for hour in 1...hours {
                run(until: Date(timeIntervalSinceReferenceDate: min(startTime + Double(hour) * 3600, windowEnd)))
                hourDone(hour)
            }
        }
        run()
    }

    /// Runs every event up to and including `time`, then stands at `time`.
    public mutating func run(until time: Date) {
        let limit = time.timeIntervalSinceReferenceDate
        while let next = heap.nextTime, next <= limit {
            let event = heap.pop()!
            handle(event.event, at: event.time)
        }
        now = max(now, limit)
    }

    /// Offers one call from outside (the IVR) at `time` (or now, if the run is already later) and tells
    /// how it will leave the queue: answered by whom after how long, or overflowed.
    ///
    /// The outcome is found by running a copy of the simulation ahead until the call leaves; the
    /// simulation itself only moves to `time` and takes the call in, so a later call offered at an
    /// earlier instant than this one's answer still finds the router where it was. (A call offered
    /// meanwhile can change how this one really goes — a higher priority taking its agent; the promised
    /// outcome is what would happen without later calls.)
    public mutating func offer(_ incoming: IncomingCall, at time: Date) -> (outcome: RouterAction, arrivedAt: Double) {
        run(until: time)
        let t = now
        var probe = self
        let call = probe.admit(incoming, at: t)
        probe.watched = call
        probe.watchedOutcome = nil
        probe.perform(at: t)
        while probe.watchedOutcome == nil, let next = probe.heap.pop() { probe.handle(next.event, at: next.time) }
        let committed = admit(incoming, at: t)
        precondition(committed == call, "the probe and the simulation took the call differently")
        if let outcome = probe.watchedOutcome {
            perform(at: t)
            return (outcome, t)
        }
        // Nothing left that could ever answer (everyone logged in is on an endless break): overflow now,
        // never wait forever.
        actions.removeAll(keepingCapacity: true)
        router.callerHungUp(call, at: Date(timeIntervalSinceReferenceDate: t), into: &actions)
        actions.removeAll { if case .abandoned = $0 { true } else { false } }  // it is an overflow, not an abandon
        perform(at: t)
        let destination = router.config.queues[incoming.queue].overflow
        let tag = CallTag(queue: Int32(incoming.queue), priority: incoming.priority, tier: incoming.tier, arrivedAt: Date(timeIntervalSinceReferenceDate: t))
        let outcome = RouterAction.overflow(call: call, destination: destination, reason: .noAgentsLoggedIn, tag: tag, waited: 0)
        record(outcome, at: t)
        return (outcome, t)
    }

    /// Counts the call as offered and gives it to the router; the actions wait in `actions`.
    mutating func admit(_ incoming: IncomingCall, at t: Double) -> CallHandle {
        statistics[incoming.queue].offered += 1
        return router.callArrived(incoming, at: Date(timeIntervalSinceReferenceDate: t), into: &actions)
    }

    mutating func handle(_ event: SimulationEvent, at time: Double) {
        now = time
        eventCount += 1
        let date = Date(timeIntervalSinceReferenceDate: time)
        switch event {
        case .arrival(let streamIndex):
            let stream = settings.traffic[Int(streamIndex)]
            let next = time + rng.exponential(mean: 3600 / stream.arrivalsPerHour)
            if next < windowEnd { heap.push(.arrival(stream: streamIndex), at: next) }
            var priority = CallPriority.none
            if !stream.priorityMix.isEmpty {
                var draw = rng.unit()
                for candidate in [CallPriority.p1, .p2, .p3] {
                    let share = stream.priorityMix[candidate] ?? 0
                    if draw <= share {
                        priority = candidate
                        break
                    }
                    draw -= share
                }
            }
            let tier: ContractTier = stream.platinumShare > 0 ? (rng.unit() <= stream.platinumShare ? .platinum : .gold) : .gold
            var sme: DesignatedSME?
            if stream.designatedSMEShare > 0, rng.unit() <= stream.designatedSMEShare { sme = stream.designatedSME }
            statistics[stream.queue].offered += 1
            let handle = router.callArrived(IncomingCall(queue: stream.queue, priority: priority, tier: sme == nil ? tier : .platinum, designatedSME: sme), at: date, into: &actions)
            if let patience = stream.meanPatience {
                heap.push(.patienceEnds(handle), at: time + rng.exponential(mean: patience))
            }
        case .timer(let timer):
            router.timerFired(timer, at: date, into: &actions)
        case .pickUp(let agent, let call):
            router.agentAnswered(agent: Int(agent), call: call, at: date, into: &actions)
        case .patienceEnds(let call):
            guard router.isInLine(call) else { return }
            router.callerHungUp(call, at: date, into: &actions)
        case .conversationEnds(let call):
            let slot = Int(call.slot)
            let agent = Int(connectedAgent[slot])
            let wrapUp = router.agents[agent].wrapUp
            addBusy(agent: agent, from: connectedAt[slot], to: time + wrapUp)
            router.callEnded(call, at: date, into: &actions)
        }
        perform(at: time)
    }

    /// Performs the router's actions: schedules timers and simulated agents, records outcomes.
    mutating func perform(at time: Double) {
        guard !actions.isEmpty else { return }
        for action in actions {
            switch action {
            case .ring(let agent, let call):
                if settings.behaviour.noAnswerRate > 0 && rng.unit() < settings.behaviour.noAnswerRate { continue }
                let delay = settings.behaviour.answerDelay
                let wait = delay.lowerBound == delay.upperBound ? delay.lowerBound : delay.lowerBound + (delay.upperBound - delay.lowerBound) * rng.unit()
                heap.push(.pickUp(agent: agent, call: call), at: time + wait)
            case .stopRinging:
                break
            case .startTimer(let timer, let at):
                heap.push(.timer(timer), at: at.timeIntervalSinceReferenceDate)
            case .connect(let call, let agent, let tag, _):
                let slot = Int(call.slot)
                if connectedAt.count <= slot {
                    connectedAt.append(contentsOf: repeatElement(0, count: slot + 1 - connectedAt.count))
                    connectedAgent.append(contentsOf: repeatElement(0, count: slot + 1 - connectedAgent.count))
                }
                connectedAt[slot] = time
                connectedAgent[slot] = agent
                heap.push(.conversationEnds(call), at: time + rng.exponential(mean: meanHandle[Int(tag.queue)]))
                record(action, at: time)
            case .overflow, .abandoned:
                record(action, at: time)
            }
        }
        actions.removeAll(keepingCapacity: true)
    }

    mutating func record(_ action: RouterAction, at time: Double) {
        switch action {
        case .connect(let call, _, let tag, let waited):
            let queue = Int(tag.queue)
            statistics[queue].answered += 1
            statistics[queue].totalAnswerWait += waited
            statistics[queue].longestWait = max(statistics[queue].longestWait, waited)
            if waited <= router.config.queues[queue].serviceLevelSeconds { statistics[queue].answeredWithinThreshold += 1 }
            if waited > 0 { statistics[queue].answeredAfterWaiting += 1 }
            noteResponse(queue: queue, tag: tag, respondedAfter: waited)
            if call == watched { watchedOutcome = action }
        case .overflow(let call, let destination, _, let tag, let waited):
            let queue = Int(tag.queue)
            switch destination {
            case .callback: statistics[queue].overflowCallback += 1
            case .voicemail: statistics[queue].overflowVoicemail += 1
            }
            statistics[queue].longestWait = max(statistics[queue].longestWait, waited)
            noteResponse(queue: queue, tag: tag, respondedAfter: waited + settings.callbackDelay)
            if call == watched { watchedOutcome = action }
        case .abandoned(let call, let tag, let waited):
            let queue = Int(tag.queue)
            statistics[queue].abandoned += 1
            statistics[queue].longestWait = max(statistics[queue].longestWait, waited)
            if call == watched { watchedOutcome = action }
        case .ring, .stopRinging, .startTimer:
            break
        }
    }

    mutating func noteResponse(queue: Int, tag: CallTag, respondedAfter: Double) {
        guard let target = settings.targets.target(priority: tag.priority, tier: tag.tier), respondedAfter > target else { return }
        statistics[queue].slaBreaches += 1
        if settings.pageOnP1Breach && tag.priority == .p1 { statistics[queue].pages += 1 }
    }

    mutating func addBusy(agent: Int, from: Double, to: Double) {
        let clipped = min(to, windowEnd) - max(from, startTime)
        if clipped > 0 { busyTime[agent] += clipped }
    }

    // MARK: - Reports

    /// The per-queue and overall report of the run so far.
    public func report() -> SimulationReport {
        let config = router.config
        let staffed = config.agents.map { $0.initialState != .offline }
        let window = settings.hours * 3600
        func occupancy(_ agents: [Int]) -> Double {
            let loggedIn = agents.filter { staffed[$0] }
            guard !loggedIn.isEmpty, window > 0 else { return 0 }
            return loggedIn.reduce(0) { $0 + busyTime[$1] } / (Double(loggedIn.count) * window)
        }
        var queues: [QueueReport] = []
        var total = QueueStatistics()
        for (index, queue) in config.queues.enumerated() {
            let stats = statistics[index]
            queues.append(QueueReport(name: queue.name, statistics: stats, threshold: queue.serviceLevelSeconds, occupancy: occupancy(router.members(ofQueue: index)), agents: router.members(ofQueue: index).count(where: { staffed[$0] })))
            total.offered += stats.offered
            total.answered += stats.answered
            total.abandoned += stats.abandoned
            total.overflowCallback += stats.overflowCallback
            total.overflowVoicemail += stats.overflowVoicemail
            total.answeredWithinThreshold += stats.answeredWithinThreshold
            total.answeredAfterWaiting += stats.answeredAfterWaiting
            total.totalAnswerWait += stats.totalAnswerWait
            total.longestWait = max(total.longestWait, stats.longestWait)
            total.slaBreaches += stats.slaBreaches
            total.pages += stats.pages
        }
        let totals = QueueReport(name: "total", statistics: total, threshold: config.queues.first?.serviceLevelSeconds ?? 20, occupancy: occupancy(Array(config.agents.indices)), agents: staffed.count(where: { $0 }))
        let agents = config.agents.enumerated().map { index, agent in
            AgentReport(id: agent.id, team: agent.team.rawValue, level: agent.level.description, callsAnswered: router.callsAnswered(byAgent: index), talkSeconds: router.talkTime(ofAgent: index), occupancy: staffed[index] && window > 0 ? busyTime[index] / window : 0, state: router.state(ofAgent: index).name)
        }
        return SimulationReport(seed: settings.seed, hours: settings.hours, start: settings.start, events: eventCount, queues: queues, total: totals, agents: agents)
    }

    /// The queues and agents at this instant: who waits, who talks, who is free.
    public func snapshot() -> QueueSnapshot {
        let config = router.config
        let at = Date(timeIntervalSinceReferenceDate: now)
        let queues = config.queues.enumerated().map { index, queue in
            let waiting = router.waiting(inQueue: index, at: at)
            return QueueSnapshot.Queue(
                name: queue.name, team: queue.team.rawValue, strategy: queue.strategy.rawValue,
                waiting: waiting.map { QueueSnapshot.Caller(priority: $0.priority.name, tier: $0.tier.name, waitedSeconds: $0.waited) },
                longestWaitSeconds: waiting.map(\.waited).max() ?? 0,
                members: router.members(ofQueue: index).map { config.agents[$0].id },
                available: router.members(ofQueue: index).count(where: { router.state(ofAgent: $0) == .available }),
                answered: statistics[index].answered, offered: statistics[index].offered)
        }
        let agents = config.agents.enumerated().map { index, agent in
            QueueSnapshot.Agent(
                id: agent.id, name: agent.name, team: agent.team.rawValue, level: agent.level.description,
                state: router.state(ofAgent: index).name, callsAnswered: router.callsAnswered(byAgent: index),
                talkSeconds: router.talkTime(ofAgent: index), idleSeconds: router.idleTime(ofAgent: index, at: at), misses: router.misses(ofAgent: index))
        }
        return QueueSnapshot(at: at, queues: queues, agents: agents)
    }
}

/// One queue's results, as printed by `hotline simulate`.
public struct QueueReport: Sendable, Hashable, Encodable {
    public var name: String
    public var agents: Int
    public var offered: Int
    public var answered: Int
    public var abandoned: Int
    public var overflowed: Int
    public var overflowCallback: Int
    public var overflowVoicemail: Int
    /// Average speed of answer: mean wait of answered calls, in seconds.
    public var asaSeconds: Double
    public var longestWaitSeconds: Double
    /// Share of offered calls answered within `serviceLevelSeconds`.
    public var serviceLevel: Double
    public var serviceLevelSeconds: Double
    /// Share of answered calls that had to wait at all.
    public var waitedShare: Double
    /// Share of the members' logged-in time spent talking or in wrap-up.
    public var occupancy: Double
    public var slaBreaches: Int
    public var pages: Int

    init(name: String, statistics: QueueStatistics, threshold: Double, occupancy: Double, agents: Int) {
        self.name = name
        self.agents = agents
        offered = statistics.offered
        answered = statistics.answered
        abandoned = statistics.abandoned
        overflowed = statistics.overflowed
        overflowCallback = statistics.overflowCallback
        overflowVoicemail = statistics.overflowVoicemail
        asaSeconds = statistics.answered > 0 ? statistics.totalAnswerWait / Double(statistics.answered) : 0
        longestWaitSeconds = statistics.longestWait
        serviceLevel = statistics.offered > 0 ? Double(statistics.answeredWithinThreshold) / Double(statistics.offered) : 1
        serviceLevelSeconds = threshold
        waitedShare = statistics.answered > 0 ? Double(statistics.answeredAfterWaiting) / Double(statistics.answered) : 0
        self.occupancy = occupancy
        slaBreaches = statistics.slaBreaches
        pages = statistics.pages
    }

    enum CodingKeys: String, CodingKey {
        case name = "queue"
        case agents, offered, answered, abandoned, overflowed
        case overflowCallback = "overflow_callback"
        case overflowVoicemail = "overflow_voicemail"
        case asaSeconds = "asa_seconds"
        case longestWaitSeconds = "longest_wait_seconds"
        case serviceLevel = "service_level"
        case serviceLevelSeconds = "service_level_seconds"
        case waitedShare = "waited_share"
        case occupancy
        case slaBreaches = "sla_breaches"
        case pages
    }
}

/// One agent's results.
public struct AgentReport: Sendable, Hashable, Encodable {
    public var id: String
    public var team: String
    public var level: String
    public var callsAnswered: Int
    public var talkSeconds: Double
    public var occupancy: Double
    public var state: String

    enum CodingKeys: String, CodingKey {
        case id, team, level
        case callsAnswered = "calls_answered"
        case talkSeconds = "talk_seconds"
        case occupancy, state
    }
}

/// The whole run's results.
public struct SimulationReport: Sendable, Hashable, Encodable {
    public var seed: UInt64
    public var hours: Double
    public var start: Date
    /// Events the simulation processed.
    public var events: Int
    public var queues: [QueueReport]
    public var total: QueueReport
    public var agents: [AgentReport]
}

/// The live state of queues and agents (`hotline queues`).
public struct QueueSnapshot: Sendable, Hashable, Encodable {
    public struct Caller: Sendable, Hashable, Encodable {
        public var priority: String
        public var tier: String
        public var waitedSeconds: Double
        enum CodingKeys: String, CodingKey {
            case priority, tier
            case waitedSeconds = "waited_seconds"
        }
    }

    public struct Queue: Sendable, Hashable, Encodable {
        public var name: String
        public var team: String
        public var strategy: String
        public var waiting: [Caller]
        public var longestWaitSeconds: Double
        public var members: [String]
        public var available: Int
        public var answered: Int
        public var offered: Int
        enum CodingKeys: String, CodingKey {
            case name = "queue"
            case team, strategy, waiting
            case longestWaitSeconds = "longest_wait_seconds"
            case members, available, answered, offered
        }
    }

    public struct Agent: Sendable, Hashable, Encodable {
        public var id: String
        public var name: String
        public var team: String
        public var level: String
        public var state: String
        public var callsAnswered: Int
        public var talkSeconds: Double
        public var idleSeconds: Double?
        public var misses: Int
        enum CodingKeys: String, CodingKey {
            case id, name, team, level, state
            case callsAnswered = "calls_answered"
            case talkSeconds = "talk_seconds"
            case idleSeconds = "idle_seconds"
            case misses
        }
    }

    public var at: Date
    public var queues: [Queue]
    public var agents: [Agent]
}
