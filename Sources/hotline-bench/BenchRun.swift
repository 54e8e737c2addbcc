import Foundation
import HotlineApp

/// One `make bench` run: every benchmark the options ask for, then the table and the JSON file.
struct BenchRun {
    let options: Options
    let budget: Double
    let workFolder: String
    var figures: [Figure] = []
    var failures: [String] = []
    /// The benchmarks the options ask for, in order: run by `all()` once it knows how many.
    private var planned: [(keys: [String], body: () throws -> [Figure])] = []

    init(options: Options) {
        self.options = options
        budget = options.quick ? 0.01 : 1.5
        workFolder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hotline-bench-work-\(UUID().uuidString)")
    }

    mutating func measure(_ keys: [String], _ body: @escaping () throws -> [Figure]) {
        guard keys.contains(where: options.wants) else { return }
        planned.append((keys, body))
    }

    /// Runs the planned benchmarks, saying which runs now; on a terminal a progress line under
    /// those lines counts them and estimates the time left.
    mutating func runPlanned() {
        let progress = ProgressReporter.standardError(label: "benchmarks", total: planned.count)
        for (index, benchmark) in planned.enumerated() {
            progress.finish()
            FileHandle.standardError.write(Data("hotline-bench: \(benchmark.keys.joined(separator: ", "))…\n".utf8))
            do {
                figures += try benchmark.body()
            } catch {
                failures.append("\(benchmark.keys.joined(separator: ", ")): \(error)")
            }
            progress.update(done: index + 1)
        }
        progress.finish()
        planned = []
    }

