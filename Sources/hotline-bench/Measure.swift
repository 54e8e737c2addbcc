import Foundation

/// One row of the results: a key of `.bench/results.json`, its value, and the target it is held to.
struct Figure {
    enum Target {
        /// The value must be at least this.
        case atLeast(Double)
        /// The value must be at most this.
        case atMost(Double)
        /// The value must be within `tolerance` of `center` (a packet spacing of 20 ± 0.5 ms).
        case within(Double, tolerance: Double)
        /// A limit or a context figure, not held to a target.
        case none
    }

    var key: String
    var value: Double
    var unit: String
    var target: Target
    /// How it was measured, printed under the table.
    var note: String
    /// Why the row could not be measured (a tool missing): shown in the status column, the value is
    /// not a number and stays out of results.json.
    var skipped: String? = nil

    /// A row that could not be measured in this run, and why.
    static func skipped(_ key: String, unit: String, target: Target, because reason: String, fix: String) -> Figure {
        Figure(key: key, value: .nan, unit: unit, target: target, note: "skipped: \(reason) (fix: \(fix))", skipped: reason)
    }

    var met: Bool? {
        if skipped != nil || value.isNaN { return nil }
        switch target {
        case .atLeast(let bound): return value >= bound
        case .atMost(let bound): return value <= bound
        case .within(let center, let tolerance): return abs(value - center) <= tolerance
        case .none: return nil
        }
    }

    var targetText: String {
        switch target {
        case .atLeast(let bound): "≥ " + Figure.format(bound)
        case .atMost(let bound): "≤ " + Figure.format(bound)
        case .within(let center, let tolerance): Figure.format(center) + " ± " + Figure.format(tolerance)
        case .none: "—"
        }
    }

    static func format(_ value: Double) -> String {
        if !value.isFinite { return "—" }
        if value >= 100 || value == value.rounded() {
            let formatter = NumberFormatter()
            formatter.numberStyle = .decimal
            formatter.maximumFractionDigits = 0
            formatter.groupingSeparator = ","
            formatter.usesGroupingSeparator = true
            return formatter.string(from: NSNumber(value: value.rounded())) ?? String(Int(value))
        }
        if value >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3f", value)
    }
}

/// Why a benchmark could not run: what failed and how to fix it.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Monotonic time.
enum Stopwatch {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }

    /// CPU time of the calling thread: what a pure, single-threaded benchmark costs, unaffected by
    /// the time other processes on a busy machine take the core away.
    static func cpuNow() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func cpuSeconds(since start: UInt64) -> Double { Double(cpuNow() - start) / 1e9 }

    /// Runs `body` once and returns the seconds it took.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return seconds(since: start)
    }
}

/// Medians and the like over repeated samples.
extension Array where Element == Double {
    var median: Double {
        guard !isEmpty else { return .nan }
        let sorted = self.sorted()
        return sorted.count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
    }

    var best: Double { self.min() ?? .nan }
}

/// The 1-minute load average, printed with the table: figures taken on a busy machine say so.
enum LoadAverage {
    static func oneMinute() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8), let first = text.split(separator: " ").first else { return .nan }
        return Double(first) ?? .nan
    }
}

/// Resident memory of this process, from `/proc/self/statm` (pages × page size).
enum ResidentMemory {
    static func bytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Runs another program (the `hotline` executable) and reports its output and wall time.
enum Subprocess {
    struct Outcome {
        var status: Int32
        var output: String
        var seconds: Double
    }

    static func run(_ executable: String, _ arguments: [String], in folder: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let start = Stopwatch.now()
        do {
            try process.run()
        } catch {
            throw BenchError("cannot run \(executable): \(error.localizedDescription); build it with `swift build -c release --product hotline` or pass --hotline PATH")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Stopwatch.seconds(since: start)
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), seconds: seconds)
    }
}
