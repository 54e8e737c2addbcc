import Foundation
import HotlineCore
import Testing

@testable import HotlineRouter

/// Monday 2026-12-07 00:00 UTC (09:00 in Tokyo).
let monday = Date(timeIntervalSinceReferenceDate: 818_294_400)

func at(_ seconds: Double) -> Date { monday.addingTimeInterval(seconds) }

/// A test harness: feeds events, keeps the actions of the last step.
struct Harness {
    var router: RouterStateMachine
    var actions: [RouterAction] = []

    init(_ config: RoutingConfig, seed: UInt64 = 1) {
        router = RouterStateMachine(config: config, seed: seed, start: monday)
    }

    func id(_ agent: Int32) -> String { router.config.agents[Int(agent)].id }
    func index(_ id: String) -> Int { router.config.agentIndex(id: id)! }

    /// Agents rung by the last step, by id.
    var rung: [String] {
        actions.compactMap { if case .ring(let agent, _) = $0 { id(agent) } else { nil } }
    }
    var stopped: [String] {
        actions.compactMap { if case .stopRinging(let agent, _) = $0 { id(agent) } else { nil } }
    }
    var connected: String? {
        actions.lazy.compactMap { if case .connect(_, let agent, _, _) = $0 { id(agent) } else { nil } }.first
    }
    var timers: [(RouterTimer, Date)] {
        actions.compactMap { if case .startTimer(let timer, let at) = $0 { (timer, at) } else { nil } }
    }
    var ringTimeout: RouterTimer? {
        timers.last { if case .ringTimeout = $0.0 { true } else { false } }?.0
    }

    @discardableResult
    mutating func arrive(queue: Int = 0, _ priority: CallPriority = .none, _ tier: ContractTier = .gold, sme: DesignatedSME? = nil, at time: Double) -> CallHandle {
        actions.removeAll()
        return router.callArrived(IncomingCall(queue: queue, priority: priority, tier: tier, designatedSME: sme), at: at(time), into: &actions)
    }
    mutating func answer(_ agent: String, _ call: CallHandle, at time: Double) {
        actions.removeAll()
        router.agentAnswered(agent: index(agent), call: call, at: at(time), into: &actions)
    }
    mutating func end(_ call: CallHandle, at time: Double) {
        actions.removeAll()
        router.callEnded(call, at: at(time), into: &actions)
    }
    mutating func fire(_ timer: RouterTimer, at time: Double) {
        actions.removeAll()
        router.timerFired(timer, at: at(time), into: &actions)
    }
    mutating func hangUp(_ call: CallHandle, at time: Double) {
        actions.removeAll()
        router.callerHungUp(call, at: at(time), into: &actions)
    }
    mutating func login(_ agent: String, at time: Double) {
        actions.removeAll()
        router.agentBecameAvailable(index(agent), at: at(time), into: &actions)
    }
    /// Lets every ring time out in turn and returns the agents in the order they were rung.
    mutating func ringOrder(from start: Double, rounds: Int) -> [String] {
        var order = rung
        var time = start
        for _ in 1..<rounds {
            guard let timer = ringTimeout else { break }
            time += 15
            fire(timer, at: time)
            order += rung
        }
        return order
    }
}

/// Four GSC L1 agents with different English proficiency, one queue, and optionally an L2.
func fourAgentConfig(strategy: QueueStrategy, maxMisses: Int = 10, wrapUp: Double = 0, maxWait: Double? = 600, withL2: Bool = false, initial: AgentProfile.InitialState = .available) -> RoutingConfig {
    var agents = [
        AgentProfile(id: "a", team: .gsc, level: .l1, skills: ["en": 3], initialState: initial),
        AgentProfile(id: "b", team: .gsc, level: .l1, skills: ["en": 5], initialState: initial),
        AgentProfile(id: "c", team: .gsc, level: .l1, skills: ["en": 4], initialState: initial),
        AgentProfile(id: "d", team: .gsc, level: .l1, skills: ["en": 5], initialState: initial),
    ]
    var tiers = [QueueTier(level: .l1)]
    if withL2 {
        agents.append(AgentProfile(id: "senior", team: .gsc, level: .l2, skills: ["en": 5]))
        tiers.append(QueueTier(level: .l2, after: 60))
    }
    var queue = QueueConfig(name: "gsc", team: .gsc, skills: ["en": 1], strategy: strategy, tiers: tiers)
    queue.maxMisses = maxMisses
    queue.wrapUp = wrapUp
    queue.maxWait = maxWait
    return RoutingConfig(skillGroups: ["languages": ["en"]], agents: agents, queues: [queue])
}

