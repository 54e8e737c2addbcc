import Foundation
import HotlineCore
import Synchronization

/// A call clock that stands still until the test moves it: a live call on it does exactly what
/// the test lets happen, in the order the test chooses, however fast or slow the machine is.
public final class ManualCallClock: CallClock {
    private struct Sleeper {
        var id: Int
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// The pace it says it runs at (``CallClock/pace``): what a watcher assumes between the call's
    /// reports. It moves only when the test moves it, whatever this says.
    public let pace: Pace

    public init(_ start: Date, pace: Pace = .realTime) {
        state = Mutex(State(now: start))
        self.pace = pace
    }

    public func now() -> Date { state.withLock { $0.now } }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// How many waits are pending.
    public var pendingSleeps: Int { state.withLock { $0.sleepers.count } }

    /// Moves the clock to `date` (never back) and wakes every wait due by then.
    public func advance(to date: Date) {
        let due = state.withLock { state -> [Sleeper] in
            if date > state.now { state.now = date }
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func advance(by duration: Duration) {
        advance(to: now().addingTimeInterval(duration.timeInterval))
    }

    /// Moves the clock to the earliest pending wait and wakes it; `false` when nothing waits.
    @discardableResult
    public func advanceToNextSleep() -> Bool {
        guard let next = state.withLock({ $0.sleepers.map(\.deadline).min() }) else { return false }
        advance(to: next)
        return true
    }
}
