import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a live call is shown: transcript lines one under another, and — when the output is a
/// terminal — one status line below them that keeps updating (call timer, where the call is, the
/// phrase being typed). The status line is redrawn with `\r` and "erase line" only, so it works
/// in tmux, screen and any plain terminal; piped output gets the transcript lines alone.
public final class CallConsole: Sendable {
    private let fd: Int32
    private let showsStatus: Bool
    /// What the status line shows, and whether it is on screen; written out under the lock so
    /// lines from several threads never interleave.
    private struct Screen {
        var status = ""
        var phrase: String?
        var statusShown = false
    }
    private let screen = Mutex(Screen())

    /// `fd` is where everything goes (standard output); the status line appears only if it is a terminal.
    public init(fd: Int32 = STDOUT_FILENO, status: Bool? = nil) {
        self.fd = fd
        self.showsStatus = status ?? (isatty(fd) == 1)
    }

    /// One transcript line, above the status line.
    public func line(_ text: String) {
        screen.withLock { screen in
            var out = clearStatus(&screen)
            out += text + "\n"
            out += drawStatus(&screen)
            emit(out)
        }
    }

    /// The status line's text (timer, node, keys).
    public func setStatus(_ text: String) {
        screen.withLock { screen in
            screen.status = text
            emit(clearStatus(&screen) + drawStatus(&screen))
        }
    }

    /// The phrase being typed (`nil`: not typing). Shown in place of the status line, so the
    /// caller sees what they type even when the output is not a terminal's status line.
    public func setPhrase(_ text: String?) {
        screen.withLock { screen in
            screen.phrase = text
            if showsStatus {
                emit(clearStatus(&screen) + drawStatus(&screen))
            }
        }
    }

    /// Removes the status line for good (before the summary).
    public func finish() {
        screen.withLock { screen in
            emit(clearStatus(&screen))
            screen.status = ""
            screen.phrase = nil
        }
    }

    private func clearStatus(_ screen: inout Screen) -> String {
        guard screen.statusShown else { return "" }
        screen.statusShown = false
        return "\r\u{1B}[K"
    }

    private func drawStatus(_ screen: inout Screen) -> String {
        guard showsStatus else { return "" }
        let text: String
        if let phrase = screen.phrase {
            text = "say> \(phrase)_   (Enter sends, Esc cancels)"
        } else if !screen.status.isEmpty {
            text = screen.status
        } else {
            return ""
        }
        screen.statusShown = true
        // Never wider than the terminal: a wrapped status line could not be erased with `\r`.
        let width = max(10, (TerminalMode.columns(fd) ?? 80) - 1)
        return text.count > width ? String(text.prefix(width - 1)) + "…" : text
    }

    private func emit(_ text: String) {
        guard !text.isEmpty else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return  // Output closed: nothing to show it on.
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
