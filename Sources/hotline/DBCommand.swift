import ArgumentParser
import Foundation
import HotlineApp
import HotlineStore
import HotlineRouter

/// `hotline db`: create, migrate, check and seed the database file.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Create, migrate, check and seed the SQLite database.",
        subcommands: [Migrate.self, Seed.self, Check.self, Load.self]
    )

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the database if missing and apply every migration.")
        @OptionGroup var store: CasesCommand.StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let database = try store.openDatabase()
            let applied = try database.appliedMigrations()
            if json {
                try CasesCommand.printJSON(["database": database.path, "migrations": applied.joined(separator: ",")])
            } else {
                print("\(database.path): migrated (\(applied.joined(separator: ", ")))")
            }
        }
    }

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the sample accounts, contacts and cases (times relative to --at).",
            discussion: """
                Reads accounts.yaml, contacts.yaml and cases.yaml from --fixtures and the SLA table from --sla, \
                checks them, and writes them in one transaction. Case ages are relative to the seed time, so some \
                cases are always near their response target. A database that already holds accounts is refused \
                unless --reset is given (which replaces the case data).
                """)
        @OptionGroup var store: CasesCommand.StoreOptions
        static let defaultFixtures = "Fixtures/data"
        static let defaultSLA = "Fixtures/sla.yaml"
        @Option(help: "Folder with accounts.yaml, contacts.yaml and cases.yaml.") var fixtures = Seed.defaultFixtures
        @Option(help: "The SLA response-target table.") var sla = Seed.defaultSLA
        @Flag(help: "Replace existing case data (accounts, contacts, cases, feeds, call records).") var reset = false
        @OptionGroup var clock: CasesCommand.ClockOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let now = try clock.now()
            // The defaults are relative to the repository's root: elsewhere, say so (it was
            // "Fixtures/sla.yaml: no such file (fix: check the path …)").
            for (path, option) in [(sla, "--sla"), (fixtures, "--fixtures")] where !FileManager.default.fileExists(atPath: path) {
                let given = (option == "--sla" ? sla != Self.defaultSLA : fixtures != Self.defaultFixtures)
                guard !given else { continue }
                throw CommandError(
                    "no sample data at \(path): the default \(option) is relative to the repository's root, and the current folder is \(FileManager.default.currentDirectoryPath)"
                        + " (fix: run hotline db seed from the repository's root, or give --fixtures FOLDER and --sla FILE)")
            }
            let table = try SLATable.load(path: sla)
            let data = try SampleData.load(folder: fixtures)
            let caseStore = CaseStore(database: try store.openDatabase())
            let summary = try caseStore.seed(data, sla: table, at: now, reset: reset)
            if json {
                try CasesCommand.printJSON(summary)
            } else {
                CasesCommand.printLines(CaseViews.seeded(summary, database: caseStore.database.path, at: now))
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run SQLite's integrity check, compare every case with its replayed feed, check feeds are in time order and every account's SME can be routed.",
            discussion: "Exits 1 when any of these finds a problem. Reads the database only: the file is not changed, and a missing one is not created.")
        @OptionGroup var store: CasesCommand.StoreOptions
        @Option(help: ArgumentHelp("The agents file the accounts' SMEs must be agents of.", valueName: "path")) var agents = Defaults.routing + "/agents.yaml"
        @Option(help: ArgumentHelp("The queues file that goes with it.", valueName: "path")) var queues = Defaults.routing + "/queues.yaml"
        @Flag(help: "Print JSON: {\"database\", \"integrity_check\": [\"ok\"], \"feed_mismatches\": [], \"feed_out_of_order\": [], \"unroutable_smes\": [], \"passed\"}.")
        var json = false

        func run() throws {
            let caseStore = CaseStore(database: try HotlineDatabase.openForReading(path: store.path))
            let routing = try RoutingFile.load(agents: agents, queues: queues)
            let outOfOrder = try caseStore.feedProblems().filter { problem in
                switch problem.kind {
                case .outOfOrder: true
                case .differsFromFeed: false
                }
            }
            let report = CaseViews.CheckReport(
                database: caseStore.database.path, integrityCheck: try caseStore.database.integrityCheck(), feedMismatches: try caseStore.verifyFeeds(),
                feedOutOfOrder: outOfOrder.map(\.description),
                unroutableSMEs: try StoreAccountProfiles(store: caseStore, routing: routing).unroutableSMEs(agentsFile: agents).map(\.description),
                agentsFile: agents)
            if json {
                try CasesCommand.printJSON(report)
            } else {
                CasesCommand.printLines(report.lines)
            }
            if !report.passed { throw ExitCode(Exit.failed) }
        }
    }

    /// A write load generator for the reliability tests and benchmarks (hidden from help).
    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write escalations, status changes and comments in a loop (reliability tests, benchmarks).", shouldDisplay: false)
        @OptionGroup var store: CasesCommand.StoreOptions
        @Option(help: "How many writes.") var count = 1000
        @Option(help: "A label written into every entry.") var label = "load"
        @Argument(help: "Open case numbers to write to.") var cases: [String]
        @OptionGroup var clock: CasesCommand.ClockOptions

        func run() throws {
            let now = try clock.now()
            let caseStore = CaseStore(database: try store.openDatabase())
            try caseStore.runWriteLoad(caseNumbers: cases, count: count, label: label, at: now) { written in
                if written % 100 == 0 { print("written \(written)") }
            }
            print("written \(count)")
        }
    }
}
