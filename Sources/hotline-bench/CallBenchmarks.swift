import Foundation
import GRDB
import HotlineApp
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore

/// The reference escalation call (scenario `01-escalation-by-voice-after-hours`): Dana Whitfield of
/// Acme Networks calls at 3 a.m. on a Saturday, presses 1, asks for an escalation manager, types
/// case 00345678; the escalation is recorded, the Escalation Manager on call paged, the call ends.
enum ReferenceCall {
    static let callerID = "+1 408 555 0100"
    static let caseNumber = "00345678"
    static let utterance = "I'd like an escalation manager please"
    /// 2026-12-05T03:00:00-08:00, a Saturday night: the on-call path, not the desk.
    static let at = Date(timeIntervalSince1970: 1_796_468_400)

    /// Places the call on a virtual-time driver and runs it to its end, as a patient caller would.
    static func run(_ call: inout VirtualCall) {
        call.answer()
        waitForInput(&call)
        call.press("1")
        waitForInput(&call)
        call.say(utterance)
        waitForInput(&call)
        for key in caseNumber { call.press(key) }
        call.runToEnd()
    }

    static func waitForInput(_ call: inout VirtualCall) {
        while call.machine.end == nil, !call.isWaitingForInput, call.step() {}
    }

    /// The same call on the bare state machine, with canned integration answers: no driver, no
    /// store. Returns how many events the machine took. The actions go into one buffer the driver
    /// owns and empties, as the call session does.
    static func runPure(flow: Flow, results: [ActionKind: ActionResult], at now: Date) -> (events: Int, end: CallEnd?) {
        var driver = PureDriver(machine: CallStateMachine(flow: flow))
        driver.machine.answered(callerID: callerID, dialled: nil, at: now, into: &driver.actions)
        driver.performActions(results: results, at: now)
        var inputs = 0
        let keys = Array(caseNumber)
        while driver.machine.end == nil {
            driver.events += 1
            if let id = driver.playing {
                driver.playing = nil
                driver.machine.promptFinished(id, at: now, into: &driver.actions)
            } else if inputs < 2 + keys.count {
                switch inputs {
                case 0: driver.machine.digitReceived("1", at: now, into: &driver.actions)
                case 1: driver.machine.utteranceReceived(utterance, at: now, into: &driver.actions)
                default: driver.machine.digitReceived(keys[inputs - 2], at: now, into: &driver.actions)
                }
                inputs += 1
            } else if let pending = driver.timer {
                driver.timer = nil
                driver.machine.timerFired(pending, at: now, into: &driver.actions)
            } else {
                driver.events -= 1
                break
            }
            driver.performActions(results: results, at: now)
        }
        return (driver.events, driver.machine.end)
    }

    /// The pure run's driver: what plays, which timer is armed, the action buffer.
    struct PureDriver {
        var machine: CallStateMachine
        var actions: [CallAction] = []
        var events = 1
        var playing: Int?
        var timer: CallTimer?

        init(machine: CallStateMachine) {
            self.machine = machine
            actions.reserveCapacity(8)
        }

        /// Performs the buffered actions in order; an integration answers at once, and what the
        /// machine does with its result is performed next.
        mutating func performActions(results: [ActionKind: ActionResult], at now: Date) {
            var index = 0
            while index < actions.count {
                switch actions[index] {
                case .play(let play): playing = play.id
                case .stopPlayback: playing = nil
                case .startTimer(let started, _): timer = started
                case .cancelTimer: timer = nil
                case .perform(let request):
                    events += 1
                    machine.actionCompleted(request.id, result: results[request.kind] ?? ActionResult(outcome: "error"), at: now, into: &actions)
                case .transfer, .hangUp: break
                }
                index += 1
            }
            actions.removeAll(keepingCapacity: true)
        }
    }

