import Foundation
import HotlineCore
import HotlineDiagnostics
import Testing

@testable import HotlineRouter

@Suite struct ErlangCTests {
    @Test func textbookValues() {
        // M/M/1 at 50 % load: P(wait) = ρ, ASA = ρ / (μ − λ) = 300 s.
        let single = ErlangC(agents: 1, arrivalsPerHour: 6, meanHandleTime: 300)
        #expect(abs(single.probabilityOfWaiting - 0.5) < 1e-12)
        #expect(abs(single.averageSpeedOfAnswer - 300) < 1e-9)
        // Two agents, one Erlang: C(2, 1) = 1/3.
        let two = ErlangC(agents: 2, arrivalsPerHour: 12, meanHandleTime: 300)
        #expect(abs(two.probabilityOfWaiting - 1.0 / 3.0) < 1e-12)
        #expect(abs(two.serviceLevel(within: 0) - 2.0 / 3.0) < 1e-12)
        // Overload is reported as such, not as a number.
        #expect(!ErlangC(agents: 3, arrivalsPerHour: 60, meanHandleTime: 300).isStable)
    }
}

/// The single-queue simulator against queueing theory. Eight independent replications (fixed seeds, so
/// the test is deterministic) of 400 hours each; the tolerance is four standard errors of the replication
/// mean, and the standard error itself must be small, so the check has power: the same data rejects the
/// Erlang C prediction for one agent more.
@Suite struct QueueingTheoryTests {
    struct Summary {
        var mean: Double
        var standardError: Double
    }

    static func summary(_ values: [Double]) -> Summary {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return Summary(mean: mean, standardError: (variance / Double(values.count)).squareRoot())
    }

    static let replications: [SingleQueueReport] = (1...8).map { seed in
        try! SingleQueueSimulation(queue: "gsc", agents: 5, arrivalsPerHour: 42, meanHandleTime: 300, hours: 400, seed: UInt64(seed)).run()
    }

    @Test func simulatedQueueMatchesErlangC() {
        let reports = Self.replications
        let theory = ErlangC(agents: 5, arrivalsPerHour: 42, meanHandleTime: 300)
        let wrongTheory = ErlangC(agents: 6, arrivalsPerHour: 42, meanHandleTime: 300)
        for report in reports {
            #expect(report.queue.answered == report.queue.offered)  // no abandonment, no overflow
            #expect(report.queue.abandoned == 0)
        }
        // Arrivals are Poisson: 42/h × 400 h per replication.
        let offered = Self.summary(reports.map { Double($0.queue.offered) })
        #expect(abs(offered.mean - 16_800) < 4 * max(offered.standardError, (16_800.0 / 8).squareRoot()))

        let waited = Self.summary(reports.map(\.queue.waitedShare))
        #expect(waited.standardError < 0.01)
        #expect(abs(waited.mean - theory.probabilityOfWaiting) < 4 * waited.standardError)
        #expect(abs(waited.mean - wrongTheory.probabilityOfWaiting) > 4 * waited.standardError)

        let asa = Self.summary(reports.map(\.queue.asaSeconds))
        #expect(asa.standardError < 0.05 * theory.averageSpeedOfAnswer)
        #expect(abs(asa.mean - theory.averageSpeedOfAnswer) < 4 * asa.standardError)
        #expect(abs(asa.mean - wrongTheory.averageSpeedOfAnswer) > 4 * asa.standardError)

        let serviceLevel = Self.summary(reports.map(\.queue.serviceLevel))
        #expect(abs(serviceLevel.mean - theory.serviceLevel(within: 20)) < 4 * serviceLevel.standardError)
        #expect(abs(serviceLevel.mean - wrongTheory.serviceLevel(within: 20)) > 4 * serviceLevel.standardError)

        let occupancy = Self.summary(reports.map(\.queue.occupancy))
        #expect(abs(occupancy.mean - theory.occupancy) < 4 * occupancy.standardError)
        #expect(abs(occupancy.mean - wrongTheory.occupancy) > 4 * occupancy.standardError)
    }

    @Test func theSameSeedGivesTheSameNumbers() throws {
        let run = { (seed: UInt64) in
            try SingleQueueSimulation(queue: "q", agents: 3, arrivalsPerHour: 30, meanHandleTime: 300, hours: 8, seed: seed).run()
        }
        #expect(try run(9) == run(9))
        #expect(try run(9) != run(10))
    }

