import Foundation
import HotlineCore
import HotlineStore

/// A fresh folder in the temp directory, removed when the value is released.
final class TemporaryFolder: Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-store-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The repository's `Fixtures/` folder, found from this file's path.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var fixtures: String { root.appendingPathComponent("Fixtures").path }
    static var sampleData: String { root.appendingPathComponent("Fixtures/data").path }
    static var slaTable: String { root.appendingPathComponent("Fixtures/sla.yaml").path }

    /// The `hotline` executable next to the test bundle, or `HOTLINE_BIN`.
    static var hotline: String {
        if let env = ProcessInfo.processInfo.environment["HOTLINE_BIN"], !env.isEmpty { return env }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hotline").path
    }
}

/// The seed time every test uses: 03:00 on Christmas Day in California.
let seedTime = Date(timeIntervalSince1970: 1_798_196_400)  // 2026-12-25T11:00:00Z

/// A case store on a new file in a temp folder, seeded with the repository's sample data.
func seededStore(in folder: TemporaryFolder, at now: Date = seedTime) throws -> CaseStore {
    let store = try CaseStore.open(path: folder.path("hotline.sqlite"))
    _ = try store.seed(try SampleData.load(folder: Repository.sampleData), sla: try SLATable.load(path: Repository.slaTable), at: now, reset: false)
    return store
}

/// Runs a process to completion and returns its exit status and output.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["HOTLINE_DB"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting, so a chatty process cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}
