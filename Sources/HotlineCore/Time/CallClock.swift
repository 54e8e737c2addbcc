import Foundation

/// The one clock a live call runs on: what time it is on the call, and waiting for a later time.
///
/// Everything that takes time in a live call — a prompt playing without a speaker, a flow's timer,
/// a queue's hold, a scripted caller's silence — waits on this clock, so one value decides how fast
/// a call runs: ``PacedCallClock`` for `hotline call` and `hotline demo` (real time, or scaled by
/// `--pace`), a manual clock in tests (time moves only when the test says so).
public protocol CallClock: Sendable {
    /// The instant on the call (a call placed "at 03:00 on Saturday in Sydney" runs on from there).
    func now() -> Date
    /// Returns once the call's clock reads `deadline` or later (at once if it already does).
    /// Throws `CancellationError` when the waiting task is cancelled.
    func sleep(until deadline: Date) async throws
    /// How fast the clock runs against real time, for those who watch the call from outside (the
    /// console extrapolates a call's elapsed time between its reports with it). Real time unless
    /// the clock says otherwise.
    var pace: Pace { get }
}

extension CallClock {
    public var pace: Pace { .realTime }

    /// Waits `duration` of call time.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now().addingTimeInterval(duration.timeInterval))
    }
}

/// How fast a live call runs against real time: 1 is real time, 0.01 a hundred times faster,
/// 2 twice as slow. A checked value: only `Pace.allowed` can be made, so scaling a wait never
/// overflows (`--pace 1e-15` used to trap converting a huge duration).
public struct Pace: Sendable, Hashable, CustomStringConvertible {
    /// The factors accepted: a thousand times faster to a hundred times slower.
    public static let allowed: ClosedRange<Double> = 0.001...100
    /// Real time.
    public static let realTime = Pace(checked: 1)

    /// Real seconds per second of call time.
    public let factor: Double

    private init(checked factor: Double) { self.factor = factor }

    /// A pace from a number; `source` names where it came from (`--pace`, `HOTLINE_PACE`) for the error.
    public init(_ factor: Double, source: String = "--pace") throws(PaceError) {
        guard factor.isFinite, Self.allowed.contains(factor) else { throw PaceError(source: source, value: "\(factor)") }
        self.factor = factor
    }

    /// A pace from text (`0.02`), as given on the command line or in the environment.
    public init(parsing text: String, source: String) throws(PaceError) {
        guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else { throw PaceError(source: source, value: text) }
        try self.init(number, source: source)
    }

    public var isRealTime: Bool { factor == 1 }

    /// Real time a wait of `duration` call time takes.
    public func realDuration(of duration: Duration) -> Duration {
        Duration(timeInterval: max(0, duration.timeInterval) * factor)
    }

    public var description: String { "\(factor)" }
}

/// A pace out of bounds or not a number.
public struct PaceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--pace` or `HOTLINE_PACE`.
    public var source: String
    /// The value as given.
    public var value: String

    public init(source: String, value: String) {
        self.source = source
        self.value = value
    }

    public var description: String {
        "\(source) must be above 0, from \(Pace.allowed.lowerBound) to \(Pace.allowed.upperBound) (got '\(value)') "
            + "(fix: 1 is real time, 0.01 a hundred times faster, 0.001 the fastest)"
    }
}

/// A call clock that starts at a chosen instant and runs at `pace`: a paced call's transcript shows
/// the times a real call would have, and its waits take `pace` times their length in real time.
/// Made by the outermost layer (it reads the machine's monotonic clock).
public struct PacedCallClock: CallClock {
    private let start: Date
    public let pace: Pace
    private let base: ContinuousClock.Instant

    public init(startingAt start: Date, pace: Pace = .realTime) {
        self.start = start
        self.pace = pace
        self.base = ContinuousClock.now
    }

    public func now() -> Date {
        start.addingTimeInterval((ContinuousClock.now - base).timeInterval / pace.factor)
    }

    public func sleep(until deadline: Date) async throws {
        let remaining = deadline.timeIntervalSince(now())
        guard remaining > 0 else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: pace.realDuration(of: Duration(timeInterval: remaining)))
    }
}