    @Test func badFlagsAreRefused() {
        #expect(throws: RouterError.self) {
            try SingleQueueSimulation(queue: "q", agents: 0, arrivalsPerHour: 30, meanHandleTime: 300, hours: 8, seed: 1).run()
        }
        #expect(throws: RouterError.self) {
            try SingleQueueSimulation(queue: "q", agents: 2, arrivalsPerHour: -1, meanHandleTime: 300, hours: 8, seed: 1).run()
        }
        #expect(throws: RouterError.self) {
            try SingleQueueSimulation(queue: "q", agents: 2, arrivalsPerHour: 1e6, meanHandleTime: 300, hours: 1000, seed: 1).run()
        }
        // A talk time or threshold longer than a day (the files' bound) was simulated, and its
        // numbers printed hundreds of digits long.
        #expect {
            try SingleQueueSimulation(queue: "q", agents: 10, arrivalsPerHour: 10, meanHandleTime: 1e300, hours: 8, seed: 1).run()
        } throws: { error in
            "\(error)".contains("--mean-handle-time 1e+300 is more than a day (86400 seconds)")
        }
        #expect(throws: RouterError.self) {
            try SingleQueueSimulation(queue: "q", agents: 10, arrivalsPerHour: 10, meanHandleTime: 300, hours: 8, seed: 1, serviceLevelSeconds: 1e9).run()
        }
        #expect(throws: Never.self) {
            try SingleQueueSimulation(queue: "q", agents: 1, arrivalsPerHour: 1, meanHandleTime: 86_400, hours: 1, seed: 1, serviceLevelSeconds: 86_400).run()
        }
    }
}

@Suite struct StaffingPlanTests {
    @Test func referencePlanAccountsForEveryCall() throws {
        let plan = try StaffingPlan.load(path: referencePlan)
        var simulation = CallCentreSimulation(config: plan.config, settings: plan.settings)
        simulation.run()
        let report = simulation.report()
        #expect(report.total.offered > 300)
        for queue in report.queues {
            #expect(queue.offered == queue.answered + queue.abandoned + queue.overflowed, "queue \(queue.name)")
            #expect((0...1).contains(queue.serviceLevel))
            #expect((0...1).contains(queue.occupancy))
        }
        #expect(report.total.answered > 0)
        #expect(report.total.occupancy > 0)
        // Determinism: the same plan and seed give the same report; another seed does not.
        var again = CallCentreSimulation(config: plan.config, settings: plan.settings)
        again.run()
        #expect(again.report() == report)
        var other = plan.settings
        other.seed += 1
        var different = CallCentreSimulation(config: plan.config, settings: other)
        different.run()
        #expect(different.report() != report)
    }

    @Test func anUnderstaffedQueueOverflowsBreachesAndPages() throws {
        let plan = try StaffingPlan.load(path: referencePlan)
        var settings = plan.settings
        let gec = plan.config.queueIndex(named: "gec")!
        settings.traffic = [TrafficStream(queue: gec, arrivalsPerHour: 12, meanHandleTime: 1500, priorityMix: [.p1: 1], platinumShare: 1)]
        var simulation = CallCentreSimulation(config: plan.config, settings: settings)
        simulation.run()
        let queue = simulation.report().queues[gec]
        // 12 × 1500 s = 5 Erlangs on 4 engineers: callers overflow after max-wait (900 s) to a callback
        // 1800 s later, past the 15-minute Platinum P1 target: each is a breach and a page.
        #expect(queue.overflowCallback > 0)
        #expect(queue.slaBreaches >= queue.overflowed)
        #expect(queue.pages == queue.slaBreaches)
        #expect(queue.longestWaitSeconds <= 900)
    }

    @Test func impatientCallersAbandon() throws {
        let config = SingleQueueSimulation(queue: "q", agents: 2, arrivalsPerHour: 40, meanHandleTime: 300, hours: 20, seed: 3).config
        let settings = SimulationSettings(start: monday, hours: 20, seed: 3, traffic: [TrafficStream(queue: 0, arrivalsPerHour: 40, meanHandleTime: 300, meanPatience: 60)])
        var simulation = CallCentreSimulation(config: config, settings: settings)
        simulation.run()
        let queue = simulation.report().queues[0]
        #expect(queue.abandoned > 0)
        #expect(queue.offered == queue.answered + queue.abandoned)
    }

    @Test func tiersWidenUnderLoad() throws {
        // Only the L1 agents answer a light gsc load; a heavy one reaches the L2s after 90 s.
        let plan = try StaffingPlan.load(path: referencePlan)
        let gsc = plan.config.queueIndex(named: "gsc")!
        func l2Calls(perHour: Double) -> Int {
            var settings = plan.settings
            settings.traffic = [TrafficStream(queue: gsc, arrivalsPerHour: perHour, meanHandleTime: 900)]
            var simulation = CallCentreSimulation(config: plan.config, settings: settings)
            simulation.run()
            return simulation.report().agents.filter { $0.level == "L2" && $0.team == "GSC" }.reduce(0) { $0 + $1.callsAnswered }
        }
        #expect(l2Calls(perHour: 4) == 0)
        #expect(l2Calls(perHour: 45) > 0)
    }

