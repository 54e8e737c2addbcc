import Foundation
import HotlineCore
import HotlineDiagnostics

/// A call inside the router: a slot and that slot's generation, so a timer for a call that has
/// already left never touches the slot's next occupant.
public struct CallHandle: Sendable, Hashable, CustomStringConvertible {
    public var slot: Int32
    public var generation: UInt32
    public var description: String { "call#\(slot).\(generation)" }
}

/// What an agent is doing. Each case carries only what is valid in it.
public enum AgentState: Sendable, Hashable {
    /// Logged in and free to ring.
    case available
    /// The agent's phone rings with this call.
    case ringing(CallHandle)
    /// Talking to this caller.
    case onCall(CallHandle)
    /// After-call work; free again when the wrap-up timer fires.
    case wrapUp
    /// Logged in but not taking calls (after too many misses, or by choice).
    case onBreak
    /// Not logged in.
    case offline

    public var name: String {
        switch self {
        case .available: "available"
        case .ringing: "ringing"
        case .onCall: "on-call"
        case .wrapUp: "wrap-up"
        case .onBreak: "on-break"
        case .offline: "offline"
        }
    }
}

/// A timer the router asks its driver to run; it comes back as `timerFired(_:at:)`.
///
/// Timers are never cancelled: each carries the call handle or the agent's state epoch it was armed
/// for, and the router ignores one that fires after its call or agent has moved on.
public enum RouterTimer: Sendable, Hashable {
    /// The agent has not answered a ringing call in time.
    case ringTimeout(call: CallHandle, agent: Int32, epoch: UInt32)
    /// The caller has waited as long as the queue allows.
    case maxWait(CallHandle)
    /// A queue tier opens for this caller (an L2 may now take this L1 call).
    case tierOpens(CallHandle, tier: Int32)
    /// The designated SME has had their time; the call falls back to the queue.
    case smeLimit(CallHandle)
    /// The agent's after-call work is done.
    case wrapUpEnds(agent: Int32, epoch: UInt32)
    /// The agent's break after missed calls is over.
    case breakEnds(agent: Int32, epoch: UInt32)
}

/// The facts about a call that every outcome action carries, so a driver needs no lookup.
public struct CallTag: Sendable, Hashable {
    public var queue: Int32
    public var priority: CallPriority
    public var tier: ContractTier
    /// When the call reached the router.
    public var arrivedAt: Date
}

/// What the router asks its driver to do.
public enum RouterAction: Sendable, Hashable {
    /// Ring the agent's phone with the call (the driver reports `agentAnswered` or lets the timer fire).
    case ring(agent: Int32, call: CallHandle)
    /// Stop ringing: another agent answered, the caller left, or the ring timed out.
    case stopRinging(agent: Int32, call: CallHandle)
    /// Run a timer until the instant given.
    case startTimer(RouterTimer, at: Date)
    /// Bridge the caller to the agent who answered.
    case connect(call: CallHandle, agent: Int32, tag: CallTag, waited: TimeInterval)
    /// Send the caller to the queue's overflow destination.
    case overflow(call: CallHandle, destination: OverflowDestination, reason: OverflowReason, tag: CallTag, waited: TimeInterval)
    /// The caller hung up while waiting (nothing to perform; for the record).
    case abandoned(call: CallHandle, tag: CallTag, waited: TimeInterval)
}

/// A call offered to the router.
public struct IncomingCall: Sendable {
    public var queue: Int
    public var priority: CallPriority
    public var tier: ContractTier
    /// The account's designated SME, if it has one (the router checks its business hours).
    public var designatedSME: DesignatedSME?

    public init(queue: Int, priority: CallPriority = .none, tier: ContractTier = .unknown, designatedSME: DesignatedSME? = nil) {
        self.queue = queue
        self.priority = priority
        self.tier = tier
        self.designatedSME = designatedSME
    }
}

