import ArgumentParser
import Foundation
import HotlineApp

/// `hotline test`: scripted calls against a flow, in virtual time, on the real case store, pager
/// and router — each scenario on a fresh copy of the seeded database. The run is `ScenarioTestRun`'s.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scenario files (scripted calls) against a flow and report what passed.",
        discussion: """
            Each scenario places one call in virtual time (prompts take their real length, timeouts fire \
            as the flow says, minutes pass in microseconds) against the real case store, pager and router, \
            on its own copy of the seeded database. A folder means every .yaml scenario in it.
            The last line is exactly `N passed, N failed`; the exit status is 1 when any failed, 2 when \
            the scenarios could not be run (or the --junit file cannot be written: checked before running).
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
        var run = ScenarioTestRun(paths: paths)
        run.flow = flow
        run.database = db
        run.junit = junit
        run.jobs = jobs
        run.coverage = coverage
        run.quiet = quiet
        run.progress = { label, total in ProgressReporter.standardError(label: label, total: total) }
        let outcome = try run.run(out: { print($0) })
        print(outcome.summary)
        if outcome.failed > 0 { throw ExitCode(Exit.failed) }
    }
}
