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
/// shows is also checked. The call runs on the real systems and the real database file — the
/// escalation and the page stay there for `hotline cases feed` and `hotline pages list` — and is
/// then played back at the speed of the real call: the transcript line by line, the prompts
/// through ALSA where a device opens. Afterwards the Escalation Manager who was paged acknowledges,
/// and the case's feed and the page are shown.
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

    public init(database: String, at: Date) {
        self.database = database
        self.at = at
    }

    /// Runs the demo, writing to `out`; `false` when a step of the call did not happen as scripted.
    public func run(out: @escaping @Sendable (String) -> Void) async throws -> Bool {
        let loaded = try FlowFile.load(path: flow)
        guard let catalog = loaded.catalog else {
            throw DemoError("the flow \(flow) names no prompt catalog; add `prompts: …` to it")
        }
        // The speaker first: with `--audio alsa` and no device, stop before anything is written.
        let (output, notice) = try PromptOutputs.make(
            mode: fast ? .off : audio, device: device, catalog: catalog, clock: PacedCallClock(startingAt: at), onFailure: { out($0) })
        let database = try LineSystems.openDatabase(path: self.database)
        let store = CaseStore(database: database)
        if try store.accounts().isEmpty {
            let summary = try store.seed(try SampleData.load(folder: Defaults.sampleData), sla: try SLATable.load(path: Defaults.sla), at: at, reset: false)
            out("Created \(self.database): \(summary.accounts) accounts, \(summary.cases) cases (\(summary.warning.count) close to breaching their response target).")
        }
        var scenario = try ScenarioFile.load(path: script)
        scenario.at = at
        let routing = try RoutingFile.load(agents: Defaults.routing + "/agents.yaml", queues: Defaults.routing + "/queues.yaml")
        let systems = LineSystems(
            database: database, policy: try EscalationPolicy.load(path: Defaults.policy),
            router: SimulatedCallRouter(config: routing, seed: 1, start: at, accounts: StoreAccountProfiles(store: store, routing: routing)),
            delivery: FanOutDelivery([]))
        let runner = ScenarioRunner(defaultFlow: flow, environment: FixedEnvironment(systems: systems), lengths: { _ in WAVPromptLengths(catalog: catalog) })
        let result = runner.run(scenario, on: loaded.flow, catalog: catalog, flowPath: flow)

        let zone = TimeZone(identifier: "America/Los_Angeles")!
        out("")
        out("Calling \(loaded.flow.number ?? "the reference line") from \(scenario.callerID) at \(TimeArgument.format(at, in: zone)) — \(scenario.name)")
        if let notice { out(notice) }
        out("")
        await replay(result.transcript, through: output, out: out)
        out("")
        guard result.passed else {
            out("The call did not go as scripted:")
            out(ScenarioReport.failureDetail(result))
            return false
        }
        let callEnded = at.addingTimeInterval(result.callDuration.timeInterval)
        guard try await callTheManager(systems: systems, runner: runner, output: output, after: callEnded, out: out) else { return false }
        try showCase(systems: systems, out: out)
        return true
    }

    /// Shows the call as it happened, at its own pace: each line when its moment comes, each prompt
    /// played as it starts and stopped where the caller cut it short.
    private func replay(_ transcript: [CallLogEntry], through output: any PromptOutput, out: @escaping @Sendable (String) -> Void) async {
        let clock = ContinuousClock()
        let start = clock.now
        var playing: Task<Void, Never>?
        for entry in transcript {
            if !fast { try? await clock.sleep(until: start + entry.offset) }
            out(entry.line)
            switch entry.event {
            case .heard(_, let prompts, _, let playback):
                if !fast { playing = Task { _ = await output.play(prompts, playback: playback) } }
            case .stopped(let playback):
                output.stop(playback: playback)
            case .answered, .pressed, .keyNotUsed, .said, .speechNotUsed, .timedOut, .performed, .queued, .transferred, .ended, .recordNotSaved:
                break
            }
        }
        await playing?.value
    }

    /// The page goes out as a phone call to the manager it names, who acknowledges it by pressing 1.
    private func callTheManager(
        systems: LineSystems, runner: ScenarioRunner, output: any PromptOutput, after callEnded: Date, out: @escaping @Sendable (String) -> Void
    ) async throws -> Bool {
        guard let page = try systems.paging.store.pages(caseNumber: Self.caseNumber).last(where: { $0.state == .sent }) else {
            out("No page is waiting to be acknowledged for case \(Self.caseNumber).")
            return true
        }
        out(ConsoleDelivery.line(page))
        var call = try ScenarioFile.load(path: pageCallScript)
        call.at = callEnded.addingTimeInterval(60)
        call.variables = ["page.id": page.id, "page.to": page.person, "case.number": page.caseNumber]
        let flowPath = call.flow ?? Defaults.pageCallFlow
        let loaded = try FlowFile.load(path: flowPath)
        let result = runner.run(call, on: loaded.flow, catalog: loaded.catalog, flowPath: flowPath)
        out("")
        out("A minute later the page calls \(page.person) (\(call.callerID)):")
        out("")
        await replay(result.transcript, through: output, out: out)
        out("")
        guard result.passed else {
            out("The page call did not go as scripted:")
            out(ScenarioReport.failureDetail(result))
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
