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
