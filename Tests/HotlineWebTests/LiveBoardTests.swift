import Foundation
import HotlineApp
import HotlineCore
import HotlineStore
import HotlineWeb
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The live-call board: calls of every phone on the line's database, followed by the console.
@Suite(.serialized) struct LiveBoardTests {
    /// Waits (bounded) until `condition` holds; records a failure naming `what` when it never does.
    static func waitFor(_ what: String, limit: Int = 600, _ condition: () throws -> Bool) async throws {
        for _ in 0..<limit where !(try condition()) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try condition(), "\(what)")
    }

    /// A SIP call that ended on the line: its call record, and its transcript `lines` reported to
    /// the board as the line reports a call (`id` on the board, ending at the record's end).
    /// Returns the record's id, the console's `/console/calls/ID`.
    static func endedSIPCall(on server: TestServer, _ id: String, _ record: CallRecord, waiting: String, lines: [String]) throws -> Int64 {
        let board = try #require(server.line.board)
        try server.line.cases.recordCall(record)
        try board.store.report(
            id: id, channel: "sip", callerID: record.callerID, dialled: record.dialled ?? "", sipCallID: record.sipCallID, host: "here", processID: 1,
            startedAt: record.startedAt, at: record.endedAt, node: nil, waiting: waiting, newLines: lines, outcome: record.outcome, caseNumber: record.caseNumber)
        return try #require(try server.line.cases.latestCallRecords(limit: 1).first?.id)
    }

    /// `hotline call --db SAME` as a real process, its caller on a pipe kept open.
    static func startCall(database: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WebCommandTests.hotline)
        process.arguments = ["call", "--db", database, "--audio", "off", "--pace", "0.5"]
        process.currentDirectoryURL = Repository.root
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, stdin)
    }

    @Test func aTerminalCallInAnotherProcessShowsOnTheConsoleLiveAndEndsThere() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let board = try #require(server.line.board)
        let trainer = Browser(server)
        try await trainer.signIn(WebRouteTests.trainer.0, WebRouteTests.trainer.1)

        let (process, stdin) = try Self.startCall(database: server.databasePath)
        defer { if process.isRunning { process.terminate() } }
        // A loaded machine may take long to start the process: the wait is generous, not timed.
        try await Self.waitFor("the terminal call is on the board, past its answer", limit: 3000) {
            try board.store.inProgress().contains { $0.channel == "terminal" && $0.transcript.count > 1 }
        }
        let row = try #require(try board.store.inProgress().first { $0.channel == "terminal" })
        #expect(row.processID == process.processIdentifier && row.callerID.contains("408") && row.transcript.first?.contains("answered") == true)
        #expect(row.node != nil)

        // The console shows it, with its transcript, and an open console is told it moved.
        let panels = try await trainer.get("/console/panels")
        #expect(panels.status == 200 && panels.body.contains("channel-terminal") && panels.body.contains("answered on"))
        let seen = server.line.events.latestID
        stdin.fileHandleForWriting.write(Data("1\n".utf8))
        try await Self.waitFor("the key press reaches the board", limit: 3000) {
            try board.store.call(id: row.id)?.transcript.contains { $0.contains("press") && $0.hasSuffix(" 1") } == true
        }
        try server.line.followBoard()
        #expect(server.line.events.events(after: seen).contains { $0.name == "calls" })

        // The caller hangs up (Ctrl-C): the row is finished with the call's outcome, and leaves the console.
        process.interrupt()
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        let finished = try #require(try board.store.call(id: row.id))
        #expect(finished.isOver && finished.outcome == "caller-hung-up")
        #expect(try board.store.inProgress().isEmpty)
        #expect(!(try await trainer.get("/console/panels")).body.contains("channel-terminal"))
    }

    @Test func theCallOfAProcessThatDiedIsMarkedLostAtTheNextBeat() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let board = try #require(server.line.board)
        let (process, stdin) = try Self.startCall(database: server.databasePath)
        try await Self.waitFor("the terminal call is on the board", limit: 3000) { try !board.store.inProgress().isEmpty }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        #expect(try board.store.inProgress().count == 1)  // nobody has noticed yet
        try server.line.tick()
        #expect(try board.store.inProgress().isEmpty)
        #expect(try board.store.finished().first?.outcome == "lost")
    }

    @Test func rowsAreWrittenOncePerReportAndFinishedCallsAreKeptBounded() throws {
        let folder = try Repository.temporaryFolder()
        let database = try HotlineDatabase.open(path: folder.appendingPathComponent("board.sqlite").path)
        let store = try LiveCallStore(database: database)
        let start = TestServer.start
        func report(_ id: String, _ lines: [String], at seconds: Double, outcome: String? = nil) throws {
            try store.report(
                id: id, channel: "browser", callerID: "+14085550100", dialled: "+18447517629", sipCallID: nil, host: "here", processID: 1,
                startedAt: start, at: start.addingTimeInterval(seconds), node: "cc.menu", waiting: "listening at cc.menu", newLines: lines,
                outcome: outcome, caseNumber: nil)
        }
        try report("a", ["[00:00.0] call answered", "[00:00.0] heard x"], at: 0)
        try report("a", [], at: 1)
        try report("a", ["[00:02.0] press 1\nwith a line break"], at: 2)
        let row = try #require(try store.call(id: "a"))
        #expect(row.transcript == ["[00:00.0] call answered", "[00:00.0] heard x", "[00:02.0] press 1 with a line break"])
        #expect(!row.isOver && row.updatedAt == start.addingTimeInterval(2))
        try report("a", ["[00:03.0] call ended"], at: 3, outcome: "completed")
        #expect(try store.call(id: "a")?.outcome == "completed" && store.inProgress().isEmpty)
        #expect(try store.call(callerID: "+14085550100", startedAt: start)?.id == "a")
        #expect(try store.call(callerID: "+1 (408) 555-0100", startedAt: start.addingTimeInterval(0.004))?.id == "a")  // as the record writes it, ms precision
        #expect(try store.call(callerID: "+14085550101", startedAt: start) == nil)

        // Another host's call that stopped moving is lost after `staleAfter`; this host's running one is not.
        try report("b", ["[00:00.0] call answered"], at: 0)
        try report("c", ["[00:00.0] call answered"], at: 0)
        let later = start.addingTimeInterval(LiveCallStore.staleAfter + 10)
        let lost = try store.expire(at: later) { host, _ in host == "here" ? .unknown : .running }
        #expect(lost == 2)
        for index in 0..<(LiveCallStore.finishedKept + 5) { try report("f\(index)", [], at: Double(index), outcome: "completed") }
        try store.expire(at: later) { _, _ in .running }
        #expect(try store.finished(limit: 10_000).count == LiveCallStore.finishedKept)
    }
}

