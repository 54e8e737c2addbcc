import ArgumentParser
import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineStore

/// `hotline cases`: the Case Center's buttons on the command line, plus the case-level escalation
/// chain (L0 → L3, then a Problem Report). Parsing and output only; the work is `CaseStore`'s.
struct CasesCommand: ParsableCommand {
    /// Says a malformed case number before the database is opened — or made and seeded, when
    /// `--db` names a file that does not exist yet.
    static func check(_ caseNumber: String) throws { _ = try CaseNumber(parsing: caseNumber) }

    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Support cases: list, show, feed, comment, change priority, escalate, close, open.",
        subcommands: [
            List.self, Show.self, Feed.self, Comment.self, PriorityCommand.self, Escalate.self, Close.self, Open.self, StatusCommand.self,
            EscalateLevel.self, ProblemReportCommand.self, Accounts.self, Identify.self, Calls.self,
        ]
    )

    /// `--db PATH`, else `HOTLINE_DB`, else `hotline.sqlite`.
    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The SQLite database file (env HOTLINE_DB; default hotline.sqlite).", valueName: "path"))
        var db: String?

        var path: String { Defaults.database(db) }

        /// Every command on the database stores or shows text: refuse arguments that are not UTF-8.
        func validate() throws { try ArgumentText.requireUTF8() }

        /// The database with every target's tables (cases, pages, …), created and migrated, never
        /// seeded: for `db migrate`, `db seed`.
        func openDatabase() throws -> HotlineDatabase {
            try LineSystems.openDatabase(path: path)
        }

        /// For commands that change data; a missing database is created and seeded (`LineDatabase`).
        func openDatabase(at now: Date) throws -> HotlineDatabase {
            try LineDatabase.openForWriting(path: path, seedAt: now, notice: Self.notice)
        }

        /// For commands that change data; a missing database is created and seeded (`LineDatabase`).
        func open(at now: Date) throws -> CaseStore {
            CaseStore(database: try openDatabase(at: now))
        }

        /// For commands that only read: read-only, the file never written (`LineDatabase`).
        func openForReading(at now: Date) throws -> CaseStore {
            CaseStore(database: try LineDatabase.openForReading(path: path, seedAt: now, notice: Self.notice))
        }

        /// What happened to the database, on stderr (stdout stays the command's own output).
        static func notice(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// `--at TIME`: the instant the command acts at; the system clock when absent.
    struct ClockOptions: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The time to act at: \(InstantArgument.forms) Default: now.", valueName: "time"))
        var at: InstantArgument?

        func validate() throws { try at.validate() }

        func now() throws -> Date { try at.instantOrNow() }
    }

    /// Who makes a change, as written on the feed.
    struct AuthorOptions: ParsableArguments {
        @Option(help: "The author's name on the feed.") var by: String?
        @Option(help: "customer, support or system.") var role: String?

        func validate() throws {
            try ArgumentText.requireText(by, option: "--by", fix: "give the author's name, or leave --by out for the default")
        }

        func author(defaultName: String, defaultRole: AuthorRole) throws -> CaseStore.Author {
            let role = try role.map { try AuthorRole(parsing: $0) } ?? defaultRole
            return CaseStore.Author(by ?? defaultName, role: role)
        }
    }

    /// Prints `value` as every `--json` does: snake_case keys, the shapes the web API prints too.
    static func printJSON(_ value: some Encodable) throws {
        print(try JSONOutput.text(value))
    }

    static func printLines(_ lines: [String]) {
        for line in lines { print(line) }
    }

    // MARK: - Subcommands

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases, most urgent first, with their SLA state.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only this account (6 digits).") var account: String?
        @Option(help: "Only this status: new, open, pending-customer, escalated, closed.") var status: String?
        @Flag(help: "Only cases whose response target is breached.") var breached = false
        @Flag(help: "Leave out closed cases.") var open = false
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let now = try clock.now()
            let caseStore = try store.openForReading(at: now)
            let filter = CaseStore.CaseFilter(
                accountID: account, status: try status.map { try CaseStatus(parsing: $0) }, breachedOnly: breached, includeClosed: !open)
            let rows = try caseStore.listCases(filter, at: now)
            if json {
                try printJSON(rows.map { JSONShapes.Case($0.case, sla: $0.sla) })
            } else {
                printLines(CaseViews.list(rows, at: now))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Case Detail: the case, its account, its SLA state and its SME.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            let caseStore = try store.openForReading(at: now)
            let detail = try caseStore.detail(caseNumber: caseNumber, at: now)
            if json {
                // The shape `GET /api/cases/{number}` answers.
                try printJSON(JSONShapes.Case(detail.supportCase, sla: detail.sla))
            } else {
                printLines(CaseViews.detail(detail))
            }
        }
    }

    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show Feed: the case's history, oldest first.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try CasesCommand.check(caseNumber)
            let caseStore = try store.openForReading(at: SystemClock().now())
            let entries = try caseStore.feed(caseNumber: caseNumber)
            if json {
                try printJSON(entries.map(JSONShapes.FeedEntry.init))
            } else {
                printLines(CaseViews.feed(entries, caseNumber: caseNumber))
            }
        }
    }

    struct Comment: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Case Comments: add a comment (a support comment is the first response).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Argument(help: "The comment, stored exactly as given (or use --body-file).") var text: String?
        @Option(
            name: .customLong("body-file"),
            help: ArgumentHelp("Read the comment from a file, or from standard input with -, stored byte for byte (UTF-8); for long or multi-line text.", valueName: "path"))
        var bodyFile: String?
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            switch (text, bodyFile) {
            case (nil, nil): throw ValidationError("the comment is missing (fix: give its text after the case number, or --body-file PATH, or --body-file - to read standard input)")
            case (.some, .some): throw ValidationError("give the comment either as text or with --body-file, not both")
            case (.some, nil), (nil, .some): break
            }
        }

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            let body = try text ?? ArgumentText.readBody(bodyFile ?? "-")
            let caseStore = try store.open(at: now)
            let entry = try caseStore.comment(caseNumber: caseNumber, text: body, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            if json { try printJSON(JSONShapes.FeedEntry(entry)) } else { print("Comment #\(entry.id) added to case \(entry.caseNumber).") }
        }
    }

    struct PriorityCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "priority", abstract: "Change Priority: P1, P2 or P3; the response due time is recomputed from the case's creation.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Argument(help: "P1, P2 or P3.") var priority: String
        @Option(help: "Why.") var note = ""
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            let newPriority = try Priority(parsing: priority)
            let caseStore = try store.open(at: now)
            let entry = try caseStore.changePriority(
                caseNumber: caseNumber, to: newPriority, note: note, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            let supportCase = try caseStore.supportCase(entry.caseNumber)
            if json {
                try printJSON(JSONShapes.Case(supportCase, at: now))
            } else {
                print(CaseViews.priorityChanged(supportCase, at: now))
            }
        }
    }

    struct Escalate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Escalate Now: record an escalation and page the Escalation Manager on call.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Option(help: "Why the customer escalates.") var reason: String
        @Option(help: "web (Escalate Now) or phone.") var channel = "web"
        @Option(help: "The escalation policy that says who is paged (it names its rota).") var policy = Defaults.policy
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            try ArgumentText.requireText(reason, option: "--reason", fix: "say why the customer escalates, e.g. --reason \"outage for every user\"")
        }

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            guard let channel = EscalationChannel(rawValue: channel.lowercased()) else {
                throw ValidationError("channel '\(channel)' is not web or phone")
            }
            // The policy before the database: a policy that does not load leaves no database behind.
            let loadedPolicy = try EscalationPolicy.load(path: policy)
            let desk = EscalationDesk(database: try store.openDatabase(at: now), policy: loadedPolicy, delivery: FanOutDelivery([]))
            let (entry, pages) = try desk.escalate(
                caseNumber: caseNumber, reason: reason, channel: channel, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            let lines = CaseViews.escalated(entry, channel: channel, page: pages.first.map(ConsoleDelivery.line))
            if json {
                // The shape `POST /api/cases/{number}/escalate` answers.
                let changed = try desk.store.supportCase(entry.caseNumber)
                try printJSON(
                    JSONShapes.ActionResult(
                        message: lines.joined(separator: " "), entry: JSONShapes.FeedEntry(entry), case: JSONShapes.Case(changed, at: now),
                        pages: pages.map(JSONShapes.Page.init)))
            } else {
                printLines(lines)
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close Case.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Option(help: "A closing note.") var note = ""
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            let caseStore = try store.open(at: now)
            let entry = try caseStore.close(caseNumber: caseNumber, note: note, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            if json { try printJSON(JSONShapes.FeedEntry(entry)) } else { print("Case \(entry.caseNumber) closed.") }
        }
    }

    struct StatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Set a case's status (new, open, pending-customer).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Argument(help: "new, open or pending-customer (use escalate and close for the others).") var status: String
        @Option(help: "A note.") var note = ""
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            guard let newStatus = try? CaseStatus(parsing: status) else {
                throw CommandError(
                    "'\(status)' is not a status this command sets (fix: use new, open or pending-customer; `hotline cases escalate` and `hotline cases close` set the others)")
            }
            switch newStatus {
            case .escalated: throw ValidationError("use `hotline cases escalate \(caseNumber) --reason TEXT` to escalate")
            case .closed: throw ValidationError("use `hotline cases close \(caseNumber)` to close")
            case .new, .open, .pendingCustomer: break
            }
            let caseStore = try store.open(at: now)
            let entry = try caseStore.setStatus(caseNumber: caseNumber, to: newStatus, note: note, by: try author.author(defaultName: "support", defaultRole: .support), at: now)
            if json { try printJSON(JSONShapes.FeedEntry(entry)) } else { print("Case \(entry.caseNumber) is now \(newStatus.rawValue).") }
        }
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a case; the account's SLA policy is pinned on it.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The 6-digit account number.") var account: String
        @Option(help: "P1, P2 or P3.") var priority: String
        @Option(help: "What is wrong, stored exactly as given.") var summary: String
        @Option(help: "Product/skill for routing (vpn, sso, …).") var skill = "general"
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let now = try clock.now()
            let newPriority = try Priority(parsing: priority)
            let caseStore = try store.open(at: now)
            let supportCase = try caseStore.openCase(
                CaseStore.NewCase(accountID: account, priority: newPriority, skill: skill, summary: summary),
                by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            if json {
                try printJSON(JSONShapes.Case(supportCase, at: now))
            } else {
                print(CaseViews.opened(supportCase))
            }
        }
    }

    struct EscalateLevel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "escalate-level", abstract: "Move the case to the next support level (L0 → L1 → L2 → L3).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Option(help: "Why the current level cannot resolve it.") var reason = ""
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            let caseStore = try store.open(at: now)
            let entry = try caseStore.escalateLevel(caseNumber: caseNumber, reason: reason, by: try author.author(defaultName: "support", defaultRole: .support), at: now)
            if json { try printJSON(JSONShapes.FeedEntry(entry)) } else { print("Case \(entry.caseNumber) is now at \(entry.level?.rawValue ?? "?").") }
        }
    }

    struct ProblemReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pr", abstract: "Open a Problem Report to engineering (only from L3).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Option(help: "What engineering should look at.") var summary: String
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try CasesCommand.check(caseNumber)
            let now = try clock.now()
            let caseStore = try store.open(at: now)
            let report = try caseStore.openProblemReport(caseNumber: caseNumber, summary: summary, by: try author.author(defaultName: "support", defaultRole: .support), at: now)
            if json { try printJSON(report) } else { print("Opened \(report.id) for case \(report.caseNumber).") }
        }
    }

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts with their contract, SME and business hours.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let now = try clock.now()
            let caseStore = try store.openForReading(at: now)
            let accounts = try caseStore.accounts()
            if json {
                try printJSON(accounts)
            } else {
                printLines(CaseViews.accounts(accounts, at: now))
            }
        }
    }

    struct Identify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who a caller ID maps to, as the phone line sees it.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "A caller ID in any common form (+1 408 555 0100, 408-555-0100, 14085550100).") var callerID: String
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let now = try clock.now()
            let phone = try PhoneNumber(parsing: callerID)
            let caseStore = try store.openForReading(at: now)
            let lookup = CallerLookup(e164: phone.e164, identity: try caseStore.identify(callerID: phone.e164, at: now))
            if json {
                try printJSON(lookup)
            } else {
                print(CaseViews.identify(lookup))
            }
        }
    }

    struct Calls: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Call records: who called, when, the flow path and the outcome.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only the last N calls.") var last = 20
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard last >= 1 else { throw ValidationError("--last must be at least 1, not \(last) (fix: e.g. --last 20)") }
        }

        func run() throws {
            let caseStore = try store.openForReading(at: SystemClock().now())
            let records = try caseStore.callRecords().suffix(max(0, last))
            if json {
                try printJSON(records.map(JSONShapes.Call.init))
            } else {
                printLines(CaseViews.calls(Array(records)))
            }
        }
    }
}
