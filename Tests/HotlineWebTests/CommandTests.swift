import Foundation
import HotlineApp
import HotlineCore
import HotlineStore
import HotlineWeb
import Testing

/// `hotline users` and `hotline serve` as real processes.
@Suite(.serialized) struct WebCommandTests {
    static var hotline: String {
        if let path = ProcessInfo.processInfo.environment["HOTLINE_BIN"] { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hotline").path
    }

    /// Runs `hotline` in the repository root with `input` on standard input.
    static func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hotline)
        process.arguments = arguments
        process.currentDirectoryURL = Repository.root
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func usersAddListRemoveWithTheirRefusals() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("users.sqlite").path
        #expect(try Self.run(["db", "seed", "--db", db]).status == 0)

        let added = try Self.run(["users", "add", "Dana@Acme.example", "--role", "customer", "--contact", "(408) 555-0142", "--password-stdin", "--db", db], input: "a long password\n")
        #expect(added.status == 0 && added.output.contains("dana@acme.example (customer, account 100001)"))
        #expect(try Self.run(["users", "add", "boss@hotline.example", "--role", "manager", "--password-stdin", "--db", db], input: "another password\n").status == 0)
        let list = try Self.run(["users", "list", "--db", db])
        #expect(list.output.contains("customer  dana@acme.example  Dana Whitfield (account 100001)") && list.output.contains("manager   boss@hotline.example"))

