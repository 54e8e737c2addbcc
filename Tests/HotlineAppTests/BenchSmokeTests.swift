import Foundation
import Testing

/// A short run of the benchmark executable: it starts, measures the cheap benchmarks and writes
/// its JSON object. Never timed — the figures themselves belong to `make bench`.
@Suite struct BenchSmokeTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var benchBinary: URL {
        let sibling = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hotline-bench")
        if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        if let path = ProcessInfo.processInfo.environment["HOTLINE_BENCH_BIN"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.appendingPathComponent(".build/debug/hotline-bench")
    }

    @Test func quickRunWritesEveryRequestedKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-smoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("results.json")

        let process = Process()
        process.executableURL = Self.benchBinary
        process.arguments = ["--quick", "--only", "state_machine_events_per_sec,rota_year_render_ms", "--out", out.path]
        process.currentDirectoryURL = Self.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 0, "hotline-bench failed:\n\(output)")
        #expect(output.contains("state_machine_events_per_sec"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Double]
        #expect(object?.keys.sorted() == ["rota_year_render_ms", "state_machine_events_per_sec"])
        #expect((object?["state_machine_events_per_sec"] ?? 0) > 0)
        #expect((object?["rota_year_render_ms"] ?? 0) > 0)
    }

    @Test func unknownArgumentIsRefusedWithUsage() throws {
        let process = Process()
        process.executableURL = Self.benchBinary
        process.arguments = ["--frobnicate"]
        process.currentDirectoryURL = Self.repositoryRoot
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = Pipe()
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(output.contains("unknown argument '--frobnicate'"))
    }
}