/// The call router: skill-based queues, hunting strategies, tiers that widen with waiting time,
/// priority ageing, no-answer handling, wrap-up, designated SMEs and overflow.
///
/// A pure value-type state machine: one `mutating` method per thing that happened, each appending
/// the actions to perform to a caller-owned buffer (so a simulation allocates nothing per event).
/// Time is always an argument; the router never reads a clock.
///
/// Wrong input, in three kinds:
/// - Our own bug (an agent or queue index out of range, a slot in an impossible phase): `precondition`.
/// - Bad caller input (an unknown queue name): handled before the machine, in `queueIndex(named:)`.
/// - Events to ignore, because they raced a change the router already made: a timer for a call that
///   has left or an agent whose state has moved on; `agentAnswered` from an agent no longer ringing
///   that call; `callEnded` or `callerHungUp` for a call that already left; login of a logged-in agent.
public struct RouterStateMachine: Sendable {
    public let config: RoutingConfig

    struct Agent {
        var state: AgentState
        /// Bumped on every state change; timers armed for an older epoch are stale.
        var epoch: UInt32 = 0
        var idleSince: Double = 0
        var callsAnswered: Int = 0
        var talkTime: Double = 0
        var connectedAt: Double = 0
        var misses: Int = 0
        /// The queue whose wrap-up applies after the current call.
        var wrapUp: Double = 0
    }

    enum Phase {
        case free
        /// Waiting for the designated SME (not ringing).
        case awaitingSME(agent: Int32)
        /// In a queue's waiting list.
        case waiting
        /// Ringing `count` agents (more than one only for ring-all); `sme` when ringing the SME.
        case ringing(count: Int32, sme: Bool)
        case connected(agent: Int32)
    }

    struct Call {
        var generation: UInt32 = 0
        var phase: Phase = .free
        var queue: Int32 = 0
        var arrival: Double = 0
        /// Static ranking key: base − ageing × arrival (higher first). Ageing is linear, so this order never changes.
        var key: Double = 0
        var sequence: UInt64 = 0
        var priority: CallPriority = .none
        var tier: ContractTier = .unknown
        /// Agents who missed this call in the current round.
        var tried: [Int32] = []
    }

    struct Member {
        var agent: Int32
        var tier: Int32
        var after: Double
    }

    struct Queue {
        var members: [Member]
        /// Call slots, best first.
        var waiting: [Int32] = []
        /// Round-robin memory: the member position after the one rung last.
        var cursor: Int = 0
        var ageingPerSecond: Double
    }

    var agents: [Agent]
    var queues: [Queue]
    var calls: [Call] = []
    var freeSlots: [Int32] = []
    var smeWaiting: [Int32] = []
    var sequence: UInt64 = 0
    var availableCount = 0
    var rng: SplitMix64
    /// Agent index → queues they are a member of.
    let queuesOfAgent: [[Int32]]

    /// - Parameters:
    ///   - seed: seeds the `random` strategy.
    ///   - start: the instant the agents logged in (their idle time counts from it).
    public init(config: RoutingConfig, seed: UInt64, start: Date) {
        self.config = config
        self.rng = SplitMix64(seed: seed)
        let t = start.timeIntervalSinceReferenceDate
        agents = config.agents.map { profile in
            let state: AgentState
            switch profile.initialState {
            case .available: state = .available
            case .onBreak: state = .onBreak
            case .offline: state = .offline
            }
            return Agent(state: state, idleSince: t)
        }
        var byAgent = [[Int32]](repeating: [], count: config.agents.count)
        queues = config.queues.enumerated().map { index, queue in
            let members = config.members(of: queue).map { member in
                byAgent[member.agent].append(Int32(index))
                return Member(agent: Int32(member.agent), tier: Int32(member.tier), after: queue.tiers[member.tier].after)
            }
            return Queue(members: members, ageingPerSecond: queue.priority.ageingPerMinute / 60)
        }
        queuesOfAgent = byAgent
        availableCount = agents.count(where: { $0.state == .available })
    }

    // MARK: - Queries

    /// The queue's index for a name, or an error with a did-you-mean.
    public func queueIndex(named name: String) throws(RouterError) -> Int {
        if let index = config.queueIndex(named: name) { return index }
        throw RouterError(
            message: "no queue named '\(name)'",
            fix: Suggestions.fix(for: name, in: config.queues.map(\.name), what: "the queues"))
    }