    mutating func all() {
        do {
            try FileManager.default.createDirectory(atPath: workFolder, withIntermediateDirectories: true)
        } catch {
            fail("cannot create \(workFolder): \(error.localizedDescription)")
        }
        let budget = self.budget
        let options = self.options
        let workFolder = self.workFolder

        measure(["state_machine_events_per_sec"]) {
            [try CallBenchmarks.stateMachine(seconds: budget, batch: options.quick ? 10 : 1000)]
        }

        measure(["callgrind_instructions_per_call"]) {
            let result = try CallBenchmarks.callgrindInstructions()
            guard let perCall = result.perCall else {
                FileHandle.standardError.write(Data("hotline-bench: callgrind_instructions_per_call \(result.note)\n".utf8))
                return []
            }
            return [
                Figure(
                    key: "callgrind_instructions_per_call", value: perCall, unit: "instr", target: .atMost(CallBenchmarks.instructionCeiling),
                    note: result.note)
            ]
        }

        measure(["scripted_calls_per_sec", "sqlite_ceiling_calls_per_sec", "ratio_to_sqlite_ceiling"]) {
            let bench = try BenchSystems()
            let profile = try StoreBenchmarks.profile(bench)
            if options.traceSQL {
                print("one reference call: \(profile.rowsChanged) rows changed in \(profile.writingTransactions) writing transactions (\(profile.transactions) transactions):")
                for statement in profile.statements { print("  \(statement)") }
            }
            let scripted = try StoreBenchmarks.scriptedCalls(bench, seconds: budget * 2)
            let ceiling = try StoreBenchmarks.ceiling(bench, seconds: budget * 2)
            let same = ceiling.rowsPerCall == profile.rowsChanged && ceiling.commitsPerCall == profile.writingTransactions
            let shape = "\(profile.rowsChanged) rows in \(profile.writingTransactions) commits per call"
            return [
                Figure(
                    key: "scripted_calls_per_sec", value: scripted, unit: "calls/s", target: .atLeast(5_000),
                    note: "the reference escalation call (gsc.yaml, seeded store on a WAL SQLite file, rota pager, router, WAV prompt lengths, no audio, virtual time), one thread, each call on the reference case set back to open (untimed) so it pages as the first call does; \(shape); best of 3"),
                Figure(
                    key: "sqlite_ceiling_calls_per_sec", value: ceiling.rate, unit: "calls/s", target: .none,
                    note: "the same writes by bare prepared statements (SQLite C API) on a copy of the database, same journal mode and synchronous: \(ceiling.rowsPerCall) rows in \(ceiling.commitsPerCall) commits per call"
                        + (same ? "" : " — DIFFERS from the real call's \(shape); update StoreBenchmarks.ceiling")),
                Figure(
                    key: "ratio_to_sqlite_ceiling", value: scripted / ceiling.rate, unit: "", target: .atLeast(0.5),
                    note: "scripted_calls_per_sec / sqlite_ceiling_calls_per_sec"),
            ]
        }

        measure(["concurrent_calls", "bytes_per_call"]) {
            let bench = try BenchSystems()
            let count = options.quick ? 200 : 10_000
            let result = try MemoryBenchmarks.concurrentCalls(bench, count: count)
            return [
                Figure(
                    key: "concurrent_calls", value: Double(result.alive), unit: "calls", target: .atLeast(Double(count)),
                    note: "VirtualCalls alive at once in one process, each identified and waiting in the Customer Care menu"),
                Figure(
                    key: "bytes_per_call", value: result.bytesPerCall, unit: "bytes", target: .atMost(65_536),
                    note: "resident memory (/proc/self/statm) grown while they were created, divided by their number"),
            ]
        }

        measure(["rota_lookups_per_sec"]) {
            let result = try RotaBenchmarks.lookups(seconds: budget)
            return [Figure(key: "rota_lookups_per_sec", value: result.rate, unit: "lookups/s", target: .atLeast(1_000_000), note: result.note)]
        }

        measure(["rota_year_render_ms"]) {
            let result = try RotaBenchmarks.yearRender()
            return [
                Figure(
                    key: "rota_year_render_ms", value: result.ms, unit: "ms", target: .atMost(20),
                    note: "Rota.timeline(from:to:) over 2026-06-01…2027-06-01 (both overrides) and render(zone: UTC), \(result.lines) lines, as `hotline rota show --days 365`; the thread's CPU time, median of 21")
            ]
        }

        measure(["audio_first_frame_ms"]) {
            let result = try AudioBenchmarks.firstFrame(folder: workFolder, plays: options.quick ? 3 : 50)
            return [
                Figure(
                    key: "audio_first_frame_ms", value: result.median, unit: "ms", target: .atMost(5),
                    note: "PromptPlayer.play(gsc.welcome) to the first snd_pcm_writei accepted by ALSA's file plugin, device opened once; median of \(options.quick ? 3 : 50) (worst \(String(format: "%.2f", result.worst)) ms)")
            ]
        }

        measure(["flow_check_ms"]) {
            let ms = try ProcessBenchmarks.flowCheck(hotline: options.hotline)
            return [
                Figure(
                    key: "flow_check_ms", value: ms, unit: "ms", target: .atMost(150),
                    note: "`hotline flow check \(Defaults.flow)` as a whole process (spawn to exit); median of 11 after one warm-up")
            ]
        }

        measure(["routed_calls_per_sec"]) {
            let hours = options.quick ? 10 : 20_000
            let result = try ProcessBenchmarks.routedCalls(hotline: options.hotline, hours: hours)
            return [
                Figure(
                    key: "routed_calls_per_sec", value: result.rate, unit: "calls/s", target: .atLeast(10_000),
                    note: "`hotline simulate --plan Fixtures/routing/plan.yaml --hours \(hours) --json` as a whole process: \(result.calls) offered calls in \(String(format: "%.2f", result.seconds)) s")
            ]
        }

        sip(workFolder: workFolder)

        measure(["scenario_suite_seconds"]) {
            let count = options.quick ? 60 : 10_000
            let result = try ProcessBenchmarks.scenarioSuite(hotline: options.hotline, folder: workFolder, count: count)
            return [
                Figure(
                    key: "scenario_suite_seconds", value: result.seconds, unit: "s", target: .atMost(options.quick ? .infinity : 10),
                    note: "`hotline test DIR --jobs 2 --quiet` over \(count) copies of the \(result.references) reference scenarios: \(result.passed) passed, \(result.failed) failed")
            ]
        }
        runPlanned()
    }

