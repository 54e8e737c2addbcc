import Foundation
import HotlineApp

// `hotline-bench`: every benchmark of `make bench`, each against its target in the same run; a
// table on stdout and one JSON object (numbers only) at --out.
//
//   hotline-bench [--hotline PATH] [--out FILE] [--quick] [--only KEY,KEY] [--trace-sql] [--compare FILE]
//                 [--ceiling PATH]
//
// Run it from the repository root (it reads Fixtures/ and Prompts/). --quick shortens every
// measurement (for the smoke test); --only runs the named benchmarks (keys or their prefixes);
// --compare prints each key's ratio to an earlier results.json. `--pure-calls N` only runs the
// reference call N times on the bare state machine (what the callgrind row counts under valgrind);
// `--scripted-calls N` runs it N times end to end on the real systems (to profile the write path:
// `valgrind --tool=callgrind hotline-bench --scripted-calls 1000`); `--ceiling-calls N` runs only the
// SQLite ceiling's writes of N calls (the same count for the ceiling); `--reopen-calls N` only sets the
// reference case back to open N times (what `--scripted-calls N` does before each call: take it off);
// `--scenarios PATH` runs
// `hotline test PATH --jobs 1 --quiet` in this process (to profile the scenario suite the same way).
// --ceiling is the C SIP endpoint the SIP rows compare Hotline with (`make bench` builds it from
// Benchmarks/sip-ceiling/ceiling.c); the SIP rows need sipp and dumpcap and are skipped without them.

struct Options {
    var hotline = ".build/release/hotline"
    var out: String?
    var quick = false
    var only: [String] = []
    var traceSQL = false
    var compare: String?
    var pureCalls: Int?
    var scriptedCalls: Int?
    var ceilingCalls: Int?
    var reopenCalls: Int?
    var scenarios: String?
    var ceiling = ".build/release/sip-ceiling"

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let next = rest.popFirst() else { fail("\(flag) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--hotline": options.hotline = value(argument)
            case "--out": options.out = value(argument)
            case "--quick": options.quick = true
            case "--only": options.only = value(argument).split(separator: ",").map(String.init)
            case "--trace-sql": options.traceSQL = true
            case "--compare": options.compare = value(argument)
            case "--ceiling": options.ceiling = value(argument)
            case "--pure-calls":
                let text = value(argument)
                guard let count = Int(text), count >= 0 else { fail("--pure-calls takes a count of calls, not '\(text)' (fix: --pure-calls 1000)") }
                options.pureCalls = count
            case "--scripted-calls":
                let text = value(argument)
                guard let count = Int(text), count >= 0 else { fail("--scripted-calls takes a count of calls, not '\(text)' (fix: --scripted-calls 1000)") }
                options.scriptedCalls = count
            case "--reopen-calls":
                let text = value(argument)
                guard let count = Int(text), count >= 0 else { fail("--reopen-calls takes a count, not '\(text)' (fix: --reopen-calls 1000)") }
                options.reopenCalls = count
            case "--ceiling-calls":
                let text = value(argument)
                guard let count = Int(text), count >= 0 else { fail("--ceiling-calls takes a count of calls, not '\(text)' (fix: --ceiling-calls 1000)") }
                options.ceilingCalls = count
            case "--scenarios": options.scenarios = value(argument)
            case "-h", "--help":
                print("usage: hotline-bench [--hotline PATH] [--out FILE] [--quick] [--only KEY,KEY] [--trace-sql] [--compare FILE] [--ceiling PATH] [--pure-calls N] [--scripted-calls N] [--ceiling-calls N] [--reopen-calls N] [--scenarios PATH]")
                exit(0)
            default: fail("unknown argument '\(argument)'; see --help")
            }
        }
        return options
    }

    func wants(_ key: String) -> Bool { only.isEmpty || only.contains { key.hasPrefix($0) } }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("hotline-bench: \(message)\n".utf8))
    exit(2)
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
guard FileManager.default.fileExists(atPath: Defaults.flow) else {
    fail("run me from the repository root: \(Defaults.flow) is not here (\(FileManager.default.currentDirectoryPath))")
}
if let calls = options.pureCalls {
    do {
        try CallBenchmarks.pureCalls(calls)
        exit(0)
    } catch {
        fail("\(error)")
    }
}
if let calls = options.scriptedCalls {
    do {
        try CallBenchmarks.scriptedCalls(calls)
        exit(0)
    } catch {
        fail("\(error)")
    }
}
if let calls = options.reopenCalls {
    do {
        try BenchSystems.reopenCalls(calls)
        exit(0)
    } catch {
        fail("\(error)")
    }
}
if let calls = options.ceilingCalls {
    do {
        try StoreBenchmarks.ceilingCalls(calls)
        exit(0)
    } catch {
        fail("\(error)")
    }
}
if let scenarios = options.scenarios {
    do {
        var run = ScenarioTestRun(paths: [scenarios])
        run.quiet = true
        let outcome = try run.run(out: { print($0) })
        print(outcome.summary)
        exit(outcome.failed == 0 ? 0 : 1)
    } catch {
        fail("\(error)")
    }
}
var run = BenchRun(options: options)
run.all()
exit(run.finish())