    /// What the real integrations answer for the reference caller, for the pure run.
    static let cannedResults: [ActionKind: ActionResult] = [
        .identifyCaller: ActionResult(outcome: "known", variables: [
            "caller.known": "true", "caller.name": "Dana Whitfield", "caller.account": "100234",
            "caller.account_name": "Acme Networks", "caller.tier": "platinum", "caller.open_cases": "2",
        ]),
        .validateCase: ActionResult(outcome: "valid", variables: [
            "case.number": caseNumber, "case.priority": "P2", "case.status": "open", "case.level": "L1", "case.skill": "routing",
        ]),
        .recordEscalation: ActionResult(outcome: "recorded", variables: ["escalation.id": "ESC-1", "case.status": "escalated"]),
        .pageOnCall: ActionResult(outcome: "paged", variables: ["page.id": "PG-000001", "page.to": "Mia Chen", "page.level": "1"]),
    ]
}

/// The reference line's systems on one SQLite file in a temporary folder: the seeded case store,
/// the paging outbox on the reference rota, the simulated router. One per benchmark that needs it.
final class BenchSystems {
    let folder: String
    let path: String
    let systems: LineSystems
    let loaded: LoadedFlow
    let lengths: any PromptLengths

    init() throws {
        folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hotline-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = (folder as NSString).appendingPathComponent("bench.sqlite")
        systems = try LineWiring(database: path, start: ReferenceCall.at, seeding: .whenEmpty(at: ScenarioSystems.seedTime)).open().systems
        loaded = try FlowFile.load(path: Defaults.flow)
        guard let catalog = loaded.catalog else { throw BenchError("\(Defaults.flow) names no prompt catalog") }
        lengths = WAVPromptLengths(catalog: catalog)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Sets the reference case back to `open` (one UPDATE, by SQL: setting up, not measured), so
    /// that the next reference call records a new escalation and pages level 1 — a paging
    /// escalation, its page and the page's delivery — as the first call does and as the ceiling
    /// writes on every call. Called on the case it escalated, a call joins the open escalation and
    /// writes less (no paging escalation, no page, no delivery commit): that would compare less
    /// work with more. (Fresh cases instead would pile up the caller's open cases, which the
    /// look-up lists.)
    func reopen() throws {
        try systems.database.writer.write { db in
            try db.execute(sql: "UPDATE support_case SET status = 'open' WHERE number = ?", arguments: [ReferenceCall.caseNumber])
        }
    }

    /// `reopen` `count` times and nothing else: what `hotline-bench --reopen-calls N` runs under
    /// callgrind, to take reopening off `--scripted-calls N`.
    static func reopenCalls(_ count: Int) throws {
        let bench = try BenchSystems()
        for _ in 0..<count { try bench.reopen() }
    }

    func makeCall(at start: Date = ReferenceCall.at) -> VirtualCall {
        VirtualCall(
            flow: loaded.flow, integrations: systems.integrations, callerID: ReferenceCall.callerID, at: start,
            lengths: lengths, catalog: loaded.catalog, keepsLog: false)
    }
}

enum CallBenchmarks {
    /// The reference call `count` times on the bare state machine and nothing else: what
    /// `callgrind_instructions_per_call` runs under valgrind.
    static func pureCalls(_ count: Int) throws {
        let loaded = try FlowFile.load(path: Defaults.flow)
        var completed = 0
        for _ in 0..<count where ReferenceCall.runPure(flow: loaded.flow, results: ReferenceCall.cannedResults, at: ReferenceCall.at).end?.outcome == "completed" {
            completed += 1
        }
        guard completed == count else { throw BenchError("\(count - completed) of \(count) reference calls did not complete") }
    }

    /// The reference call `count` times end to end on the real systems (seeded store on a WAL file,
    /// pager, router): what `valgrind --tool=callgrind hotline-bench --scripted-calls N` profiles.
    /// Each call finds the reference case open again (`BenchSystems.reopen`), so each pages as the
    /// ceiling writes; `--reopen-calls N` counts what reopening costs, to take it off.
    static func scriptedCalls(_ count: Int) throws {
        let bench = try BenchSystems()
        for _ in 0..<count {
            try bench.reopen()
            var call = bench.makeCall()
            ReferenceCall.run(&call)
            guard call.machine.end?.outcome == "completed" else {
                throw BenchError("a reference call ended \(call.machine.end?.outcome ?? "not at all"), not completed")
            }
        }
    }

    /// The ceiling of `callgrind_instructions_per_call`: 79,212 measured (2026-11-30, with
    /// deterministic hashing: an action's arguments and results as `NamedValues`, its inputs read
    /// in place) plus 3 % of head room. Instruction counts barely move between runs, so a change
    /// that costs more shows here first.
    static let instructionCeiling: Double = 81_600

