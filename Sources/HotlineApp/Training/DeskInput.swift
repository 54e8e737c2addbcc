import Foundation
import Synchronization

/// The terminal desk's typed lines, read from standard input on their own thread, and Ctrl-C
/// (SIGINT, SIGTERM, SIGHUP, SIGQUIT): ``readLine()`` answers the next line, or nil when the input
/// ends or a signal came — ``interrupted`` then says which. A call interrupted this way is ended
/// as abandoned, scored and stored (Ctrl-C lost the call and left its private database copy in
/// the temporary folder); a second signal exits at once.
public final class DeskInput: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var lines: [String] = []
        var ended = false
        var interrupted = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let signals = Mutex<CallSignals?>(nil)

    /// Reads `fd` (standard input) until it ends, and handles the signals until ``cancel()``.
    public init(fd: Int32 = STDIN_FILENO) {
        let handler = CallSignals(onSignal: { [weak self] _ in
            guard let self else { return }
            self.state.withLock { $0.interrupted = true }
            self.wake.signal()
        })
        signals.withLock { $0 = handler }
        InputReader.start(
            fd: fd,
            onBytes: { [weak self] bytes in
                guard let self else { return }
                self.state.withLock { state in
                    state.pending += bytes
                    while let end = state.pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = state.pending[..<end]
                        state.lines.append(String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self))
                        state.pending.removeSubrange(...end)
                    }
                }
                self.wake.signal()
            },
            onEnd: { [weak self] in
                guard let self else { return }
                self.state.withLock { state in
                    if !state.pending.isEmpty { state.lines.append(String(decoding: state.pending, as: UTF8.self)) }
                    state.pending = []
                    state.ended = true
                }
                self.wake.signal()
            })
    }

    /// Whether a signal (Ctrl-C) ended the input.
    public var interrupted: Bool { state.withLock { $0.interrupted } }

    /// The next typed line (without its newline); nil at the end of the input or after Ctrl-C.
    public func readLine() -> String? {
        switch read(within: nil) {
        case .line(let text): text
        case .ended, .timedOut: nil
        }
    }

    /// The next typed line, waiting at most `seconds` (nil: as long as it takes).
    public func read(within seconds: TimeInterval?) -> DeskRead {
        let deadline = seconds.map { DispatchTime.now() + max(0, $0) }
        while true {
            let next: DeskRead? = state.withLock { state in
                if state.interrupted { return .ended }
                if !state.lines.isEmpty { return .line(state.lines.removeFirst()) }
                return state.ended ? .ended : nil
            }
            if let next { return next }
            if let deadline {
                if wake.wait(timeout: deadline) == .timedOut { return .timedOut }
            } else {
                wake.wait()
            }
        }
    }

    /// The signals get their default action again.
    public func cancel() {
        signals.withLock { $0?.cancel() }
    }
}

/// What the desk read: a typed line, the end of the input (or Ctrl-C), or nothing in the time given.
public enum DeskRead: Sendable, Hashable {
    case line(String)
    case ended
    case timedOut
}