@Suite struct StrategyOrderTests {
    @Test func topDownFollowsTierThenProficiencyThenFileOrder() {
        var h = Harness(fourAgentConfig(strategy: .topDown))
        h.arrive(at: 0)
        #expect(h.ringOrder(from: 0, rounds: 4) == ["b", "d", "c", "a"])
        // A second call starts at the top again.
        var fresh = Harness(fourAgentConfig(strategy: .topDown))
        let first = fresh.arrive(at: 0)
        fresh.answer("b", first, at: 3)
        fresh.arrive(at: 5)
        #expect(fresh.rung == ["d"])
    }

    @Test func longestIdleRingsWhoeverHasBeenFreeLongest() {
        var h = Harness(fourAgentConfig(strategy: .longestIdle, initial: .offline))
        h.login("d", at: 0)
        h.login("a", at: 10)
        h.login("c", at: 20)
        h.login("b", at: 30)
        h.arrive(at: 40)
        #expect(h.ringOrder(from: 40, rounds: 4) == ["d", "a", "c", "b"])
    }

    @Test func longestIdleCountsFromTheEndOfTheLastCall() {
        var h = Harness(fourAgentConfig(strategy: .longestIdle))
        // Everyone idle since 0; tie broken by hunt order: b first.
        let call = h.arrive(at: 0)
        #expect(h.rung == ["b"])
        h.answer("b", call, at: 2)
        h.end(call, at: 100)
        h.arrive(at: 110)
        #expect(h.ringOrder(from: 110, rounds: 4) == ["d", "c", "a", "b"])
    }

    @Test func roundRobinRemembersWhereItStopped() {
        var h = Harness(fourAgentConfig(strategy: .roundRobin))
        var order: [String] = []
        var calls: [String: CallHandle] = [:]
        for time in [0.0, 10, 20] {
            let call = h.arrive(at: time)
            let agent = h.rung[0]
            order.append(agent)
            calls[agent] = call
            h.answer(agent, call, at: time + 1)
        }
        #expect(order == ["b", "d", "c"])
        h.end(calls["b"]!, at: 30)
        let fourth = h.arrive(at: 31)
        #expect(h.rung == ["a"])
        h.answer("a", fourth, at: 32)
        h.arrive(at: 40)
        #expect(h.rung == ["b"])  // wraps around to the start of the member list
    }

    @Test func ringAllRingsEveryoneAndTheFirstToAnswerWins() {
        var h = Harness(fourAgentConfig(strategy: .ringAll))
        let call = h.arrive(at: 0)
        #expect(Set(h.rung) == ["a", "b", "c", "d"])
        h.answer("c", call, at: 4)
        #expect(h.connected == "c")
        #expect(Set(h.stopped) == ["a", "b", "d"])
        #expect(h.router.state(ofAgent: h.index("a")) == .available)
        // A late answer from another agent is ignored.
        h.answer("a", call, at: 5)
        #expect(h.actions.isEmpty)
    }

    @Test func fewestCallsRingsWhoeverAnsweredLeast() {
        var h = Harness(fourAgentConfig(strategy: .fewestCalls))
        var order: [String] = []
        for round in 0..<5 {
            let time = Double(round) * 100
            let call = h.arrive(at: time)
            let agent = h.rung[0]
            order.append(agent)
            h.answer(agent, call, at: time + 1)
            h.end(call, at: time + 50)
        }
        #expect(order == ["b", "d", "c", "a", "b"])
        #expect(h.router.huntOrder(queue: 0) == ["d", "c", "a", "b"].map(h.index))
    }

    @Test func leastTalkTimeRingsWhoeverTalkedLeast() {
        var h = Harness(fourAgentConfig(strategy: .leastTalkTime))
        let talk: [String: Double] = ["b": 100, "d": 50, "c": 300, "a": 10]
        var time = 0.0
        for expected in ["b", "d", "c", "a"] {
            let call = h.arrive(at: time)
            #expect(h.rung == [expected])
            h.answer(expected, call, at: time)
            h.end(call, at: time + talk[expected]!)
            time += 1000
        }
        h.arrive(at: time)
        #expect(h.ringOrder(from: time, rounds: 4) == ["a", "d", "b", "c"])
    }

