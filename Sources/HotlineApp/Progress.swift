import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How far a long run is, as the one line a terminal shows:
/// `scenarios 1,234/10,000  12%  812/s  11 s left`. Pure: the caller says how long the run has
/// lasted.
public struct ProgressLine: Sendable, Hashable {
    /// What is counted (`scenarios`, `simulated hours`, `benchmarks`).
    public var label: String
    public var done: Int
    public var total: Int
    /// Seconds since the run started.
    public var elapsed: Double

    public init(label: String, done: Int, total: Int, elapsed: Double) {
        self.label = label
        self.done = done
        self.total = total
        self.elapsed = elapsed
    }

    /// Units per second so far; `nil` before anything is done or any time has passed.
    public var rate: Double? {
        guard done > 0, elapsed > 0 else { return nil }
        return Double(done) / elapsed
    }

    /// Seconds left at the rate so far; `nil` while there is no rate.
    public var secondsLeft: Double? {
        guard let rate else { return nil }
        return Double(max(total - done, 0)) / rate
    }

    public var text: String {
        let percent = total > 0 ? min(100, done * 100 / total) : 100
        var parts = ["\(label) \(Self.count(done))/\(Self.count(total))", "\(percent)%"]
        if let rate {
            parts.append(rate >= 10 ? "\(Self.count(Int(rate.rounded())))/s" : String(format: "%.1f/s", rate))
        }
        parts.append(secondsLeft.map { Self.duration($0) + " left" } ?? "time left unknown")
        return parts.joined(separator: "  ")
    }

    /// `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `< 1 s`, `42 s`, `3 min 05 s`, `2 h 07 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let whole = Int(seconds.rounded())
        if whole < 1 { return "< 1 s" }
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60 < 10 ? "0" : "")\(whole % 60) s" }
        let minutes = (whole % 3600) / 60
        return "\(whole / 3600) h \(minutes < 10 ? "0" : "")\(minutes) min"
    }
}

/// Shows a long run's progress on a terminal: one line on standard error, redrawn in place (at
/// most ten times a second), first drawn once the run has lasted a second, cleared when it ends.
/// With no `write` (standard error is not a terminal, or `--json`) it shows nothing at all.
///
/// The clock is injected (seconds on a monotonic clock); ``standardError(label:total:enabled:)``
/// is the edge that looks at the terminal and reads the real clock. Safe from any thread.
public final class ProgressReporter: Sendable {
    /// Nothing is drawn before the run has lasted this long: a short run prints nothing extra.
    public static let quietSeconds = 1.0
    /// What the quiet second is in this reporter (`HOTLINE_PROGRESS_AFTER` for the terminal tests).
    private let quiet: Double
    /// The least time between two redraws.
    public static let redrawSeconds = 0.1

    private struct State {
        var done = 0
        var total: Int
        var lastDrawn: Double?
    }

    public let label: String
    private let started: Double
    private let clock: @Sendable () -> Double
    private let write: (@Sendable (String) -> Void)?
    private let state: Mutex<State>

    /// - Parameters:
    ///   - clock: seconds on a monotonic clock.
    ///   - write: where the line goes (with its carriage return and erase); `nil` shows nothing.
    ///   - quiet: seconds before the first line is drawn.
    public init(
        label: String, total: Int, clock: @escaping @Sendable () -> Double, write: (@Sendable (String) -> Void)?, quiet: Double = quietSeconds
    ) {
        self.label = label
        self.quiet = quiet
        self.clock = clock
        self.write = write
        self.started = clock()
        self.state = Mutex(State(total: total))
    }

    /// A reporter on standard error when it is a terminal and `enabled` (pass `!json`); otherwise
    /// one that shows nothing. `HOTLINE_PROGRESS_AFTER=SECONDS` changes the quiet second (the
    /// terminal tests set 0, so a short run draws its line).
    public static func standardError(label: String, total: Int, enabled: Bool = true) -> ProgressReporter {
        let shows = enabled && isatty(STDERR_FILENO) == 1
        let quiet = ProcessInfo.processInfo.environment["HOTLINE_PROGRESS_AFTER"].flatMap(Double.init).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
        return ProgressReporter(label: label, total: total, clock: monotonicSeconds, write: shows ? writeStandardError : nil, quiet: quiet ?? quietSeconds)
    }

    /// Writes to standard error as it is (no newline).
    @Sendable static func writeStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Seconds on the system's monotonic clock.
    @Sendable public static func monotonicSeconds() -> Double {
        let since = ContinuousClock.now - origin
        return Double(since.components.seconds) + Double(since.components.attoseconds) / 1e18
    }
    private static let origin = ContinuousClock.now

    /// `count` more units are done.
    public func advance(by count: Int = 1) {
        guard write != nil else { return }
        let now = clock()
        let line = state.withLock { state -> String? in
            state.done += count
            return Self.due(&state, now: now, started: started, quiet: quiet) ? ProgressLine(label: label, done: state.done, total: state.total, elapsed: now - started).text : nil
        }
        if let line { write?("\r" + line + "\u{1B}[K") }
    }

    /// `done` units are done in all (of `total`, when it has become known only now).
    public func update(done: Int, total: Int? = nil) {
        guard write != nil else { return }
        state.withLock { state in
            state.done = done
            if let total { state.total = total }
        }
        advance(by: 0)
    }

    /// The run is over: the line is erased (when one was drawn), so what follows starts clean.
    public func finish() {
        let drawn = state.withLock { state -> Bool in
            defer { state.lastDrawn = nil }
            return state.lastDrawn != nil
        }
        if drawn { write?("\r\u{1B}[K") }
    }

    /// Whether to draw now: after the quiet second, and not more often than `redrawSeconds`.
    private static func due(_ state: inout State, now: Double, started: Double, quiet: Double) -> Bool {
        guard now - started >= quiet else { return false }
        if let last = state.lastDrawn, now - last < redrawSeconds { return false }
        state.lastDrawn = now
        return true
    }
}
