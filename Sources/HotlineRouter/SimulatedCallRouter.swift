import Foundation
import HotlineCore
import HotlineDiagnostics
import Synchronization

/// The router behind the IVR's `enqueue` action: the real `RouterStateMachine` on virtual time, with
/// simulated agents who pick up after a short delay and talk for an exponentially distributed time.
///
/// One instance keeps its agents' state across calls, so consecutive calls in one process find agents
/// busy, in wrap-up or free again as virtual time passes. Seeded: the same calls give the same answers.
///
/// Calls are offered in virtual time: a call offered at an instant earlier than the router has already
/// reached (two IVR calls replayed from the same start time) joins at the router's current instant.
public final class SimulatedCallRouter: CallRouter, Sendable {
    private let simulation: Mutex<CallCentreSimulation>
    private let accounts: (any AccountProfiles)?

    /// - Parameters:
    ///   - accounts: designated SMEs by account (the case store); `nil` when there are none.
    ///   - behaviour: how simulated agents answer.
    ///   - hours: the window `report()` measures occupancy over, from `start` (a driver that runs
    ///     generated calls through the whole line sets it to its arrival window).
    public init(
        config: RoutingConfig, seed: UInt64, start: Date, accounts: (any AccountProfiles)? = nil,
        behaviour: AgentBehaviour = AgentBehaviour(answerDelay: 2...6, noAnswerRate: 0), hours: Double = 24
    ) {
        let settings = SimulationSettings(start: start, hours: hours, seed: seed, traffic: [], behaviour: behaviour)
        simulation = Mutex(CallCentreSimulation(config: config, settings: settings))
        self.accounts = accounts
    }

    /// Loads the reference agents and queues (`Fixtures/routing/agents.yaml`, `queues.yaml`).
    public convenience init(agentsFile: String, queuesFile: String, seed: UInt64, start: Date, accounts: (any AccountProfiles)? = nil) throws {
        self.init(config: try RoutingFile.load(agents: agentsFile, queues: queuesFile), seed: seed, start: start, accounts: accounts)
    }

    public func enqueue(_ request: QueueRequest, at now: Date) throws -> QueueOutcome {
        // Look up the SME outside the lock: it may read the store.
        let sme = try request.accountID.flatMap { try accounts?.designatedSME(forAccount: $0) }
        return try simulation.withLock { simulation throws(RouterError) -> QueueOutcome in
            let queue = try simulation.router.queueIndex(named: request.queue)
            let incoming = IncomingCall(queue: queue, priority: CallPriority(name: request.priority), tier: ContractTier(name: request.tier), designatedSME: sme)
            let (outcome, _) = simulation.offer(incoming, at: now)
            let name = simulation.router.config.queues[queue].name
            switch outcome {
            case .connect(_, let agent, _, let waited):
                return .answered(queue: name, agent: simulation.router.config.agents[Int(agent)].id, waited: Duration(timeInterval: waited))
            case .overflow(_, let destination, _, _, let waited):
                return .overflow(queue: name, destination: destination.rawValue, waited: Duration(timeInterval: waited))
            case .abandoned(_, _, let waited):
                return .overflow(queue: name, destination: simulation.router.config.queues[queue].overflow.rawValue, waited: Duration(timeInterval: waited))
            case .ring, .stopRinging, .startTimer:
                preconditionFailure("offer returns an outcome")
            }
        }
    }

    /// The queues and agents as they stand at `now` (virtual time), for `hotline queues`.
    public func snapshot(at now: Date) -> QueueSnapshot {
        simulation.withLock { simulation in
            simulation.run(until: now)
            return simulation.snapshot()
        }
    }

    /// Per-queue counts of the calls routed so far (offered, answered, overflowed, ASA, service level,
    /// SLA breaches), after running every pending event up to `end` (calls still talking finish).
    public func report(through end: Date) -> SimulationReport {
        simulation.withLock { simulation in
            simulation.run(until: end)
            return simulation.report()
        }
    }
}
