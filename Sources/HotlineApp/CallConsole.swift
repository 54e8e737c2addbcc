import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a live call is shown: transcript lines one under another, and — when the output is a
/// terminal — one status line below them that keeps updating (call timer, where the call is, the
/// phrase being typed). The status line is redrawn with `\r` and "erase line" only, so it works
/// in tmux, screen and any plain terminal; piped output gets the transcript lines alone.
public final class CallConsole: @unchecked Sendable {
    private let fd: Int32
    private let showsStatus: Bool
    private let lock = NSLock()
    private var status = ""
    private var phrase: String?
    private var statusShown = false

    /// `fd` is where everything goes (standard output); the status line appears only if it is a terminal.
    public init(fd: Int32 = STDOUT_FILENO, status: Bool? = nil) {
        self.fd = fd
        self.showsStatus = status ?? (isatty(fd) == 1)
    }

    /// One transcript line, above the status line.
    public func line(_ text: String) {
        lock.withLock {
            var out = clearStatus()
            out += text + "\n"
            out += drawStatus()
            emit(out)
        }
    }

    /// The status line's text (timer, node, keys).
    public func setStatus(_ text: String) {
        lock.withLock {
            status = text
            emit(clearStatus() + drawStatus())
        }
    }

    /// The phrase being typed (`nil`: not typing). Shown in place of the status line, so the
    /// caller sees what they type even when the output is not a terminal's status line.
    public func setPhrase(_ text: String?) {
        lock.withLock {
            phrase = text
            if showsStatus {
                emit(clearStatus() + drawStatus())
            }
        }
    }

    /// Removes the status line for good (before the summary).
    public func finish() {
        lock.withLock {
            emit(clearStatus())
            status = ""
            phrase = nil
        }
    }

    private func clearStatus() -> String {
        guard statusShown else { return "" }
        statusShown = false
        return "\r\u{1B}[K"
    }

    private func drawStatus() -> String {
        guard showsStatus else { return "" }
        let text: String
        if let phrase {
            text = "say> \(phrase)_   (Enter sends, Esc cancels)"
        } else if !status.isEmpty {
            text = status
        } else {
            return ""
        }
        statusShown = true
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
