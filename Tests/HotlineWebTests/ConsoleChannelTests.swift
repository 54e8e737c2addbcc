import Foundation
import HotlineCore
import HotlineStore
import HotlineTestSupport
import HotlineWeb
import Testing

/// The console's finished calls show which phone placed each one, as the live list does, and can
/// be filtered by it (`/console?channel=`, `/api/calls?channel=`); a value that is no phone is a 400
/// naming the parameter, like every other list parameter.
@Suite(.serialized) struct ConsoleChannelTests {
    static func record(_ caller: String, _ channel: String?, at offset: TimeInterval) -> CallRecord {
        CallRecord(
            callerID: caller, dialled: nil, startedAt: TestServer.start.addingTimeInterval(offset), endedAt: TestServer.start.addingTimeInterval(offset + 30),
            path: ["welcome"], outcome: "completed", channel: channel)
    }

    static func withRecords(_ body: (TestServer, Browser) async throws -> Void) async throws {
        let server = try await TestServer.make()
        defer { try? FileManager.default.removeItem(at: server.folder) }
        for (caller, channel, offset) in [
            ("+14085550100", "browser", 0.0), ("+14085550101", "sip", 10), ("+14085550102", "simulated", 20), ("+14085550103", "terminal", 30),
            ("+14085550104", nil, 40),
        ] {
            try server.line.cases.recordCall(record(caller, channel, at: offset))
        }
        let trainer = Browser(server)
        #expect(try await trainer.signIn("trainer@hotline.example", "trainer-demo").status == 303)
        try await body(server, trainer)
        await server.stop()
    }

    @Test func theFinishedCallsShowTheirPhone() async throws {
        try await Self.withRecords { _, trainer in
            let console = try await trainer.get("/console")
            #expect(console.status == 200)
            #expect(console.body.contains("<th>Phone</th><th>Caller</th>"), "\(console.body)")
            for (caller, channel) in [("+14085550100", "browser"), ("+14085550101", "sip"), ("+14085550102", "simulated"), ("+14085550103", "terminal"), ("+14085550104", "—")] {
                #expect(console.body.contains("<td class=\"channel\">\(channel)</td><td>\(caller)</td>"), "\(channel)")
            }
        }
    }

    @Test func theFinishedCallsFilterByChannel() async throws {
        try await Self.withRecords { _, trainer in
            let console = try await trainer.get("/console?channel=simulated")
            #expect(console.status == 200)
            #expect(console.body.contains("+14085550102"))
            for other in ["+14085550100", "+14085550101", "+14085550103", "+14085550104"] { #expect(!console.body.contains(other), "\(other)") }
            // The live panels keep the filter when they refresh.
            #expect(console.body.contains("data-panels=\"/console/panels?channel=simulated\""))
            #expect(console.body.contains("<option value=\"simulated\" selected>"))
            let panels = try await trainer.get("/console/panels?channel=sip")
            #expect(panels.status == 200 && panels.body.contains("+14085550101") && !panels.body.contains("+14085550102"))

            let api = try await trainer.get("/api/calls?channel=terminal")
            let calls = try #require(api.json as? [[String: Any]])
            #expect(calls.map { $0["caller_id"] as? String } == ["+14085550103"])
            #expect(calls.map { $0["channel"] as? String } == ["terminal"])
            let all = try #require(try await trainer.get("/api/calls").json as? [[String: Any]])
            #expect(all.count == 5 && all.compactMap { $0["channel"] as? String } == ["browser", "sip", "simulated", "terminal"])
        }
    }

    @Test(arguments: ["/console?channel=fax", "/console/panels?channel=fax", "/api/calls?channel=fax", "/api/calls?channel=SIP"])
    func aChannelThatIsNoPhoneIsRefusedNamingIt(path: String) async throws {
        try await Self.withRecords { _, trainer in
            let response = try await trainer.get(path)
            #expect(response.status == 400, "\(path)")
            let got = path.split(separator: "=").last.map(String.init) ?? ""
            #expect(
                response.body.contains("channel must be browser, terminal, sip or simulated (got &#39;\(got)&#39;)")
                    || response.body.contains("channel must be browser, terminal, sip or simulated (got '\(got)')"), "\(response.body)")
        }
    }
}
