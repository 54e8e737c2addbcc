import Foundation
import HotlineAudio
import HotlineDiagnostics
import HotlineFlowFile
import HotlineRuntime

/// `hotline test`: load the scenario files, prepare the systems they run against, run them, and
/// report — console lines, flow coverage and a JUnit file. The command only parses its options.
public struct ScenarioTestRun: Sendable {
    /// Scenario files or folders.
    public var paths: [String]
    /// The flow scenarios run against unless they name their own.
    public var flow = Defaults.flow
    /// The database scenarios start from (copied for each); nil: a temporary one, seeded.
    public var database: String?
    /// Where to write a JUnit report, if anywhere.
    public var junit: String?
    public var jobs = 1
    /// Also list the nodes and menu options no scenario visited.
    public var coverage = false
    /// Print only failures and the summary.
    public var quiet = false
    /// Makes the progress line of each phase (label, total): the command passes
    /// ``ProgressReporter/standardError(label:total:enabled:)``; the default shows nothing.
    public var progress: @Sendable (String, Int) -> ProgressReporter = { label, total in
        ProgressReporter(label: label, total: total, clock: { 0 }, write: nil)
    }

    public init(paths: [String]) { self.paths = paths }

    /// Why the run could not take place (the command exits 2); the message says what to do.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// What the run found.
    public struct Outcome: Sendable, Hashable {
        public var passed: Int
        public var failed: Int
        /// `N passed, N failed`: the last line printed.
        public var summary: String { "\(passed) passed, \(failed) failed" }
    }

    /// Runs every scenario; each line of the report goes to `out` as soon as it is known. Throws
    /// before running anything when the scenarios cannot be listed, the JUnit file cannot be
    /// written or the systems cannot be prepared — a report is never lost after the run.
    public func run(out: (String) -> Void) throws(Problem) -> Outcome {
        if let junit, let problem = OutputFile.problem(path: junit) { throw Problem("--junit: \(problem)") }
        let files: [String]
        do {
            files = try ScenarioFile.files(in: paths)
        } catch {
            throw Problem(error.description + Self.outsideTheRepositoryHint(paths: paths))
        }
        var scenarios: [Scenario] = []
        var unreadable = 0
        let reading = progress("scenario files read", files.count)
        let loadedFiles = ScenarioFile.loadAll(paths: files, jobs: jobs, finished: { reading.advance() })
        reading.finish()
        for (file, loaded) in zip(files, loadedFiles) {
            switch loaded {
            case .success(let scenario):
                scenarios.append(scenario)
            case .failure(let error):
                unreadable += 1
                out("FAIL  \(file) does not load:")
                out(error.errors.map { "  \($0.description)" }.joined(separator: "\n"))
            }
        }
        let environment: ScenarioSystems
        do {
            environment = try ScenarioSystems(database: database)
        } catch {
            throw Problem("cannot prepare the systems scenarios run against: \(error)" + Self.outsideTheRepositoryHint(paths: paths))
        }
        let runner = ScenarioRunner(
            defaultFlow: flow, environment: environment,
            lengths: { catalog in
                if let catalog { return WAVPromptLengths(catalog: catalog) }
                return EstimatedPromptLengths(catalog: nil)
            })
        let running = progress("scenarios", scenarios.count)
        let results = runner.run(scenarios, jobs: jobs, finished: { running.advance() })
        running.finish()
        for result in results where !quiet || !result.passed {
            out(ScenarioReport.line(result))
            if !result.passed { out(ScenarioReport.failureDetail(result)) }
        }
        if coverage {
            for path in Set(results.map(\.flowPath)).sorted() {
                guard let loaded = try? FlowFile.load(path: path) else { continue }
                out(FlowCoverage(flow: loaded.flow, path: path, results: results).report)
            }
        }
        if let junit {
            do {
                try ScenarioReport.junit(results).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                throw Problem("--junit: \(OutputFile.problem(writing: junit, error: error))")
            }
        }
        let failed = results.filter { !$0.passed }.count + unreadable
        return Outcome(passed: results.count + unreadable - failed, failed: failed)
    }

    /// Outside the repository root the embedded defaults (Fixtures/…) are not found: say which
    /// options and paths replace them.
    static func outsideTheRepositoryHint(paths: [String]) -> String {
        guard !FileManager.default.fileExists(atPath: Defaults.sampleData) else { return "" }
        return """

            hint: `hotline test` reads its defaults from Fixtures/ in the current folder (\(FileManager.default.currentDirectoryPath)); \
            run it from the repository root, or give the scenario files or folders, --flow FILE and --db PATH \
            (a database seeded with `hotline db seed --db PATH --fixtures DIR --sla FILE`)
            """
    }
}