    /// Whether the call is still waiting for an agent (in a queue, ringing, or waiting for its SME).
    public func isInLine(_ handle: CallHandle) -> Bool {
        guard isLive(handle) else { return false }
        switch calls[Int(handle.slot)].phase {
        case .awaitingSME, .waiting, .ringing: return true
        case .free, .connected: return false
        }
    }

    public func state(ofAgent agent: Int) -> AgentState { agents[agent].state }
    public func callsAnswered(byAgent agent: Int) -> Int { agents[agent].callsAnswered }
    public func talkTime(ofAgent agent: Int) -> TimeInterval { agents[agent].talkTime }
    public func misses(ofAgent agent: Int) -> Int { agents[agent].misses }
    /// Seconds the agent has been free, or `nil` when not available.
    public func idleTime(ofAgent agent: Int, at now: Date) -> TimeInterval? {
        agents[agent].state == .available ? now.timeIntervalSinceReferenceDate - agents[agent].idleSince : nil
    }
    /// Callers waiting in a queue (not ringing), best first, with how long each has waited.
    public func waiting(inQueue queue: Int, at now: Date) -> [(call: CallHandle, priority: CallPriority, tier: ContractTier, waited: TimeInterval)] {
        queues[queue].waiting.map { slot in
            let call = calls[Int(slot)]
            return (CallHandle(slot: slot, generation: call.generation), call.priority, call.tier, now.timeIntervalSinceReferenceDate - call.arrival)
        }
    }
    /// The queue's members in hunt order, as agent indices.
    public func members(ofQueue queue: Int) -> [Int] { queues[queue].members.map { Int($0.agent) } }

    /// The order in which the queue's strategy would ring its free agents for a caller who has waited
    /// `waited` seconds. For `random`, one possible order (the router's own random numbers are not used).
    public func huntOrder(queue: Int, waited: TimeInterval = 0) -> [Int] {
        var candidates = queues[queue].members.enumerated().filter { _, member in
            agents[Int(member.agent)].state == .available && member.after <= waited
        }
        switch config.queues[queue].strategy {
        case .random:
            var copy = rng
            candidates.sort { $0.element.tier < $1.element.tier }
            var result: [Int] = []
            while !candidates.isEmpty {
                let lowest = candidates[0].element.tier
                let sameTier = candidates.indices.filter { candidates[$0].element.tier == lowest }
                let pick = sameTier[Int(copy.next() % UInt64(sameTier.count))]
                result.append(Int(candidates[pick].element.agent))
                candidates.remove(at: pick)
            }
            return result
        case .longestIdle, .roundRobin, .topDown, .ringAll, .fewestCalls, .leastTalkTime:
            candidates.sort { lhs, rhs in rank(queue: queue, position: lhs.offset) < rank(queue: queue, position: rhs.offset) }
            return candidates.map { Int($0.element.agent) }
        }
    }

    /// The sort key of a member under the queue's strategy (lower rings first); not used for `random`.
    func rank(queue: Int, position: Int) -> (Int32, Double, Int) {
        let member = queues[queue].members[position]
        let agent = agents[Int(member.agent)]
        let secondary: Double
        switch config.queues[queue].strategy {
        case .longestIdle: secondary = agent.idleSince
        case .roundRobin:
            let count = queues[queue].members.count
            secondary = Double((position - queues[queue].cursor + count) % count)
        case .topDown, .ringAll, .random: secondary = 0
        case .fewestCalls: secondary = Double(agent.callsAnswered)
        case .leastTalkTime: secondary = agent.talkTime
        }
        return (member.tier, secondary, position)
    }

    // MARK: - Events

