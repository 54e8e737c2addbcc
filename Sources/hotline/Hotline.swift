import ArgumentParser

/// `hotline`: a telephony IVR simulator and call router. This target holds command parsing only;
/// the work is done by the libraries.
@main
struct Hotline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline",
        abstract: "A telephony IVR simulator and call router: replays a vendor support line end to end.",
        subcommands: [
            // One line per command group; each lives in its own file in this folder.
            FlowCommand.self,
            TestCommand.self,
            DemoCommand.self,
            RotaCommand.self,
            PromptsCommand.self, PlayCommand.self,
            CasesCommand.self,
            DBCommand.self,
            PagesCommand.self,
            SimulateCommand.self,
            QueuesCommand.self,
            CallCommand.self,
            ServeCommand.self, UsersCommand.self,
        ]
    )
}
