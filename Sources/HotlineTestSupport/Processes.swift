import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The repository and the built executables, for the end-to-end tests that spawn them.
public enum Built {
    /// The repository root, found from this file's path (Sources/HotlineTestSupport/Processes.swift).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `hotline`: next to the test bundle, else `$HOTLINE_BIN`, else `.build/debug/hotline`.
    public static var hotline: String? { executable("hotline", environment: "HOTLINE_BIN") }

    /// `hotline-bench`, found the same way (`$HOTLINE_BENCH_BIN`).
    public static var hotlineBench: String? { executable("hotline-bench", environment: "HOTLINE_BENCH_BIN") }

    static func executable(_ name: String, environment variable: String) -> String? {
        let manager = FileManager.default
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
        if manager.isExecutableFile(atPath: beside) { return beside }
        if let path = ProcessInfo.processInfo.environment[variable], manager.isExecutableFile(atPath: path) { return path }
        let built = repositoryRoot + "/.build/debug/" + name
        return manager.isExecutableFile(atPath: built) ? built : nil
    }

    /// A program on `PATH`, or nil.
    public static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A fresh folder under the test process's root (``TestFolders``); removed at exit at the latest.
    public static func temporaryFolder(_ label: String = "e2e") throws -> String {
        try TestFolders.make(label).path
    }
}

/// A fresh folder under the test process's root (``TestFolders``), removed when the value is released.
public final class TemporaryFolder: Sendable {
    public let url: URL

    public init() {
        url = URL(fileURLWithPath: TestFolders.path("folder"))
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A file in the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// What a finished process printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    /// Standard output.
    public var output: String
    /// Standard error.
    public var error: String
    /// The process had to be killed after the time limit.
    public var timedOut: Bool
    /// Standard output, then standard error.
    public var combined: String { output + error }
}

/// Runs a program to completion with `input` on its standard input, in `folder`; `HOTLINE_DB` and
/// `HOTLINE_PACE` are cleared unless `environment` sets them. Killed after `limit` seconds (a
/// bound, not an assertion on speed).
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, output through files: Foundation's
/// `Process` learns of an exit from a socket the child inherits, which a daemon it starts (a
/// tmux server) keeps open for ever, and pipes can fill and block a chatty child.
public func runProcess(
    _ executable: String, _ arguments: [String], input: String = "", environment: [String: String] = [:], in folder: String = Built.repositoryRoot,
    limit: Double = 600
) throws -> ProcessResult {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "HOTLINE_DB")
    env.removeValue(forKey: "HOTLINE_PACE")
    for (key, value) in environment { env[key] = value }
    let scratch = try Built.temporaryFolder("process")
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let inputPath = scratch + "/in", outPath = scratch + "/out", errPath = scratch + "/err"
    try Data(input.utf8).write(to: URL(fileURLWithPath: inputPath))

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // The working folder through the shell (posix_spawn has no portable chdir action).
    let argv = (["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", folder, executable] + arguments).map { strdup($0) } + [nil]
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
        throw CocoaError(
            .executableLoad,
            userInfo: [NSFilePathErrorKey: executable, NSLocalizedDescriptionKey: "posix_spawn \(executable): \(String(cString: strerror(spawned)))"])
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
        usleep(5_000)
    }
    // Exited normally: the exit code; killed by a signal: 128 + the signal, as a shell says.
    let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let error = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return ProcessResult(status: code, output: output, error: error, timedOut: timedOut)
}
