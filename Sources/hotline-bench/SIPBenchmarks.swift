import Foundation
import GRDBSQLite

/// The SIP rows of `make bench`: SIPp against `hotline serve --sip` and against the C ceiling
/// (`Benchmarks/sip-ceiling/ceiling.c`, the least an answering endpoint on libre can do), on
/// 127.0.0.1 only, every process bounded in calls and time.
enum SIPBenchmarks {
    /// The line's number as the reference flow has it (`+1-844-751-7629`), as SIPp dials it.
    static let service = "18447517629"

    /// The programs the SIP rows need; a missing one skips its rows (`make deps` installs them).
    struct Tools {
        var sipp: String?
        var dumpcap: String?
        var ceiling: String?

        static func find(ceiling: String) -> Tools {
            Tools(
                sipp: which("sipp"), dumpcap: which("dumpcap"),
                ceiling: FileManager.default.isExecutableFile(atPath: ceiling) ? ceiling : nil)
        }

        /// Why the rows that need `tools` cannot run (for the status column, and how to fix it),
        /// or `nil` when they can.
        func missing(_ tools: [KeyPath<Tools, String?>]) -> (reason: String, fix: String)? {
            let names: [KeyPath<Tools, String?>: (String, String)] = [
                \.sipp: ("sipp not installed", "make deps installs Debian's sip-tester"),
                \.dumpcap: ("dumpcap not installed", "make deps installs Debian's tshark"),
                \.ceiling: ("C ceiling not built", "make bench builds it from Benchmarks/sip-ceiling/ceiling.c, or pass --ceiling PATH"),
            ]
            for tool in tools where self[keyPath: tool] == nil { return names[tool] }
            return nil
        }
    }

    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Which endpoint SIPp calls.
    enum Kind: String {
        case hotline
        case ceiling = "C ceiling"
    }

    /// What the endpoint counted itself (never only SIPp's word: under overload a resent INVITE's
    /// 200 can satisfy SIPp's BYE step).
    struct EndpointCount {
        /// Calls answered and ended by the caller's BYE (Hotline: call records with the run's
        /// Call-IDs and the outcome caller-hung-up).
        var completed: Int
        /// RFC 4733 keys taken.
        var keys: Int
    }

    /// `hotline serve --sip` or the ceiling, running on 127.0.0.1:`port` until `stop()`.
    final class Endpoint {
        let kind: Kind
        let process = Process()
        let log: String
        let database: String

        init(kind: Kind, hotline: String, ceiling: String?, port: UInt16, folder: String, database: String, maxSeconds: Int) throws {
            self.kind = kind
            self.database = database
            log = "\(folder)/\(kind == .hotline ? "hotline" : "ceiling")-\(port).log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            switch kind {
            case .hotline:
                process.executableURL = URL(fileURLWithPath: hotline)
                process.arguments = [
                    "serve", "--sip", "127.0.0.1:\(port)", "--db", database, "--ring", "0", "--max-calls", "10000",
                    "--flood-rate", "100000", "--stop-after", String(maxSeconds),
                ]
            case .ceiling:
                guard let ceiling else { throw BenchError("the C ceiling is not built") }
                process.executableURL = URL(fileURLWithPath: ceiling)
                process.arguments = ["127.0.0.1", String(port), "--stop-after", String(maxSeconds)]
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw BenchError("cannot run \(process.executableURL?.path ?? "?"): \(error.localizedDescription) (fix: make bench builds it, or pass --hotline/--ceiling PATH)")
            }
            // Wait (at most 60 s: the first start seeds the database) until it listens.
            let ready = kind == .hotline ? "Hotline answers" : "ceiling answers"
            for _ in 0..<600 {
                if output().contains(ready) { return }
                guard process.isRunning else { break }
                usleep(100_000)
            }
            stopNow()
            throw BenchError("\(kind.rawValue) did not start on 127.0.0.1:\(port):\n\(output().suffix(2000))")
        }