    @Test func planCallersWithADesignatedSMEReachItDuringTheAccountsHours() throws {
        func smeCalls(start: String) throws -> Int {
            let folder = try TempFolder([
                "plan.yaml": """
                    agents: \(referenceAgents)
                    queues: \(referenceQueues)
                    start: \(start)
                    hours: 4
                    seed: 2
                    traffic:
                      - queue: gsc
                        arrivals-per-hour: 4
                        mean-handle-time: 600
                        designated-sme: {agent: ren.yamamoto, share: 1, time-zone: Asia/Tokyo, hours: 09:00-17:00}
                    """
            ])
            let plan = try StaffingPlan.load(path: folder.file("plan.yaml"))
            var simulation = CallCentreSimulation(config: plan.config, settings: plan.settings)
            simulation.run()
            return simulation.report().agents.first { $0.id == "ren.yamamoto" }!.callsAnswered
        }
        // 09:00–13:00 in Tokyo: the SME (an L2, who would not see a light gsc load) takes the calls.
        #expect(try smeCalls(start: "2026-12-07T09:00 Asia/Tokyo") >= 8)
        // 18:00–22:00 in Tokyo: after the account's hours, the L1s do.
        #expect(try smeCalls(start: "2026-12-07T18:00 Asia/Tokyo") == 0)
    }

    @Test func aDesignatedSMEWhoIsNotAnAgentIsNamed() throws {
        let folder = try TempFolder([
            "plan.yaml": "agents: \(referenceAgents)\nqueues: \(referenceQueues)\ntraffic:\n  - queue: gsc\n    arrivals-per-hour: 4\n    designated-sme: {agent: ren.yamamato, share: 1}\n"
        ])
        do {
            _ = try StaffingPlan.load(path: folder.file("plan.yaml"))
            Issue.record("expected an error")
        } catch {
            #expect(error.first?.code == .unknownAgent)
            #expect(error.first?.line == 6)
            #expect(error.description.contains("did you mean 'ren.yamamoto'"))
        }
    }

    @Test func snapshotShowsWaitingCallersAndAgentStates() throws {
        let plan = try StaffingPlan.load(path: referencePlan)
        var settings = plan.settings
        let gec = plan.config.queueIndex(named: "gec")!
        settings.traffic = [TrafficStream(queue: gec, arrivalsPerHour: 30, meanHandleTime: 1500)]
        var simulation = CallCentreSimulation(config: plan.config, settings: settings)
        simulation.run(until: settings.start.addingTimeInterval(3600))
        let snapshot = simulation.snapshot()
        #expect(snapshot.at == settings.start.addingTimeInterval(3600))
        let queue = snapshot.queues[gec]
        #expect(queue.members.count == 4)
        #expect(!queue.waiting.isEmpty)
        #expect(queue.longestWaitSeconds > 0)
        let gecStates = snapshot.agents.filter { $0.team == "GEC" }.map(\.state)
        #expect(gecStates.allSatisfy { ["on-call", "wrap-up", "ringing"].contains($0) })
    }
}

/// A fake of the case store's account data: one Platinum account with a designated SME in Tokyo.
struct FakeAccounts: AccountProfiles {
    func designatedSME(forAccount accountID: String) throws -> DesignatedSME? {
        guard accountID == "ACME-JP" else { return nil }
        return DesignatedSME(agentID: "ren.yamamoto", businessHours: .weekdays(name: "ACME Japan", timeZone: TimeZone(identifier: "Asia/Tokyo")!, open: 9, close: 17), timeLimit: 60)
    }
}

@Suite struct SimulatedCallRouterTests {
    func router(seed: UInt64 = 5, accounts: (any AccountProfiles)? = nil) throws -> SimulatedCallRouter {
        try SimulatedCallRouter(agentsFile: referenceAgents, queuesFile: referenceQueues, seed: seed, start: monday, accounts: accounts)
    }

