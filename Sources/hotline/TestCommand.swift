import ArgumentParser
import Foundation
import HotlineApp
import HotlineAudio
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import HotlineRuntime

/// `hotline test`: scripted calls against a flow, in virtual time, on the real case store, pager
/// and router — each scenario on a fresh copy of the seeded database.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scenario files (scripted calls) against a flow and report what passed.",
        discussion: """
            Each scenario places one call in virtual time (prompts take their real length, timeouts fire \
            as the flow says, minutes pass in microseconds) against the real case store, pager and router, \
            on its own copy of the seeded database. A folder means every .yaml scenario in it.
            The last line is exactly `N passed, N failed`; the exit status is non-zero when any failed.
            """)

    @Option(help: "The flow scenarios run against, unless a scenario names its own.")
    var flow = Defaults.flow

    @Option(help: ArgumentHelp("The database scenarios start from: copied for each scenario, never changed; created and seeded when missing. Default: a temporary one seeded from Fixtures/data.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Also write a JUnit XML report here.", valueName: "file"))
    var junit: String?

    @Option(help: "How many scenarios run at once.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "List the flow's nodes and menu options that no scenario visited.")
    var coverage = false

    @Flag(help: "Print only failures and the summary.")
    var quiet = false

    @Argument(help: "Scenario files or folders.")
    var paths: [String] = [Defaults.scenarios]

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
    }

    func run() throws {
        let files: [String]
        do {
            files = try ScenarioFile.files(in: paths)
        } catch {
            print(error.description)
            throw ExitCode(2)
        }
        var scenarios: [Scenario] = []
        var unreadable = 0
        for (file, loaded) in zip(files, ScenarioFile.loadAll(paths: files, jobs: jobs)) {
            switch loaded {
            case .success(let scenario):
                scenarios.append(scenario)
            case .failure(let error):
                unreadable += 1
                print("FAIL  \(file) does not load:")
                print(error.errors.map { "  \($0.description)" }.joined(separator: "\n"))
            }
        }
        let environment: ScenarioSystems
        do {
            environment = try ScenarioSystems(database: db)
        } catch {
            print("error: cannot prepare the systems scenarios run against: \(error)")
            throw ExitCode(2)
        }
        let runner = ScenarioRunner(defaultFlow: flow, environment: environment, lengths: { catalog in
            if let catalog { return WAVPromptLengths(catalog: catalog) }
            return EstimatedPromptLengths(catalog: nil)
        })
        let results = runner.run(scenarios, jobs: jobs)
        for result in results where !quiet || !result.passed {
            print(ScenarioReport.line(result))
            if !result.passed { print(ScenarioReport.failureDetail(result)) }
        }
        if coverage {
            for path in Set(results.map(\.flowPath)).sorted() {
                guard let loaded = try? FlowFile.load(path: path) else { continue }
                print(FlowCoverage(flow: loaded.flow, path: path, results: results).report)
            }
        }
        if let junit {
            do {
                try ScenarioReport.junit(results).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                print("error: cannot write the JUnit report to \(junit): \(error.localizedDescription)")
            }
        }
        let failed = results.filter { !$0.passed }.count + unreadable
        print("\(results.count + unreadable - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