    /// The SIP rows: SIPp on 127.0.0.1 against `hotline serve --sip` and against the C ceiling in
    /// the same run. Skipped, row by row, when sipp, dumpcap or the ceiling is missing.
    mutating func sip(workFolder: String) {
        let options = self.options
        let tools = SIPBenchmarks.Tools.find(ceiling: options.ceiling)
        let folder = workFolder + "/sip"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // SIPp's `play_pcap_audio="pcap/…"` reads its RFC 4733 pcaps from /usr/share/sip-tester.
        try? FileManager.default.createSymbolicLink(atPath: folder + "/pcap", withDestinationPath: "/usr/share/sip-tester")
        let database = folder + "/line.sqlite"
        var ports = SIPBenchmarks.Ports()
        let hotline = options.hotline
        let quick = options.quick

        let rateKeys = [
            "sip_calls_per_sec", "sip_ceiling_calls_per_sec", "sip_ratio_to_ceiling", "sip_cpu_s_per_1000_calls",
            "sip_ceiling_cpu_s_per_1000_calls", "sip_cpu_ratio_to_ceiling",
        ]
        let calls = quick ? 200 : 5_000
        if let missing = tools.missing([\.sipp, \.ceiling]) {
            let (reason, fix) = (missing.reason, missing.fix)
            measure(rateKeys) {
                [
                    .skipped("sip_calls_per_sec", unit: "calls/s", target: .atLeast(500), because: reason, fix: fix),
                    .skipped("sip_ceiling_calls_per_sec", unit: "calls/s", target: .none, because: reason, fix: fix),
                    .skipped("sip_ratio_to_ceiling", unit: "", target: .atLeast(0.8), because: reason, fix: fix),
                    .skipped("sip_cpu_s_per_1000_calls", unit: "s", target: .none, because: reason, fix: fix),
                    .skipped("sip_ceiling_cpu_s_per_1000_calls", unit: "s", target: .none, because: reason, fix: fix),
                    .skipped("sip_cpu_ratio_to_ceiling", unit: "", target: .none, because: reason, fix: fix),
                ]
            }
        } else {
            measure(rateKeys) {
                let started = Date()
                let mine = try SIPBenchmarks.callRate(
                    kind: .hotline, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: calls)
                let load = LoadAverage.oneMinute()
                let theirs = try SIPBenchmarks.callRate(
                    kind: .ceiling, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: calls)
                let cpu = try SIPBenchmarks.commonCPU(
                    mine, theirs, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: calls)
                let minutes = Date().timeIntervalSince(started) / 60
                func steps(_ result: SIPBenchmarks.RateResult) -> String {
                    result.steps.map { "\(Int($0.rate))/s \($0.passed ? "ok" : "failed")" }.joined(separator: ", ")
                }
                let how = "\(calls) calls at each rate (SIPp -r, Benchmarks/sip/key-call.xml: INVITE, key 1 as RFC 4733, BYE 0.5 s after the answer), all must succeed on SIPp's side AND be counted by the endpoint; rates from 500/s doubling to 2,000 or halving to 62.5, then bisected until the best passing and the lowest failing rate are within 5 % (at most 10 steps)"
                let cpuHow = cpu.map { "at \(Int($0.rate))/s, a rate both passed" } ?? "no rate both passed"
                return [
                    Figure(
                        key: "sip_calls_per_sec", value: mine.best, unit: "calls/s", target: .atLeast(500),
                        note: "`hotline serve --sip --ring 0` on 127.0.0.1, reference flow, new records counted in its database (outcome caller-hung-up) and keys in its log; \(how): \(steps(mine)); bracket \(mine.bracket); load average \(String(format: "%.1f", load))"),
                    Figure(
                        key: "sip_ceiling_calls_per_sec", value: theirs.best, unit: "calls/s", target: .none,
                        note: "the C ceiling (Benchmarks/sip-ceiling/ceiling.c on libre: answers, streams a tone on one 20 ms timer, counts keys and BYEs) under the same SIPp scenario and search: \(steps(theirs)); bracket \(theirs.bracket); both searches took \(String(format: "%.1f", minutes)) min"),
                    Figure(
                        key: "sip_ratio_to_ceiling", value: theirs.best > 0 ? mine.best / theirs.best : .nan, unit: "", target: .atLeast(0.8),
                        note: "sip_calls_per_sec / sip_ceiling_calls_per_sec (each known to its bracket's width)"),
                    Figure(
                        key: "sip_cpu_s_per_1000_calls", value: cpu?.hotline ?? .nan, unit: "s", target: .none,
                        note: "the line process's CPU time (user + system, /proc/PID/stat) from SIPp's first call to 1 s after its last, per 1,000 calls, \(cpuHow)"),
                    Figure(
                        key: "sip_ceiling_cpu_s_per_1000_calls", value: cpu?.ceiling ?? .nan, unit: "s", target: .none,
                        note: "the C ceiling's, the same way and at the same rate"),
                    Figure(
                        key: "sip_cpu_ratio_to_ceiling", value: cpu.map { $0.ceiling / $0.hotline } ?? .nan, unit: "", target: .none,
                        note: "sip_ceiling_cpu_s_per_1000_calls / sip_cpu_s_per_1000_calls: the rate ratio's load-robust companion (what the ratio would be on a machine where CPU alone limits both)"),
                ]
            }
        }

        let heldKeys = ["sip_concurrent_calls", "sip_ceiling_concurrent_calls"]
        let held = quick ? 50 : 1_000
        let holdSeconds = quick ? 6 : 30
        if let missing = tools.missing([\.sipp, \.dumpcap, \.ceiling]) {
            let (reason, fix) = (missing.reason, missing.fix)
            measure(heldKeys) {
                [
                    .skipped("sip_concurrent_calls", unit: "calls", target: .atLeast(1_000), because: reason, fix: fix),
                    .skipped("sip_ceiling_concurrent_calls", unit: "calls", target: .none, because: reason, fix: fix),
                ]
            }
        } else {
            measure(heldKeys) {
                let rate = quick ? 50.0 : 100.0
                let mine = try SIPBenchmarks.held(
                    kind: .hotline, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: held, rate: rate,
                    hold: holdSeconds * 1000, capture: 2)
                let theirs = try SIPBenchmarks.held(
                    kind: .ceiling, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: held, rate: rate,
                    hold: holdSeconds * 1000, capture: 2)
                let how = "\(held) calls (SIPp -r \(Int(rate)), Benchmarks/sip/held-call.xml) held \(holdSeconds) s, counted when SIPp completed them (BYE answered 200) AND their stream carried ≥ 90% of its 20 ms packets in a 2 s capture on lo in the middle of the hold"
                return [
                    Figure(
                        key: "sip_concurrent_calls", value: Double(mine.flowing), unit: "calls", target: .atLeast(Double(held)),
                        note: "`hotline serve --sip` streaming the reference flow's prompts: \(how); \(mine.completed) completed, \(mine.rtp.streams) streams seen; load average \(String(format: "%.1f", mine.loadAverage)) during the hold"),
                    Figure(
                        key: "sip_ceiling_concurrent_calls", value: Double(theirs.flowing), unit: "calls", target: .none,
                        note: "the C ceiling streaming its tone, the same way: \(theirs.completed) completed, \(theirs.rtp.streams) streams seen"),
                ]
            }
        }

        let rtpKeys = ["rtp_mean_delta_ms", "rtp_jitter_ms", "rtp_ceiling_mean_delta_ms", "rtp_ceiling_jitter_ms"]
        let streams = quick ? 20 : 200
        if let missing = tools.missing([\.sipp, \.dumpcap, \.ceiling]) {
            let (reason, fix) = (missing.reason, missing.fix)
            measure(rtpKeys) {
                [
                    .skipped("rtp_mean_delta_ms", unit: "ms", target: .within(20, tolerance: 0.5), because: reason, fix: fix),
                    .skipped("rtp_jitter_ms", unit: "ms", target: .atMost(2), because: reason, fix: fix),
                ]
            }
        } else {
            measure(rtpKeys) {
                let mine = try SIPBenchmarks.held(
                    kind: .hotline, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: streams, rate: 100,
                    hold: 10_000, capture: 4)
                let theirs = try SIPBenchmarks.held(
                    kind: .ceiling, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: streams, rate: 100,
                    hold: 10_000, capture: 4)
                let how = "\(streams) calls held 10 s (SIPp -r 100); every RTP stream to SIPp captured on lo for 4 s once all were up (dumpcap), spacing and RFC 3550 jitter computed per stream as `tshark -z rtp,streams` does, averaged over streams"
                return [
                    Figure(
                        key: "rtp_mean_delta_ms", value: mine.rtp.meanDelta, unit: "ms", target: .within(20, tolerance: 0.5),
                        note: "Hotline's prompts: \(how); \(mine.rtp.streams) streams, \(mine.rtp.packets) packets; load average \(String(format: "%.1f", mine.loadAverage))"),
                    Figure(
                        key: "rtp_jitter_ms", value: mine.rtp.jitter, unit: "ms", target: .atMost(2),
                        note: "the same streams' mean jitter (worst stream's peak \(String(format: "%.2f", mine.rtp.maxJitter)) ms)"),
                    Figure(
                        key: "rtp_ceiling_mean_delta_ms", value: theirs.rtp.meanDelta, unit: "ms", target: .none,
                        note: "the C ceiling's tone, the same way: \(theirs.rtp.streams) streams, \(theirs.rtp.packets) packets"),
                    Figure(
                        key: "rtp_ceiling_jitter_ms", value: theirs.rtp.jitter, unit: "ms", target: .none,
                        note: "the C ceiling's mean jitter (worst stream's peak \(String(format: "%.2f", theirs.rtp.maxJitter)) ms)"),
                ]
            }
        }
    }