    @Test func randomIsSeededAndSpreadsCallsOverEveryone() {
        func picks(seed: UInt64) -> [String] {
            var h = Harness(fourAgentConfig(strategy: .random), seed: seed)
            var result: [String] = []
            for round in 0..<40 {
                let time = Double(round) * 100
                let call = h.arrive(at: time)
                result.append(h.rung[0])
                h.answer(h.rung[0], call, at: time + 1)
                h.end(call, at: time + 10)
            }
            return result
        }
        #expect(picks(seed: 42) == picks(seed: 42))
        #expect(picks(seed: 42) != picks(seed: 43))
        #expect(Set(picks(seed: 42)) == ["a", "b", "c", "d"])
    }

    @Test(arguments: QueueStrategy.allCases)
    func everyStrategyPrefersTheLowerTier(strategy: QueueStrategy) {
        var h = Harness(fourAgentConfig(strategy: strategy, withL2: true))
        h.arrive(at: 0)
        // Only tier L1 rings at first, whatever the strategy.
        #expect(!h.rung.isEmpty)
        #expect(!h.rung.contains("senior"))
    }
}

@Suite struct QueueBehaviourTests {
    @Test func tierWidensAfterTheCallerHasWaited() {
        var config = fourAgentConfig(strategy: .longestIdle, withL2: true, initial: .offline)
        config.agents[0].initialState = .available  // only "a" (L1) and "senior" (L2) are logged in
        var h = Harness(config)
        let first = h.arrive(at: 0)
        #expect(h.rung == ["a"])
        h.answer("a", first, at: 2)
        let second = h.arrive(at: 10)
        #expect(h.rung.isEmpty)  // the L2 may not take it yet
        let widen = h.timers.first { if case .tierOpens = $0.0 { true } else { false } }
        #expect(widen?.1 == at(70))
        h.fire(widen!.0, at: 70)
        #expect(h.rung == ["senior"])
        h.answer("senior", second, at: 73)
        guard case .connect(_, _, _, let waited) = h.actions.last else {
            Issue.record("expected a connect")
            return
        }
        #expect(waited == 63)
    }

    @Test func callersAreRankedByPriorityThenTierThenAge() {
        var config = fourAgentConfig(strategy: .topDown, initial: .offline)
        config.agents[1].initialState = .available  // only "b"
        var h = Harness(config)
        let busy = h.arrive(at: 0)
        h.answer("b", busy, at: 1)
        h.arrive(.p3, .gold, at: 10)
        h.arrive(.p2, .gold, at: 11)
        h.arrive(.p1, .gold, at: 12)
        h.arrive(.p1, .platinum, at: 13)
        h.arrive(.p3, .platinum, at: 14)
        let waiting = h.router.waiting(inQueue: 0, at: at(20)).map { "\($0.priority.name)-\($0.tier.name)" }
        #expect(waiting == ["P1-platinum", "P1-gold", "P2-gold", "P3-platinum", "P3-gold"])
    }

    @Test func priorityAgesWithWaitingTime() {
        // Ageing 10 points a minute: a P3 (100) that has waited 11 minutes (210) beats a fresh P2 (200);
        // after 9 minutes (190) it does not.
        for (p2Arrives, expectedFirst) in [(660.0, CallPriority.p3), (540.0, CallPriority.p2)] {
            var config = fourAgentConfig(strategy: .topDown, initial: .offline)
            config.agents[1].initialState = .available
            config.queues[0].maxWait = nil
            var h = Harness(config)
            let busy = h.arrive(at: 0)
            h.answer("b", busy, at: 0)
            h.arrive(.p3, .gold, at: 0)
            h.arrive(.p2, .gold, at: p2Arrives)
            h.end(busy, at: p2Arrives + 1)
            #expect(h.rung == ["b"])
            let ringing = h.router.waiting(inQueue: 0, at: at(p2Arrives + 1))
            #expect(ringing.count == 1)
            #expect(ringing.first?.priority == (expectedFirst == .p3 ? .p2 : .p3))
        }
    }

