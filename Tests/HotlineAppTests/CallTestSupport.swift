import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The repository root, found from this file's path (the commands read Fixtures/ and Prompts/ from it).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The `hotline` executable next to the test bundle, else `HOTLINE_BIN`, else `.build/debug/hotline`.
func hotlineBinary() -> String? {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hotline").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    if let env = ProcessInfo.processInfo.environment["HOTLINE_BIN"], FileManager.default.isExecutableFile(atPath: env) { return env }
    let built = repositoryRoot + "/.build/debug/hotline"
    return FileManager.default.isExecutableFile(atPath: built) ? built : nil
}

/// A fresh temporary folder.
func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "hotline-call-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// What a finished process printed.
struct Finished {
    var status: Int32
    var out: String
    var err: String
    /// The process had to be killed after the time limit.
    var timedOut: Bool
}

/// Runs a process with `input` on its standard input, in the repository root; kills it after
/// `limit` seconds (a bound, not an assertion on speed).
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, output through files: Foundation's
/// `Process` learns of an exit from a socket the child inherits, which a daemon it starts (the
/// tmux server) keeps open for ever.
func run(_ executable: String, _ arguments: [String], input: String = "", environment: [String: String] = [:], limit: Double = 120) throws -> Finished {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "HOTLINE_DB")
    env.removeValue(forKey: "HOTLINE_PACE")
    for (key, value) in environment { env[key] = value }
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let inputPath = folder + "/in", outPath = folder + "/out", errPath = folder + "/err"
    try Data(input.utf8).write(to: URL(fileURLWithPath: inputPath))

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // The working folder through the shell (posix_spawn has no portable chdir action).
    let argv = (["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", repositoryRoot, executable] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    // A clean signal state: the test runner's threads block signals, and a blocked mask is
    // inherited across exec (a tmux server started from here would ignore kill-server's SIGTERM).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, number) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
    guard spawned == 0 else {
        throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: executable, NSLocalizedDescriptionKey: "posix_spawn \(executable): \(String(cString: strerror(spawned)))"])
    }
    let deadline = Date().addingTimeInterval(limit)
    var status: Int32 = 0
    var timedOut = false
    while true {
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { break }
        if reaped < 0 && errno != EINTR { break }
        if Date() > deadline && !timedOut {
            timedOut = true
            kill(pid, SIGTERM)
        }
        usleep(20_000)
    }
    // Exited normally: the exit code; killed by a signal: 128 + the signal, as a shell says.
    let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let outText = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let errText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return Finished(status: code, out: outText, err: errText, timedOut: timedOut)
}

/// A tmux server of our own (its own socket), for driving `hotline call` in a real terminal.
final class Tmux {
    let socket = "hotline-call-test-\(UUID().uuidString.prefix(8))"
    let session = "call"
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @discardableResult
    func command(_ arguments: [String]) throws -> Finished {
        try run(Tmux.path ?? "tmux", ["-L", socket] + arguments, limit: 20)
    }

    /// Starts a detached session running `script` (a shell script file).
    func start(script: String) throws {
        try command(["new-session", "-d", "-s", session, "-x", "220", "-y", "60", "sh \(script)"])
    }

    /// The pane's text, scrollback included.
    func screen() throws -> String {
        try command(["capture-pane", "-p", "-J", "-t", session, "-S", "-500"]).out
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
        try command(["display-message", "-p", "-t", session, "#{pane_tty}"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Ends the server, its session and the pane's shell (by their process ids if kill-server
    /// leaves them behind).
    func stop() {
        let pids = ((try? command(["display-message", "-p", "-t", session, "#{pid} #{pane_pid}"]).out) ?? "")
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
