import Foundation

/// Where "now" comes from. Only the outermost layer (the `hotline` commands) uses the system clock;
/// everything else is given one, so a test can be 03:00 on Christmas Day in Sydney.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The real clock. Used by the `hotline` executable only.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move: for virtual-time runs and tests.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by duration: Duration) {
        lock.withLock { current = current.addingTimeInterval(duration.timeInterval) }
    }

    public func set(_ date: Date) { lock.withLock { current = date } }
}

extension Duration {
    /// The duration in seconds, as Foundation counts them.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    public init(timeInterval: TimeInterval) {
        self = .nanoseconds(Int64((timeInterval * 1e9).rounded()))
    }
}

/// How long prompts play, for virtual-time runs. The audio layer answers from the WAV files;
/// without one, a prompt's length is estimated from its transcript.
public protocol PromptLengths: Sendable {
    func duration(ofPrompts ids: [String]) -> Duration
}

/// A clock that starts at a chosen instant and then runs at real speed: a live call placed "at
/// 03:00 on Saturday in Sydney" keeps its own time from there. Created by the outermost layer.
public struct RunningClock: WallClock {
    private let start: Date
    private let base: ContinuousClock.Instant

    public init(startingAt start: Date) {
        self.start = start
        self.base = ContinuousClock.now
    }

    public func now() -> Date {
        start.addingTimeInterval((ContinuousClock.now - base).timeInterval)
    }
}