    @Test func noAnswerGoesToTheNextAgentAndTooManyMissesMeanABreak() {
        var h = Harness(fourAgentConfig(strategy: .topDown, maxMisses: 2))
        let first = h.arrive(at: 0)
        #expect(h.rung == ["b"])
        h.fire(h.ringTimeout!, at: 15)
        #expect(h.stopped == ["b"])
        #expect(h.rung == ["d"])
        #expect(h.router.misses(ofAgent: h.index("b")) == 1)
        h.answer("d", first, at: 17)
        // b misses again on the next call: second miss in a row, so b goes on break.
        h.arrive(at: 20)
        #expect(h.rung == ["b"])
        h.fire(h.ringTimeout!, at: 35)
        #expect(h.router.state(ofAgent: h.index("b")) == .onBreak)
        #expect(h.rung == ["c"])
        let breakEnds = h.timers.first { if case .breakEnds = $0.0 { true } else { false } }
        #expect(breakEnds?.1 == at(35 + 300))
        h.fire(breakEnds!.0, at: 335)
        #expect(h.router.state(ofAgent: h.index("b")) == .available)
        #expect(h.router.misses(ofAgent: h.index("b")) == 0)
    }

    @Test func aRingTimeoutAfterTheAnswerIsIgnored() {
        var h = Harness(fourAgentConfig(strategy: .topDown))
        let call = h.arrive(at: 0)
        let timeout = h.ringTimeout!
        h.answer("b", call, at: 5)
        h.fire(timeout, at: 15)
        #expect(h.actions.isEmpty)
        #expect(h.router.state(ofAgent: h.index("b")) == .onCall(call))
    }

    @Test func wrapUpKeepsTheAgentFromTheNextCall() {
        var config = fourAgentConfig(strategy: .topDown, wrapUp: 30, initial: .offline)
        config.agents[1].initialState = .available
        var h = Harness(config)
        let first = h.arrive(at: 0)
        h.answer("b", first, at: 1)
        h.arrive(at: 50)
        #expect(h.rung.isEmpty)
        h.end(first, at: 100)
        #expect(h.router.state(ofAgent: h.index("b")) == .wrapUp)
        #expect(h.rung.isEmpty)
        let wrap = h.timers.first!
        #expect(wrap.1 == at(130))
        h.fire(wrap.0, at: 130)
        #expect(h.rung == ["b"])
    }

    @Test func maxWaitOverflowsToTheQueueDestination() {
        var config = fourAgentConfig(strategy: .topDown, maxWait: 300, initial: .onBreak)
        config.queues[0].overflow = .voicemail
        var h = Harness(config)
        let call = h.arrive(.p2, .gold, at: 0)
        let maxWait = h.timers.first { if case .maxWait = $0.0 { true } else { false } }!
        #expect(maxWait.1 == at(300))
        h.fire(maxWait.0, at: 300)
        #expect(h.actions == [.overflow(call: call, destination: .voicemail, reason: .maxWait, tag: CallTag(queue: 0, priority: .p2, tier: .gold, arrivedAt: at(0)), waited: 300)])
    }

    @Test func nobodyLoggedInOverflowsAtOnce() {
        var h = Harness(fourAgentConfig(strategy: .longestIdle, maxWait: nil, initial: .offline))
        let call = h.arrive(at: 0)
        #expect(h.actions == [.overflow(call: call, destination: .callback, reason: .noAgentsLoggedIn, tag: CallTag(queue: 0, priority: .none, tier: .gold, arrivedAt: at(0)), waited: 0)])
        #expect(h.router.waiting(inQueue: 0, at: at(1)).isEmpty)
    }

    @Test func lastAgentLoggingOutOverflowsTheWaitingCallers() {
        var config = fourAgentConfig(strategy: .topDown, maxWait: nil, initial: .offline)
        config.agents[1].initialState = .onBreak
        var h = Harness(config)
        let call = h.arrive(at: 0)
        #expect(h.rung.isEmpty)
        h.actions.removeAll()
        h.router.agentWentAway(h.index("b"), offline: true, at: at(60), into: &h.actions)
        #expect(h.actions.count == 1)
        guard case .overflow(let left, _, .noAgentsLoggedIn, _, 60) = h.actions.first else {
            Issue.record("expected an overflow, got \(h.actions)")
            return
        }
        #expect(left == call)
    }