    /// A caller joins a queue. Overflows at once when nobody who can serve the queue is logged in.
    @discardableResult
    public mutating func callArrived(_ incoming: IncomingCall, at now: Date, into actions: inout [RouterAction]) -> CallHandle {
        precondition(queues.indices.contains(incoming.queue), "queue index out of range")
        let t = now.timeIntervalSinceReferenceDate
        let slot = allocateSlot()
        let queueConfig = config.queues[incoming.queue]
        sequence &+= 1
        let base = queueConfig.priority.base(priority: incoming.priority, tier: incoming.tier)
        calls[Int(slot)].queue = Int32(incoming.queue)
        calls[Int(slot)].arrival = t
        calls[Int(slot)].key = base - queues[incoming.queue].ageingPerSecond * t
        calls[Int(slot)].sequence = sequence
        calls[Int(slot)].priority = incoming.priority
        calls[Int(slot)].tier = incoming.tier
        let handle = CallHandle(slot: slot, generation: calls[Int(slot)].generation)

        // The designated SME, during the account's business hours, if the SME is logged in.
        if let sme = incoming.designatedSME, let smeIndex = config.agentIndex(id: sme.agentID),
            agents[smeIndex].state != .offline, sme.businessHours.isOpen(at: now)
        {
            calls[Int(slot)].phase = .awaitingSME(agent: Int32(smeIndex))
            smeWaiting.append(slot)
            actions.append(.startTimer(.smeLimit(handle), at: now.addingTimeInterval(sme.timeLimit ?? queueConfig.smeTimeLimit)))
            if let maxWait = queueConfig.maxWait { actions.append(.startTimer(.maxWait(handle), at: now.addingTimeInterval(maxWait))) }
            if agents[smeIndex].state == .available { dispatch(at: t, into: &actions) }
            return handle
        }

        guard queues[incoming.queue].members.contains(where: { agents[Int($0.agent)].state != .offline }) else {
            let tag = self.tag(slot)
            releaseSlot(slot)
            actions.append(.overflow(call: handle, destination: queueConfig.overflow, reason: .noAgentsLoggedIn, tag: tag, waited: 0))
            return handle
        }
        if let maxWait = queueConfig.maxWait { actions.append(.startTimer(.maxWait(handle), at: now.addingTimeInterval(maxWait))) }
        for (index, tier) in queueConfig.tiers.enumerated() where tier.after > 0 && tier.after < (queueConfig.maxWait ?? .infinity) {
            actions.append(.startTimer(.tierOpens(handle, tier: Int32(index)), at: now.addingTimeInterval(tier.after)))
        }
        insertWaiting(slot)
        if availableCount > 0 { dispatch(at: t, into: &actions) }
        return handle
    }

    /// The agent picked up the ringing call. Ignored unless the agent is ringing with this call.
    public mutating func agentAnswered(agent: Int, call handle: CallHandle, at now: Date, into actions: inout [RouterAction]) {
        guard agents[agent].state == .ringing(handle), isLive(handle) else { return }
        let t = now.timeIntervalSinceReferenceDate
        let slot = Int(handle.slot)
        let queueConfig = config.queues[Int(calls[slot].queue)]
        setState(agent, .onCall(handle), at: t)
        agents[agent].callsAnswered += 1
        agents[agent].misses = 0
        agents[agent].connectedAt = t
        agents[agent].wrapUp = queueConfig.wrapUp
        var freed = false
        if case .ringing(let count, _) = calls[slot].phase, count > 1 {
            // Ring-all: the others stop ringing and are free again.
            for other in agents.indices where other != agent && agents[other].state == .ringing(handle) {
                setState(other, .available, at: t, keepIdle: true)
                actions.append(.stopRinging(agent: Int32(other), call: handle))
                freed = true
            }
        }
        calls[slot].phase = .connected(agent: Int32(agent))
        calls[slot].tried = []
        actions.append(.connect(call: handle, agent: Int32(agent), tag: tag(Int32(slot)), waited: t - calls[slot].arrival))
        if freed { dispatch(at: t, into: &actions) }
    }

