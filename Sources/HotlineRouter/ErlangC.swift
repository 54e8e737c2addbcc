import Foundation
import HotlineCore
import HotlineDiagnostics

/// Queueing theory for an M/M/c queue (Poisson arrivals, exponential talk times, `c` agents, no
/// abandonment): what a single-queue simulation must reproduce. Standard Erlang C formulas.
public struct ErlangC: Sendable, Hashable, Encodable {
    public var agents: Int
    /// Calls per second.
    public var arrivalRate: Double
    /// Mean talk time in seconds.
    public var meanHandleTime: Double

    /// The threshold the JSON's `service_level` is measured at (`--service-level-seconds`).
    public var serviceLevelSeconds: Double

    public init(agents: Int, arrivalsPerHour: Double, meanHandleTime: Double, serviceLevelSeconds: Double = 20) {
        self.agents = agents
        self.arrivalRate = arrivalsPerHour / 3600
        self.meanHandleTime = meanHandleTime
        self.serviceLevelSeconds = serviceLevelSeconds
    }

    /// Offered load in Erlangs (λ × mean talk time).
    public var offeredLoad: Double { arrivalRate * meanHandleTime }
    /// Agent occupancy, λ / (c μ).
    public var occupancy: Double { offeredLoad / Double(agents) }
    /// Whether the queue drains (load below the number of agents); otherwise waits grow without bound.
    public var isStable: Bool { offeredLoad < Double(agents) }

    /// Erlang C: the probability that a caller has to wait, by the Erlang B recursion (numerically stable).
    public var probabilityOfWaiting: Double {
        guard isStable else { return 1 }
        let load = offeredLoad
        var erlangB = 1.0
        for k in 1...max(agents, 1) { erlangB = load * erlangB / (Double(k) + load * erlangB) }
        let c = Double(agents)
        return c * erlangB / (c - load * (1 - erlangB))
    }

    /// Mean wait over all callers (average speed of answer), in seconds.
    public var averageSpeedOfAnswer: Double {
        guard isStable else { return .infinity }
        return probabilityOfWaiting / (Double(agents) / meanHandleTime - arrivalRate)
    }

    /// Share of callers answered within `threshold` seconds: 1 − C · e^(−(cμ − λ) t).
    public func serviceLevel(within threshold: Double) -> Double {
        guard isStable else { return 0 }
        return 1 - probabilityOfWaiting * exp(-(Double(agents) / meanHandleTime - arrivalRate) * threshold)
    }

    enum CodingKeys: String, CodingKey {
        case offeredLoad = "offered_load_erlangs"
        case probabilityOfWaiting = "probability_of_waiting"
        case averageSpeedOfAnswer = "asa_seconds"
        case serviceLevel = "service_level"
        case serviceLevelSeconds = "service_level_seconds"
        case occupancy
        case isStable = "stable"
    }

    /// As the text report shows it: the service level at `serviceLevelSeconds`, occupancy capped
    /// at 100 % (agents cannot be busier than all the time; `offered_load_erlangs` keeps the
    /// load), and `asa_seconds` null when the queue grows without bound.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(offeredLoad, forKey: .offeredLoad)
        try container.encode(probabilityOfWaiting, forKey: .probabilityOfWaiting)
        if isStable {
            try container.encode(averageSpeedOfAnswer, forKey: .averageSpeedOfAnswer)
        } else {
            try container.encodeNil(forKey: .averageSpeedOfAnswer)
        }
        try container.encode(serviceLevel(within: serviceLevelSeconds), forKey: .serviceLevel)
        try container.encode(serviceLevelSeconds, forKey: .serviceLevelSeconds)
        try container.encode(min(occupancy, 1), forKey: .occupancy)
        try container.encode(isStable, forKey: .isStable)
    }
}

/// `hotline simulate --queue NAME --agents N …`: one queue of identical agents, Poisson arrivals,
/// exponential talk times, no abandonment, no wrap-up, instant pick-up — an M/M/c queue.
public struct SingleQueueSimulation: Sendable {
    public var queue: String
    public var agents: Int
    public var arrivalsPerHour: Double
    public var meanHandleTime: Double
    public var hours: Double
    public var seed: UInt64
    public var serviceLevelSeconds: Double
    public var start: Date

