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

    @Test func aScriptedEscalationIsRecordedOnTheCaseAndPagesTheManagerOnCall() throws {
        let binary = try #require(Built.hotline, "build the hotline executable first (swift build --product hotline)")
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/call.sqlite"
        let call = try runProcess(
            binary, ["call", "--audio", "off", "--db", db, "--pace", "0.02", "--at", Self.at],
            input: "1\nsay escalation manager\nsay zero zero three four\n00345678\n")
        #expect(!call.timedOut)
        #expect(call.status == 0, "\(call.output)\n\(call.error)")
        let out = call.output
        #expect(out.contains("Calling 1-844-751-7629"))
        #expect(out.contains("from +1 408 555 0100 (Dana Whitfield, Acme Networks)"))
        #expect(out.contains("created; seeded with the sample data"))
        #expect(out.contains("press   1"))
        #expect(out.contains("say     \"escalation manager\""))
        #expect(out.contains("Your case number is zero zero three four five six seven eight"))
        #expect(out.contains("PAGE PG-"))
        // Issue 12 #22: speech where only keys are taken gets a hint; the page's acknowledge-by time
        // is in the call's zone, like every other time of the call.
        #expect(out.contains("say     \"zero zero three four\" (ignored: this prompt takes keys: type the digits)"), "\(out)")
        #expect(out.range(of: #"PAGE PG-.* acknowledge by \d\d:\d\d:\d\d PST"#, options: .regularExpression) != nil, "\(out)")
        #expect(out.contains("Call ended: completed"))
        #expect(out.contains("  path    answer → welcome → main_menu → customer_care → cc_menu → cc_case_number → cc_confirm → cc_escalate → cc_page"))
        #expect(out.contains("  case    00345678 — Acme Networks"))
        #expect(out.contains("escalation by phone"))
        #expect(out.range(of: #"  paged   PG-\d+ \S.* \(level 1\)"#, options: .regularExpression) != nil, "\(out)")
        #expect(out.contains("  record  saved in \(db)"))

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
    }

    @Test func anExistingDatabaseIsUsedAsIsAndACallerWhoSaysNothingIsEndedByTheFlowsTimers() throws {
        let binary = try #require(Built.hotline)
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/call.sqlite"
        // The first call creates and seeds the file; the second finds it.
        _ = try runProcess(binary, ["call", "--audio", "off", "--db", db, "--pace", "0.02", "--at", Self.at], input: "q")
        let silent = try runProcess(
            binary, ["call", "--audio", "off", "--pace", "0.02", "--at", Self.at], input: "", environment: ["HOTLINE_DB": db])
        #expect(!silent.timedOut)
        #expect(silent.status == 0, "\(silent.output)\n\(silent.error)")
        #expect(!silent.output.contains("seeded"))
        #expect(silent.output.contains("silence timer expired in main_menu"))
        #expect(silent.output.contains("Call ended: transferred"))
        #expect(silent.output.contains("→ operator"))
        #expect(try CaseStore.open(path: db).callRecords().count == 2)
    }

    @Test func hangingUpFromAScript() throws {
        let binary = try #require(Built.hotline)
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let call = try runProcess(binary, ["call", "--audio", "off", "--db", folder + "/c.sqlite", "--pace", "0.02", "--at", Self.at], input: "1\nq\n")
        #expect(call.status == 0)
        #expect(call.output.contains("press   1"))
        #expect(call.output.contains("Call ended: caller-hung-up"))
        #expect(call.output.contains("  case    none"))
        #expect(call.output.contains("  paged   nobody"))
    }

    @Test func badOptionsAreRefusedWithWhatToWrite() throws {
        let binary = try #require(Built.hotline)
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let at = try runProcess(binary, ["call", "--audio", "off", "--db", folder + "/c.sqlite", "--at", "next saturday"])
        #expect(at.status != 0)
        #expect(at.error.contains("--at: 'next saturday'"))
        let pace = try runProcess(binary, ["call", "--audio", "off", "--db", folder + "/c.sqlite", "--pace", "0"])
        #expect(pace.status != 0)
        #expect(pace.error.contains("--pace must be above 0"))
        let flow = try runProcess(binary, ["call", "--audio", "off", "--db", folder + "/c.sqlite", "--flow", folder + "/missing.yaml"])
        #expect(flow.status == 2)
        #expect(flow.error.contains("missing.yaml"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/c.sqlite"))  // nothing created for a call never placed
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