        func output() -> String {
            (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }

        /// The CPU time (user + system, every thread) the endpoint's process has used so far, from
        /// `/proc/PID/stat`; `nil` once it has exited or where there is no /proc.
        func cpuSeconds() -> Double? {
            guard process.isRunning else { return nil }
            return ProcessCPU.seconds(pid: process.processIdentifier)
        }

        private func stopNow() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        /// Ctrl-C, then what it counted. Waits at most 20 s before killing it.
        func stop(callIDPrefix: String) throws -> EndpointCount {
            if process.isRunning { kill(process.processIdentifier, SIGINT) }
            for _ in 0..<200 where process.isRunning { usleep(100_000) }
            stopNow()
            let text = output()
            switch kind {
            case .ceiling:
                guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("ceiling: answered") }) else {
                    throw BenchError("the C ceiling printed no counters:\n\(text.suffix(2000))")
                }
                let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                guard numbers.count >= 3 else { throw BenchError("the C ceiling's counters do not read: \(line)") }
                return EndpointCount(completed: min(numbers[0], numbers[2]), keys: numbers[1])
            case .hotline:
                let records = try SQLiteCount.scalar(
                    database, "SELECT count(*) FROM call_record WHERE sip_call_id LIKE '\(callIDPrefix)-%' AND outcome = 'caller-hung-up'")
                let keys = text.split(separator: "\n").filter { $0.hasPrefix("sip #") && $0.contains("press   1") }.count
                return EndpointCount(completed: records, keys: keys)
            }
        }
    }

    /// SIPp's own count of one run.
    struct SIPpResult {
        var successful = 0
        var failed = 0
        var retransmissions = 0
        var seconds = 0.0
    }

    /// One SIPp run, bounded by `timeout` seconds; `scenario` from Benchmarks/sip.
    static func runSIPp(
        _ sipp: String, scenario: String, port: UInt16, localPort: UInt16, mediaPort: UInt16, calls: Int, rate: Double, hold: Int,
        callIDPrefix: String, folder: String, timeout: Int
    ) throws -> SIPpResult {
        let stats = "\(folder)/\(callIDPrefix).csv"
        let scenarioPath = FileManager.default.currentDirectoryPath + "/Benchmarks/sip/\(scenario).xml"
        let arguments = [
            "-sf", scenarioPath, "-s", service, "127.0.0.1:\(port)", "-i", "127.0.0.1", "-p", String(localPort), "-mp", String(mediaPort),
            "-m", String(calls), "-r", String(format: "%.0f", rate), "-l", String(calls), "-d", String(hold), "-rtp_echo", "-nostdin",
            "-timeout", "\(timeout)s", "-timeout_error", "-cid_str", "\(callIDPrefix)-%u@bench", "-trace_stat", "-stf", stats,
            "-max_socket", "60000",
        ]
        let run = try Subprocess.run(sipp, arguments, in: folder)
        guard let text = try? String(contentsOfFile: stats, encoding: .utf8) else {
            throw BenchError("SIPp wrote no statistics (status \(run.status)):\n\(run.output.suffix(2000))")
        }
        let lines = text.split(separator: "\n")
        guard lines.count >= 2 else { throw BenchError("SIPp's statistics \(stats) have no rows") }
        let header = lines[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        let last = lines[lines.count - 1].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        func value(_ name: String) -> Int {
            guard let index = header.firstIndex(of: name), index < last.count else { return 0 }
            return Int(last[index].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return SIPpResult(
            successful: value("SuccessfulCall(C)"), failed: value("FailedCall(C)"), retransmissions: value("Retransmissions(C)"),
            seconds: run.seconds)
    }

    /// A port pair nobody else in this run uses.
    struct Ports {
        private var next: UInt16
        init() { next = 41_000 + UInt16.random(in: 0..<400) * 50 }
        mutating func take() -> (sip: UInt16, sipp: UInt16, media: UInt16) {
            defer { next += 10 }
            return (next, next + 1, next + 4)
        }
    }

    // MARK: - sip_calls_per_sec

    struct RateStep {
        var rate: Double
        var passed: Bool
        var summary: String
        /// The endpoint's CPU time (user + system) from before SIPp's first call to after its last
        /// BYE, per 1,000 calls: what a call costs, whatever else the machine does.
        var cpuPerThousand: Double?
    }

    struct RateResult {
        var best: Double
        /// The lowest rate that failed (`infinity` when none did: the search stopped at its ceiling).
        var lowestFailed: Double
        var steps: [RateStep]

        /// The bracket the highest passing rate lies in, for the notes: "1,250–1,312/s (5.0 %)".
        var bracket: String {
            guard best > 0 else { return "every rate down to \(Int(steps.map(\.rate).min() ?? 0))/s failed" }
            guard lowestFailed.isFinite else { return "≥ \(Int(best))/s (the search's ceiling passed)" }
            return String(format: "%.0f–%.0f/s (%.1f %%)", best, lowestFailed, (lowestFailed - best) / best * 100)
        }
    }

    /// One rate: `calls` short calls with one key each; passed when every call succeeded on SIPp's
    /// side AND the endpoint counted each call ended by its BYE and each key.
    static func rateStep(
        kind: Kind, tools: Tools, hotline: String, database: String, folder: String, ports: inout Ports, calls: Int, rate: Double
    ) throws -> RateStep {
        guard let sipp = tools.sipp else { throw BenchError("sipp is missing") }
        let port = ports.take()
        let prefix = "r\(Int(rate))-\(port.sip)"
        let endpoint = try Endpoint(kind: kind, hotline: hotline, ceiling: tools.ceiling, port: port.sip, folder: folder, database: database, maxSeconds: 600)
        let cpuBefore = endpoint.cpuSeconds()
        let result: SIPpResult
        do {
            result = try runSIPp(
                sipp, scenario: "key-call", port: port.sip, localPort: port.sipp, mediaPort: port.media, calls: calls, rate: rate, hold: 500,
                callIDPrefix: prefix, folder: folder, timeout: Int(Double(calls) / rate) + 60)
        } catch {
            _ = try? endpoint.stop(callIDPrefix: prefix)
            throw error
        }
        // The last BYEs are answered before their records are saved: give them a moment.
        usleep(1_000_000)
        let cpuAfter = endpoint.cpuSeconds()
        let counted = try endpoint.stop(callIDPrefix: prefix)
        let passed = result.successful == calls && result.failed == 0 && counted.completed == calls && counted.keys >= calls
        var cpuPerThousand: Double?
        if let cpuBefore, let cpuAfter { cpuPerThousand = (cpuAfter - cpuBefore) / Double(calls) * 1000 }
        let summary = String(
            format: "%@ %.0f/s: SIPp %d ok, %d failed, %d resent; %@ %d ended by BYE, %d keys; CPU %@ s per 1,000 calls", kind.rawValue, rate,
            result.successful, result.failed, result.retransmissions, kind == .hotline ? "records" : "endpoint", counted.completed, counted.keys,
            cpuPerThousand.map { String(format: "%.3f", $0) } ?? "?")
        FileHandle.standardError.write(Data("hotline-bench:   \(summary) \(passed ? "— ok" : "— FAILED")\n".utf8))
        return RateStep(rate: rate, passed: passed, summary: summary, cpuPerThousand: cpuPerThousand)
    }

    /// The highest rate (calls/s) at which every one of `calls` calls succeeds: from `start`,
    /// doubling while it passes (up to `ceiling`) or halving while it fails (down to `floor`), then
    /// bisecting between the best rate that passed and the lowest that failed until they are within
    /// `precision` of each other (5 %: three to four more steps from a factor of two), at most
    /// `maxSteps` steps in all. The same search for Hotline and the ceiling.
    static func callRate(
        kind: Kind, tools: Tools, hotline: String, database: String, folder: String, ports: inout Ports, calls: Int,
        start: Double = 500, floor: Double = 62.5, ceiling: Double = 2000, precision: Double = 0.05, maxSteps: Int = 10
    ) throws -> RateResult {
        var steps: [RateStep] = []
        var best = 0.0
        var lowestFailed = Double.infinity
        var rate = start
        func step(_ rate: Double) throws -> RateStep {
            let step = try rateStep(kind: kind, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: calls, rate: rate)
            steps.append(step)
            if step.passed { best = max(best, rate) } else { lowestFailed = min(lowestFailed, rate) }
            return step
        }
        while steps.count < maxSteps {
            if try step(rate).passed {
                if lowestFailed.isFinite || rate * 2 > ceiling { break }
                rate *= 2
            } else {
                if best > 0 || rate / 2 < floor { break }
                rate /= 2
            }
        }
        while best > 0, lowestFailed.isFinite, (lowestFailed - best) / best > precision, steps.count < maxSteps {
            _ = try step(((best + lowestFailed) / 2).rounded())
        }
        return RateResult(best: best, lowestFailed: lowestFailed, steps: steps)
    }

    /// CPU seconds per 1,000 calls of Hotline and the ceiling at one rate both passed (the highest
    /// such rate of their searches; when they share none, one more step each at the lower best,
    /// halved up to twice more while either fails: on a busy machine a rate passed once can fail).
    static func commonCPU(
        _ mine: RateResult, _ theirs: RateResult, tools: Tools, hotline: String, database: String, folder: String, ports: inout Ports, calls: Int
    ) throws -> (rate: Double, hotline: Double, ceiling: Double)? {
        func passing(_ result: RateResult) -> [Double: Double] {
            var costs: [Double: Double] = [:]
            for step in result.steps where step.passed { if let cpu = step.cpuPerThousand { costs[step.rate] = cpu } }
            return costs
        }
        let a = passing(mine)
        let b = passing(theirs)
        if let rate = Set(a.keys).intersection(b.keys).max(), let x = a[rate], let y = b[rate] { return (rate, x, y) }
        var rate = min(mine.best, theirs.best).rounded()
        for _ in 0..<3 where rate >= 1 {
            let x = try rateStep(kind: .hotline, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: calls, rate: rate)
            let y = try rateStep(kind: .ceiling, tools: tools, hotline: hotline, database: database, folder: folder, ports: &ports, calls: calls, rate: rate)
            if x.passed, y.passed, let cx = x.cpuPerThousand, let cy = y.cpuPerThousand { return (rate, cx, cy) }
            rate = (rate / 2).rounded()
        }
        return nil
    }

    // MARK: - sip_concurrent_calls, rtp_mean_delta_ms, rtp_jitter_ms

    struct HeldResult {
        /// Calls SIPp completed (held for the whole hold and hung up with BYE, answered 200).
        var completed: Int
        /// Streams that carried at least 90% of their packets during the capture.
        var flowing: Int
        var rtp: RTPCapture.Summary
        var loadAverage: Double
    }

    /// `calls` calls held `hold` ms with prompts streaming; RTP captured on loopback (dumpcap) for
    /// `capture` seconds once every call is up; `flowing` counts the streams that carried RTP.
    static func held(
        kind: Kind, tools: Tools, hotline: String, database: String, folder: String, ports: inout Ports, calls: Int, rate: Double,
        hold: Int, capture: Int
    ) throws -> HeldResult {
        guard let sipp = tools.sipp, let dumpcap = tools.dumpcap else { throw BenchError("sipp or dumpcap is missing") }
        let port = ports.take()
        let prefix = "h\(calls)-\(port.sip)"
        let endpoint = try Endpoint(kind: kind, hotline: hotline, ceiling: tools.ceiling, port: port.sip, folder: folder, database: database, maxSeconds: 600)
        let pcap = "\(folder)/\(prefix).pcap"
        let ramp = Double(calls) / rate
        // Capture in the middle of the hold: every call is up, none has hung up yet.
        let delay = ramp + max(1, (Double(hold) / 1000 - ramp - Double(capture)) / 2)
        let capturer = Process()
        capturer.executableURL = URL(fileURLWithPath: dumpcap)
        capturer.arguments = [
            "-q", "-i", "lo", "-f", "udp and dst port \(port.media) and src portrange 20000-39999", "-P", "-a", "duration:\(capture)",
            "-B", "64", "-w", pcap,
        ]
        capturer.standardOutput = FileHandle.nullDevice
        capturer.standardError = FileHandle.nullDevice
        let captureQueue = DispatchQueue(label: "hotline-bench-capture")
        let captured = DispatchSemaphore(value: 0)
        captureQueue.asyncAfter(deadline: .now() + delay) {
            try? capturer.run()
            capturer.waitUntilExit()
            captured.signal()
        }
        let result: SIPpResult
        do {
            result = try runSIPp(
                sipp, scenario: "held-call", port: port.sip, localPort: port.sipp, mediaPort: port.media, calls: calls, rate: rate, hold: hold,
                callIDPrefix: prefix, folder: folder, timeout: Int(ramp) + hold / 1000 + 60)
        } catch {
            _ = try? endpoint.stop(callIDPrefix: prefix)
            throw error
        }
        // The last minute: mostly the hold.
        let loadAverage = LoadAverage.oneMinute()
        _ = captured.wait(timeout: .now() + 30)
        if capturer.isRunning { capturer.terminate() }
        _ = try? endpoint.stop(callIDPrefix: prefix)
        let summary = try RTPCapture.read(path: pcap, seconds: Double(capture))
        try? FileManager.default.removeItem(atPath: pcap)
        let flowing = min(summary.flowing, result.successful)
        FileHandle.standardError.write(
            Data(
                "hotline-bench:   \(kind.rawValue) \(calls) held \(hold / 1000) s: SIPp \(result.successful) ok, \(result.failed) failed; \(summary.streams) RTP streams, \(summary.flowing) flowing; mean delta \(String(format: "%.2f", summary.meanDelta)) ms, jitter \(String(format: "%.2f", summary.jitter)) ms\n"
                    .utf8))
        return HeldResult(completed: result.successful, flowing: flowing, rtp: summary, loadAverage: loadAverage)
    }
}

/// The RTP streams of a loopback capture (classic pcap, as `dumpcap -P` writes): per stream
/// the packets, the mean spacing and the RFC 3550 interarrival jitter, as `tshark -z rtp,streams`
/// computes them.
enum RTPCapture {
    struct Summary {
        /// Streams seen (by source port).
        var streams = 0
        /// Streams with at least 90% of the packets 20 ms spacing gives over the capture.
        var flowing = 0
        /// The mean over streams of each stream's mean packet spacing, in ms.
        var meanDelta = Double.nan
        /// The mean over streams of each stream's mean RFC 3550 jitter, in ms.
        var jitter = Double.nan
        /// The highest jitter any stream reached, in ms.
        var maxJitter = Double.nan
        var packets = 0
    }

    private struct Stream {
        var packets = 0
        var firstArrival = 0.0
        var lastArrival = 0.0
        var lastTimestamp: UInt32 = 0
        var jitter = 0.0
        var jitterSum = 0.0
        var maxJitter = 0.0
    }

    static func read(path: String, seconds: Double) throws -> Summary {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 24 else {
            throw BenchError("the capture \(path) is missing or empty (dumpcap could not capture on lo? fix: run as root or give dumpcap the capture capability)")
        }
        let bytes = [UInt8](data)
        func u32(_ at: Int, swapped: Bool) -> UInt32 {
            let value = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            return swapped ? value.byteSwapped : value
        }
        func be16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        func be32(_ at: Int) -> UInt32 { UInt32(be16(at)) << 16 | UInt32(be16(at + 2)) }
        let magic = u32(0, swapped: false)
        let swapped: Bool
        let nanoseconds: Bool
        switch magic {
        case 0xA1B2_C3D4: (swapped, nanoseconds) = (false, false)
        case 0xD4C3_B2A1: (swapped, nanoseconds) = (true, false)
        case 0xA1B2_3C4D: (swapped, nanoseconds) = (false, true)
        case 0x4D3C_B2A1: (swapped, nanoseconds) = (true, true)
        default: throw BenchError("\(path) is not a classic pcap file (magic \(String(magic, radix: 16))); capture with dumpcap -P")
        }
        let linkHeader: Int
        switch u32(20, swapped: swapped) {
        case 1: linkHeader = 14  // Ethernet (Linux loopback)
        case 113: linkHeader = 16  // Linux cooked
        case 276: linkHeader = 20  // Linux cooked v2
        case let other: throw BenchError("\(path): link type \(other) is not read here (Ethernet or Linux cooked expected)")
        }
        var streams: [Int: Stream] = [:]
        var offset = 24
        var total = 0
        while offset + 16 <= bytes.count {
            let time = Double(u32(offset, swapped: swapped)) + Double(u32(offset + 4, swapped: swapped)) / (nanoseconds ? 1e9 : 1e6)
            let length = Int(u32(offset + 8, swapped: swapped))
            let packet = offset + 16
            offset = packet + length
            guard offset <= bytes.count, length >= linkHeader + 20 else { break }
            let ip = packet + linkHeader
            guard bytes[ip] >> 4 == 4 else { continue }
            let udp = ip + Int(bytes[ip] & 0x0F) * 4
            let rtp = udp + 8
            guard rtp + 12 <= packet + length, bytes[ip + 9] == 17, bytes[rtp] >> 6 == 2 else { continue }
            let source = be16(udp)
            let timestamp = be32(rtp + 4)
            total += 1
            var stream = streams[source] ?? Stream()
            if stream.packets == 0 {
                stream.firstArrival = time
            } else {
                // RFC 3550 §6.4.1, in ms: D = (Rj − Ri) − (Sj − Si), J += (|D| − J) / 16.
                let transit = (time - stream.lastArrival) * 1000 - Double(Int32(bitPattern: timestamp &- stream.lastTimestamp)) / 8
                stream.jitter += (abs(transit) - stream.jitter) / 16
                stream.jitterSum += stream.jitter
                stream.maxJitter = max(stream.maxJitter, stream.jitter)
            }
            stream.packets += 1
            stream.lastArrival = time
            stream.lastTimestamp = timestamp
            streams[source] = stream
        }
        var summary = Summary(streams: streams.count, packets: total)
        let expected = seconds * 50
        let measured = streams.values.filter { $0.packets >= 2 }
        summary.flowing = streams.values.filter { Double($0.packets) >= expected * 0.9 }.count
        guard !measured.isEmpty else { return summary }
        summary.meanDelta = measured.map { ($0.lastArrival - $0.firstArrival) * 1000 / Double($0.packets - 1) }.reduce(0, +) / Double(measured.count)
        summary.jitter = measured.map { $0.jitterSum / Double($0.packets - 1) }.reduce(0, +) / Double(measured.count)
        summary.maxJitter = measured.map(\.maxJitter).max() ?? .nan
        return summary
    }
}

/// A process's CPU time from `/proc/PID/stat` (utime + stime, every thread).
enum ProcessCPU {
    static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state is field 3, utime 14 and stime 15 (1-based).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// One integer from a SQLite database (the line's call records), read with the SQLite C API.
enum SQLiteCount {
    static func scalar(_ path: String, _ query: String) throws -> Int {
        var database: OpaquePointer?
        guard sqlite3_open_v2(path, &database, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            sqlite3_close(database)
            throw BenchError("cannot open \(path) to count the line's call records")
        }
        defer { sqlite3_close(database) }
        sqlite3_busy_timeout(database, 5000)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, query, -1, &statement, nil) == SQLITE_OK else {
            throw BenchError("\(path): \(String(cString: sqlite3_errmsg(database))) in \(query)")
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { return 0 }
        return Int(sqlite3_column_int64(statement, 0))
    }
}
