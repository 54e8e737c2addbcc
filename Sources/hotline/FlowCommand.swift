import ArgumentParser

struct FlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Check and draw call-flow files.",
        subcommands: []
    )
}
