import ArgumentParser
import Foundation
import HotlineCore
import HotlineApp
import HotlineDiagnostics
import HotlineRota
import HotlineStore

/// `hotline pages`: the pages sent to Escalation Managers, acknowledging them, and advancing the
/// escalation engine.
struct PagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Pages to the on-call Escalation Managers: list, ack, tick, send.",
        subcommands: [List.self, Ack.self, Tick.self, Send.self]
    )

    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("The SQLite database file (env HOTLINE_DB; default hotline.sqlite).", valueName: "path"))
        var db: String?
        @Option(help: "The escalation policy (it names its rota).")
        var policy: String = Defaults.policy
        @Option(help: "Also append each page delivered to this log file.")
        var log: String?

        var databasePath: String { Defaults.database(db) }

        /// Names and reasons are stored: refuse arguments that are not UTF-8.
        func validate() throws { try ArgumentText.requireUTF8() }

        /// The shared database with the cases and the pages; read-only for `reading`. A missing
        /// one is created and seeded at `now` (`LineDatabase`).
        func store(at now: Date, reading: Bool = false) throws -> PageStore {
            let database =
                reading
                ? try LineDatabase.openForReading(path: databasePath, seedAt: now, notice: CasesCommand.StoreOptions.notice)
                : try LineDatabase.openForWriting(path: databasePath, seedAt: now, notice: CasesCommand.StoreOptions.notice)
            return PageStore(writer: database.writer)
        }

        func service(at now: Date) throws -> PagingService {
            let loaded = try EscalationPolicy.load(path: policy)
            let console = ConsoleDelivery(write: { print($0) })
            let delivery: any PageDelivery = log.map { FanOutDelivery([console, LogFileDelivery(path: $0)]) } ?? console
            return PagingService(policy: loaded, store: try store(at: now), delivery: delivery)
        }
    }

    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PagingError {
            throw CommandError(error.message + (error.fix.map { " (fix: \($0))" } ?? ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pages, oldest first.")
        @OptionGroup var options: Options
        @Option(name: .customLong("case"), help: "Only the pages of this case.")
        var caseNumber: String?
        @Option(help: ArgumentHelp("Only the pages raised by simulated callers (serve --simulate-calls-per-hour) or by real ones.", valueName: "simulated|real"))
        var source: String?
        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            if let source, PageRecord.Source(rawValue: source) == nil {
                throw ValidationError(
                    "--source must be " + PageRecord.Source.allCases.map(\.rawValue).joined(separator: " or ") + " (got '\(source)') "
                        + "(fix: --source simulated for the simulated callers' pages, --source real for the others, or leave it out for all)")
            }
        }

        func run() throws {
            // A malformed number is said, not answered with "no pages".
            let number = try caseNumber.map { text throws(StoreError) in try CaseNumber(parsing: text).text }
            let wanted = source.flatMap(PageRecord.Source.init(rawValue:))
            let pages = try options.store(at: SystemClock().now(), reading: true).pages(caseNumber: number).filter { wanted == nil || $0.source == wanted }
            if json {
                print(try PageViews.json(pages))
            } else {
                for line in PageViews.list(pages) { print(line) }
            }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge a page (and so its escalation).")
        @OptionGroup var options: Options
        @Argument(help: "The page id, e.g. PG-000001.")
        var page: String
        @Option(help: "Who acknowledges.")
        var by: String
        @Option(help: ArgumentHelp("When: \(InstantArgument.forms) Default: now.", valueName: "time"))
        var at: InstantArgument?

        func validate() throws {
            try at.validate()
            try ArgumentText.requireText(by, option: "--by", fix: "give the name of who acknowledges, e.g. --by \"Grace Kim\"")
        }

        func run() throws {
            let instant = try at.instantOrNow()
            let service = try options.service(at: instant)
            let record = try PagesCommand.run { try service.acknowledge(pageID: page, by: by, at: instant) }
            print(PageViews.acknowledged(record, by: by))
        }
    }

    struct Tick: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Process acknowledgement timeouts due by --at (default now): unacknowledged pages climb a level.")
        @OptionGroup var options: Options
        @Option(help: ArgumentHelp("Process timeouts due at or before this time: \(InstantArgument.forms) Default: now.", valueName: "time"))
        var at: InstantArgument?

        func validate() throws { try at.validate() }

        func run() throws {
            let instant = try at.instantOrNow()
            let service = try options.service(at: instant)
            let sent = try PagesCommand.run { try service.tick(at: instant) }
            let pending = try service.deliverPending()
            if sent.isEmpty && pending.isEmpty { print("nothing due at \(InstantParser.utcString(Int(instant.timeIntervalSince1970)))") }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Page the on-call Escalation Manager for a case (what an escalation does).",
            discussion: "The case must exist and be open. With no open escalation, one is recorded on the case's feed first; with one open, it is joined and nothing new is sent.")
        @OptionGroup var options: Options
        @Option(name: .customLong("case"), help: "The case number.")
        var caseNumber: String
        @Option(help: "Why.")
        var reason: String = "escalation requested"
        @Option(help: ArgumentHelp("When: \(InstantArgument.forms) Default: now.", valueName: "time"))
        var at: InstantArgument?

        func validate() throws {
            try at.validate()
            try ArgumentText.requireText(reason, option: "--reason", fix: "say why the manager is paged, or leave --reason out")
        }

        func run() throws {
            let instant = try at.instantOrNow()
            let service = try options.service(at: instant)
            let outcome = try PagesCommand.run { try service.page(caseNumber: caseNumber, reason: reason, at: instant) }
            if outcome.joined {
                print("Case \(caseNumber)'s escalation \(outcome.escalationID) is already open\(outcome.latest.map { " (\($0.id) to \($0.person), \($0.state.rawValue))" } ?? ""); nothing new was sent.")
            } else if outcome.sent.isEmpty {
                throw CommandError("nobody is on call at any level of the policy at \(InstantParser.utcString(Int(instant.timeIntervalSince1970)))")
            }
        }
    }
}