    /// Each key's value against the same key in an earlier `results.json`: a regression shows as a
    /// number (a ratio above 1 is more of the figure; whether that is better depends on its target).
    func compare(with path: String) {
        let earlier: [String: Double]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                print("error: --compare \(path) is not a JSON object of numbers (fix: give a results.json an earlier run wrote with --out)")
                return
            }
            earlier = object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        } catch {
            print("error: cannot read --compare \(path): \(error.localizedDescription) (fix: give a results.json an earlier run wrote with --out)")
            return
        }
        print("")
        print("against \(path):")
        let width = figures.map(\.key.count).max() ?? 0
        for figure in figures {
            let key = figure.key.padding(toLength: width, withPad: " ", startingAt: 0)
            guard let before = earlier[figure.key], before != 0, figure.value.isFinite else {
                print("  \(key)  (not in the earlier run)")
                continue
            }
            let ratio = figure.value / before
            let better: String
            switch figure.target {
            case .atLeast: better = ratio >= 1 ? "better" : "worse"
            case .atMost: better = ratio <= 1 ? "better" : "worse"
            case .within(let center, _): better = abs(figure.value - center) <= abs(before - center) ? "better" : "worse"
            case .none: better = ""
            }
            print("  \(key)  \(String(format: "%6.3f", ratio))×  (\(Figure.format(before)) → \(Figure.format(figure.value)))  \(better)")
        }
    }

    /// Prints the table and writes the JSON file; returns the exit status.
    func finish() -> Int32 {
        try? FileManager.default.removeItem(atPath: workFolder)
        let header = ["key", "value", "unit", "target", "status"]
        var rows = [header]
        for figure in figures {
            rows.append([figure.key, Figure.format(figure.value), figure.unit, figure.targetText, figure.skipped.map { "skipped: \($0)" } ?? figure.met.map { $0 ? "met" : "MISSED" } ?? "—"])
        }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        for (number, row) in rows.enumerated() {
            print(row.enumerated().map { index, cell in
                index == 1 ? String(repeating: " ", count: widths[index] - cell.count) + cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
            if number == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        print("")
        for figure in figures { print("\(figure.key): \(figure.note)") }
        print("")
        print("load average at the end: \(String(format: "%.1f", LoadAverage.oneMinute())) on \(ProcessInfo.processInfo.activeProcessorCount) cores (wall-clock figures are slower on a busy machine)")
        let missed = figures.filter { $0.met == false }.map(\.key)
        print("")
        let skipped = figures.filter { $0.skipped != nil }.count
        print("\(figures.filter { $0.met == true }.count) targets met, \(missed.count) missed" + (missed.isEmpty ? "" : ": " + missed.joined(separator: ", "))
            + (skipped > 0 ? "; \(skipped) rows skipped" : ""))
        for failure in failures { print("error: \(failure)") }
        if let earlier = options.compare { compare(with: earlier) }

        if let out = options.out {
            var object: [String: Double] = [:]
            for figure in figures where figure.value.isFinite { object[figure.key] = figure.value }
            do {
                let folder = (out as NSString).deletingLastPathComponent
                if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                try data.write(to: URL(fileURLWithPath: out))
                print("wrote \(out)")
            } catch {
                fail("cannot write \(out): \(error.localizedDescription)")
            }
        }
        return failures.isEmpty ? 0 : 1
    }
}