    /// The conversation is over; the agent goes to wrap-up. Ignored for a call not connected.
    public mutating func callEnded(_ handle: CallHandle, at now: Date, into actions: inout [RouterAction]) {
        guard isLive(handle), case .connected(let agent32) = calls[Int(handle.slot)].phase else { return }
        let t = now.timeIntervalSinceReferenceDate
        let agent = Int(agent32)
        agents[agent].talkTime += t - agents[agent].connectedAt
        releaseSlot(handle.slot)
        let wrapUp = agents[agent].wrapUp
        if wrapUp > 0 {
            setState(agent, .wrapUp, at: t)
            actions.append(.startTimer(.wrapUpEnds(agent: agent32, epoch: agents[agent].epoch), at: now.addingTimeInterval(wrapUp)))
        } else {
            setState(agent, .available, at: t)
            dispatch(at: t, into: &actions)
        }
    }

    /// The caller hung up. While waiting or ringing this is an abandon; once connected it ends the call.
    public mutating func callerHungUp(_ handle: CallHandle, at now: Date, into actions: inout [RouterAction]) {
        guard isLive(handle) else { return }
        let slot = Int(handle.slot)
        switch calls[slot].phase {
        case .free:
            return
        case .connected:
            callEnded(handle, at: now, into: &actions)
        case .awaitingSME, .waiting, .ringing:
            let t = now.timeIntervalSinceReferenceDate
            let tag = self.tag(handle.slot)
            let freed = leave(handle, at: t, into: &actions)
            actions.append(.abandoned(call: handle, tag: tag, waited: t - tag.arrivedAt.timeIntervalSinceReferenceDate))
            if freed { dispatch(at: t, into: &actions) }
        }
    }

    /// A timer the router armed has fired. Stale timers are ignored.
    public mutating func timerFired(_ timer: RouterTimer, at now: Date, into actions: inout [RouterAction]) {
        let t = now.timeIntervalSinceReferenceDate
        switch timer {
        case .ringTimeout(let handle, let agent32, let epoch):
            let agent = Int(agent32)
            guard agents[agent].epoch == epoch, agents[agent].state == .ringing(handle), isLive(handle) else { return }
            let slot = Int(handle.slot)
            let queueConfig = config.queues[Int(calls[slot].queue)]
            agents[agent].misses += 1
            actions.append(.stopRinging(agent: agent32, call: handle))
            if agents[agent].misses >= queueConfig.maxMisses {
                setState(agent, .onBreak, at: t)
                if queueConfig.missBreak > 0 {
                    actions.append(.startTimer(.breakEnds(agent: agent32, epoch: agents[agent].epoch), at: now.addingTimeInterval(queueConfig.missBreak)))
                }
            } else {
                setState(agent, .available, at: t, keepIdle: true)
            }
            calls[slot].tried.append(agent32)
            guard case .ringing(let count, let sme) = calls[slot].phase else { preconditionFailure("ringing agent, call not ringing") }
            if count > 1 {
                calls[slot].phase = .ringing(count: count - 1, sme: sme)
            } else {
                // Nobody answered: back in line (the SME's caller falls back to the queue).
                if sme {
                    fallBackToQueue(handle, at: t, into: &actions)
                    return
                }
                calls[slot].phase = .waiting
                insertWaiting(handle.slot)
            }
            dispatch(at: t, into: &actions)
        case .maxWait(let handle):
            guard isLive(handle) else { return }
            let slot = Int(handle.slot)
            switch calls[slot].phase {
            case .free, .connected:
                return
            case .awaitingSME, .waiting, .ringing:
                let tag = self.tag(handle.slot)
                let queueConfig = config.queues[Int(tag.queue)]
                let freed = leave(handle, at: t, into: &actions)
                actions.append(.overflow(call: handle, destination: queueConfig.overflow, reason: .maxWait, tag: tag, waited: t - tag.arrivedAt.timeIntervalSinceReferenceDate))
                if freed { dispatch(at: t, into: &actions) }
            }
        case .tierOpens(let handle, _):
            guard isLive(handle), case .waiting = calls[Int(handle.slot)].phase, availableCount > 0 else { return }
            dispatch(at: t, into: &actions)
        case .smeLimit(let handle):
            guard isLive(handle), case .awaitingSME = calls[Int(handle.slot)].phase else { return }
            smeWaiting.removeAll { $0 == handle.slot }
            fallBackToQueue(handle, at: t, into: &actions)
        case .wrapUpEnds(let agent32, let epoch):
            let agent = Int(agent32)
            guard agents[agent].epoch == epoch, agents[agent].state == .wrapUp else { return }
            setState(agent, .available, at: t)
            dispatch(at: t, into: &actions)
        case .breakEnds(let agent32, let epoch):
            let agent = Int(agent32)
            guard agents[agent].epoch == epoch, agents[agent].state == .onBreak else { return }
            agents[agent].misses = 0
            setState(agent, .available, at: t)
            dispatch(at: t, into: &actions)
        }
    }

