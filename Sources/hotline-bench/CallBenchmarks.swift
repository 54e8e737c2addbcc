import Foundation
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
    /// store. Returns how many events the machine took.
    static func runPure(flow: Flow, results: [ActionKind: ActionResult], at now: Date) -> (events: Int, end: CallEnd?) {
        var machine = CallStateMachine(flow: flow)
        var events = 1
        var playing: Int?
        var timer: CallTimer?
        var inputs: [PureInput] = [.key("1"), .utterance(utterance)] + caseNumber.map { .key($0) }
        inputs.reverse()

        func perform(_ actions: [CallAction], _ machine: inout CallStateMachine) {
            for action in actions {
                switch action {
                case .play(let play): playing = play.id
                case .stopPlayback: playing = nil
                case .startTimer(let started, _): timer = started
                case .cancelTimer: timer = nil
                case .perform(let request):
                    events += 1
                    perform(machine.actionCompleted(request.id, result: results[request.kind] ?? ActionResult(outcome: "error"), at: now), &machine)
                case .transfer, .hangUp: break
                }
            }
        }

        perform(machine.answered(callerID: callerID, dialled: nil, at: now), &machine)
        while machine.end == nil {
            events += 1
            if let id = playing {
                playing = nil
                perform(machine.promptFinished(id, at: now), &machine)
            } else if let input = inputs.popLast() {
                switch input {
                case .key(let key): perform(machine.digitReceived(key, at: now), &machine)
                case .utterance(let text): perform(machine.utteranceReceived(text, at: now), &machine)
                }
            } else if let pending = timer {
                timer = nil
                perform(machine.timerFired(pending, at: now), &machine)
            } else {
                events -= 1
                break
            }
        }
        return (events, machine.end)
    }

    enum PureInput {
        case key(Character)
        case utterance(String)
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

    func makeCall(at start: Date = ReferenceCall.at) -> VirtualCall {
        VirtualCall(
            flow: loaded.flow, integrations: systems.integrations, callerID: ReferenceCall.callerID, at: start,
            lengths: lengths, catalog: loaded.catalog, keepsLog: false)
    }
}

enum CallBenchmarks {
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
