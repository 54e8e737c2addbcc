import Foundation
import HotlineTestSupport
import Testing

/// A short run of the benchmark executable: it starts, measures the cheap benchmarks and writes
/// its JSON object. Never timed — the figures themselves belong to `make bench`.
@Suite struct BenchSmokeTests {
    static func bench() throws -> String {
        try #require(Built.hotlineBench, "build the benchmark first: swift build --product hotline-bench (or set HOTLINE_BENCH_BIN)")
    }

    @Test func quickRunWritesEveryRequestedKey() throws {
        let folder = try TestFolders.make("bench-smoke")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("results.json")

        let run = try runProcess(try Self.bench(), ["--quick", "--only", "state_machine_events_per_sec,rota_year_render_ms", "--out", out.path])
        let output = run.combined
        #expect(run.status == 0, "hotline-bench failed:\n\(output)")
        #expect(output.contains("state_machine_events_per_sec"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Double]
        #expect(object?.keys.sorted() == ["rota_year_render_ms", "state_machine_events_per_sec"])
        #expect((object?["state_machine_events_per_sec"] ?? 0) > 0)
        #expect((object?["rota_year_render_ms"] ?? 0) > 0)
    }

    /// Without SIPp (an empty PATH here) the SIP rows say they were skipped and why; the run
    /// still succeeds and results.json leaves them out instead of writing a made-up number.
    @Test func sipRowsAreSkippedWithoutSIPp() throws {
        let folder = try TestFolders.make("bench-sip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("results.json")

        let run = try runProcess(
            try Self.bench(), ["--quick", "--only", "sip_,rtp_", "--ceiling", folder.path + "/no-ceiling", "--out", out.path],
            environment: ["PATH": folder.path])
        let output = run.combined
        #expect(run.status == 0, "hotline-bench failed:\n\(output)")
        for key in ["sip_calls_per_sec", "sip_ratio_to_ceiling", "sip_concurrent_calls", "rtp_mean_delta_ms", "rtp_jitter_ms"] {
            let row = output.split(separator: "\n").first { $0.hasPrefix(key + " ") }
            #expect(row?.contains("skipped: sipp not installed") == true, "\(key): \(row ?? "no row")")
        }
        #expect(output.contains("make deps installs Debian's sip-tester"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Double]
        #expect(object == [:])
    }

    @Test func unknownArgumentIsRefusedWithUsage() throws {
        let run = try runProcess(try Self.bench(), ["--frobnicate"])
        let output = run.error
        #expect(run.status == 2)
        #expect(output.contains("unknown argument '--frobnicate'"))
    }
}