    /// The agent logs in (from offline) or comes back from a break. Ignored in any other state.
    public mutating func agentBecameAvailable(_ agent: Int, at now: Date, into actions: inout [RouterAction]) {
        switch agents[agent].state {
        case .offline, .onBreak:
            agents[agent].misses = 0
            setState(agent, .available, at: now.timeIntervalSinceReferenceDate)
            dispatch(at: now.timeIntervalSinceReferenceDate, into: &actions)
        case .available, .ringing, .onCall, .wrapUp:
            return
        }
    }

    /// The agent goes on break (`offline: false`) or logs out (`offline: true`). Only a free agent can;
    /// a ringing or busy agent is ignored (they finish first). Callers of a queue left with nobody logged in overflow.
    public mutating func agentWentAway(_ agent: Int, offline: Bool, at now: Date, into actions: inout [RouterAction]) {
        switch agents[agent].state {
        case .available, .onBreak, .wrapUp, .offline:
            break
        case .ringing, .onCall:
            return
        }
        let t = now.timeIntervalSinceReferenceDate
        setState(agent, offline ? .offline : .onBreak, at: t)
        guard offline else { return }
        for queue in queuesOfAgent[agent] where !queues[Int(queue)].members.contains(where: { agents[Int($0.agent)].state != .offline }) {
            while let slot = queues[Int(queue)].waiting.first {
                let handle = CallHandle(slot: slot, generation: calls[Int(slot)].generation)
                let tag = self.tag(slot)
                _ = leave(handle, at: t, into: &actions)
                actions.append(.overflow(call: handle, destination: config.queues[Int(queue)].overflow, reason: .noAgentsLoggedIn, tag: tag, waited: t - tag.arrivedAt.timeIntervalSinceReferenceDate))
            }
        }
    }

    /// A designated SME's caller joins the queue with the time already waited; when nobody who can serve
    /// the queue is logged in, the call overflows at once instead.
    mutating func fallBackToQueue(_ handle: CallHandle, at t: Double, into actions: inout [RouterAction]) {
        let slot = Int(handle.slot)
        let queue = Int(calls[slot].queue)
        let queueConfig = config.queues[queue]
        guard queues[queue].members.contains(where: { agents[Int($0.agent)].state != .offline }) else {
            let tag = self.tag(handle.slot)
            releaseSlot(handle.slot)
            actions.append(.overflow(call: handle, destination: queueConfig.overflow, reason: .noAgentsLoggedIn, tag: tag, waited: t - tag.arrivedAt.timeIntervalSinceReferenceDate))
            return
        }
        insertWaiting(handle.slot)
        let waited = t - calls[slot].arrival
        for (index, tier) in queueConfig.tiers.enumerated() where tier.after > waited && tier.after < (queueConfig.maxWait ?? .infinity) {
            actions.append(.startTimer(.tierOpens(handle, tier: Int32(index)), at: Date(timeIntervalSinceReferenceDate: calls[slot].arrival + tier.after)))
        }
        if availableCount > 0 { dispatch(at: t, into: &actions) }
    }

    // MARK: - Matching callers to agents

