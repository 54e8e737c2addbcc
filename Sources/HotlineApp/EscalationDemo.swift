import Foundation
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore

/// `hotline demo`: the reference escalation call, end to end, on the embedded defaults.
///
/// The caller is a scenario file (`Fixtures/demo/escalation-call.yaml`), so every step the demo
/// shows is also checked. The call runs once, on the same ``CallSession`` as every call, on the
/// real systems and the real database file — the escalation and the page stay there for
/// `hotline cases feed` and `hotline pages list` — at the speed of a real call: the scripted call's
/// time waits on the call clock, each transcript line is shown as it is written, each prompt plays
/// through ALSA as it starts (and stops where the caller cuts it short). Afterwards the Escalation
/// Manager who was paged acknowledges, and the case's feed and the page are shown.
public struct EscalationDemo: Sendable {
    public var database: String
    public var flow = Defaults.flow
    public var script = "Fixtures/demo/escalation-call.yaml"
    /// The outbound call that delivers the page to the Escalation Manager, who presses 1.
    public var pageCallScript = "Fixtures/demo/page-call.yaml"
    /// When the call is placed.
    public var at: Date
    public var audio: AudioMode = .auto
    public var device = "default"
    /// Play back without waiting (and without sound).
    public var fast = false

    /// The call's clock (the command's `PacedCallClock`; a test's manual clock): the prompts and
    /// the scripted calls wait on it, so the demo reads no clock of its own.
    public let clock: any CallClock

    public init(database: String, at: Date, clock: any CallClock) {
        self.database = database
        self.at = at
        self.clock = clock
    }

    /// Runs the demo, writing to `out`; `false` when a step of the call did not happen as scripted.
    public func run(out: @escaping @Sendable (String) -> Void) async throws -> Bool {
        let loaded = try FlowFile.load(path: flow)
        guard let catalog = loaded.catalog else {
            throw DemoError("the flow \(flow) names no prompt catalog; add `prompts: …` to it")
        }
        // The speaker first: with `--audio alsa` and no device, stop before anything is written.
        let (output, notice) = try PromptOutputs.make(
            mode: fast ? .off : audio, device: device, catalog: catalog, clock: clock, onFailure: { out($0) })
        // Every file before the database: a script or flow that does not load leaves no database behind.
        var scenario = try ScenarioFile.load(path: script)
        let pageCall = try ScenarioFile.load(path: pageCallScript)
        let pageCallFlowPath = pageCall.flow ?? Defaults.pageCallFlow
        let pageCallFlow = try FlowFile.load(path: pageCallFlowPath)
        let opened = try LineWiring(database: database, start: at).open()
        if let summary = opened.seeded {
            out("Created \(database): \(summary.accounts) accounts, \(summary.cases) cases (\(summary.warning.count) close to breaching their response target).")
        }
        for sme in try opened.unroutableSMEs() { out("warning: \(sme)") }
        let systems = opened.systems
        scenario.at = at
        let runner = ScenarioRunner(defaultFlow: flow, environment: FixedEnvironment(systems: systems), lengths: { _ in WAVPromptLengths(catalog: catalog) })

        let zone = TimeZone(identifier: "America/Los_Angeles") ?? .current
        out("")
        out("Calling \(loaded.flow.number ?? "the reference line") from \(scenario.callerID) at \(InstantParser.localText(at, in: zone)) — \(scenario.name)")
        if let notice { out(notice) }
        out("")
        guard let result = await follow(scenario, named: "call", on: loaded, flowPath: flow, runner: runner, output: output, out: out) else {
            return false
        }
        let callEnded = at.addingTimeInterval(result.callDuration.timeInterval)
        guard
            try await callTheManager(
                pageCall, flow: pageCallFlow, flowPath: pageCallFlowPath, systems: systems, runner: runner, output: output, after: callEnded, out: out)
        else { return false }
        try showCase(systems: systems, out: out)
        return true
    }

