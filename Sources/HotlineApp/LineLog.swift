import Foundation
import Synchronization

/// The console of a running line (`hotline serve`): its lines collected and written to a file
/// descriptor in few `write`s instead of one each.
///
/// A line under load says several lines per call (answered, each key, ended); written one `write`
/// each they cost more kernel time than the call's own work. Here they are flushed when
/// ``limit`` bytes are waiting, at the latest ``interval`` after the first waiting line (a timer),
/// at once for a line starting with `warning:` or `error:` (and everything before it, in order),
/// and on ``close()`` (the line stopping: Ctrl-C, SIGTERM, `--stop-after`) or the process exiting.
/// On a terminal every line is written at once, as before.
///
/// Events to ignore: lines after ``close()`` are written at once; a failed `write` (the reader went
/// away) drops what was waiting.
public final class LineLog: Sendable {
    private struct State {
        var waiting: [UInt8] = []
        var timer: (any DispatchSourceTimer)?
        var closed = false
    }

    /// Where the lines go.
    public let descriptor: Int32
    /// Bytes waiting that make a flush.
    public let limit: Int
    /// The longest a line waits.
    public let interval: Duration
    /// Every line at once (a terminal).
    public let immediate: Bool
    private let state = Mutex(State())

    /// - Parameter immediate: write each line at once; `nil`: when `descriptor` is a terminal.
    public init(descriptor: Int32, limit: Int = 16_384, interval: Duration = .milliseconds(100), immediate: Bool? = nil) {
        self.descriptor = descriptor
        self.limit = max(1, limit)
        self.interval = interval
        self.immediate = immediate ?? (isatty(descriptor) == 1)
    }

    /// Standard output's log, flushed when the process exits (also by `exit()` on a second Ctrl-C).
    public static let standardOutput: LineLog = {
        let log = LineLog(descriptor: STDOUT_FILENO)
        atexit { LineLog.standardOutput.flush() }
        return log
    }()

    /// Adds one line (a newline is appended).
    public func write(_ line: String) {
        let urgent = line.hasPrefix("warning:") || line.hasPrefix("error:")
        state.withLock { state in
            state.waiting.append(contentsOf: line.utf8)
            state.waiting.append(0x0A)
            if immediate || urgent || state.closed || state.waiting.count >= limit {
                flushLocked(&state)
            } else if state.timer == nil {
                let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
                let (seconds, attoseconds) = interval.components
                timer.schedule(deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
                timer.setEventHandler { [weak self] in self?.flush() }
                timer.resume()
                state.timer = timer
            }
        }
    }

    /// Writes everything waiting now.
    public func flush() {
        state.withLock { flushLocked(&$0) }
    }

    /// Writes everything waiting; later lines are written at once.
    public func close() {
        state.withLock { state in
            state.closed = true
            flushLocked(&state)
        }
    }

    /// Under the lock, so lines from several threads leave in the order they were added.
    private func flushLocked(_ state: inout State) {
        state.timer?.cancel()
        state.timer = nil
        guard !state.waiting.isEmpty else { return }
        state.waiting.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(descriptor, base + offset, bytes.count - offset)
                if count > 0 {
                    offset += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break  // The reader went away: nothing more can be said.
                }
            }
        }
        state.waiting.removeAll(keepingCapacity: true)
    }
}
