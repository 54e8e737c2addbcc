import Foundation
import Synchronization
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `hotline` executable against a real file: concurrency, crashes and bad input.
@Suite("Reliability (real processes)", .serialized)
struct ProcessTests {
    /// Four writer processes at once, 500 writes each (escalations, status changes, comments, one
    /// transaction each) on the same five cases.
    @Test func fourProcessesTimesFiveHundredWritesLoseNothing() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let path = folder.path("hotline.sqlite")
        let cases = ["00345678", "00412345", "00999999", "00610003", "00610005"]
        let before = try cases.map { try store.feed(caseNumber: $0).count }.reduce(0, +)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let result = try runProcess(
                    Repository.hotline, ["db", "load", "--count", "500", "--label", "worker \(worker)", "--db", path, "--at", "2026-12-25T11:05:00Z"] + cases)
                if result.status != 0 || !result.error.isEmpty || !result.output.contains("written 500") {
                    failures.add("worker \(worker): status \(result.status): \(result.error)")
                }
            } catch {
                failures.add("worker \(worker): cannot run \(Repository.hotline): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let entries = try cases.flatMap { try store.feed(caseNumber: $0) }
        #expect(entries.count - before == 2000)
        for worker in 0..<4 {
            let written = entries.filter { $0.author == "load worker \(worker)" }
            #expect(written.count == 500)
            #expect(Set(written.map(\.body)).count == 500)
        }
        #expect(try store.database.integrityCheck() == ["ok"])
        #expect(try store.verifyFeeds().isEmpty)
    }

    /// Four workers each running the `hotline cases comment` / `cases escalate` commands one process
    /// per write, all at once. 4 × 50 by default; `HOTLINE_STRESS_FULL=1` runs 4 × 500 (minutes on a
    /// loaded two-core machine: 2000 process starts).
    @Test func commandsRunInParallelProcessesLoseNothing() throws {
        let perWorker = ProcessInfo.processInfo.environment["HOTLINE_STRESS_FULL"] == "1" ? 500 : 50
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let path = folder.path("hotline.sqlite")
        let cases = ["00345678", "00412345", "00999999", "00610003"]
        let before = try cases.map { try store.feed(caseNumber: $0).count }.reduce(0, +)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<perWorker {
                let caseNumber = cases[(worker + index) % cases.count]
                let marker = "w\(worker)-\(index) “quoted” 'x'; DROP TABLE case_feed; --"
                let arguments: [String] =
                    index % 10 == 0
                    ? ["cases", "escalate", caseNumber, "--reason", marker, "--channel", "phone", "--db", path, "--at", "2026-12-25T11:05:00Z"]
                    : ["cases", "comment", caseNumber, marker, "--role", "support", "--by", "worker \(worker)", "--db", path, "--at", "2026-12-25T11:05:00Z"]
                do {
                    let result = try runProcess(Repository.hotline, arguments)
                    if result.status != 0 || !result.error.isEmpty {
                        failures.add("worker \(worker) write \(index): status \(result.status): \(result.error)")
                    }
                } catch {
                    failures.add("worker \(worker) write \(index): cannot run \(Repository.hotline): \(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        let entries = try cases.flatMap { try store.feed(caseNumber: $0) }
        #expect(entries.count - before == 4 * perWorker)
        let bodies = entries.map(\.body)
        for worker in 0..<4 {
            for index in 0..<perWorker {
                let marker = "w\(worker)-\(index) “quoted” 'x'; DROP TABLE case_feed; --"
                #expect(bodies.filter { $0 == marker }.count == 1, "write \(marker) must be stored exactly once")
            }
        }
        #expect(try store.database.integrityCheck() == ["ok"])
        #expect(try store.verifyFeeds().isEmpty)
    }

    @Test func aProcessKilledMidWriteLeavesAHealthyDatabaseWithNoHalfRecordedEscalation() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let path = folder.path("hotline.sqlite")
        let cases = ["00345678", "00412345", "00999999", "00610003", "00610005"]
        var killed = 0
        for round in 0..<6 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Repository.hotline)
            process.arguments = ["db", "load", "--count", "1000000", "--label", "round \(round)", "--db", path, "--at", "2026-12-25T11:05:00Z"] + cases
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = try store.feed(caseNumber: cases[0]).count
            try process.run()
            // Let it write for a while (at least a few entries on the first case), then kill it mid-loop.
            var waited = 0
            while try store.feed(caseNumber: cases[0]).count < start + 3 + round * 2, waited < 3000 {
                usleep(10_000)
                waited += 10
            }
            usleep(UInt32(1_000 * (round * 7 % 23)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL { killed += 1 }
        }
        #expect(killed == 6)
        #expect(try store.database.integrityCheck() == ["ok"])
        // Every escalation and status change on the feed matches the case row, and vice versa.
        #expect(try store.verifyFeeds().isEmpty)
        for caseNumber in cases {
            let feed = try store.feed(caseNumber: caseNumber)
            let supportCase = try store.supportCase(caseNumber)
            let lastStatusChange = feed.last { $0.status != nil }
            #expect(lastStatusChange?.status == supportCase.status)
            for escalation in feed where escalation.kind == .escalation {
                #expect(escalation.channel != nil && !escalation.body.isEmpty)
            }
        }
        // And the database still takes writes.
        // (Dated after the loads' entries: a write dated before the feed's last entry is refused.)
        try store.comment(caseNumber: cases[0], text: "after the crashes", by: CaseStore.Author("x", role: .support), at: seedTime.addingTimeInterval(86_400))
    }

    @Test func processesOpeningANewFileAtOnceAllSucceed() throws {
        let folder = TemporaryFolder()
        let path = folder.path("fresh.sqlite")
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 6) { worker in
            do {
                let result = try runProcess(Repository.hotline, ["db", "migrate", "--db", path])
                if result.status != 0 || !result.error.isEmpty { failures.add("worker \(worker): \(result.error)") }
            } catch {
                failures.add("worker \(worker): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        // `db migrate` applies every target's migrations, the store's first, each once.
        let applied = try HotlineDatabase.open(path: path).appliedMigrations()
        #expect(applied.first == "store-v1")
        #expect(Set(applied).count == applied.count)
    }

    @Test(arguments: [
        (["cases", "show", "0034567A"], "contains characters that are not digits"),
        (["cases", "comment", "12345", "hi"], "has 5 digits, not 8"),
        (["cases", "escalate", "00345678X", "--reason", "r"], "not digits"),
        (["cases", "priority", "00345678", "P7"], "'P7' is not a priority"),
        (["cases", "escalate", "00500001", "--reason", "r"], "is closed"),
        (["cases", "show", "00000001"], "does not exist"),
        (["cases", "list", "--at", "yesterday"], "not a time"),
        (["cases", "open", "--account", "1000", "--priority", "P1", "--summary", "s"], "not 6 digits"),
    ])
    func badInputOnTheCommandLineGetsAClearError(_ arguments: [String], _ message: String) throws {
        let folder = TemporaryFolder()
        _ = try seededStore(in: folder)
        let result = try runProcess(Repository.hotline, arguments + ["--db", folder.path("hotline.sqlite")])
        #expect(result.status != 0)
        #expect(result.error.contains(message), "stderr: \(result.error)")
        #expect(!result.error.contains("Fatal error"))
    }

    @Test func aFileThatIsNotADatabaseIsNeverOverwritten() throws {
        let folder = TemporaryFolder()
        let path = folder.path("precious.txt")
        let original = Data("SQLite format 2 — not really\n".utf8) + Data((0..<10_000).map { UInt8(($0 * 7) % 256) })
        try original.write(to: URL(fileURLWithPath: path))
        for arguments in [["cases", "list"], ["db", "seed", "--fixtures", Repository.sampleData, "--sla", Repository.slaTable], ["db", "migrate"], ["cases", "comment", "00345678", "x"]] {
            let result = try runProcess(Repository.hotline, arguments, environment: ["HOTLINE_DB": path])
            #expect(result.status != 0)
            #expect(result.error.contains("is not a SQLite database"), "stderr: \(result.error)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["precious.txt"])
    }

    @Test func textRoundTripsThroughTheCommandLine() throws {
        let folder = TemporaryFolder()
        let path = folder.path("h.sqlite")
        #expect(try runProcess(Repository.hotline, ["db", "seed", "--db", path, "--fixtures", Repository.sampleData, "--sla", Repository.slaTable]).status == 0)
        let text = "Robert'); DROP TABLE support_case;--\nsecond line \"quoted\"\tünïcode 日本 🚨"
        let commented = try runProcess(Repository.hotline, ["cases", "comment", "00345678", text, "--db", path])
        #expect(commented.status == 0, "\(commented.error)")
        let feed = try runProcess(Repository.hotline, ["cases", "feed", "00345678", "--json", "--db", path])
        let entries = try JSONSerialization.jsonObject(with: Data(feed.output.utf8)) as? [[String: Any]]
        #expect(entries?.last?["body"] as? String == text)
        #expect(entries?.last?["kind"] as? String == "comment")
        let human = try runProcess(Repository.hotline, ["cases", "feed", "00345678", "--db", path])
        #expect(human.output.contains("second line \"quoted\"\tünïcode 日本 🚨"))
    }

    @Test func theCommandsWorkEndToEndWithJSON() throws {
        let folder = TemporaryFolder()
        let path = folder.path("h.sqlite")
        let env = ["HOTLINE_DB": path]
        let seeded = try runProcess(Repository.hotline, ["db", "seed", "--json", "--at", "2026-12-25T03:00 America/Los_Angeles", "--fixtures", Repository.sampleData, "--sla", Repository.slaTable], environment: env)
        #expect(seeded.status == 0, "\(seeded.error)")
        let summary = try JSONSerialization.jsonObject(with: Data(seeded.output.utf8)) as? [String: Any]
        #expect(summary?["cases"] as? Int == 30)
        let again = try runProcess(Repository.hotline, ["db", "seed", "--fixtures", Repository.sampleData, "--sla", Repository.slaTable], environment: env)
        #expect(again.status != 0 && again.error.contains("already holds"))

        let show = try runProcess(Repository.hotline, ["cases", "show", "00345678", "--json", "--at", "2026-12-25T11:00:00Z"], environment: env)
        let detail = try JSONSerialization.jsonObject(with: Data(show.output.utf8)) as? [String: Any]
        #expect((detail?["sla"] as? [String: Any])?["state"] as? String == "warning")
        #expect(detail?["priority"] as? String == "P1" && detail?["number"] as? String == "00345678")

        let opened = try runProcess(Repository.hotline, ["cases", "open", "--account", "100002", "--priority", "2", "--summary", "New one", "--skill", "vpn", "--json", "--at", "2026-12-25T11:00:00Z"], environment: env)
        let newCase = try JSONSerialization.jsonObject(with: Data(opened.output.utf8)) as? [String: Any]
        let number = try #require(newCase?["number"] as? String)
        #expect(newCase?["response_due_at"] as? String == "2026-12-25T12:00:00Z")
        #expect(try runProcess(Repository.hotline, ["cases", "priority", number, "P1", "--at", "2026-12-25T11:40:00Z"], environment: env).output.contains("BREACHED"))
        #expect(try runProcess(Repository.hotline, ["cases", "escalate", number, "--reason", "slow", "--at", "2026-12-25T11:45:00Z"], environment: env).status == 0)
        #expect(try runProcess(Repository.hotline, ["cases", "close", number, "--at", "2026-12-25T11:50:00Z"], environment: env).status == 0)
        let list = try runProcess(Repository.hotline, ["cases", "list", "--status", "closed", "--account", "100002", "--json"], environment: env)
        let closed = try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]]
        #expect(closed?.compactMap { $0["number"] as? String }.contains(number) == true)
        let check = try runProcess(Repository.hotline, ["db", "check"], environment: env)
        #expect(check.status == 0 && check.output.contains("integrity_check: ok"))
    }
}

/// Failures collected from several threads.
final class Failures: Sendable {
    private let items = Mutex<[String]>([])
    func add(_ item: String) { items.withLock { $0.append(item) } }
    var all: [String] { items.withLock { $0 } }
}
