import Foundation
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline call` as a real process: a script on standard input, the real SQLite file, the real
/// rota and pager. `--pace` shortens every wait so a call takes seconds; the order of events is the
/// one a real-time call has.
@Suite(.serialized) struct CallCommandTests {
    static let at = "2026-12-05T03:00 America/Los_Angeles"  // Saturday 03:00: the manager on call is paged

    /// One run of `hotline call` and what it must show. `DB` in an argument or an environment
    /// value is the run's database file in a fresh folder.
    struct Run: Sendable, CustomTestStringConvertible {
        enum Status: Sendable {
            case zero
            case failure
            case exactly(Int32)
        }

        var name: String
        /// Runs before this one, on the same folder (their results are not checked).
        var before: [(arguments: [String], input: String)] = []
        var arguments: [String]
        var input = ""
        var environment: [String: String] = [:]
        var status: Status
        /// Lines standard output must contain, and must not contain.
        var output: [String] = []
        var notInOutput: [String] = []
        /// Regular expressions standard output must match.
        var matches: [String] = []
        var error: [String] = []
        /// Further checks of what the run left behind, given the binary, the database and the output.
        var then: (@Sendable (_ binary: String, _ db: String, _ output: String) throws -> Void)?

        var testDescription: String { name }
    }

    static let runs: [Run] = [
        Run(
            name: "a scripted escalation is recorded on the case and pages the manager on call",
            arguments: ["call", "--audio", "off", "--db", "DB", "--pace", "0.02", "--at", at],
            input: "1\nsay escalation manager\nsay zero zero three four\n00345678\n", status: .zero,
            output: [
                "Calling 1-844-751-7629", "from +1 408 555 0100 (Dana Whitfield, Acme Networks)", "created; seeded with the sample data",
                "press   1", "say     \"escalation manager\"", "Your case number is zero zero three four five six seven eight", "PAGE PG-",
                // Issue 12 #22: speech where only keys are taken gets a hint.
                "say     \"zero zero three four\" (ignored: this prompt takes keys: type the digits)",
                "Call ended: completed",
                "  path    answer → welcome → main_menu → customer_care → cc_menu → cc_case_number → cc_confirm → cc_escalate → cc_page",
                "  case    00345678 — Acme Networks", "escalation by phone", "  record  saved in DB",
            ],
            // The page's acknowledge-by time is in the call's zone, like every other time of the call.
            matches: [#"PAGE PG-.* acknowledge by \d\d:\d\d:\d\d PST"#, #"  paged   PG-\d+ \S.* \(level 1\)"#],
            then: { binary, db, _ in
                // The database file holds what the summary says.
                let store = try CaseStore.open(path: db)
                let escalated = try store.supportCase("00345678")
                #expect(escalated.status == .escalated)
                let feed = try store.feed(caseNumber: "00345678")
                #expect(feed.contains { $0.kind == .escalation && $0.channel == "phone" })
                let records = try store.callRecords()
                #expect(records.count == 1)
                #expect(records.first?.caseNumber == "00345678")
                #expect(records.first?.outcome == "completed")
                #expect(records.first.map { Int($0.startedAt.timeIntervalSince1970) } == 1_796_468_400)  // 2026-12-05T11:00Z

                let pages = try runProcess(binary, ["pages", "list", "--db", db, "--case", "00345678", "--json"])
                #expect(pages.status == 0)
                #expect(pages.output.contains("\"case_number\" : \"00345678\""))
                #expect(pages.output.contains("\"level\" : 1"))
            }),
        Run(
            name: "an existing database is used as is and a caller who says nothing is ended by the flow's timers",
            // The first call creates and seeds the file; the second finds it.
            before: [(["call", "--audio", "off", "--db", "DB", "--pace", "0.02", "--at", at], "q")],
            arguments: ["call", "--audio", "off", "--pace", "0.02", "--at", at], environment: ["HOTLINE_DB": "DB"], status: .zero,
            output: ["silence timer expired in main_menu", "Call ended: transferred", "→ operator"], notInOutput: ["seeded"],
            then: { _, db, _ in
                let records = try CaseStore.open(path: db).callRecords()
                #expect(records.count == 2)
            }),
        Run(
            name: "hanging up from a script",
            arguments: ["call", "--audio", "off", "--db", "DB", "--pace", "0.02", "--at", at], input: "1\nq\n", status: .zero,
            output: ["press   1", "Call ended: caller-hung-up", "  case    none", "  paged   nobody"]),
        Run(
            name: "a bad --at is refused with what to write", arguments: ["call", "--audio", "off", "--db", "DB", "--at", "next saturday"],
            status: .failure, error: ["--at: 'next saturday'"], then: CallCommandTests.nothingCreated),
        Run(
            name: "a bad --pace is refused with what to write", arguments: ["call", "--audio", "off", "--db", "DB", "--pace", "0"],
            status: .failure, error: ["--pace must be above 0"], then: CallCommandTests.nothingCreated),
        Run(
            name: "a missing flow is refused naming it", arguments: ["call", "--audio", "off", "--db", "DB", "--flow", "FOLDER/missing.yaml"],
            status: .exactly(2), error: ["missing.yaml"], then: CallCommandTests.nothingCreated),
    ]

    /// Nothing is created for a call never placed.
    @Sendable static func nothingCreated(_ binary: String, _ db: String, _ output: String) throws {
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test(arguments: runs)
    func callRun(_ run: Run) throws {
        let binary = try #require(Built.hotline, "build the hotline executable first (swift build --product hotline)")
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/call.sqlite"
        func resolved(_ text: String) -> String {
            text == "DB" ? db : text.replacingOccurrences(of: "FOLDER/", with: folder + "/")
        }
        for earlier in run.before {
            _ = try runProcess(binary, earlier.arguments.map(resolved), input: earlier.input)
        }
        let call = try runProcess(binary, run.arguments.map(resolved), input: run.input, environment: run.environment.mapValues(resolved))
        #expect(!call.timedOut)
        switch run.status {
        case .zero: #expect(call.status == 0, "\(call.output)\n\(call.error)")
        case .failure: #expect(call.status != 0, "\(call.output)")
        case .exactly(let status): #expect(call.status == status, "\(call.output)\n\(call.error)")
        }
        for line in run.output { #expect(call.output.contains(line.replacingOccurrences(of: "saved in DB", with: "saved in \(db)")), "\(line)\n\(call.output)") }
        for line in run.notInOutput { #expect(!call.output.contains(line), "\(line)\n\(call.output)") }
        for pattern in run.matches { #expect(call.output.range(of: pattern, options: .regularExpression) != nil, "\(pattern)\n\(call.output)") }
        for line in run.error { #expect(call.error.contains(line), "\(line)\n\(call.error)") }
        try run.then?(binary, db, call.output)
    }
}

/// `hotline call` in a real terminal (a tmux pane): keys in, transcript out, raw mode during the
/// call, and the terminal exactly as it was afterwards — after hanging up and after Ctrl-C.
@Suite(.serialized) struct CallTerminalTests {
    /// A shell script for the pane: terminal settings before and after, the exit status.
    func paneScript(folder: String, binary: String, pace: String) throws -> String {
        let script = folder + "/pane.sh"
        try """
            cd '\(Built.repositoryRoot)'
            stty -a > '\(folder)/before'
            '\(binary)' call --audio off --db '\(folder)/call.sqlite' --pace \(pace) --at '\(CallCommandTests.at)'
            echo $? > '\(folder)/exit'
            stty -a > '\(folder)/after'
            sleep 600
            """.write(toFile: script, atomically: true, encoding: .utf8)
        return script
    }

    func rawModeOn(_ tty: String) throws -> String {
        try runProcess("/bin/stty", ["-a", "-F", tty], limit: 10).output
    }

    @Test func keysInTranscriptOutAndTheTerminalRestored() throws {
        let binary = try #require(Built.hotline)
        try #require(Tmux.path != nil, "tmux is needed (make deps installs it)")
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = Tmux()
        defer { tmux.stop() }
        try tmux.start(script: try paneScript(folder: folder, binary: binary, pace: "0.5"))
        #expect(try tmux.waitFor("heard   main_menu:"), "\(tmux.shown)")
        let during = try rawModeOn(try tmux.paneTTY())
        #expect(during.contains("-icanon") && during.contains("-echo "), "\(during)")
        try tmux.keys("1")
        #expect(try tmux.waitFor("heard   cc_menu:"), "\(tmux.shown)")
        try tmux.keys("s")
        try tmux.keys("escalation manager", literal: true)
        #expect(try tmux.waitFor("say> escalation manager_"), "the phrase is echoed while typed: \(tmux.shown)")
        try tmux.keys("Enter")
        #expect(try tmux.waitFor("heard   cc_case_number:"), "\(tmux.shown)")
        try tmux.keys("00345678", literal: true)
        let exit = waitForFile(folder + "/exit", limit: 90)
        #expect(exit?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let screen = try tmux.screen()
        #expect(screen.contains("press   1"))
        #expect(screen.contains("say     \"escalation manager\""))
        #expect(screen.contains("Call ended: completed"), "\(screen)")
        #expect(screen.contains("  paged   PG-"))
        let before = try #require(waitForFile(folder + "/before"))
        let after = try #require(waitForFile(folder + "/after"))
        #expect(before.contains(" icanon") && before.contains(" echo "))
        #expect(after == before)
    }

    @Test func ctrlCHangsUpAndRestoresTheTerminal() throws {
        let binary = try #require(Built.hotline)
        try #require(Tmux.path != nil, "tmux is needed (make deps installs it)")
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = Tmux()
        defer { tmux.stop() }
        try tmux.start(script: try paneScript(folder: folder, binary: binary, pace: "1"))
        #expect(try tmux.waitFor("heard   welcome:"), "\(tmux.shown)")
        let during = try rawModeOn(try tmux.paneTTY())
        #expect(during.contains("-icanon") && during.contains("-isig"), "\(during)")
        try tmux.keys("C-c")
        let exit = waitForFile(folder + "/exit", limit: 60)
        #expect(exit?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let screen = try tmux.screen()
        #expect(screen.contains("Call ended: caller-hung-up"), "\(screen)")
        #expect(screen.contains("  record  saved"))
        let before = try #require(waitForFile(folder + "/before"))
        let after = try #require(waitForFile(folder + "/after"))
        #expect(after == before)
    }

    @Test func sigtermFromOutsideHangsUpAndRestoresTheTerminal() throws {
        let binary = try #require(Built.hotline)
        try #require(Tmux.path != nil, "tmux is needed (make deps installs it)")
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = Tmux()
        defer { tmux.stop() }
        try tmux.start(script: try paneScript(folder: folder, binary: binary, pace: "1"))
        #expect(try tmux.waitFor("heard   welcome:"), "\(tmux.shown)")
        let shell = try #require(pid_t(try tmux.command(["display-message", "-p", "-t", tmux.session, "#{pane_pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)))
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        let call = try #require(children.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.first, "no hotline process under the pane's shell")
        #expect(kill(call, SIGTERM) == 0)
        let exit = waitForFile(folder + "/exit", limit: 60)
        #expect(exit?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let screen = try tmux.screen()
        #expect(screen.contains("Call ended: caller-hung-up"), "\(screen)")
        let before = try #require(waitForFile(folder + "/before"))
        let after = try #require(waitForFile(folder + "/after"))
        #expect(after == before)
    }
}
