import Foundation
import HotlineTestSupport
import Testing

/// Long runs show a progress line on a terminal (a pseudo-terminal made by `script`), and nothing
/// extra when standard error is a file or with `--json`. `HOTLINE_PROGRESS_AFTER=0` makes the
/// line appear at once, so the runs need not last a second.
@Suite struct ProgressLineTests {
    let plan = ["simulate", "--plan", Repository.path("Fixtures/routing/plan.yaml"), "--hours", "30"]

    /// Runs `hotline ARGUMENTS` in a pseudo-terminal; what the terminal showed.
    func inTerminal(_ arguments: [String]) throws -> ProcessResult {
        let command = ([try hotline()] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try runProcess("script", ["-qec", command, "/dev/null"], environment: ["HOTLINE_PROGRESS_AFTER": "0"])
    }

    @Test func simulateOnATerminalShowsHoursRateAndTimeLeft() throws {
        guard Built.onPath("script") != nil else { return }
        let result = try inTerminal(plan)
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.output.contains("\rsimulated hours 1/30  3%  "), "\(result.output.debugDescription)")
        #expect(result.output.contains(" left\u{1B}[K"))
        #expect(result.output.contains("\r\u{1B}[K"), "the line is erased at the end")
    }

    @Test func testOnATerminalCountsScenarios() throws {
        guard Built.onPath("script") != nil else { return }
        let result = try inTerminal(["test", Repository.path("Fixtures/scenarios/gsc"), "--quiet"])
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.output.contains("\rscenarios "), "\(result.output.debugDescription)")
        #expect(result.output.contains("\rscenario files read "))
    }

    @Test func nothingExtraWithJSONOrWhenStandardErrorIsNotATerminal() throws {
        guard Built.onPath("script") != nil else { return }
        let json = try inTerminal(plan + ["--json"])
        #expect(json.status == 0, "\(json.combined)")
        #expect(!json.output.contains("simulated hours"), "\(json.output.debugDescription)")
        #expect(!json.output.contains("\u{1B}["))
        let piped = try runProcess(try hotline(), plan, environment: ["HOTLINE_PROGRESS_AFTER": "0"])
        #expect(piped.status == 0, "\(piped.error)")
        #expect(piped.error.isEmpty, "\(piped.error.debugDescription)")
        let tests = try runProcess(try hotline(), ["test", Repository.path("Fixtures/scenarios/gsc"), "--quiet"], environment: ["HOTLINE_PROGRESS_AFTER": "0"])
        #expect(!tests.error.contains("\r") && !tests.output.contains("\r"), "\(tests.error.debugDescription)")
    }
}
