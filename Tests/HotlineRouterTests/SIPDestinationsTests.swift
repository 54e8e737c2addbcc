import Foundation
import HotlineCore
import HotlineDiagnostics
import Testing

@testable import HotlineRouter

/// The names a SIP line maps to URIs: a queue's `contact:` and the destinations file
/// (`serve --destinations`). Only URIs written there are dialled; every mistake names its line.
@Suite struct SIPDestinationsTests {
    func load(_ text: String) throws -> Result<SIPDestinations, Diagnostics> {
        let folder = try TempFolder(["destinations.yaml": text])
        do throws(Diagnostics) {
            return .success(try SIPDestinations.load(path: folder.file("destinations.yaml")))
        } catch {
            return .failure(error)
        }
    }

    @Test func namesMapToTheURIsWrittenInTheFile() throws {
        let loaded = try load("destinations:\n  operator: sip:operator@192.0.2.10:5060\n  night-service: \"sip:night@pbx.example.com\"\n").get()
        #expect(loaded["operator"] == SIPContact(user: "operator", host: "192.0.2.10", port: 5060))
        #expect(loaded["night-service"] == SIPContact(user: "night", host: "pbx.example.com", port: nil))
        #expect(loaded["sales"] == nil)
        #expect(loaded.locations["night-service"]?.line == 3)
        // Names a flow transfers to, or queues, are fine; another is refused with the nearest one.
        #expect(loaded.check(against: ["operator", "night-service", "gsc"], flow: "f.yaml").isEmpty)
        let unknown = loaded.check(against: ["operator", "night_service"], flow: "f.yaml")
        #expect(unknown.count == 1)
        #expect(unknown.first?.line == 3)
        #expect(unknown.first?.description.contains("destination 'night-service' is not a transfer destination of the flow f.yaml") == true)
        #expect(unknown.first?.fix?.contains("did you mean 'night_service'?") == true)
    }

    @Test(arguments: [
        ("destinations:\n  operator: tel:+14085550100\n", 2, "destination 'operator': the URI 'tel:+14085550100'"),
        ("destinations:\n  operator: \"sip:${call.from}@pbx\"\n", 2, "the URI 'sip:${call.from}@pbx'"),
        ("destinations:\n  ok: sip:a@b\n  operator: sip:op@192.0.2.10;transport=tcp\n", 3, "the URI 'sip:op@192.0.2.10;transport=tcp'"),
        ("destinations:\n  \"sip:x@y\": sip:op@192.0.2.10\n", 2, "the destination name 'sip:x@y' is not a name"),
        ("destinations:\n  operator: [sip:a@b]\n", 2, "destination 'operator' must be a single value"),
        ("destinaions:\n  operator: sip:a@b\n", 1, "unknown key 'destinaions'"),
        ("destinations: sip:a@b\n", 1, "`destinations` must be a mapping of names to sip: URIs"),
        ("destinations:\n  operator: sip:a@b\n  operator: sip:c@d\n", 3, "operator"),
    ])
    func aBadFileIsRefusedAtItsLineWithTheFix(text: String, line: Int, message: String) throws {
        guard case .failure(let problems) = try load(text) else {
            Issue.record("\(text) should be refused")
            return
        }
        let first = try #require(problems.errors.first)
        #expect(first.file.hasSuffix("destinations.yaml"))
        #expect(first.line == line, "\(first)")
        #expect(first.description.contains(message), "\(first)")
        #expect(first.fix?.isEmpty == false)
    }

    /// `serve --destinations` stopped at the first kind of mistake: a bad URI hid a misspelt name
    /// until it was fixed. Every bad entry is said in one run, in file order, each with the fix.
    @Test func everyBadEntryOfTheFileIsSaidInOneRun() throws {
        let folder = try TempFolder([
            "destinations.yaml": """
                destinations:
                  operator: sip:operator@192.0.2.10:5060
                  night-service: http://pbx.example.com
                  oprator: sip:op@192.0.2.10
                  "sip:x@y": sip:x@y
                """
        ])
        do throws(Diagnostics) {
            _ = try SIPDestinations.load(path: folder.file("destinations.yaml"), known: ["operator", "night-service"], flow: "f.yaml")
            Issue.record("the file should be refused")
        } catch {
            #expect(error.errors.map(\.line) == [3, 4, 5], "\(error)")
            #expect(error.errors.allSatisfy { $0.file.hasSuffix("destinations.yaml") && $0.fix?.isEmpty == false }, "\(error)")
            #expect(error.errors[0].message.contains("the URI 'http://pbx.example.com'"), "\(error)")
            #expect(error.errors[1].message.contains("destination 'oprator' is not a transfer destination"), "\(error)")
            #expect(error.errors[1].fix?.contains("did you mean 'operator'?") == true, "\(error)")
            #expect(error.errors[2].message.contains("the destination name 'sip:x@y' is not a name"), "\(error)")
        }
    }

    @Test func aQueuesContactIsWhereASIPTransferToItsNameGoes() throws {
        let queues = goodQueues.replacingOccurrences(of: "strategy: top-down", with: "strategy: top-down\n    contact: sip:gec@pbx.example.com:5070")
        let folder = try TempFolder(["agents.yaml": goodAgents, "queues.yaml": queues])
        let config = try RoutingFile.load(agents: folder.file("agents.yaml"), queues: folder.file("queues.yaml"))
        #expect(config.queues.first { $0.name == "gec" }?.contact == SIPContact(user: "gec", host: "pbx.example.com", port: 5070))
        #expect(config.queues.first { $0.name == "gsc" }?.contact == nil)
        let bad = try #require(try loadError(queues: goodQueues.replacingOccurrences(of: "strategy: top-down", with: "strategy: top-down\n    contact: gec@pbx")))
        #expect(bad.code == .badValue)
        #expect(bad.line == 16)
        #expect(bad.description.contains("the queue's contact 'gec@pbx': it does not start with sip:"))
        // Not a default: each queue has its own.
        let asDefault = try #require(try loadError(queues: goodQueues.replacingOccurrences(of: "max-wait: 600", with: "max-wait: 600\n  contact: sip:a@b")))
        #expect(asDefault.description.contains("`contact` cannot be a default"))
    }
}