    /// Runs a scripted call as it happens, on a thread of its own: the call's time waits on the
    /// call clock (unless `fast`), each transcript line is shown when it is written, each prompt
    /// plays as it starts and stops where the caller cuts it short. `nil`, with the reason shown,
    /// when a step did not happen as scripted.
    private func follow(
        _ scenario: Scenario, named name: String, on loaded: LoadedFlow, flowPath: String, runner: ScenarioRunner,
        output: any PromptOutput, out: @escaping @Sendable (String) -> Void
    ) async -> ScenarioResult? {
        let clock = clock
        let fast = fast
        let follower = CallFollower(
            timePasses: { from, to in
                guard !fast, to > from else { return }
                // The scripted call runs on its own thread: it may wait here for the clock.
                let passed = DispatchSemaphore(value: 0)
                Task {
                    try? await clock.sleep(for: Duration(timeInterval: to.timeIntervalSince(from)))
                    passed.signal()
                }
                passed.wait()
            },
            effect: { effect in
                switch effect {
                case .play(let playback):
                    if !fast { Task { _ = await output.play(playback.prompts, playback: playback.id) } }
                case .stopPlayback(let id):
                    output.stop(playback: id)
                case .startTimer, .cancelTimer, .perform, .transfer:
                    break
                }
            },
            logged: { out($0.line) })
        let result = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: runner.run(scenario, on: loaded.flow, catalog: loaded.catalog, flowPath: flowPath, follower: follower))
            }
        }
        out("")
        guard result.passed else {
            out("The \(name) did not go as scripted:")
            out(ScenarioReport.failureDetail(result))
            return nil
        }
        return result
    }

    /// The page goes out as a phone call to the manager it names, who acknowledges it by pressing 1.
    private func callTheManager(
        _ script: Scenario, flow loaded: LoadedFlow, flowPath: String, systems: LineSystems, runner: ScenarioRunner, output: any PromptOutput, after callEnded: Date, out: @escaping @Sendable (String) -> Void
    ) async throws -> Bool {
        guard let page = try systems.paging.store.pages(caseNumber: Self.caseNumber).last(where: { $0.state == .sent }) else {
            out("No page is waiting to be acknowledged for case \(Self.caseNumber).")
            return true
        }
        out(ConsoleDelivery.line(page))
        var call = script
        call.at = callEnded.addingTimeInterval(60)
        call.variables = ["page.id": page.id, "page.to": page.person, "case.number": page.caseNumber]
        // The call dials the paged manager's number from the rota (`phones:`); without one, the
        // script's number, said as such.
        let dialled: String
        if let phone = systems.paging.policy.rota.phones[page.person] {
            call.callerID = phone
            dialled = phone
        } else {
            dialled = "no number in the rota's phones: for \(page.person); dialling the script's \(call.callerID)"
        }
        out("")
        out("A minute later the page calls \(page.person) (\(dialled)):")
        out("")
        guard await follow(call, named: "page call", on: loaded, flowPath: flowPath, runner: runner, output: output, out: out) != nil else {
            return false
        }
        if let acknowledged = try systems.paging.store.page(page.id) {
            out("\(acknowledged.id) \(acknowledged.state.rawValue) by \(acknowledged.acknowledgedBy ?? "?") — it will not climb to the backup.")
        }
        return true
    }

    static let caseNumber = "00345678"

    private func showCase(systems: LineSystems, out: @escaping @Sendable (String) -> Void) throws {
        let caseNumber = Self.caseNumber
        out("")
        out("Case \(caseNumber) — Show Feed (the last entries):")
        for entry in try systems.store.feed(caseNumber: caseNumber).suffix(4) {
            for line in entry.textLines { out("  " + line) }
        }
        out("")
        out("Pages for case \(caseNumber):")
        for page in try systems.paging.store.pages(caseNumber: caseNumber) {
            out("  \(page.id)  level \(page.level)  \(page.person)  \(page.state.rawValue)")
        }
        out("")
        out("See more: hotline cases show \(caseNumber) --db \(database) · hotline cases feed \(caseNumber) --db \(database) · hotline pages list --db \(database)")
    }
}

/// One set of systems for every scenario: the demo's call runs on the real database file.
struct FixedEnvironment: ScenarioEnvironment {
    let systems: LineSystems

    func prepare(for scenario: Scenario) throws -> PreparedEnvironment {
        let paging = systems.paging
        return PreparedEnvironment(integrations: systems.integrations, facts: systems.facts, advance: { try paging.tick(at: $0) })
    }
}

/// A demo that cannot start, with what to do about it.
public struct DemoError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
