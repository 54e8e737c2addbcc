import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineStore
import HotlineTestSupport
import Testing

@Suite("Sample data")
struct SampleDataTests {
    @Test func theSampleDataHasWhatTheReferenceLineNeeds() throws {
        let data = try SampleData.load(folder: Repository.sampleData)
        #expect((10...12).contains(data.accounts.count))
        #expect((28...32).contains(data.cases.count))
        #expect(Set(data.accounts.map(\.tier)) == [.gold, .platinum])
        #expect(Set(data.accounts.compactMap(\.addOn)) == Set(AddOn.allCases))
        #expect(Set(data.accounts.map(\.timeZone)).count >= 5)
        #expect(data.contacts.contains { $0.phones.count >= 2 })
        #expect(Set(data.cases.map(\.priority)) == Set(Priority.allCases))
        #expect(Set(data.cases.map(\.level)) == Set(SupportLevel.allCases))
        #expect(Set(data.cases.map(\.status)) == Set(CaseStatus.allCases))
        let acme = try #require(data.accounts.first { $0.id == "100001" })
        #expect(acme.name == "Acme Networks" && acme.tier == .platinum && acme.addOn == .csm && acme.timeZone == "America/Los_Angeles")
        let globex = try #require(data.accounts.first { $0.id == "100002" })
        #expect(globex.name == "Globex Bank" && globex.tier == .gold && globex.timeZone == "America/New_York")
        #expect(data.accounts.first { $0.id == "100003" }?.name == "Initech")
        let dana = try #require(data.contacts.first { $0.name == "Dana Whitfield" })
        #expect(dana.accountID == "100001" && dana.phones.map(\.e164).contains("+14085550100"))
        #expect(data.contacts.first { $0.name == "Ravi Menon" }?.phones.map(\.e164) == ["+12125550199"])
        #expect(!data.contacts.flatMap(\.phones).map(\.e164).contains("+16505550000"))
        func seedCase(_ number: String) -> SampleData.SeedCase? { data.cases.first { $0.number.text == number } }
        #expect(seedCase("00345678").map { ($0.accountID, $0.priority, $0.level, $0.status, $0.skill) } ?? ("", .p3, .l0, .new, "") == ("100001", .p1, .l2, .open, "vpn"))
        #expect(seedCase("00345679").map { ($0.accountID, $0.priority, $0.status.isOpen) } ?? ("", .p1, false) == ("100001", .p3, true))
        #expect(seedCase("00412345").map { ($0.accountID, $0.priority, $0.level, $0.status.isOpen) } ?? ("", .p3, .l0, false) == ("100002", .p2, .l1, true))
        #expect(seedCase("00500001").map { ($0.accountID, $0.status) } ?? ("", .new) == ("100003", .closed))
        #expect(seedCase("00999999")?.accountID == "100002")
    }

    @Test(arguments: [seedTime, Date(timeIntervalSince1970: 1_900_000_000), Date(timeIntervalSince1970: 1_700_000_123)])
    func someCasesAreNearBreachWhateverTheSeedTime(_ at: Date) throws {
        let folder = TemporaryFolder()
        let store = try CaseStore.open(path: folder.path("h.sqlite"))
        let summary = try store.seed(try SampleData.load(folder: Repository.sampleData), sla: .standard, at: at, reset: false)
        #expect(summary.warning.contains("00345678"))
        #expect(summary.warning.count >= 2)
        #expect(summary.breached.count >= 2)
        let rows = try store.listCases(CaseStore.CaseFilter(breachedOnly: true), at: at)
        #expect(Set(rows.map(\.case.number)) == Set(summary.breached))
        #expect(try store.verifyFeeds().isEmpty)
        #expect(try store.supportCase("00345678").createdAt == at.addingTimeInterval(-12 * 60))
    }