    @Test func aCallerWhoHangsUpWhileRingingFreesTheAgent() {
        var h = Harness(fourAgentConfig(strategy: .topDown))
        let call = h.arrive(at: 0)
        h.hangUp(call, at: 5)
        #expect(h.stopped == ["b"])
        #expect(h.router.state(ofAgent: h.index("b")) == .available)
        guard case .abandoned(_, _, 5) = h.actions.last else {
            Issue.record("expected an abandon")
            return
        }
        // The slot is reused by the next call; old timers for it are stale.
        h.fire(.maxWait(call), at: 600)
        #expect(h.actions.isEmpty)
    }
}

@Suite struct DesignatedSMETests {
    /// An account in Tokyo, open Monday–Friday 09:00–17:00 local time.
    let tokyo = DesignatedSME(agentID: "d", businessHours: .weekdays(name: "ACME Tokyo", timeZone: TimeZone(identifier: "Asia/Tokyo")!, open: 9, close: 17), timeLimit: 120)

    // Monday 09:00 Tokyo is 00:00 UTC (`monday`); 17:00 Tokyo is 08:00 UTC.
    static let boundaries: [(Double, Bool)] = [
        (-60, false),  // 08:59 Tokyo: before hours
        (0, true),  // 09:00 Tokyo
        (8 * 3600 - 60, true),  // 16:59 Tokyo
        (8 * 3600, false),  // 17:00 Tokyo
        (-24 * 3600 + 3600, false),  // Sunday 10:00 Tokyo
    ]

    @Test(arguments: boundaries)
    func smeIsTriedFirstOnlyDuringTheAccountsBusinessHours(offset: Double, expectSME: Bool) {
        var h = Harness(fourAgentConfig(strategy: .topDown))
        h.arrive(sme: tokyo, at: offset)
        #expect(h.rung == (expectSME ? ["d"] : ["b"]))
    }

    @Test func busySMEIsWaitedForUntilTheTimeLimitThenTheQueue() {
        var h = Harness(fourAgentConfig(strategy: .topDown))
        let other = h.arrive(at: 0)
        h.fire(h.ringTimeout!, at: 15)  // b misses, d rings
        h.answer("d", other, at: 16)  // the SME is now busy
        let call = h.arrive(.p1, .platinum, sme: tokyo, at: 20)
        #expect(h.rung.isEmpty)
        let limit = h.timers.first { if case .smeLimit = $0.0 { true } else { false } }!
        #expect(limit.1 == at(140))
        h.fire(limit.0, at: 140)
        #expect(h.rung == ["b"])
        h.answer("b", call, at: 142)
        #expect(h.connected == "b")
    }

    @Test func smeWhoBecomesFreeWithinTheLimitTakesTheCall() {
        var h = Harness(fourAgentConfig(strategy: .topDown))
        let other = h.arrive(at: 0)
        h.fire(h.ringTimeout!, at: 15)
        h.answer("d", other, at: 16)
        let call = h.arrive(sme: tokyo, at: 20)
        h.end(other, at: 60)
        #expect(h.rung == ["d"])
        h.answer("d", call, at: 62)
        #expect(h.connected == "d")
    }

    @Test func smeWhoDoesNotAnswerSendsTheCallToTheQueue() {
        var h = Harness(fourAgentConfig(strategy: .topDown))
        h.arrive(sme: tokyo, at: 0)
        #expect(h.rung == ["d"])
        h.fire(h.ringTimeout!, at: 15)
        #expect(h.rung == ["b"])
    }

    @Test func smeFallbackToAQueueWithNobodyLoggedInOverflows() {
        var config = fourAgentConfig(strategy: .topDown, initial: .offline)
        config.agents.append(AgentProfile(id: "gec.sme", team: .gec, level: .l3, skills: ["en": 5]))
        var h = Harness(config)
        let sme = DesignatedSME(agentID: "gec.sme", businessHours: tokyo.businessHours)
        let call = h.arrive(sme: sme, at: 0)
        #expect(h.rung == ["gec.sme"])
        h.fire(h.ringTimeout!, at: 15)
        #expect(h.stopped == ["gec.sme"])
        guard case .overflow(let left, .callback, .noAgentsLoggedIn, _, 15) = h.actions.last else {
            Issue.record("expected an overflow, got \(h.actions)")
            return
        }
        #expect(left == call)
    }
}
