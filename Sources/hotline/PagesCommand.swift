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
        @Option(help: ArgumentHelp("The database (default: $HOTLINE_DB or hotline.sqlite).", valueName: "path"))
        var db: String?
        @Option(help: "The escalation policy (it names its rota).")
        var policy: String = Defaults.policy
        @Option(help: "Also append each page delivered to this log file.")
        var log: String?

        var databasePath: String { Defaults.database(db) }

        /// The shared database, migrated with every target's tables (the case store's and ours).
        func store() throws -> PageStore {
            do {
                return PageStore(writer: try LineSystems.openDatabase(path: databasePath).writer)
            } catch {
                throw CommandFailure("\(error)")
            }
        }

        func service() throws -> PagingService {
            let loaded: EscalationPolicy
            do {
                loaded = try EscalationPolicy.load(path: policy)
            } catch {
                throw CommandFailure(error.description)
            }
            let console = ConsoleDelivery(write: { print($0) })
            let delivery: any PageDelivery = log.map { FanOutDelivery([console, LogFileDelivery(path: $0)]) } ?? console
            return PagingService(policy: loaded, store: try store(), delivery: delivery)
        }
    }

    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PagingError {
            throw CommandFailure(error.message + (error.fix.map { " (fix: \($0))" } ?? ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pages, oldest first.")
        @OptionGroup var options: Options
        @Option(name: .customLong("case"), help: "Only the pages of this case.")
        var caseNumber: String?
        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let pages = try options.store().pages(caseNumber: caseNumber)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(pages), as: UTF8.self))
                return
            }
            if pages.isEmpty {
                print("no pages")
                return
            }
            print("page       escalation  case        lvl  person            state         sent                  ack by / acked")
            for page in pages {
                let ack = page.acknowledgedBy.map { "\($0) at \(InstantParser.utcString(Int(page.acknowledgedAt?.timeIntervalSince1970 ?? 0)))" }
                    ?? InstantParser.utcString(Int(page.ackDeadline.timeIntervalSince1970))
                print(
                    [
                        page.id.padding(toLength: 10, withPad: " ", startingAt: 0),
                        page.escalation.padding(toLength: 11, withPad: " ", startingAt: 0),
                        page.caseNumber.padding(toLength: 11, withPad: " ", startingAt: 0),
                        String(page.level).padding(toLength: 4, withPad: " ", startingAt: 0),
                        page.person.padding(toLength: 17, withPad: " ", startingAt: 0),
                        (page.state.rawValue + (page.deliveredAt == nil ? "*" : "")).padding(toLength: 13, withPad: " ", startingAt: 0),
                        InstantParser.utcString(Int(page.sentAt.timeIntervalSince1970)).padding(toLength: 21, withPad: " ", startingAt: 0),
                        ack,
                    ].joined(separator: " "))
            }
            if pages.contains(where: { $0.deliveredAt == nil }) { print("* still in the outbox (not delivered yet)") }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge a page (and so its escalation).")
        @OptionGroup var options: Options
        @Argument(help: "The page id, e.g. PG-000001.")
        var page: String
        @Option(help: "Who acknowledges.")
        var by: String
        @Option(help: "When (default: now).")
        var at: String?

        func run() throws {
            let instant = try RotaCommand.instant(at, option: "--at")
            let service = try options.service()
            let record = try PagesCommand.run { try service.acknowledge(pageID: page, by: by, at: instant) }
            print("\(record.escalation) (case \(record.caseNumber)) acknowledged by \(by) on \(record.id) (level \(record.level), paged \(record.person))")
        }
    }

    struct Tick: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Process acknowledgement timeouts due by --at (default now): unacknowledged pages climb a level.")
        @OptionGroup var options: Options
        @Option(help: "Process timeouts due at or before this time (default: now).")
        var at: String?

        func run() throws {
            let instant = try RotaCommand.instant(at, option: "--at")
            let service = try options.service()
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
        @Option(help: "When (default: now).")
        var at: String?

        func run() throws {
            let instant = try RotaCommand.instant(at, option: "--at")
            let service = try options.service()
            let outcome = try PagesCommand.run { try service.page(caseNumber: caseNumber, reason: reason, at: instant) }
            if outcome.joined {
                print("Case \(caseNumber)'s escalation \(outcome.escalationID) is already open\(outcome.latest.map { " (\($0.id) to \($0.person), \($0.state.rawValue))" } ?? ""); nothing new was sent.")
            } else if outcome.sent.isEmpty {
                throw CommandFailure("nobody is on call at any level of the policy at \(InstantParser.utcString(Int(instant.timeIntervalSince1970)))")
            }
        }
    }
}