    public init(
        queue: String, agents: Int, arrivalsPerHour: Double, meanHandleTime: Double, hours: Double, seed: UInt64,
        serviceLevelSeconds: Double = 20, start: Date = Date(timeIntervalSinceReferenceDate: 820_454_400)
    ) {
        self.queue = queue
        self.agents = agents
        self.arrivalsPerHour = arrivalsPerHour
        self.meanHandleTime = meanHandleTime
        self.hours = hours
        self.seed = seed
        self.serviceLevelSeconds = serviceLevelSeconds
        self.start = start
    }

    /// The queue `--queue` names, from the plan's queues file: an unknown name is refused with the
    /// closest known one, so a typo does not simulate a queue that does not exist.
    public static func queue(named name: String, in config: RoutingConfig, plan: String) throws(RouterError) -> QueueConfig {
        if let queue = config.queues.first(where: { $0.name == name }) { return queue }
        let names = config.queues.map(\.name)
        let guess = Suggestions.closest(to: name, in: names).map { "did you mean '\($0)'? " } ?? ""
        throw RouterError(
            message: "--queue '\(name)' is not a queue of \(plan)",
            fix: "\(guess)use one of: \(names.joined(separator: ", "))")
    }

    /// Checks the numbers a user typed; the message says which flag to fix.
    public func validate() throws(RouterError) {
        if queue.isEmpty { throw RouterError(message: "--queue is empty", fix: "name the queue, e.g. --queue gsc") }
        if agents < 1 { throw RouterError(message: "--agents \(agents) is not a number of agents", fix: "use 1 or more") }
        if agents > SimulationLimits.agents {
            throw RouterError(message: "--agents \(agents) is more than the \(SimulationLimits.agents) agents one queue simulates", fix: "use at most \(SimulationLimits.agents)")
        }
        if !(arrivalsPerHour > 0 && arrivalsPerHour.isFinite) { throw RouterError(message: "--arrivals-per-hour must be more than 0", fix: "e.g. --arrivals-per-hour 120") }
        if !(meanHandleTime > 0 && meanHandleTime.isFinite) { throw RouterError(message: "--mean-handle-time must be more than 0 seconds", fix: "e.g. --mean-handle-time 300") }
        // The bound of every queue timer in the routing files (one day).
        if meanHandleTime > 86_400 {
            throw RouterError(message: "--mean-handle-time \(meanHandleTime) is more than a day (86400 seconds)", fix: "give the mean talk time in seconds, e.g. --mean-handle-time 300")
        }
        if !(hours > 0 && hours <= 100_000) { throw RouterError(message: "--hours must be more than 0 (and at most 100000)", fix: "e.g. --hours 8") }
        if arrivalsPerHour * hours > SimulationLimits.calls {
            throw RouterError(
                message: "--arrivals-per-hour × --hours is \(SimulationLimits.count(arrivalsPerHour * hours)) calls, more than the \(SimulationLimits.callsText) one run allows",
                fix: "lower --hours or --arrivals-per-hour")
        }
        if !(serviceLevelSeconds > 0 && serviceLevelSeconds <= 86_400) {
            throw RouterError(message: "--service-level-seconds must be more than 0 and at most a day (86400)", fix: "e.g. --service-level-seconds 20")
        }
    }

    /// The routing set-up: `agents` identical L1 agents in one longest-idle queue that never overflows.
    public var config: RoutingConfig {
        let agentProfiles = (1...max(agents, 1)).map { index in
            AgentProfile(id: "agent-\(index)", team: .gsc, level: .l1, skills: ["en": 5])
        }
        var queueConfig = QueueConfig(name: queue, team: .gsc, skills: ["en": 1], strategy: .longestIdle, tiers: [QueueTier(level: .l1)])
        queueConfig.wrapUp = 0
        queueConfig.maxWait = nil
        queueConfig.serviceLevelSeconds = serviceLevelSeconds
        queueConfig.meanHandleTime = meanHandleTime
        return RoutingConfig(skillGroups: ["languages": ["en"]], agents: agentProfiles, queues: [queueConfig])
    }

