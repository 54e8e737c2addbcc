import Foundation
import HotlineApp
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRota
import HotlineRuntime

enum MemoryBenchmarks {
    /// 10,000 reference calls alive at once, each answered and waiting in the Customer Care menu
    /// (the caller identified, the welcome played): resident memory per call.
    static func concurrentCalls(_ bench: BenchSystems, count: Int) throws -> (alive: Int, bytesPerCall: Double) {
        // Warm up everything shared (flow, catalog, connections, caches) before the baseline.
        for _ in 0..<100 {
            var call = bench.makeCall()
            ReferenceCall.run(&call)
        }
        var calls: [VirtualCall] = []
        calls.reserveCapacity(count)
        let before = ResidentMemory.bytes()
        for index in 0..<count {
            var call = bench.makeCall(at: ReferenceCall.at.addingTimeInterval(Double(index)))
            call.answer()
            ReferenceCall.waitForInput(&call)
            call.press("1")
            ReferenceCall.waitForInput(&call)
            calls.append(call)
        }
        let after = ResidentMemory.bytes()
        let alive = calls.filter { $0.machine.end == nil && $0.machine.currentNode == "cc_menu" }.count
        guard alive == count else {
            throw BenchError("only \(alive) of \(count) calls reached the Customer Care menu; the flow or the bench's script is out of date")
        }
        // Finish a few, so the calls are live drivers and not just memory.
        for index in stride(from: 0, to: count, by: count / 10) {
            calls[index].say(ReferenceCall.utterance)
        }
        return (alive, Double(after - before) / Double(count))
    }
}

enum RotaBenchmarks {
    /// Who is on call (every line) at random instants over two years of the reference rota.
    static func lookups(seconds budget: Double) throws -> (rate: Double, note: String) {
        let rota = try Rota.load(path: Defaults.rota)
        let from = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let to = Date(timeIntervalSince1970: 1_830_297_600)  // 2028-01-01T00:00:00Z
        let timeline = rota.timeline(from: from, to: to)
        var random = SplitMix64(seed: 42)
        let span = UInt64(to.timeIntervalSince1970 - from.timeIntervalSince1970)
        let instants = (0..<100_000).map { _ in Date(timeIntervalSince1970: from.timeIntervalSince1970 + Double(random.next() % span)) }
        var rates: [Double] = []
        var nobody = 0
        for _ in 0..<5 {
            var queries = 0
            let start = Stopwatch.cpuNow()
            repeat {
                for instant in instants where timeline.who(at: instant).primary == nil { nobody += 1 }
                queries += instants.count
            } while Stopwatch.cpuSeconds(since: start) < budget / 5
            rates.append(Double(queries) / Stopwatch.cpuSeconds(since: start))
        }
        let note = "RotaTimeline.who(at:) (all \(rota.lines.count) lines) at 100,000 seeded random instants in 2026–2027, timeline built once; per second of the thread's CPU time, best of 5"
            + (nobody > 0 ? "; \(nobody) queries found nobody on primary" : "")
        return (rates.max()!, note)
    }

    /// One year of the reference rota, with its overrides, resolved and drawn as `hotline rota show` does.
    static func yearRender() throws -> (ms: Double, lines: Int) {
        let rota = try Rota.load(path: Defaults.rota)
        guard let zone = ZoneRules(identifier: "UTC") else { throw BenchError("no UTC zone rules") }
        let from = Date(timeIntervalSince1970: 1_780_272_000)  // 2026-06-01T00:00:00Z
        let to = Date(timeIntervalSince1970: 1_811_808_000)  // 2027-06-01T00:00:00Z: both overrides inside
        var samples: [Double] = []
        var lines = 0
        for _ in 0..<21 {
            let start = Stopwatch.cpuNow()
            let text = rota.timeline(from: from, to: to).render(zone: zone)
            samples.append(Stopwatch.cpuSeconds(since: start) * 1000)
            lines = text.split(separator: "\n").count
        }
        return (samples.median, lines)
    }
}