        let refusals: [([String], String, String)] = [
            (["users", "add", "x@y.example", "--role", "boss", "--password-stdin"], "long enough pw", "is not one of customer, agent, manager, trainer"),
            (["users", "add", "x@y.example", "--role", "customer", "--password-stdin"], "long enough pw", "must be tied to a contact"),
            (["users", "add", "x@y.example", "--role", "customer", "--contact", "+1 650 555 0000", "--password-stdin"], "long enough pw", "no contact has"),
            (["users", "add", "x@y.example", "--role", "agent", "--contact", "+1 408 555 0100", "--password-stdin"], "long enough pw", "only customers are tied"),
            (["users", "add", "dana@acme.example", "--role", "agent", "--password-stdin"], "long enough pw", "already exists"),
            (["users", "add", "x@y.example", "--role", "agent", "--password-stdin"], "short", "8 to 72 bytes"),
            (["users", "add", "not-an-email", "--role", "agent", "--password-stdin"], "long enough pw", "is not an email address"),
            (["users", "add", "x@y.example", "--role", "agent"], "long enough pw", "--password-stdin"),
            (["users", "remove", "nobody@y.example"], "", "no user 'nobody@y.example'"),
            (["users", "remove", ""], "", "no user '' (fix:"),
            (["users", "remove", String(repeating: "a", count: 500)], "", "no user '\(String(repeating: "a", count: 80))…' (fix:"),
        ]
        for (arguments, input, message) in refusals {
            let result = try Self.run(arguments + ["--db", db], input: input)
            #expect(result.status != 0 && result.output.contains(message), "\(arguments): \(result.output)")
        }
        #expect(try Self.run(["users", "remove", "dana@acme.example", "--db", db]).status == 0)
        #expect(!(try Self.run(["users", "list", "--db", db]).output.contains("dana@")))
    }

    @Test func casesShowAndEscalatePrintTheAPIsShapes() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.stop() } }
        let spec = try OpenAPICheck(yaml: try await Browser(server).get("/openapi.yaml").body)
        let number = try server.caseNumber(account: "100001")
        let at = InstantParser.utcString(server.clock.now)
        let show = try Self.run(["cases", "show", number, "--json", "--db", server.databasePath, "--at", at])
        #expect(show.status == 0, "\(show.output)")
        // What `cases show --json` prints is what GET /api/cases/{number} answers, key for key.
        try spec.check(method: "get", path: "/api/cases/{number}", status: 200, body: Array(show.output.utf8))
        let api = try await { () async throws -> HTTPResponse in
            let agent = Browser(server)
            try await agent.signIn("agent@hotline.example", "agent-demo")
            // The desk's queues are snake_case like everything else.
            let queues = try await agent.get("/api/queues")
            let first = (queues.json as? [[String: Any]])?.first
            #expect(first?["escalated_cases"] != nil && first?["escalatedCases"] == nil, "\(queues.body)")
            return try await agent.get("/api/cases/\(number)")
        }()
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(show.output.utf8)) as? [String: Any])
        let answered = try #require(api.json as? [String: Any])
        #expect(Set(printed.keys) == Set(answered.keys))
        #expect(printed["number"] as? String == number)

        let escalate = try Self.run(["cases", "escalate", number, "--reason", "Outage", "--json", "--db", server.databasePath, "--at", at])
        #expect(escalate.status == 0, "\(escalate.output)")
        try spec.check(method: "post", path: "/api/cases/{number}/escalate", status: 200, body: Array(escalate.output.utf8))
        let result = try #require(try JSONSerialization.jsonObject(with: Data(escalate.output.utf8)) as? [String: Any])
        #expect((result["case"] as? [String: Any])?["status"] as? String == "escalated")
        #expect((result["entry"] as? [String: Any])?["kind"] as? String == "escalation")
        #expect(((result["pages"] as? [[String: Any]])?.first?["person"] as? String)?.isEmpty == false, "\(escalate.output)")
    }

    @Test func serveRefusesBadSimulatedCallerValuesBeforeStarting() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("sim.sqlite").path
        let refusals: [([String], String)] = [
            (["--simulate-calls-per-hour=-5"], "--simulate-calls-per-hour -5 is not a rate from more than 0 to 3600"),
            (["--simulate-calls-per-hour", "0"], "--simulate-calls-per-hour 0 is not a rate"),
            (["--simulate-calls-per-hour", "30", "--simulate-max-calls", "0"], "--simulate-max-calls 0 is not from 1 to 100"),
            (["--simulate-max-calls", "2"], "go with --simulate-calls-per-hour"),
            (["--sip", "127.0.0.1:5099", "--simulate-calls-per-hour", "30"], "serve the web too"),
        ]
        for (arguments, message) in refusals {
            let result = try Self.run(["serve", "--db", db, "--stop-after", "1"] + arguments)
            #expect(result.status != 0 && result.output.contains(message) && result.output.contains("fix:"), "\(arguments): \(result.output)")
        }
        // Refused before anything starts: no database was made.
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    /// Every file `serve` reads is loaded before the database is opened: a run that fails on one
    /// leaves no new database (it used to create and seed it, then fail on the agents file).
    @Test func serveWithAFileThatDoesNotLoadLeavesNoDatabase() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("new.sqlite").path
        let missing = folder.appendingPathComponent("MISSING.yaml").path
        let runs: [[String]] = [
            ["--http", "127.0.0.1:0", "--agents", missing],
            ["--http", "127.0.0.1:0", "--policy", missing],
            ["--http", "127.0.0.1:0", "--sip", "127.0.0.1:5097", "--flow", missing],
            ["--http", "127.0.0.1:0", "--simulate-calls-per-hour", "30", "--flow", missing],
            ["--sip", "127.0.0.1:5097", "--queues", missing],
        ]
        for arguments in runs {
            let result = try Self.run(["serve", "--db", db, "--stop-after", "1"] + arguments)
            #expect(result.status != 0 && result.output.contains("MISSING.yaml"), "\(arguments): \(result.output)")
            for suffix in ["", "-wal", "-shm"] {
                #expect(!FileManager.default.fileExists(atPath: db + suffix), "\(arguments) left \(db + suffix)")
            }
        }
    }

    /// `serve --personas FOLDER --rubric FILE`: a folder or rubric the training desk could not use
    /// is refused before anything is served, naming the file (and line) and the fix.
    @Test func serveRefusesTrainingPersonasOrARubricThatDoNotLoad() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("training.sqlite").path
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let bad = folder.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.path("Fixtures/training/personas/issue-solved.yaml"), toPath: bad.appendingPathComponent("good.yaml").path)
        try "title: Broken\nwants: [unclosed\n".write(to: bad.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let badRubric = folder.appendingPathComponent("rubric.yaml")
        try "rubric: ours\nchecks: []\n".write(to: badRubric, atomically: true, encoding: .utf8)
        let missing = folder.appendingPathComponent("nowhere").path
        let refusals: [([String], String)] = [
            (["--personas", missing], "the persona folder \(missing) does not exist"),
            (["--personas", empty.path], "holds no persona files"),
            (["--personas", bad.path], bad.appendingPathComponent("broken.yaml").path + ":3:"),
            (["--rubric", badRubric.path], badRubric.path + ":2:"),
            (["--rubric", folder.appendingPathComponent("MISSING.yaml").path], "MISSING.yaml"),
        ]
        for (arguments, message) in refusals {
            let result = try Self.run(["serve", "--http", "127.0.0.1:0", "--db", db, "--stop-after", "1"] + arguments)
            #expect(result.status != 0, "\(arguments): \(result.output)")
            #expect(result.output.contains(message) && result.output.contains("fix:"), "\(arguments): \(result.output)")
            #expect(!result.output.contains("Hotline is serving"), "\(arguments): nothing is served")
        }
        #expect(!FileManager.default.fileExists(atPath: db), "refused before the database was made")
        let sipOnly = try Self.run(["serve", "--sip", "127.0.0.1:5098", "--db", db, "--personas", empty.path])
        #expect(sipOnly.status != 0 && sipOnly.output.contains("serve the web too"), "\(sipOnly.output)")
    }

    @Test func serveStopsCleanlyOnSIGTERMAndRefusesABadAddress() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("serve.sqlite").path
        let bad = try Self.run(["serve", "--http", "127.0.0.1:99999", "--db", db])
        #expect(bad.status != 0 && bad.output.contains("--http"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.hotline)
        process.arguments = ["serve", "--http", "127.0.0.1:0", "--db", db, "--demo", "--stop-after", "60"]
        process.currentDirectoryURL = Repository.root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var text = ""
        while !text.contains("Hotline is serving") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text.contains("trainer   trainer@hotline.example / trainer-demo"))
        #expect(text.contains("Hotline is serving http://127.0.0.1:"))
        process.terminate()  // SIGTERM
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: rest, as: UTF8.self).contains("Hotline stopped."))
    }
}
