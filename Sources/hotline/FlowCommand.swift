import ArgumentParser
import Foundation
import HotlineDiagnostics
import HotlineFlowFile

struct FlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Check and draw call-flow files.",
        subcommands: [FlowCheckCommand.self, FlowGraphCommand.self]
    )
}

/// `hotline flow check FILE [--prompts CATALOG]`
struct FlowCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check call-flow files; prints FILE:LINE:COLUMN: error: … for each problem.",
        discussion: """
            Exits 0 when every flow is valid, 1 otherwise. Checks YAML syntax, unknown and duplicate keys, \
            unknown targets, unreachable nodes, nodes with no way out, action outcomes with nowhere to go, \
            missing action arguments, prompts missing from the prompt catalog, loops without caller input, \
            calendars, time zones, hours, durations, keypad keys and misspelt variables.
            Example: hotline flow check Fixtures/flows/gsc.yaml
            """
    )

    @Argument(help: "The flow file(s) (YAML).")
    var files: [String]

    @Option(help: "A prompt catalog to check prompt ids against, instead of the one the flow names.")
    var prompts: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give the flow file to check, e.g. hotline flow check Fixtures/flows/gsc.yaml") }
    }

    func run() throws {
        var allValid = true
        for file in files {
            let report = FlowChecker.report(path: file, prompts: prompts)
            for problem in report.errors { print(problem.description) }
            print(report.summary)
            allValid = allValid && report.isValid
        }
        if !allValid { throw ExitCode(Exit.failed) }
    }
}

/// `hotline flow graph FILE --format dot|mermaid`
struct FlowGraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a call flow as a diagram (Graphviz DOT or Mermaid).",
        discussion: "Example: hotline flow graph Fixtures/flows/gsc.yaml --format dot | dot -Tsvg > gsc.svg"
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot, mermaid
    }

    @Argument(help: "The flow file (YAML).")
    var file: String

    @Option(help: "dot (Graphviz) or mermaid.")
    var format: Format = .dot

    func run() throws {
        let loaded: LoadedFlow
        do {
            loaded = try FlowFile.load(path: file)
        } catch {
            Exit.fail(error.description + "\n\(file): \(error.errors.count) error\(error.errors.count == 1 ? "" : "s"); run `hotline flow check \(file)`")
        }
        switch format {
        case .dot: print(FlowGraph.dot(loaded), terminator: "")
        case .mermaid: print(FlowGraph.mermaid(loaded), terminator: "")
        }
    }
}