    @Test func consecutiveCallsFindAgentsBusy() throws {
        let router = try router()
        var outcomes: [QueueOutcome] = []
        for _ in 0..<5 {
            outcomes.append(try router.enqueue(QueueRequest(queue: "gec", callerID: "+14085550100", priority: "P2", tier: "gold"), at: monday))
        }
        var agents: [String] = []
        for outcome in outcomes.prefix(4) {
            guard case .answered(let queue, let agent, let waited) = outcome else {
                Issue.record("expected an answer, got \(outcome)")
                continue
            }
            #expect(queue == "gec")
            #expect(waited < .seconds(20))
            agents.append(agent)
        }
        #expect(Set(agents).count == 4)  // four GEC engineers, each on a call now
        switch outcomes[4] {
        case .answered(_, _, let waited): #expect(waited > .seconds(20))
        case .overflow(_, let destination, let waited):
            #expect(destination == "callback")
            #expect(waited == .seconds(900))
        }
        let report = router.report(through: monday.addingTimeInterval(24 * 3600))
        let gec = report.queues.first { $0.name == "gec" }!
        #expect(gec.offered == 5)
        #expect(gec.answered + gec.overflowed == 5)
        #expect(gec.occupancy > 0)
        // The same seed and calls give the same answers.
        let twin = try self.router()
        var again: [QueueOutcome] = []
        for _ in 0..<5 { again.append(try twin.enqueue(QueueRequest(queue: "gec", callerID: "+14085550100", priority: "P2", tier: "gold"), at: monday)) }
        #expect(again == outcomes)
    }

    @Test func agentsAreFreeAgainLater() throws {
        let router = try router()
        for _ in 0..<4 { _ = try router.enqueue(QueueRequest(queue: "gec", callerID: "+1"), at: monday) }
        let later = try router.enqueue(QueueRequest(queue: "gec", callerID: "+1"), at: monday.addingTimeInterval(6 * 3600))
        guard case .answered(_, _, let waited) = later else {
            Issue.record("expected an answer, got \(later)")
            return
        }
        #expect(waited < .seconds(20))
    }

    @Test func unknownQueueIsAnErrorWithASuggestion() throws {
        let router = try router()
        #expect {
            try router.enqueue(QueueRequest(queue: "gcs", callerID: "+1"), at: monday)
        } throws: { error in
            (error as? RouterError)?.fix?.contains("did you mean 'gsc'") == true
        }
    }

    @Test func designatedSMEAnswersDuringTheAccountsHoursOnly() throws {
        let inHours = try router(accounts: FakeAccounts()).enqueue(QueueRequest(queue: "gsc", callerID: "+81", accountID: "ACME-JP", priority: "P1", tier: "platinum"), at: monday.addingTimeInterval(3600))
        guard case .answered(_, let smeAgent, _) = inHours else {
            Issue.record("expected an answer")
            return
        }
        #expect(smeAgent == "ren.yamamoto")
        // 18:00 in Tokyo: the SME is off hours, the queue's L1 engineers take it.
        let afterHours = try router(accounts: FakeAccounts()).enqueue(QueueRequest(queue: "gsc", callerID: "+81", accountID: "ACME-JP", priority: "P1", tier: "platinum"), at: monday.addingTimeInterval(9 * 3600))
        guard case .answered(_, let agent, _) = afterHours else {
            Issue.record("expected an answer")
            return
        }
        #expect(agent != "ren.yamamoto")
        // Another account has no SME.
        let other = try router(accounts: FakeAccounts()).enqueue(QueueRequest(queue: "gsc", callerID: "+1", accountID: "OTHER", priority: "P1", tier: "platinum"), at: monday.addingTimeInterval(3600))
        guard case .answered(_, let otherAgent, _) = other else {
            Issue.record("expected an answer")
            return
        }
        #expect(otherAgent != "ren.yamamoto")
    }

    @Test func aQueueWithNobodyLoggedInOverflowsAtOnce() throws {
        var config = try RoutingFile.load(agents: referenceAgents, queues: referenceQueues)
        for index in config.agents.indices where config.agents[index].team == .psirt { config.agents[index].initialState = .offline }
        let router = SimulatedCallRouter(config: config, seed: 1, start: monday)
        let outcome = try router.enqueue(QueueRequest(queue: "psirt", callerID: "+1"), at: monday)
        #expect(outcome == .overflow(queue: "psirt", destination: "voicemail", waited: .zero))
    }
}

@Suite struct StaffingPlanFileTests {
    @Test func aBadPlanIsReportedWithFileAndLine() throws {
        let folder = try TempFolder([
            "agents.yaml": goodAgents,
            "queues.yaml": goodQueues.replacingOccurrences(of: "strategy: top-down", with: "strategy: ringall"),
            "plan.yaml": "traffic:\n  - {queue: gsc, arrivals-per-hour: 10}\n",
        ])
        #expect {
            _ = try StaffingPlan.load(path: folder.file("plan.yaml"))
        } throws: { error in
            "\(error)".contains("queues.yaml:15:15: error: unknown strategy 'ringall' (fix: did you mean 'ring-all'?")
        }
    }
}
