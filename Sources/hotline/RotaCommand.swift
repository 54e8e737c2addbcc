import ArgumentParser
import Foundation
import HotlineCore
import HotlineApp
import HotlineDiagnostics
import HotlineRota

/// `hotline rota`: who is on call, the timeline, coverage checks and calendar export.
struct RotaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rota",
        abstract: "The 24x7 on-call rota of Escalation Managers: who, show, check, export.",
        subcommands: [Who.self, Show.self, Check.self, Export.self]
    )

    struct RotaOptions: ParsableArguments {
        @Option(name: .long, help: "The rota file.")
        var rota: String = Defaults.rota

        func load() throws -> Rota {
            try Rota.load(path: rota)
        }
    }

    static func zone(_ name: String) throws -> ZoneRules {
        guard let zone = ZoneRules(identifier: name) else {
            throw ValidationError("--zone: '\(name)' is not an IANA time zone; use e.g. UTC, Europe/London")
        }
        return zone
    }

    struct Who: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who is on call on every line of the rota (primary, backup, …) now, or at --at TIME.")
        @OptionGroup var options: RotaOptions
        @Option(help: ArgumentHelp("The instant: \(InstantArgument.forms) Default: now.", valueName: "time"))
        var at: InstantArgument?
        @Flag(help: "Print JSON: one key per line of the rota, {\"primary\": {\"name\": …}, \"backup\": {\"name\": …}, …}.")
        var json = false

        func validate() throws { try at.validate() }

        func run() throws {
            let rota = try options.load()
            let instant = try at.instantOrNow()
            if json {
                print(try RotaViews.whoJSON(rota, at: instant))
            } else {
                for line in RotaViews.who(rota, at: instant) { print(line) }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A per-day timeline of shifts and handoffs.")
        @OptionGroup var options: RotaOptions
        @Option(help: "First day, YYYY-MM-DD (in --zone). Default: today.")
        var from: String?
        @Option(help: "How many days.")
        var days: Int = 7
        @Option(help: "Time zone the timeline is drawn in.")
        var zone: String = "UTC"

        /// Here, not in `run`, so a wrong value shows this command's usage (not the root's).
        func validate() throws {
            let rules = try RotaCommand.zone(zone)
            guard days > 0, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
            if let from, rules.startOfDay(from) == nil { throw ValidationError("--from: '\(from)' is not a date; write YYYY-MM-DD") }
        }

        func run() throws {
            let rota = try options.load()
            let rules = try RotaCommand.zone(zone)
            let start: Date
            if let from {
                guard let day = rules.startOfDay(from) else { throw ValidationError("--from: '\(from)' is not a date; write YYYY-MM-DD") }
                start = day
            } else {
                start = rules.startOfDay(containing: SystemClock().now())
            }
            let end = rules.startOfDay(after: start, days: days)
            print(rota.timeline(from: start, to: end).render(zone: rules), terminator: "")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check 24x7 coverage: lists every gap (exit 1), overlaps, and hours on call per person.")
        @OptionGroup var options: RotaOptions
        @Option(help: ArgumentHelp("First instant checked: \(InstantArgument.forms) Default: now.", valueName: "time"))
        var from: InstantArgument?
        @Option(help: "How many days to check.")
        var days: Int = 90
        @Flag(help: "Print only problems.")
        var quiet = false

        func validate() throws {
            try from.validate(option: "--from")
            guard days > 0, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
        }

        func run() throws {
            let rota = try options.load()
            let start = try from.instantOrNow(option: "--from")
            let report = rota.timeline(from: start, to: start.addingTimeInterval(TimeInterval(days) * 86_400)).coverage()
            for line in RotaViews.check(report, rota: rota, days: days, quiet: quiet) { print(line) }
            if !report.passed { throw ExitCode(Exit.failed) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the shifts as an RFC 5545 calendar (.ics).")
        @OptionGroup var options: RotaOptions
        @Flag(help: "iCalendar output: the only format, and the default.")
        var ics = false
        @Option(help: ArgumentHelp("First instant exported: \(InstantArgument.forms) Default: now.", valueName: "time"))
        var from: InstantArgument?
        @Option(help: "How many days.")
        var days: Int = 30
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            try from.validate(option: "--from")
            guard days > 0, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
        }

        func run() throws {
            let rota = try options.load()
            let now = SystemClock().now()
            let start = try from?.instant(option: "--from") ?? now
            let text = ICSExport.calendar(rota.timeline(from: start, to: start.addingTimeInterval(TimeInterval(days) * 86_400)), stamp: now)
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CommandError(OutputFile.problem(writing: output, error: error))
            }
        }
    }
}