    @Test func seedingTwiceIsRefusedAndResetReplacesTheData() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        try store.comment(caseNumber: "00345678", text: "extra", by: CaseStore.Author("x", role: .customer), at: seedTime)
        let data = try SampleData.load(folder: Repository.sampleData)
        #expect {
            try store.seed(data, sla: .standard, at: seedTime, reset: false)
        } throws: { ($0 as? StoreError)?.code == .alreadySeeded }
        #expect(try store.feed(caseNumber: "00345678").count == 3)
        let later = seedTime.addingTimeInterval(86400)
        let summary = try store.seed(data, sla: .standard, at: later, reset: true)
        #expect(summary.cases == 30)
        #expect(try store.feed(caseNumber: "00345678").count == 2)
        #expect(try store.supportCase("00345678").createdAt == later.addingTimeInterval(-12 * 60))
    }

    @Test(arguments: [
        ("accounts.yaml", "accounts:\n  - id: \"10001\"\n    name: X\n    tier: gold\n    time_zone: UTC\n    hours: 24x7\n", "not 6 digits", 2),
        ("accounts.yaml", "accounts:\n  - id: \"100001\"\n    name: X\n    tier: gold\n    add_on: csm\n    sme: Y\n    time_zone: UTC\n    hours: 24x7\n", "Platinum accounts only", 5),
        ("accounts.yaml", "accounts:\n  - id: \"100001\"\n    name: X\n    tier: gold\n    time_zone: Mars/Base\n    hours: 24x7\n", "IANA", 6),
        ("accounts.yaml", "accounts:\n  - id: \"100001\"\n    name: X\n    tier: gold\n    colour: red\n", "unknown key 'colour'", 5),
        ("contacts.yaml", "contacts:\n  - name: A\n    account: \"100001\"\n    phones: [\"555-0100\"]\n", "phone number has 7 digits", 4),
        ("contacts.yaml", "contacts:\n  - name: A\n    account: \"100009\"\n    phones: [\"4085550100\"]\n", "not in accounts.yaml", 3),
        ("cases.yaml", "cases:\n  - number: \"0034567X\"\n", "not digits", 2),
        ("cases.yaml", "cases:\n  - number: \"00345678\"\n    account: \"100001\"\n    summary: s\n    skill: vpn\n    priority: P9\n    level: L0\n    status: new\n    age: 5m\n", "not a priority", 6),
        ("cases.yaml", "cases:\n  - number: \"00345678\"\n    account: \"100001\"\n    summary: s\n    skill: vpn\n    priority: P1\n    level: L0\n    status: new\n    age: 5m\n    feed:\n      - { after: 10m, kind: comment, by: x, text: y }\n", "after the seed time", 11),
    ])
    func badSampleDataNamesTheFileAndLine(_ file: String, _ text: String, _ message: String, _ line: Int) throws {
        let folder = TemporaryFolder()
        let good = Repository.sampleData
        for name in ["accounts.yaml", "contacts.yaml", "cases.yaml"] {
            try FileManager.default.copyItem(atPath: (good as NSString).appendingPathComponent(name), toPath: folder.path(name))
        }
        if file != "accounts.yaml" {
            try "accounts:\n  - id: \"100001\"\n    name: X\n    tier: gold\n    time_zone: UTC\n    hours: 24x7\n".write(toFile: folder.path("accounts.yaml"), atomically: true, encoding: .utf8)
            try "contacts:\n  - name: A\n    account: \"100001\"\n    phones: [\"4085550100\"]\n".write(toFile: folder.path("contacts.yaml"), atomically: true, encoding: .utf8)
        }
        try text.write(toFile: folder.path(file), atomically: true, encoding: .utf8)
        #expect {
            try SampleData.load(folder: folder.url.path)
        } throws: { error in
            let description = (error as? StoreError)?.description ?? "\(error)"
            return description.contains(message) && description.contains("\(folder.path(file)):\(line):")
        }
    }

    /// Every problem of a sample-data file is reported at once, each at its line, duplicate keys
    /// included (the reader once stopped at the first).
    @Test func everyProblemOfAnAccountsFileIsReportedAtOnce() throws {
        let folder = TemporaryFolder()
        let bad = Repository.root.appendingPathComponent("Fixtures/data/bad/accounts.yaml").path
        try FileManager.default.copyItem(atPath: bad, toPath: folder.path("accounts.yaml"))
        do {
            _ = try SampleData.load(folder: folder.url.path)
            Issue.record("loaded")
        } catch {
            #expect(error.code == .fixture)
            let found = error.diagnostics.map { "\($0.line):\($0.column)" }
            #expect(found == ["20:5", "3:9", "10:11", "16:15"], "\(error)")
            #expect(error.diagnostics.allSatisfy { $0.file == folder.path("accounts.yaml") && $0.fix != nil })
            #expect(error.description.contains("unknown key 'timezone' in an account; did you mean `time_zone`?"))
        }
    }

    /// Latin-1 text is said to be "not UTF-8" at its line, not "cannot read the file (check the path)".
    @Test func nonUTF8SampleDataSaysWhatIsWrongWithTheContent() throws {
        let folder = TemporaryFolder()
        try Data("accounts:\n  - id: \"100001\"\n    name: Caf".utf8 + [0xE9] + "\n".utf8).write(to: URL(fileURLWithPath: folder.path("accounts.yaml")))
        #expect {
            try SampleData.load(folder: folder.url.path)
        } throws: { error in
            let description = (error as? StoreError)?.description ?? "\(error)"
            return description.contains(":3:14: error: the file is not UTF-8 text (byte 0xE9 at line 3, column 14)") && !description.contains("check the path")
        }
    }
}
