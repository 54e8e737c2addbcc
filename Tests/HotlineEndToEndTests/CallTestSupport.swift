import Foundation
import HotlineTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The repository root, found from this file's path (the commands read Fixtures/ and Prompts/ from it).
/// A tmux server of our own (its own socket), for driving `hotline call` in a real terminal.
final class Tmux {
    let socket = "hotline-call-test-\(UUID().uuidString.prefix(8))"
    let session = "call"
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @discardableResult
    func command(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(Tmux.path ?? "tmux", ["-L", socket] + arguments, limit: 20)
    }

    /// Starts a detached session running `script` (a shell script file).
    func start(script: String) throws {
        try command(["new-session", "-d", "-s", session, "-x", "220", "-y", "60", "sh \(script)"])
    }

    /// The pane's text, scrollback included.
    func screen() throws -> String {
        try command(["capture-pane", "-p", "-J", "-t", session, "-S", "-500"]).output
    }

    /// The pane's text for a failure message ("" if tmux does not answer).
    var shown: String { (try? screen()) ?? "" }

    /// Waits (at most `limit` seconds) until the pane shows `text`; returns whether it did.
    func waitFor(_ text: String, limit: Double = 60) throws -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if try screen().contains(text) { return true }
            usleep(100_000)
        }
        return false
    }

    func keys(_ keys: String..., literal: Bool = false) throws {
        try command(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    /// The pane's terminal device.
    func paneTTY() throws -> String {
        try command(["display-message", "-p", "-t", session, "#{pane_tty}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Ends the server, its session and the pane's shell (by their process ids if kill-server
    /// leaves them behind).
    func stop() {
        let pids = ((try? command(["display-message", "-p", "-t", session, "#{pid} #{pane_pid}"]).output) ?? "")
            .split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        _ = try? command(["kill-server"])
        usleep(200_000)
        for pid in pids.reversed() where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }
}

/// Waits (at most `limit` seconds) for a file to exist with content; returns it.
func waitForFile(_ path: String, limit: Double = 60) -> String? {
    let deadline = Date().addingTimeInterval(limit)
    while Date() < deadline {
        if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
        usleep(100_000)
    }
    return nil
}
