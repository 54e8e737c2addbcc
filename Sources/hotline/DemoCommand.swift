import ArgumentParser
import Foundation
import HotlineApp
import HotlineAudio
import HotlineCore

/// `hotline demo`: the escalation call, end to end (what `make demo` runs).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play the reference escalation call end to end: menu, Customer Care, escalation, page.",
        discussion: """
            A known customer calls 1-844-751-7629, presses 1 for Customer Care, says "escalation manager" \
            and enters a case number; the escalation is recorded on the case and the Escalation Manager on \
            call at that moment is paged and acknowledges. The database is created and seeded when missing. \
            Prompts play through ALSA where a device opens; set DEMO_FAST=1 (or --fast) to skip the waiting.
            """)

    @Option(help: ArgumentHelp("The SQLite database (env HOTLINE_DB; default hotline.sqlite).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("When the call is placed: \(InstantArgument.forms) Default: now.", valueName: "time"))
    var at: InstantArgument?

    @Option(help: "auto: play where a device opens, else show the transcript; alsa: fail without a device; off: no sound.")
    var audio = AudioModeArgument.auto

    @Option(help: "The ALSA device (`aplay -L` lists them): default, plughw:1,0, …")
    var device = "default"

    @Flag(help: "Do not wait: show the whole call at once, without sound (also DEMO_FAST=1).")
    var fast = false

    func validate() throws { try at.validate() }

    func run() async throws {
        let instant = try at.instantOrNow()
        var demo = EscalationDemo(database: Defaults.database(db), at: instant, clock: PacedCallClock(startingAt: instant))
        demo.audio = audio.mode
        demo.device = device
        demo.fast = fast || ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["DEMO_FAST"]?.lowercased() ?? "")
        do {
            // Line by line, so the transcript shows as the call goes even when piped.
            guard try await demo.run(out: { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }) else { throw ExitCode(Exit.failed) }
        } catch let error as ExitCode {
            throw error
        } catch {
            Exit.fail("\(error)")
        }
    }
}
