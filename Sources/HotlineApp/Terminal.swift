import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The terminal a live call runs in: raw mode on standard input (single keypresses, no echo, no
/// signals from Ctrl-C — it arrives as a key and hangs up), restored on every way out: the call
/// ending, an error, `exit`, and SIGINT/SIGTERM/SIGHUP/SIGQUIT sent from outside.
///
/// Output processing stays on, so `\n` still starts a new line at column 0 and the transcript
/// reads the same in a pipe and in a terminal.
public final class TerminalMode: Sendable {
    /// The one terminal whose settings are saved; `restore()` and the `atexit` handler use it.
    private struct Saved: Sendable {  // `termios` is plain C data (its fields are Sendable).
        var terminal: (fd: Int32, settings: termios)?
        var atexitInstalled = false
    }
    private static let saved = Mutex(Saved())

    public let fd: Int32

    /// Whether `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Puts `fd` in raw mode. Throws when it is not a terminal or its settings cannot be changed.
    public init(fd: Int32 = STDIN_FILENO) throws {
        self.fd = fd
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else {
            throw TerminalError(message: "cannot read the terminal settings of descriptor \(fd): \(String(cString: strerror(errno)))")
        }
        Self.saved.withLock { saved in
            saved.terminal = (fd, original)
            if !saved.atexitInstalled {
                saved.atexitInstalled = true
                atexit { TerminalMode.restore() }
            }
        }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | ISTRIP)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSAFLUSH, &raw) == 0 else {
            Self.restore()
            throw TerminalError(message: "cannot put descriptor \(fd) in raw mode: \(String(cString: strerror(errno)))")
        }
    }

    /// Puts the terminal back as it was. Safe to call any number of times, from any thread.
    public static func restore() {
        let entry = saved.withLock { saved -> (fd: Int32, settings: termios)? in
            defer { saved.terminal = nil }
            return saved.terminal
        }
        guard var entry else { return }
        _ = tcsetattr(entry.fd, TCSAFLUSH, &entry.settings)
    }

    /// The width of the terminal on `fd`, `nil` when it is not one.
    public static func columns(_ fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

/// A terminal that could not be set up.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "error: \(message) (run in a terminal, or pipe the keys in: printf '1' | hotline call)" }
}

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT during a call: the first restores the terminal at once and
/// asks the call to hang up (so the call is recorded); a second one exits at once.
///
/// The Dispatch sources are not `Sendable`, so they live in the `Mutex` with the count: only
/// `init` (before the first signal can arrive) and `cancel()` touch them, under the lock.
public final class CallSignals: Sendable {
    private struct State {
        var sources: [any DispatchSourceSignal]
        /// Signals received so far.
        var count = 0
    }

    private let state: Mutex<State>

    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    public init(onSignal: @escaping @Sendable (Int32) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for number in Self.handled {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: .global()))
        }
        state = Mutex(State(sources: sources))
        state.withLock { state in
            for (number, source) in zip(Self.handled, state.sources) {
                source.setEventHandler { [weak self] in
                    TerminalMode.restore()
                    let first =
                        self?.state.withLock { state -> Bool in
                            state.count += 1
                            return state.count == 1
                        } ?? true
                    if first {
                        onSignal(number)
                    } else {
                        exit(128 + number)
                    }
                }
                source.resume()
            }
        }
    }

    /// Stops handling: the signals get their default action again.
    public func cancel() {
        state.withLock { state in
            for source in state.sources { source.cancel() }
            state.sources = []
        }
        for number in Self.handled { signal(number, SIG_DFL) }
    }
}

/// Reads standard input on its own thread, a chunk at a time, until end of file or an error.
/// `onBytes` gets each chunk; `onEnd` once at the end. The thread blocks in `read(2)`; when the
/// call ends first the process exits around it.
public enum InputReader {
    public static func start(fd: Int32, onBytes: @escaping @Sendable ([UInt8]) -> Void, onEnd: @escaping @Sendable () -> Void) {
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    onBytes(Array(buffer[0..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            onEnd()
        }
        thread.name = "hotline-call-input"
        thread.start()
    }
}
