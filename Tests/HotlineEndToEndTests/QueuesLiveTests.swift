import Foundation
import HotlineStore
import HotlineTestSupport
import Testing

/// `hotline queues --db`: a running line's calls from its live-call board, read only.
@Suite struct QueuesLiveTests {
    static var host: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A seeded database whose board has a SIP call queued by this (running) process, a call at a
    /// menu, and a queued call whose process is gone.
    static func line(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("line.sqlite").path
        let seed = try runProcess(try hotline(), ["db", "seed", "--db", path])
        try #require(seed.status == 0, "\(seed.combined)")
        let gone = try runProcess("/bin/sh", ["-c", "echo $$"])
        let deadPID = try #require(Int32(gone.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        let board = try LiveCallStore(database: try HotlineDatabase.open(path: path))
        let now = Date()
        try board.report(
            id: "queued", channel: "sip", callerID: "+14085550100", dialled: "+1-844-751-7629", sipCallID: "queued-1@hotline-test", host: host,
            processID: getpid(), startedAt: now.addingTimeInterval(-20), at: now.addingTimeInterval(-4), node: "cc_queue",
            waiting: "holding in queue customer-care at cc_queue", newLines: ["[00:15.6] press   2"], outcome: nil, caseNumber: nil)
        try board.report(
            id: "menu", channel: "browser", callerID: "+14085550101", dialled: "+1-844-751-7629", sipCallID: nil, host: host, processID: getpid(),
            startedAt: now.addingTimeInterval(-8), at: now.addingTimeInterval(-1), node: "main_menu", waiting: "listening at main_menu (keys)",
            newLines: [], outcome: nil, caseNumber: nil)
        try board.report(
            id: "lost", channel: "sip", callerID: "+14085550102", dialled: "+1-844-751-7629", sipCallID: "lost-1@hotline-test", host: host,
            processID: deadPID, startedAt: now.addingTimeInterval(-60), at: now.addingTimeInterval(-50), node: "cc_queue",
            waiting: "holding in queue customer-care at cc_queue", newLines: [], outcome: nil, caseNumber: nil)
        return path
    }

    @Test func theBoardsCallsAreListedByQueueWithTheirCallID() throws {
        let folder = try Repository.temporaryFolder()
        let path = try Self.line(in: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try runProcess(try hotline(), ["queues", "--db", path])
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.output.contains(": 2, 1 waiting in a queue; 1 more whose line is no longer running, not shown."), "\(result.output)")
        #expect(result.output.contains("customer-care: 1 waiting, longest 0:0"))
        #expect(result.output.contains("  1. sip  +14085550100  Call-ID queued-1@hotline-test  at cc_queue  wait 0:0"))
        #expect(result.output.contains("browser  +14085550101  -"))
        #expect(!result.output.contains("lost-1@hotline-test"))
        #expect(!result.output.contains("ava.morgan"), "not the simulated plan")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "read only")

        let json = try runProcess(try hotline(), ["queues", "--db", path, "--json"])
        #expect(json.status == 0, "\(json.combined)")
        let calls = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(calls.map { $0["id"] as? String } == ["queued", "menu"])
        #expect(calls[0]["sip_call_id"] as? String == "queued-1@hotline-test" && calls[0]["queue"] as? String == "customer-care")
        #expect((calls[0]["waited_seconds"] as? Int ?? -1) >= 4)
    }

    @Test func aLineWithNoCallsAMissingDatabaseAndThePlansOptionsAreSaidPlainly() throws {
        let folder = try Repository.temporaryFolder()
        let path = folder.appendingPathComponent("quiet.sqlite").path
        #expect(try runProcess(try hotline(), ["db", "seed", "--db", path]).status == 0)
        let quiet = try runProcess(try hotline(), ["queues", "--db", path])
        #expect(quiet.status == 0 && quiet.output.hasPrefix("No calls on the line in \(path) at "), "\(quiet.combined)")
        let empty = try runProcess(try hotline(), ["queues", "--db", path, "--json"])
        #expect(empty.status == 0, "\(empty.combined)")
        #expect((try JSONSerialization.jsonObject(with: Data(empty.output.utf8)) as? [Any])?.isEmpty == true, "\(empty.output)")

        let missing = try runProcess(try hotline(), ["queues", "--db", folder.appendingPathComponent("none.sqlite").path])
        #expect(missing.status != 0 && missing.combined.contains("no database at") && missing.combined.contains("fix:"), "\(missing.combined)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.sqlite").path), "nothing is created")

        let both = try runProcess(try hotline(), ["queues", "--db", path, "--after", "60"])
        #expect(both.status != 0 && both.combined.contains("--db shows the calls on a running line"), "\(both.combined)")
    }
}