enum AudioBenchmarks {
    /// From `PromptPlayer.play` to the first frames `snd_pcm_writei` accepted, on ALSA's `file`
    /// plugin, device opened once as a live call does. Median of 50 plays of a prompt.
    static func firstFrame(folder: String, plays: Int = 50) throws -> (median: Double, worst: Double) {
        let loaded = try FlowFile.load(path: Defaults.flow)
        guard let catalog = loaded.catalog else { throw BenchError("\(Defaults.flow) names no prompt catalog") }
        let raw = (folder as NSString).appendingPathComponent("audio.raw")
        let output = try PCMPlayer(device: "file:'\(raw)',raw", pacing: .device)
        let player = PromptPlayer(catalog: catalog, output: output)
        try player.preload()
        var samples: [Double] = []
        for index in 0..<(plays + 5) {
            let report = try player.play(["gsc.welcome"]).wait()
            guard case .finished = report.outcome, let latency = report.firstFramesLatency else {
                throw BenchError("a playback on the ALSA file plugin ended \(report.outcome) with \(report.framesWritten) frames written")
            }
            if index >= 5 { samples.append(Double(latency.components.attoseconds) / 1e15 + Double(latency.components.seconds) * 1000) }
        }
        return (samples.median, samples.max() ?? .nan)
    }
}

enum ProcessBenchmarks {
    /// The full path of a program on `PATH`, or `nil`.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = (String(folder) as NSString).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `hotline flow check Fixtures/flows/gsc.yaml` as a whole process: median of 11 runs.
    static func flowCheck(hotline: String) throws -> Double {
        var samples: [Double] = []
        for _ in 0..<12 {
            let run = try Subprocess.run(hotline, ["flow", "check", Defaults.flow])
            guard run.status == 0 else { throw BenchError("`hotline flow check \(Defaults.flow)` failed (\(run.status)):\n\(run.output)") }
            samples.append(run.seconds * 1000)
        }
        return Array(samples.dropFirst()).median
    }

    /// `hotline test` over `count` scenario files, copies of the reference scenarios, `--jobs 2`.
    static func scenarioSuite(hotline: String, folder: String, count: Int) throws -> (seconds: Double, passed: Int, failed: Int, references: Int) {
        let source = (Defaults.scenarios as NSString).appendingPathComponent("gsc")
        let fixtures = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("Fixtures")
        // Scenario paths (`rota:`, `agents:`) are relative to the file: point them at Fixtures. The
        // durability scenarios (`database: file`) are left out: the suite measures the in-memory copies.
        let references = try FileManager.default.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".yaml") }.sorted().map { name in
            (name, try String(contentsOfFile: (source as NSString).appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "../../", with: fixtures + "/"))
        }.filter { !$0.1.contains("\ndatabase: file") }
        let names = references.map(\.0)
        let texts = references.map(\.1)
        guard !names.isEmpty else { throw BenchError("no reference scenarios in \(source)") }
        let target = (folder as NSString).appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for index in 0..<count {
            let name = String(format: "%05d-", index) + names[index % names.count]
            try texts[index % texts.count].write(toFile: (target as NSString).appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        let run = try Subprocess.run(hotline, ["test", target, "--jobs", "2", "--quiet"])
        let summary = run.output.split(separator: "\n").last.map(String.init) ?? ""
        let numbers = summary.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 2 else { throw BenchError("`hotline test` printed no summary (status \(run.status)):\n\(run.output.suffix(2000))") }
        return (run.seconds, numbers[0], numbers[1], names.count)
    }

    /// Calls through `hotline simulate` on the reference staffing plan, as a whole process, long
    /// enough that start-up is noise: offered calls per second of wall time.
    static func routedCalls(hotline: String, hours: Int) throws -> (rate: Double, calls: Int, seconds: Double) {
        let run = try Subprocess.run(hotline, ["simulate", "--plan", "Fixtures/routing/plan.yaml", "--hours", String(hours), "--json"])
        guard run.status == 0, let data = run.output.data(using: .utf8),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let total = object["total"] as? [String: Any], let offered = total["offered"] as? Int
        else { throw BenchError("`hotline simulate` failed or printed no total (status \(run.status)):\n\(run.output.prefix(2000))") }
        return (Double(offered) / run.seconds, offered, run.seconds)
    }
}
