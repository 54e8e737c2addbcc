import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineRota
import Testing

/// `contacts:` in a rota file: the SIP phone a page rings, checked as it is read.
@Suite struct RotaContactsTests {
    static let rota = """
        rota: x
        lines:
          primary:
            layers:
              - {name: A, zone: UTC, rotation: daily, start: 2026-01-01, people: [Ada, Bob]}
        contacts:

        """

    @Test func contactsAreRead() throws {
        let rota = try Rota.parse(yaml: Self.rota + "  Ada: sip:ada@127.0.0.1:5070\n  Bob: sip:pbx.example.com\n", path: "x.yaml")
        #expect(rota.contacts["Ada"] == SIPContact(user: "ada", host: "127.0.0.1", port: 5070))
        #expect(rota.contacts["Ada"]?.description == "sip:ada@127.0.0.1:5070")
        #expect(rota.contacts["Bob"]?.description == "sip:pbx.example.com")
        #expect(try Rota.load(path: fixture("escalation-managers.yaml")).contacts.isEmpty)
    }

    @Test(arguments: [
        ("  Ada: tel:+14155550199\n", "does not start with sip:"),
        ("  Ada: sip:ada@127.0.0.1:99999\n", "port"),
        ("  Ada: sip:ada@127.0.0.1;transport=tcp\n", "host"),
        ("  Ada: sip:ada@host?Route=x\n", "host"),
        ("  Ada: \"sip:a b@host\"\n", "user part"),
        ("  Ada: sips:ada@host\n", "sips"),
    ])
    func badURIsNameTheLineAndValue(entry: String, mentions: String) {
        do {
            _ = try Rota.parse(yaml: Self.rota + entry, path: "x.yaml")
            Issue.record("\(entry) was accepted")
        } catch {
            let first = error.errors.first
            #expect(first?.code == .badValue)
            #expect(first?.line == 7)
            #expect(first?.description.hasPrefix("x.yaml:7:") == true)
            #expect(first?.description.contains(mentions) == true, "\(error)")
            #expect(first?.fix?.contains("sip:") == true)
        }
    }

    @Test func aContactForSomeoneNotInTheRotaIsAnError() {
        do {
            _ = try Rota.parse(yaml: Self.rota + "  Adda: sip:ada@127.0.0.1\n", path: "x.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.errors.first?.code == .unknownPerson)
            #expect(error.errors.first?.line == 7)
            #expect(error.errors.first?.fix?.contains("Ada") == true)
        }
    }

    @Test func contactsMustBeAMapping() {
        do {
            _ = try Rota.parse(yaml: Self.rota + "  - sip:ada@127.0.0.1\n", path: "x.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.errors.first?.code == .structure)
        }
    }

    /// `phones:`: the number a page's call dials, checked as it is read.
    static let phones = Self.rota.replacingOccurrences(of: "contacts:", with: "phones:")

    @Test func phonesAreReadAndTheReferenceRotaHasOneForEveryone() throws {
        let rota = try Rota.parse(yaml: Self.phones + "  Ada: \"+1 415 555 0100\"\n  Bob: +442079460101\n", path: "x.yaml")
        #expect(rota.phones == ["Ada": "+1 415 555 0100", "Bob": "+442079460101"])
        let reference = try Rota.load(path: fixture("escalation-managers.yaml"))
        #expect(Set(reference.phones.keys) == Set(reference.people))
        #expect(Set(reference.phones.values).count == reference.people.count)
    }

    @Test(arguments: ["  Ada: \"415 555 0100\"\n", "  Ada: \"+1 (415) 555 0100\"\n", "  Ada: \"+1 555\"\n", "  Ada: [1, 2]\n", "  Adda: \"+1 415 555 0100\"\n"])
    func badPhonesNameTheLineAndTheFix(_ entry: String) {
        do {
            _ = try Rota.parse(yaml: Self.phones + entry, path: "x.yaml")
            Issue.record("\(entry) was accepted")
        } catch {
            #expect(error.errors.first?.line == 7, "\(error)")
            #expect(error.errors.first?.fix?.isEmpty == false, "\(error)")
        }
    }
}