/// Finished calls on the console: a stable address per call record, its transcript replayed.
@Suite(.serialized) struct ConsoleCallTests {
    @Test func aFinishedCallHasItsOwnPageWithTheTranscriptNodeByNodeOnlyForTrainers() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let start = server.clock.now
        let id = try LiveBoardTests.endedSIPCall(
            on: server, "replayed",
            CallRecord(
                callerID: "+14085550100", dialled: "+18447517629", startedAt: start, endedAt: start.addingTimeInterval(38), path: ["answer", "cc.menu", "cc_page"],
                outcome: "completed", caseNumber: nil, sipCallID: "abc@sip"),
            waiting: "ended: completed",
            lines: [
                "[00:00.0] call    answered on +18447517629", "[00:00.0] action  answer: identify_caller → known",
                "[00:13.2] press   1", "[00:38.0] end     <completed>",
            ])

        let trainer = Browser(server)
        try await trainer.signIn(WebRouteTests.trainer.0, WebRouteTests.trainer.1)
        let panels = try await trainer.get("/console/panels")
        #expect(panels.body.contains("href=\"/console/calls/\(id)\""))
        let page = try await trainer.get("/console/calls/\(id)")
        #expect(page.status == 200)
        #expect(page.body.contains("abc@sip") && page.body.contains("cc_page") && page.body.contains("replay-button"))
        #expect(page.body.contains("data-t=\"13.2\"") && page.body.contains("identify_caller → known"))
        // Escaped like everything printed.
        #expect(page.body.contains("&lt;completed&gt;") && !page.body.contains("<completed>"))
        #expect(try await trainer.get("/console/calls/999999").status == 404)
        #expect(try await trainer.get("/console/calls/not-a-number").status == 404)

        for (email, password) in [WebRouteTests.agent, WebRouteTests.manager, WebRouteTests.dana] {
            let other = Browser(server)
            try await other.signIn(email, password)
            #expect(try await other.get("/console/calls/\(id)").status == 403, "\(email)")
        }
        let nobody = Browser(server)
        #expect(try await nobody.get("/console/calls/\(id)").status == 303)
    }

    /// A SIP call redirected (302) before the answer: its page says it was never answered, and its
    /// transcript (ringing, the redirect, the end) replays like any other.
    @Test func aRedirectedCallsPageSaysItWasNeverAnswered() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let start = server.clock.now
        let id = try LiveBoardTests.endedSIPCall(
            on: server, "moved",
            CallRecord(
                callerID: "+14085550100", dialled: "+18447517629", startedAt: start, answeredAt: nil, endedAt: start.addingTimeInterval(0.2),
                path: ["identify", "route", "priority_desk"], outcome: "redirected", sipCallID: "moved-1@sip"),
            waiting: "ended: transferred",
            lines: [
                "[00:00.0] call    ringing on +18447517629", "[00:00.0] action  identify: identify_caller → known",
                "[00:00.2] redirect to sip:priority-desk@127.0.0.1:5999 (302 Moved Temporarily)", "[00:00.2] end     redirected (never answered)",
            ])
        let trainer = Browser(server)
        try await trainer.signIn(WebRouteTests.trainer.0, WebRouteTests.trainer.1)
        let page = try await trainer.get("/console/calls/\(id)")
        #expect(page.status == 200)
        #expect(page.body.contains("<td id=\"answered\">never answered</td>"))
        #expect(page.body.contains("<td id=\"outcome\">redirected</td>"))
        #expect(page.body.contains("<td>redirect</td><td>to sip:priority-desk@127.0.0.1:5999 (302 Moved Temporarily)</td>"))
        #expect(page.body.contains("data-t=\"0.2\"") && page.body.contains("replay-button"))
        let panels = try await trainer.get("/console/panels")
        #expect(panels.body.contains("0 (not answered)"))
    }

    @Test func transcriptLinesSplitIntoTimeKindAndText() {
        #expect(
            ConsoleCallView.step("[01:13.2] press   1") == ConsoleCallView.Step(seconds: 73.2, stamp: "01:13.2", kind: "press", text: "1"))
        #expect(ConsoleCallView.step("no stamp").text == "no stamp")
    }
}