    /// `hours` rounded up: what a progress line counts.
    public var wholeHours: Int { SimulationSettings(start: start, hours: hours, seed: seed, traffic: []).wholeHours }

    /// Runs the simulation; `hourDone` hears after each simulated hour how many are done.
    public func run(hourDone: (Int) -> Void = { _ in }) throws(RouterError) -> SingleQueueReport {
        try validate()
        let settings = SimulationSettings(
            start: start, hours: hours, seed: seed,
            traffic: [TrafficStream(queue: 0, arrivalsPerHour: arrivalsPerHour, meanHandleTime: meanHandleTime)],
            behaviour: .instant)
        var simulation = CallCentreSimulation(config: config, settings: settings)
        simulation.run(hourDone: hourDone)
        let report = simulation.report()
        return SingleQueueReport(
            queue: report.queues[0], arrivalsPerHour: arrivalsPerHour, meanHandleTime: meanHandleTime, hours: hours, seed: seed,
            events: report.events,
            theory: ErlangC(agents: agents, arrivalsPerHour: arrivalsPerHour, meanHandleTime: meanHandleTime, serviceLevelSeconds: serviceLevelSeconds))
    }
}

/// What `hotline simulate --queue …` prints: the measured queue and, beside it, Erlang C's prediction.
public struct SingleQueueReport: Sendable, Hashable, Encodable {
    public var queue: QueueReport
    public var arrivalsPerHour: Double
    public var meanHandleTime: Double
    public var hours: Double
    public var seed: UInt64
    public var events: Int
    public var theory: ErlangC

    enum CodingKeys: String, CodingKey {
        case queue, agents, offered, answered, abandoned, overflowed
        case asaSeconds = "asa_seconds"
        case serviceLevel = "service_level"
        case serviceLevelSeconds = "service_level_seconds"
        case occupancy
        case waitedShare = "waited_share"
        case longestWaitSeconds = "longest_wait_seconds"
        case arrivalsPerHour = "arrivals_per_hour"
        case meanHandleTime = "mean_handle_time"
        case hours, seed, events
        case theory = "erlang_c"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(queue.name, forKey: .queue)
        try container.encode(queue.agents, forKey: .agents)
        try container.encode(queue.offered, forKey: .offered)
        try container.encode(queue.answered, forKey: .answered)
        try container.encode(queue.abandoned, forKey: .abandoned)
        try container.encode(queue.overflowed, forKey: .overflowed)
        try container.encode(queue.asaSeconds, forKey: .asaSeconds)
        try container.encode(queue.serviceLevel, forKey: .serviceLevel)
        try container.encode(queue.serviceLevelSeconds, forKey: .serviceLevelSeconds)
        try container.encode(queue.occupancy, forKey: .occupancy)
        try container.encode(queue.waitedShare, forKey: .waitedShare)
        try container.encode(queue.longestWaitSeconds, forKey: .longestWaitSeconds)
        try container.encode(arrivalsPerHour, forKey: .arrivalsPerHour)
        try container.encode(meanHandleTime, forKey: .meanHandleTime)
        try container.encode(hours, forKey: .hours)
        try container.encode(seed, forKey: .seed)
        try container.encode(events, forKey: .events)
        try container.encode(theory, forKey: .theory)
    }
}

/// Arrival instants of a Poisson process, for drivers that run generated calls through the whole
/// line (IVR, router, store, rota): the same seed gives the same instants.
public enum PoissonArrivals {
    public static func instants(perHour rate: Double, start: Date, hours: Double, seed: UInt64) -> [Date] {
        guard rate > 0, hours > 0 else { return [] }
        var rng = SplitMix64(seed: seed)
        var result: [Date] = []
        var t = rng.exponential(mean: 3600 / rate)
        while t < hours * 3600 {
            result.append(start.addingTimeInterval(t))
            t += rng.exponential(mean: 3600 / rate)
        }
        return result
    }
}
