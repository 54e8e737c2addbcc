import Foundation

/// One escalation's paging, as a pure state machine: events in, actions out; it never reads a clock
/// and performs no I/O (`PagingService`, in HotlineStore's `Paging/`, stores and delivers).
///
/// Wrong input, by kind:
/// - our own bug: an event before `escalationRecorded` (precondition);
/// - events to ignore: a timer that fires early or after the escalation ended, an acknowledgement of
///   an escalation already acknowledged (they return no actions).
public struct EscalationStateMachine: Sendable {
    /// Where an escalation stands.
    public enum State: Sendable, Hashable {
        /// Created, nobody paged yet.
        case idle
        /// A page is out and its acknowledgement is awaited.
        case paging(Paging)
        /// Someone acknowledged; nothing more will be paged.
        case acknowledged(by: String, at: Date)
        /// Every level of every round was paged (or had nobody on call) and nobody acknowledged.
        case exhausted(at: Date)
    }

    /// The outstanding page.
    public struct Paging: Sendable, Hashable {
        /// 1-based policy level.
        public var level: Int
        /// 0 for the first pass through the levels, 1 for the first repeat, …
        public var round: Int
        public var person: String
        /// When the next level is paged if nobody acknowledges.
        public var deadline: Date
        public init(level: Int, round: Int, person: String, deadline: Date) {
            self.level = level
            self.round = round
            self.person = person
            self.deadline = deadline
        }
    }

    /// What the driver must do, in order.
    public enum Action: Sendable, Hashable {
        /// Record and deliver a page (record first: outbox).
        case sendPage(level: Int, round: Int, person: String, at: Date, ackBy: Date)
        /// A level had nobody on call (a gap in its rota line): note it and move on.
        case skipLevel(level: Int, round: Int, at: Date)
        /// The outstanding page timed out: mark it escalated.
        case markEscalated(level: Int, round: Int, at: Date)
        /// Call `timerFired(at:)` at this instant.
        case scheduleCheck(at: Date)
        /// Mark the escalation acknowledged.
        case markAcknowledged(by: String, at: Date)
        /// Mark the escalation exhausted: nobody left to page.
        case markExhausted(at: Date)
    }

    public let policy: EscalationPolicy
    public private(set) var state: State

    public init(policy: EscalationPolicy, state: State = .idle) {
        self.policy = policy
        self.state = state
    }

    /// An escalation was recorded on a case: page level 1 (or the first level with someone on call).
    public mutating func escalationRecorded(at now: Date) -> [Action] {
        switch state {
        case .idle:
            return page(from: 1, round: 0, at: now)
        case .paging, .acknowledged, .exhausted:
            return []
        }
    }

    /// Someone acknowledged. The late-acknowledgement contract is decided here: an acknowledgement
    /// of an escalation that ran out of levels (`exhausted`) still counts — the escalation becomes
    /// acknowledged by that person, as PagerDuty and GoAlert record it. A second one is ignored.
    public mutating func acknowledged(by person: String, at now: Date) -> [Action] {
        switch state {
        case .idle:
            preconditionFailure("acknowledged before anything was paged")
        case .paging, .exhausted:
            state = .acknowledged(by: person, at: now)
            return [.markAcknowledged(by: person, at: now)]
        case .acknowledged:
            return []
        }
    }

    /// A scheduled check came due: if the outstanding page is still unacknowledged, climb a level.
    public mutating func timerFired(at now: Date) -> [Action] {
        switch state {
        case .paging(let paging):
            guard now >= paging.deadline else { return [] }
            var actions: [Action] = [.markEscalated(level: paging.level, round: paging.round, at: now)]
            actions += page(from: paging.level + 1, round: paging.round, at: now)
            return actions
        case .idle, .acknowledged, .exhausted:
            return []
        }
    }

    /// Pages the first level from `level` (wrapping into further rounds) that has someone on call.
    private mutating func page(from level: Int, round: Int, at now: Date) -> [Action] {
        var actions: [Action] = []
        var level = level
        var round = round
        while true {
            if level > policy.levels.count {
                level = 1
                round += 1
            }
            guard round <= policy.repeatCount else {
                state = .exhausted(at: now)
                actions.append(.markExhausted(at: now))
                return actions
            }
            if let person = policy.person(level: level, at: now) {
                let deadline = now.addingTimeInterval(TimeInterval(policy.levels[level - 1].ackTimeout))
                state = .paging(Paging(level: level, round: round, person: person, deadline: deadline))
                actions.append(.sendPage(level: level, round: round, person: person, at: now, ackBy: deadline))
                actions.append(.scheduleCheck(at: deadline))
                return actions
            }
            actions.append(.skipLevel(level: level, round: round, at: now))
            level += 1
        }
    }
}
