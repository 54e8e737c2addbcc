import ArgumentParser
import Foundation
import HotlineApp
import HotlineAudio
import HotlineCore
import HotlineRuntime

/// `hotline call`: a phone in the terminal, on the real systems.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Place a call to the line from the terminal: hear the menus, press keys, say phrases.",
        discussion: """
            Keys (the terminal is in raw mode during the call and restored afterwards, Ctrl-C included):
              0-9 * #   a keypress on the phone
              s         type a phrase to say (echoed while typed); Enter says it, Esc cancels
              q         hang up (Ctrl-C too)
            Prompts play through ALSA where a device opens (--audio auto) and show in the transcript; \
            timeouts run on the real clock exactly as the flow defines them. At the end: the path through \
            the flow, the case touched, the queue and agent reached and the wait, who was paged, and the \
            call record (saved in the database).

            With standard input not a terminal the caller is a script: each byte a key, `q` hangs up, a line \
            `s TEXT` or `say TEXT` says TEXT, a line `wait SECONDS` stays silent. Each line acts when the \
            call next asks (a menu or question has played to the end), as a person would. When the script \
            ends the caller stays silent on the line until the flow ends the call.
              printf '1\\nsay escalation manager\\n00345678\\n' | hotline call --at '2026-12-05T03:00 America/Los_Angeles'

            Exit status: 0 when the call ended (completed, transferred or hung up), 1 when the flow failed, \
            2 when the call could not be placed.
            """)

    @Option(help: ArgumentHelp("The caller ID (default: a sample contact, Dana Whitfield of Acme Networks).", valueName: "number"))
    var from = PhoneCallOptions.sampleCaller

    @Option(help: ArgumentHelp("Place the call at this instant; the call's clock runs on from there: \(InstantArgument.forms) A local time without a zone is in this computer's zone. Default: now.", valueName: "time"))
    var at: InstantArgument?

    @Option(help: ArgumentHelp("The flow file.", valueName: "file"))
    var flow = Defaults.flow

    @Option(help: ArgumentHelp("The database (default: $HOTLINE_DB or hotline.sqlite); created and seeded with the sample data when missing.", valueName: "path"))
    var db: String?

    @Option(help: "Prompts through ALSA: auto (play where a device opens, else transcript only), alsa (must play), off.")
    var audio: AudioModeArgument = .auto

    @Option(help: "The ALSA PCM to play on (e.g. default, plughw:0,0).")
    var device = "default"

    @Option(help: ArgumentHelp("Scale every wait — prompts, timeouts, queue holds — and the call clock: 1 is real time, 0.01 a hundred times faster (for tests and rehearsals). Default: $HOTLINE_PACE or 1.", valueName: "factor"))
    var pace: Double?

    func validate() throws {
        guard !from.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--from needs a phone number (the caller ID), e.g. --from '+1 212 555 0199'")
        }
        _ = try variables()
        try at.validate(defaultZone: TimeZone.current.identifier)
        if let pace {
            do { _ = try Pace(pace) } catch { throw ValidationError(error.description) }
        }
    }

    @Option(name: .customLong("set"), help: ArgumentHelp("Set a call variable before the call starts, e.g. for the outbound page call: --set page.id=PG-000001 --set page.to='Oliver Hughes' --set case.number=00345678. Repeatable.", valueName: "name=value"))
    var assignments: [String] = []

    /// `--set` values as call variables, each checked (`CallVariableAssignments`).
    func variables() throws -> [String: String] {
        do {
            return try CallVariableAssignments.parse(assignments)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let start: Date
        let zone: TimeZone
        if let at {
            let reading = try at.reading(defaultZone: TimeZone.current.identifier)
            if let note = reading.note { Exit.note(note) }
            // The call's times are shown in the zone (or offset) the time was given in.
            (start, zone) = (reading.date, reading.timeZone ?? .current)
        } else {
            (start, zone) = (SystemClock().now(), TimeZone.current)
        }
        var factor = Pace.realTime
        do {
            if let pace {
                factor = try Pace(pace)
            } else if let text = ProcessInfo.processInfo.environment["HOTLINE_PACE"], !text.isEmpty {
                factor = try Pace(parsing: text, source: "HOTLINE_PACE")
            }
        } catch {
            throw ValidationError(error.description)
        }
        var options = PhoneCallOptions(
            flow: flow, database: Defaults.database(db), callerID: from, start: start, zone: zone, audio: audio.mode, device: device, pace: factor)
        options.variables = try variables()
        options.showsOnBoard = true
        let console = CallConsole()
        let call: PhoneCall
        do {
            call = try PhoneCall(options: options, console: console)
        } catch {
            Exit.fail(error.description)
        }
        let keypad = TerminalMode.isTerminal(STDIN_FILENO)
        for line in call.header(keys: keypad) { console.line(line) }
        let side: CallerSide = keypad ? .keypad(fd: STDIN_FILENO) : .script(fd: STDIN_FILENO)
        let result = await call.run(caller: side)
        if result.failed { throw ExitCode(Exit.failed) }
        // The input thread may still be blocked reading the terminal: leave without waiting for it.
        Foundation.exit(0)
    }
}
