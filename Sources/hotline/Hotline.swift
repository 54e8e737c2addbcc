import ArgumentParser

/// `hotline`: a telephony IVR simulator and call router. This target holds command parsing only;
/// the work — and what the commands print — is done by the libraries (`HotlineApp`'s views).
@main
struct Hotline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline",
        abstract: "A telephony IVR simulator and call router: replays a vendor support line end to end.",
        discussion: Exit.scheme,
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
            TrainCommand.self,
        ]
    )

    /// Parses and runs the command; every error ends through `Exit.with`.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Exit.with(error)
        }
    }
}