    /// Instructions one reference call on the bare state machine executes, counted by callgrind:
    /// the bench runs itself under valgrind with 100 and with 1,100 calls and divides the
    /// difference by 1,000, so loading the flow and starting the process cancel out. Stable on a
    /// busy machine, unlike any clock. `nil` (with the reason) when valgrind is not installed.
    static func callgrindInstructions() throws -> (perCall: Double?, note: String) {
        guard let valgrind = ProcessBenchmarks.which("valgrind") else {
            return (nil, "skipped: valgrind is not installed (fix: apt-get install valgrind)")
        }
        guard let objcopy = ProcessBenchmarks.which("objcopy") else {
            return (nil, "skipped: objcopy is not installed (fix: apt-get install binutils)")
        }
        // Valgrind 3.19 gives up on the Swift toolchain's DWARF 5 ("possibly corrupted debuginfo"):
        // it runs a copy of the bench without debug information (the symbols stay).
        let me = (NSTemporaryDirectory() as NSString).appendingPathComponent("hotline-bench-nodebug-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: me) }
        let strip = Process()
        strip.executableURL = URL(fileURLWithPath: objcopy)
        strip.arguments = ["--strip-debug", CommandLine.arguments[0], me]
        try strip.run()
        strip.waitUntilExit()
        guard strip.terminationStatus == 0 else { throw BenchError("objcopy --strip-debug \(CommandLine.arguments[0]) exited with \(strip.terminationStatus)") }
        func instructions(calls: Int) throws -> Double {
            let out = (NSTemporaryDirectory() as NSString).appendingPathComponent("hotline-bench-callgrind-\(UUID().uuidString).out")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: valgrind)
            process.arguments = ["--tool=callgrind", "--callgrind-out-file=\(out)", me, "--pure-calls", String(calls)]
            // Swift seeds its hashing per process: the same binary's dictionaries probe differently
            // from run to run, which moves the count by up to ~800 instructions a call. A fixed
            // seed makes the two runs (and two benches) count the same work.
            var environment = ProcessInfo.processInfo.environment
            environment["SWIFT_DETERMINISTIC_HASHING"] = "1"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw BenchError("valgrind --tool=callgrind \(me) --pure-calls \(calls) exited with \(process.terminationStatus)")
            }
            let text = try String(contentsOfFile: out, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("totals:") || line.hasPrefix("summary:") {
                if let count = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) { return count }
            }
            throw BenchError("no totals: line in callgrind's output \(out)")
        }
        let few = try instructions(calls: 100)
        let many = try instructions(calls: 1_100)
        return ((many - few) / 1_000, "instructions of one reference call on CallStateMachine (canned results), by valgrind --tool=callgrind: (1,100 calls − 100 calls) / 1,000")
    }

    /// Events through the pure state machine: the reference call over and over, one core.
    static func stateMachine(seconds budget: Double, batch: Int) throws -> Figure {
        let loaded = try FlowFile.load(path: Defaults.flow)
        let check = ReferenceCall.runPure(flow: loaded.flow, results: ReferenceCall.cannedResults, at: ReferenceCall.at)
        guard check.end?.outcome == "completed" else {
            throw BenchError("the reference call on the bare state machine ended \(String(describing: check.end)), not completed; the flow or the bench's script is out of date")
        }
        var rates: [Double] = []
        for _ in 0..<5 {
            var events = 0
            let start = Stopwatch.cpuNow()
            repeat {
                for _ in 0..<batch {
                    events += ReferenceCall.runPure(flow: loaded.flow, results: ReferenceCall.cannedResults, at: ReferenceCall.at).events
                }
            } while Stopwatch.cpuSeconds(since: start) < budget / 5
            rates.append(Double(events) / Stopwatch.cpuSeconds(since: start))
        }
        return Figure(
            key: "state_machine_events_per_sec", value: rates.max()!, unit: "events/s", target: .atLeast(2_000_000),
            note: "the reference call (\(check.events) events: answer, prompt ends, keys, an utterance, action results) on CallStateMachine with canned results; per second of the thread's CPU time, best of 5")
    }
}
