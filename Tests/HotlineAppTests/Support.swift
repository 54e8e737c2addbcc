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
func run(_ executable: String, _ arguments: [String], input: String = "", environment: [String: String] = [:], limit: Double = 120) throws -> Finished {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "HOTLINE_DB")
    env.removeValue(forKey: "HOTLINE_PACE")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdin = Pipe()
    let out = Pipe()
    let err = Pipe()
    process.standardInput = stdin
    process.standardOutput = out
    process.standardError = err
    let outData = Collected()
    let errData = Collected()
    out.fileHandleForReading.readabilityHandler = { outData.append($0.availableData) }
    err.fileHandleForReading.readabilityHandler = { errData.append($0.availableData) }
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(limit)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    let timedOut = process.isRunning
    if timedOut { process.terminate() }
    process.waitUntilExit()
    out.fileHandleForReading.readabilityHandler = nil
    err.fileHandleForReading.readabilityHandler = nil
    outData.append(out.fileHandleForReading.readDataToEndOfFile())
    errData.append(err.fileHandleForReading.readDataToEndOfFile())
    return Finished(status: process.terminationStatus, out: outData.text, err: errData.text, timedOut: timedOut)
}

/// Bytes from a pipe, collected from its handler's thread.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
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

    deinit {
        _ = try? run(Tmux.path ?? "tmux", ["-L", socket, "kill-server"], limit: 10)
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
