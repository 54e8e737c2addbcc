import ArgumentParser
import HotlineApp
import HotlineRota
import Foundation
import HotlineApp
import HotlineCore
import HotlineStore

/// `hotline cases`: the Case Center's buttons on the command line, plus the case-level escalation
/// chain (L0 → L3, then a Problem Report). Parsing and output only; the work is `CaseStore`'s.
struct CasesCommand: ParsableCommand {
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

        /// The database with every target's tables (cases, pages, …), migrated.
        func openDatabase() throws -> HotlineDatabase {
            try LineSystems.openDatabase(path: path)
        }

        func open() throws -> CaseStore {
            CaseStore(database: try openDatabase())
        }
    }

    /// `--at TIME`: the instant the command acts at; the system clock when absent.
    struct ClockOptions: ParsableArguments {
        @Option(
            name: .long,
            help: ArgumentHelp(
                "The time to act at: ISO 8601 with an offset (2026-12-25T03:00:00-08:00) or a local time and IANA zone ('2026-12-25T03:00 Australia/Sydney'). Default: now.",
                valueName: "time"))
        var at: String?

        func now() throws -> Date {
            guard let at else { return SystemClock().now() }
            return try TimeArgument.parse(at)
        }
    }

    /// Who makes a change, as written on the feed.
    struct AuthorOptions: ParsableArguments {
        @Option(help: "The author's name on the feed.") var by: String?
        @Option(help: "customer, support or system.") var role: String?

        func author(defaultName: String, defaultRole: AuthorRole) throws -> CaseStore.Author {
            let role = try role.map { try AuthorRole(parsing: $0) } ?? defaultRole
            return CaseStore.Author(by ?? defaultName, role: role)
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    // MARK: - Output helpers

    static func slaLine(_ sla: SLAStatus, at now: Date) -> String {
        let percent = Int((sla.usedFraction * 100).rounded())
        let remaining = Int((sla.remainingSeconds / 60).rounded(.towardZero))
        switch sla.state {
        case .running: return "running, \(percent)% used, due in \(minutes(remaining))"
        case .warning: return "WARNING, \(percent)% used, due in \(minutes(remaining))"
        case .breached:
            if let responded = sla.respondedAt {
                return "BREACHED, responded \(minutes(Int(responded.timeIntervalSince(sla.dueAt) / 60))) late"
            }
            return "BREACHED, \(minutes(-remaining)) overdue"
        case .met: return "met" + (sla.respondedAt.map { ", responded after \(minutes(Int(($0.timeIntervalSince(sla.dueAt) / 60) + Double(sla.targetMinutes))))" } ?? "")
        }
    }

    static func minutes(_ value: Int) -> String { MinutesText.format(minutes: value) }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func clip(_ text: String, _ width: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ⏎ ")
        return line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }

    static func printEntry(_ entry: FeedEntry) {
        for line in entry.textLines { print(line) }
    }

    /// One case in `list --json`.
    struct ListItem: Encodable {
        var number: String
        var accountId: String
        var accountName: String
        var tier: String
        var priority: String
        var status: String
        var level: String
        var skill: String
        var owner: String?
        var summary: String
        var createdAt: Date
        var responseDueAt: Date
        var sla: SLAStatus
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
            let caseStore = try store.open()
            let filter = CaseStore.CaseFilter(
                accountID: account, status: try status.map { try CaseStatus(parsing: $0) }, breachedOnly: breached, includeClosed: !open)
            let rows = try caseStore.listCases(filter, at: now)
            if json {
                try printJSON(rows.map { row in
                    ListItem(
                        number: row.case.number, accountId: row.case.accountID, accountName: row.case.accountName, tier: row.case.tier.rawValue,
                        priority: row.case.priority.rawValue, status: row.case.status.rawValue, level: row.case.level.rawValue, skill: row.case.skill,
                        owner: row.case.owner, summary: row.case.summary, createdAt: row.case.createdAt, responseDueAt: row.case.responseDueAt, sla: row.sla)
                })
                return
            }
            guard !rows.isEmpty else {
                print("No cases match.")
                return
            }
            print("CASE      PRI LVL STATUS            ACCOUNT                    SLA")
            for (supportCase, sla) in rows {
                print(
                    "\(supportCase.number)  \(supportCase.priority.rawValue)  \(supportCase.level.rawValue)  \(pad(supportCase.status.rawValue, 16))  "
                        + "\(pad(clip("\(supportCase.accountID) \(supportCase.accountName)", 25), 25))  \(slaLine(sla, at: now))")
                print("          \(clip(supportCase.summary, 90))")
            }
            print("\(rows.count) case\(rows.count == 1 ? "" : "s") at \(TimeArgument.format(now))")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Case Detail: the case, its account, its SLA state and its SME.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let now = try clock.now()
            let caseStore = try store.open()
            let detail = try caseStore.detail(caseNumber: caseNumber, at: now)
            if json {
                try printJSON(detail)
                return
            }
            let supportCase = detail.supportCase
            let account = detail.account
            let zone = TimeZone(identifier: account.timeZone) ?? TimeZone(identifier: "UTC")!
            func both(_ date: Date) -> String { "\(TimeArgument.format(date))  (\(TimeArgument.format(date, in: zone)))" }
            print("Case \(supportCase.number): \(supportCase.summary)")
            print("  Account      \(account.id) \(account.name) — \(account.tier.label)\(account.addOn.map { " + \($0.label)" } ?? "")")
            print("  Contact      \(supportCase.contactName ?? "—")")
            print("  Priority     \(supportCase.priority.rawValue)    Level \(supportCase.level.rawValue)    Status \(supportCase.status.rawValue)")
            print("  Skill        \(supportCase.skill)    Owner \(supportCase.owner ?? "unassigned")")
            print("  Opened       \(both(supportCase.createdAt))")
            print("  SLA policy   \(supportCase.slaPolicy): \(supportCase.priority.rawValue) respond within \(minutes(supportCase.targetMinutes)) (24x7)")
            print("  Response due \(both(supportCase.responseDueAt))")
            print("  First reply  \(supportCase.firstResponseAt.map(both) ?? "none yet")")
            print("  SLA now      \(slaLine(detail.sla, at: now))")
            if let sme = detail.sme {
                print("  SME          \(sme.name) (\(sme.kind), \(sme.addOn.label)), \(sme.businessHours) \(sme.timeZone): \(sme.onDutyNow ? "on duty now" : "off duty now")")
            }
            if let closed = supportCase.closedAt { print("  Closed       \(both(closed))") }
            if !detail.problemReports.isEmpty { print("  Problem Reports \(detail.problemReports.joined(separator: ", "))") }
            print("  Feed         \(detail.feedEntries) entries, Case Comments [\(detail.comments)]  (hotline cases feed \(supportCase.number))")
        }
    }

    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show Feed: the case's history, oldest first.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let caseStore = try store.open()
            let entries = try caseStore.feed(caseNumber: caseNumber)
            if json {
                try printJSON(entries)
                return
            }
            print("Feed of case \(entries.first?.caseNumber ?? caseNumber) (\(entries.count) entries)")
            entries.forEach(printEntry)
        }
    }

    struct Comment: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Case Comments: add a comment (a support comment is the first response).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The 8-digit case number.") var caseNumber: String
        @Argument(help: "The comment, stored exactly as given.") var text: String
        @OptionGroup var author: AuthorOptions
        @OptionGroup var clock: ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let now = try clock.now()
            let caseStore = try store.open()
            let entry = try caseStore.comment(caseNumber: caseNumber, text: text, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            if json { try printJSON(entry) } else { print("Comment #\(entry.id) added to case \(entry.caseNumber).") }
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
            let now = try clock.now()
            let newPriority = try Priority(parsing: priority)
            let caseStore = try store.open()
            let entry = try caseStore.changePriority(
                caseNumber: caseNumber, to: newPriority, note: note, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            let supportCase = try caseStore.supportCase(entry.caseNumber)
            if json {
                try printJSON(supportCase)
            } else {
                print("Case \(supportCase.number) is now \(supportCase.priority.rawValue); response due \(TimeArgument.format(supportCase.responseDueAt)) (\(slaLine(supportCase.sla(at: now), at: now))).")
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

        func run() throws {
            let now = try clock.now()
            guard let channel = EscalationChannel(rawValue: channel.lowercased()) else {
                throw ValidationError("channel '\(channel)' is not web or phone")
            }
            let desk = EscalationDesk(
                database: try store.openDatabase(), policy: try EscalationPolicy.load(path: policy),
                delivery: FanOutDelivery([]))
            let (entry, pages) = try desk.escalate(
                caseNumber: caseNumber, reason: reason, channel: channel, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            if json {
                try printJSON([
                    "case_number": entry.caseNumber, "escalation_id": entry.escalationID ?? "", "channel": channel.rawValue, "status": "escalated",
                    "paged": pages.first?.person ?? "", "page_id": pages.first?.id ?? "",
                ])
            } else {
                if let open = entry.joinedEscalation {
                    print("Case \(entry.caseNumber) joined its open escalation \(open) (\(channel.rawValue)); no new page was sent.")
                } else {
                    print("Case \(entry.caseNumber) escalated (\(entry.escalationID ?? ""), \(channel.rawValue)); status escalated.")
                    if let page = pages.first {
                        print(ConsoleDelivery.line(page))
                    } else {
                        print("Nobody is on call at this time to page; the escalation stands (see `hotline rota check`).")
                    }
                }
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
            let now = try clock.now()
            let caseStore = try store.open()
            let entry = try caseStore.close(caseNumber: caseNumber, note: note, by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            if json { try printJSON(entry) } else { print("Case \(entry.caseNumber) closed.") }
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
            let now = try clock.now()
            let newStatus = try CaseStatus(parsing: status)
            switch newStatus {
            case .escalated: throw ValidationError("use `hotline cases escalate \(caseNumber) --reason TEXT` to escalate")
            case .closed: throw ValidationError("use `hotline cases close \(caseNumber)` to close")
            case .new, .open, .pendingCustomer: break
            }
            let caseStore = try store.open()
            let entry = try caseStore.setStatus(caseNumber: caseNumber, to: newStatus, note: note, by: try author.author(defaultName: "support", defaultRole: .support), at: now)
            if json { try printJSON(entry) } else { print("Case \(entry.caseNumber) is now \(newStatus.rawValue).") }
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
            let caseStore = try store.open()
            let supportCase = try caseStore.openCase(
                CaseStore.NewCase(accountID: account, priority: newPriority, skill: skill, summary: summary),
                by: try author.author(defaultName: "customer", defaultRole: .customer), at: now)
            if json {
                try printJSON(supportCase)
            } else {
                print("Opened case \(supportCase.number) for \(supportCase.accountName) (\(supportCase.tier.label)), \(supportCase.priority.rawValue): respond by \(TimeArgument.format(supportCase.responseDueAt)) (\(minutes(supportCase.targetMinutes)), policy \(supportCase.slaPolicy)).")
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
            let now = try clock.now()
            let caseStore = try store.open()
            let entry = try caseStore.escalateLevel(caseNumber: caseNumber, reason: reason, by: try author.author(defaultName: "support", defaultRole: .support), at: now)
            if json { try printJSON(entry) } else { print("Case \(entry.caseNumber) is now at \(entry.level?.rawValue ?? "?").") }
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
            let now = try clock.now()
            let caseStore = try store.open()
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
            let caseStore = try store.open()
            let accounts = try caseStore.accounts()
            if json {
                try printJSON(accounts)
                return
            }
            for account in accounts {
                let open = (try? account.calendar().isOpen(at: now)) ?? false
                let contract = account.tier.label + (account.addOn.map { " + \($0.label)" } ?? "")
                let sme = account.smeName.map { " SME \($0)" } ?? ""
                print("\(account.id)  \(pad(clip(account.name, 26), 26))  \(pad(contract, 28)) \(account.businessHours) \(account.timeZone) (\(open ? "open" : "closed") now)\(sme)")
            }
        }
    }

    /// `identify --json`.
    struct IdentifyResult: Encodable {
        var e164: String
        var known: Bool
        var contactName: String?
        var accountId: String?
        var accountName: String?
        var tier: String?
        var openCases: [String]
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
            let caseStore = try store.open()
            let identity = try caseStore.identify(callerID: phone.e164, at: now)
            if json {
                try printJSON(
                    IdentifyResult(
                        e164: phone.e164, known: identity != nil, contactName: identity?.contactName, accountId: identity?.accountID,
                        accountName: identity?.accountName, tier: identity?.tier, openCases: identity?.openCases ?? []))
            } else if let identity {
                print("\(phone.e164): \(identity.contactName), account \(identity.accountID) \(identity.accountName) (\(identity.tier)); open cases: \(identity.openCases.isEmpty ? "none" : identity.openCases.joined(separator: ", "))")
            } else {
                print("\(phone.e164): unknown caller")
            }
        }
    }

    struct Calls: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Call records: who called, when, the flow path and the outcome.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only the last N calls.") var last = 20
        @Flag(help: "Print JSON.") var json = false

        /// One call in `calls --json`.
        struct Item: Encodable {
            var callerId: String
            var dialled: String?
            var startedAt: Date
            var endedAt: Date
            var path: [String]
            var outcome: String
            var caseNumber: String?
            var queue: String?
            var agent: String?
            var waitedSeconds: Double?
        }

        func run() throws {
            let caseStore = try store.open()
            let records = try caseStore.callRecords().suffix(max(0, last))
            if json {
                try printJSON(
                    records.map {
                        Item(
                            callerId: $0.callerID, dialled: $0.dialled, startedAt: $0.startedAt, endedAt: $0.endedAt, path: $0.path, outcome: $0.outcome,
                            caseNumber: $0.caseNumber, queue: $0.queue, agent: $0.agent, waitedSeconds: $0.waitedSeconds)
                    })
                return
            }
            guard !records.isEmpty else {
                print("No calls recorded.")
                return
            }
            for record in records {
                let seconds = Int(record.endedAt.timeIntervalSince(record.startedAt).rounded())
                let extra = [record.caseNumber.map { "case \($0)" }, record.queue.map { "queue \($0)" }, record.agent.map { "agent \($0)" }].compactMap { $0 }
                print("\(TimeArgument.format(record.startedAt))  \(record.callerID)  \(seconds)s  \(record.outcome)\(extra.isEmpty ? "" : "  " + extra.joined(separator: ", "))")
                print("    \(record.path.joined(separator: " → "))")
            }
        }
    }
}