    /// Rings free agents for waiting callers until no free agent can take any waiting caller.
    /// Callers are served best score first (across queues); each queue's strategy picks the agent.
    mutating func dispatch(at t: Double, into actions: inout [RouterAction]) {
        // Designated SMEs first: their own account's callers.
        if !smeWaiting.isEmpty {
            var index = 0
            while index < smeWaiting.count {
                let slot = smeWaiting[index]
                guard case .awaitingSME(let sme) = calls[Int(slot)].phase else { preconditionFailure("SME list out of step") }
                if agents[Int(sme)].state == .available {
                    smeWaiting.remove(at: index)
                    calls[Int(slot)].phase = .ringing(count: 1, sme: true)
                    ring(agent: Int(sme), slot: slot, ringTimeout: config.queues[Int(calls[Int(slot)].queue)].ringTimeout, at: t, into: &actions)
                } else {
                    index += 1
                }
            }
        }
        while availableCount > 0 {
            var bestQueue = -1
            var bestPosition = -1
            var bestScore = -Double.infinity
            var bestSequence = UInt64.max
            for queue in queues.indices where !queues[queue].waiting.isEmpty && hasFreeMember(queue) {
                for (position, slot) in queues[queue].waiting.enumerated() where hasCandidate(queue: queue, slot: slot, at: t) {
                    let call = calls[Int(slot)]
                    let score = call.key + queues[queue].ageingPerSecond * t
                    if score > bestScore || (score == bestScore && call.sequence < bestSequence) {
                        bestQueue = queue
                        bestPosition = position
                        bestScore = score
                        bestSequence = call.sequence
                    }
                    break
                }
            }
            guard bestQueue >= 0 else { return }
            let slot = queues[bestQueue].waiting.remove(at: bestPosition)
            huntAndRing(queue: bestQueue, slot: slot, at: t, into: &actions)
        }
    }

    func hasFreeMember(_ queue: Int) -> Bool {
        for member in queues[queue].members where agents[Int(member.agent)].state == .available { return true }
        return false
    }

    func hasCandidate(queue: Int, slot: Int32, at t: Double) -> Bool {
        let waited = t - calls[Int(slot)].arrival
        let tried = calls[Int(slot)].tried
        for member in queues[queue].members
        where member.after <= waited && agents[Int(member.agent)].state == .available && !tried.contains(member.agent) {
            return true
        }
        if !tried.isEmpty {
            // Everyone free has missed this call once: start a new round.
            for member in queues[queue].members where member.after <= waited && agents[Int(member.agent)].state == .available {
                return true
            }
        }
        return false
    }

    mutating func huntAndRing(queue: Int, slot: Int32, at t: Double, into actions: inout [RouterAction]) {
        let waited = t - calls[Int(slot)].arrival
        let queueConfig = config.queues[queue]
        func eligible(_ member: Member, _ tried: [Int32]) -> Bool {
            member.after <= waited && agents[Int(member.agent)].state == .available && !tried.contains(member.agent)
        }
        if !queues[queue].members.contains(where: { eligible($0, calls[Int(slot)].tried) }) {
            calls[Int(slot)].tried = []
        }
        let tried = calls[Int(slot)].tried
        let members = queues[queue].members
        // The lowest tier with someone free.
        var lowestTier = Int32.max
        for member in members where eligible(member, tried) && member.tier < lowestTier { lowestTier = member.tier }
        precondition(lowestTier != .max, "hunt without a candidate")

        switch queueConfig.strategy {
        case .ringAll:
            var count: Int32 = 0
            for member in members where member.tier == lowestTier && eligible(member, tried) { count += 1 }
            calls[Int(slot)].phase = .ringing(count: count, sme: false)
            for member in members where member.tier == lowestTier && eligible(member, tried) {
                ring(agent: Int(member.agent), slot: slot, ringTimeout: queueConfig.ringTimeout, at: t, into: &actions)
            }
            return
        case .random:
            var count: UInt64 = 0
            for member in members where member.tier == lowestTier && eligible(member, tried) { count += 1 }
            var pick = rng.next() % count
            for member in members where member.tier == lowestTier && eligible(member, tried) {
                if pick == 0 {
                    calls[Int(slot)].phase = .ringing(count: 1, sme: false)
                    ring(agent: Int(member.agent), slot: slot, ringTimeout: queueConfig.ringTimeout, at: t, into: &actions)
                    return
                }
                pick -= 1
            }
            preconditionFailure("random pick out of range")
        case .longestIdle, .roundRobin, .topDown, .fewestCalls, .leastTalkTime:
            var best = -1
            var bestRank: (Int32, Double, Int) = (.max, .infinity, .max)
            for position in members.indices where members[position].tier == lowestTier && eligible(members[position], tried) {
                let rank = self.rank(queue: queue, position: position)
                if best < 0 || rank < bestRank {
                    best = position
                    bestRank = rank
                }
            }
            if queueConfig.strategy == .roundRobin { queues[queue].cursor = (best + 1) % members.count }
            calls[Int(slot)].phase = .ringing(count: 1, sme: false)
            ring(agent: Int(members[best].agent), slot: slot, ringTimeout: queueConfig.ringTimeout, at: t, into: &actions)
        }
    }

