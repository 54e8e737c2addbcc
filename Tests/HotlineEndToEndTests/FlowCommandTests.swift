import Foundation
import HotlineTestSupport
import Testing

/// `hotline flow check` and `hotline flow graph`, run as real processes.
@Suite("hotline flow commands")
struct FlowCommandTests {
    func hotline() throws -> String {
        try #require(Built.hotline, "build the executable first: swift build --product hotline (or set HOTLINE_BIN)")
    }

    @Test func checkExitsZeroForTheReferenceFlow() throws {
        let result = try runProcess(try hotline(), ["flow", "check", "Fixtures/flows/gsc.yaml"], in: Repository.root.path)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.hasPrefix("Fixtures/flows/gsc.yaml: valid ("))
        #expect(result.output.contains("found in Prompts/en-US/catalog.yaml"))
    }

    @Test func aSyntaxErrorExitsNonZeroWithFileLineAndColumn() throws {
        let result = try runProcess(try hotline(), ["flow", "check", "Fixtures/flows/bad/syntax.yaml"], in: Repository.root.path)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("Fixtures/flows/bad/syntax.yaml:12:11: error: YAML syntax: ") == true)
        #expect(lines.last == "Fixtures/flows/bad/syntax.yaml: 1 error")
    }

    @Test func anUnknownTargetExitsNonZeroWithFileLineAndColumnAndASuggestion() throws {
        let result = try runProcess(try hotline(), ["flow", "check", "Fixtures/flows/bad/unknown-target.yaml"], in: Repository.root.path)
        #expect(result.status == 1)
        #expect(result.output.contains("Fixtures/flows/bad/unknown-target.yaml:10:12: error: unknown target 'goodbey' in option '1' of node 'menu'; did you mean 'goodbye'? (fix: change it to 'goodbye')"))
    }

    @Test func everyErrorIsPrintedNotJustTheFirst() throws {
        let result = try runProcess(try hotline(), ["flow", "check", "Fixtures/flows/bad/bad-hours.yaml"], in: Repository.root.path)
        #expect(result.status == 1)
        let errors = result.output.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 4)
        #expect(errors.allSatisfy { $0.hasPrefix("Fixtures/flows/bad/bad-hours.yaml:") })
        #expect(result.output.hasSuffix("Fixtures/flows/bad/bad-hours.yaml: 4 errors\n"))
    }

    @Test func promptsOptionChecksAgainstAnotherCatalog() throws {
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "language: en-US\nprompts:\n  gsc.welcome: {text: Hello}\n".write(toFile: folder + "/tiny.yaml", atomically: true, encoding: .utf8)
        let result = try runProcess(try hotline(), ["flow", "check", Repository.path("Fixtures/flows/gsc.yaml"), "--prompts", folder + "/tiny.yaml"])
        #expect(result.status == 1)
        #expect(result.output.contains("error: prompt 'gsc.main-menu' is not in the prompt catalog \(folder)/tiny.yaml"))
        #expect(!result.output.contains("'gsc.welcome' is not"))
    }

    @Test func severalFilesAreCheckedAndAnyBadOneFails() throws {
        let result = try runProcess(try hotline(), ["flow", "check", "Fixtures/flows/gsc.yaml", "Fixtures/flows/bad/min-max.yaml"], in: Repository.root.path)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("Fixtures/flows/gsc.yaml: valid"))
        #expect(lines[1].hasPrefix("Fixtures/flows/bad/min-max.yaml:10:17: error: min_length 10 is greater than max_length 8"))
        #expect(lines[2] == "Fixtures/flows/bad/min-max.yaml: 1 error")
    }

    @Test func aMissingFileIsAnErrorNotACrash() throws {
        let result = try runProcess(try hotline(), ["flow", "check", "/nonexistent/flow.yaml"])
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("/nonexistent/flow.yaml:1:1: error: no such file"))
    }

    @Test func graphPrintsDotAndMermaid() throws {
        let dot = try runProcess(try hotline(), ["flow", "graph", "Fixtures/flows/gsc.yaml", "--format", "dot"], in: Repository.root.path)
        #expect(dot.status == 0)
        #expect(dot.output.hasPrefix("digraph \"gsc\" {\n"))
        #expect(dot.output.contains("\"main_menu\" -> \"customer_care\" [label=\"1\"];"))
        let mermaid = try runProcess(try hotline(), ["flow", "graph", "Fixtures/flows/gsc.yaml", "--format", "mermaid"], in: Repository.root.path)
        #expect(mermaid.status == 0)
        #expect(mermaid.output.hasPrefix("flowchart TD\n"))
        if let graphviz = Built.onPath("dot") {
            let svg = try runProcess(graphviz, ["-Tsvg"], input: dot.output)
            #expect(svg.status == 0 && svg.output.contains("<svg"), "\(svg.error)")
        }
    }

    @Test func graphOfABrokenFlowPrintsItsErrorsToStandardErrorAndFails() throws {
        let result = try runProcess(try hotline(), ["flow", "graph", "Fixtures/flows/bad/unknown-target.yaml", "--format", "mermaid"], in: Repository.root.path)
        #expect(result.status == 2)  // could not be done: the file is wrong
        #expect(result.output.isEmpty)
        #expect(result.error.contains("unknown-target.yaml:10:12: error: unknown target 'goodbey'"))
    }

    @Test func aBadFormatIsRejectedByTheParser() throws {
        let result = try runProcess(try hotline(), ["flow", "graph", "Fixtures/flows/gsc.yaml", "--format", "png"], in: Repository.root.path)
        #expect(result.status != 0)
        #expect(result.error.contains("png"))
    }
}
