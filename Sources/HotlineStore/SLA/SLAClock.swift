import Foundation

/// Where a case stands against its response target at one instant.
public enum SLAState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not yet responded, less than the warning share of the target used.
    case running
    /// Not yet responded, at least the warning share (75 %) used.
    case warning
    /// Not responded by the due time, or responded late.
    case breached
    /// Responded before the due time.
    case met
}

/// The response-target arithmetic, as pure functions: every instant is an argument.
///
/// Targets run in calendar time (the seed's "24x7"), from the case's creation.
///
/// **Priority changes.** The due time is always `created + target(new priority)`, from the case's
/// *creation*, not from the moment of the change — the way Zendesk recomputes an SLA target when a
/// ticket's priority changes. Raising P3 → P1 therefore gives no fresh 15 minutes (the customer has
/// been waiting since they opened the case, and the case may be breached at once); lowering it
/// never restarts the clock. A first response already given keeps its met/breached result.
public enum SLAClock {
    public static func due(createdAt: Date, targetMinutes: Int) -> Date {
        createdAt.addingTimeInterval(TimeInterval(targetMinutes * 60))
    }

    /// The case's state at `now`. The clock stops at the first response (or at closing, when the
    /// case was closed without one).
    public static func evaluate(
        createdAt: Date, targetMinutes: Int, firstResponseAt: Date?, closedAt: Date?, warningPercent: Int, at now: Date
    ) -> SLAStatus {
        let due = due(createdAt: createdAt, targetMinutes: targetMinutes)
        let target = TimeInterval(targetMinutes * 60)
        let stoppedAt = firstResponseAt ?? closedAt
        let clockEnd = min(stoppedAt ?? now, now)
        let used = max(0, clockEnd.timeIntervalSince(createdAt))
        let fraction = target > 0 ? used / target : 1
        let state: SLAState
        if let firstResponseAt, firstResponseAt <= now {
            state = firstResponseAt <= due ? .met : .breached
        } else if now > due && (stoppedAt.map { $0 > due } ?? true) {
            state = .breached
        } else if stoppedAt.map({ $0 <= now }) ?? false {
            // Closed before the due time without a response: nothing more is owed.
            state = .met
        } else if fraction * 100 >= Double(warningPercent) {
            state = .warning
        } else {
            state = .running
        }
        return SLAStatus(
            state: state, dueAt: due, targetMinutes: targetMinutes, usedSeconds: used, usedFraction: fraction,
            remainingSeconds: due.timeIntervalSince(now), respondedAt: firstResponseAt)
    }
}

/// The result of `SLAClock.evaluate`.
public struct SLAStatus: Sendable, Hashable, Codable {
    public var state: SLAState
    public var dueAt: Date
    public var targetMinutes: Int
    /// Time the clock has run (it stops at the first response).
    public var usedSeconds: TimeInterval
    /// `usedSeconds` as a share of the target (1.0 = the whole target).
    public var usedFraction: Double
    /// Time left until the due time at the instant evaluated (negative when past).
    public var remainingSeconds: TimeInterval
    public var respondedAt: Date?
}