    mutating func ring(agent: Int, slot: Int32, ringTimeout: Double, at t: Double, into actions: inout [RouterAction]) {
        let handle = CallHandle(slot: slot, generation: calls[Int(slot)].generation)
        setState(agent, .ringing(handle), at: t)
        actions.append(.ring(agent: Int32(agent), call: handle))
        actions.append(.startTimer(.ringTimeout(call: handle, agent: Int32(agent), epoch: agents[agent].epoch), at: Date(timeIntervalSinceReferenceDate: t + ringTimeout)))
    }

    // MARK: - Bookkeeping

    /// Takes a waiting, ringing or SME-waiting call out of the router. Returns whether agents were freed.
    mutating func leave(_ handle: CallHandle, at t: Double, into actions: inout [RouterAction]) -> Bool {
        let slot = Int(handle.slot)
        var freed = false
        switch calls[slot].phase {
        case .free, .connected:
            preconditionFailure("leave from a call not in line")
        case .awaitingSME:
            smeWaiting.removeAll { $0 == handle.slot }
        case .waiting:
            queues[Int(calls[slot].queue)].waiting.removeAll { $0 == handle.slot }
        case .ringing:
            for agent in agents.indices where agents[agent].state == .ringing(handle) {
                setState(agent, .available, at: t, keepIdle: true)
                actions.append(.stopRinging(agent: Int32(agent), call: handle))
                freed = true
            }
        }
        releaseSlot(handle.slot)
        return freed
    }

    mutating func setState(_ agent: Int, _ state: AgentState, at t: Double, keepIdle: Bool = false) {
        let wasAvailable = agents[agent].state == .available
        let isAvailable = state == .available
        if wasAvailable != isAvailable { availableCount += isAvailable ? 1 : -1 }
        if isAvailable && !wasAvailable && !keepIdle { agents[agent].idleSince = t }
        agents[agent].state = state
        agents[agent].epoch &+= 1
    }

    func isLive(_ handle: CallHandle) -> Bool {
        calls.indices.contains(Int(handle.slot)) && calls[Int(handle.slot)].generation == handle.generation
    }

    func tag(_ slot: Int32) -> CallTag {
        let call = calls[Int(slot)]
        return CallTag(queue: call.queue, priority: call.priority, tier: call.tier, arrivedAt: Date(timeIntervalSinceReferenceDate: call.arrival))
    }

    mutating func insertWaiting(_ slot: Int32) {
        let queue = Int(calls[Int(slot)].queue)
        let key = calls[Int(slot)].key
        let sequence = calls[Int(slot)].sequence
        // Binary search: best (highest key, then earliest) first.
        var low = 0
        var high = queues[queue].waiting.count
        while low < high {
            let mid = (low + high) / 2
            let other = calls[Int(queues[queue].waiting[mid])]
            if other.key > key || (other.key == key && other.sequence < sequence) { low = mid + 1 } else { high = mid }
        }
        calls[Int(slot)].phase = .waiting
        queues[queue].waiting.insert(slot, at: low)
    }

    mutating func allocateSlot() -> Int32 {
        if let slot = freeSlots.popLast() { return slot }
        calls.append(Call())
        return Int32(calls.count - 1)
    }

    mutating func releaseSlot(_ slot: Int32) {
        calls[Int(slot)].phase = .free
        calls[Int(slot)].generation &+= 1
        calls[Int(slot)].tried = []
        freeSlots.append(slot)
    }
}
