import ArgumentParser
import Foundation
import HotlineCore
import HotlineApp
import HotlineDiagnostics
import HotlineRota

/// A failure whose message says it all (file:line errors): printed without the usage text.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

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
            do {
                return try Rota.load(path: rota)
            } catch {
                throw CommandFailure(error.description)
            }
        }
    }

    static func instant(_ text: String?, option: String) throws -> Date {
        guard let text else { return Date() }
        do {
            return try InstantParser.parse(text)
        } catch {
            throw ValidationError("\(option): \(error)")
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
        @Option(help: "The instant: 2026-12-25T03:00:00-08:00 or '2026-12-25T03:00 Australia/Sydney'. Default: now.")
        var at: String?
        @Flag(help: "Print JSON: one key per line of the rota, {\"primary\": {\"name\": …}, \"backup\": {\"name\": …}, …}.")
        var json = false

        func run() throws {
            let rota = try options.load()
            let instant = try RotaCommand.instant(at, option: "--at")
            let details = rota.detail(at: instant)
            let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
            func stamp(_ date: Date?) -> String? { date.map { InstantParser.utcString(Int($0.timeIntervalSince1970)) } }
            if json {
                var object: [String: Any] = ["at": InstantParser.utcString(seconds), "rota": rota.name]
                for detail in details {
                    guard let person = detail.person else {
                        object[detail.line] = NSNull()
                        continue
                    }
                    var entry: [String: Any] = ["name": person]
                    entry["layer"] = detail.source
                    entry["since"] = stamp(detail.since)
                    entry["until"] = stamp(detail.until)
                    object[detail.line] = entry
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("\(rota.name) at \(InstantParser.utcString(seconds))")
                let width = details.map(\.line.count).max() ?? 0
                for detail in details {
                    let label = detail.line.padding(toLength: width, withPad: " ", startingAt: 0)
                    let until = stamp(detail.until).map { "until \($0)" } ?? "for more than 35 days"
                    if let person = detail.person {
                        print("  \(label)  \(person)  [\(detail.source ?? "")]  \(until)")
                    } else {
                        print("  \(label)  — nobody on call — \(until)")
                    }
                }
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

        func run() throws {
            let rota = try options.load()
            let rules = try RotaCommand.zone(zone)
            guard days > 0, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
            let start = try RotaCommand.dayStart(from, zone: zone)
            let end = RotaCommand.dayStart(after: start, days: days, zone: rules)
            print(rota.timeline(from: start, to: end).render(zone: rules), terminator: "")
        }
    }

    /// Local midnight of a `YYYY-MM-DD` in a zone (today when nil).
    static func dayStart(_ text: String?, zone: String) throws -> Date {
        let rules = try Self.zone(zone)
        let day = text ?? String(InstantParser.localString(Int(Date().timeIntervalSince1970), zone: rules).prefix(10))
        do {
            return try InstantParser.parse("\(day)T00:00 \(zone)")
        } catch {
            throw ValidationError("--from: '\(day)' is not a date; write YYYY-MM-DD")
        }
    }

    static func dayStart(after start: Date, days: Int, zone: ZoneRules) -> Date {
        let local = zone.local(Int(start.timeIntervalSince1970))
        let day = CivilTime.floorDiv(local, CivilTime.secondsPerDay) + days
        return Date(timeIntervalSince1970: TimeInterval(zone.instant(local: day * CivilTime.secondsPerDay, .first)))
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check 24x7 coverage: lists every gap (exit 1), overlaps, and hours on call per person.")
        @OptionGroup var options: RotaOptions
        @Option(help: "First instant checked. Default: now.")
        var from: String?
        @Option(help: "How many days to check.")
        var days: Int = 90
        @Flag(help: "Print only problems.")
        var quiet = false

        func run() throws {
            let rota = try options.load()
            guard days > 0, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
            let start = try RotaCommand.instant(from, option: "--from")
            let report = rota.timeline(from: start, to: start.addingTimeInterval(TimeInterval(days) * 86_400)).coverage()
            for note in rota.notes { print(note) }
            for error in report.errors { print(error.description) }
            if !quiet {
                print("\(rota.name): \(days) days from \(InstantParser.utcString(report.from)) to \(InstantParser.utcString(report.to))")
                print(report.gaps.isEmpty ? "coverage: 24x7 on every line, no gaps" : "coverage: \(report.gaps.count) gap(s)")
                for overlap in report.overlaps {
                    print("overlap: \(overlap.line): \(overlap.layers.joined(separator: " + ")) both on call \(overlap.count) time(s), \(CoverageReport.duration(overlap.seconds)) in all; \(overlap.winner) wins by precedence")
                }
                print("hours on call:")
                let width = report.load.map(\.person.count).max() ?? 0
                for load in report.load {
                    let hours = String(format: "%8.1f", Double(load.seconds) / 3600)
                    print("  \(load.line.padding(toLength: 9, withPad: " ", startingAt: 0)) \(load.person.padding(toLength: width, withPad: " ", startingAt: 0))  \(hours) h  \(load.shifts) shift(s)")
                }
            }
            if !report.passed { throw ExitCode(1) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the shifts as an RFC 5545 calendar (.ics).")
        @OptionGroup var options: RotaOptions
        @Flag(help: "iCalendar output (the only format).")
        var ics = false
        @Option(help: "First instant exported. Default: now.")
        var from: String?
        @Option(help: "How many days.")
        var days: Int = 30
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        func run() throws {
            guard ics else { throw ValidationError("say the format: --ics") }
            guard days > 0, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
            let rota = try options.load()
            let now = Date()
            let start = try from.map { try RotaCommand.instant($0, option: "--from") } ?? now
            let text = ICSExport.calendar(rota.timeline(from: start, to: start.addingTimeInterval(TimeInterval(days) * 86_400)), stamp: now)
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
