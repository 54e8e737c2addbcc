import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineStore
import HotlineTestSupport
import Testing

@Suite("SLA response targets")
struct SLATests {
    let created = Date(timeIntervalSince1970: 1_798_196_400)

    @Test func theFixtureFileIsTheSeedsTable() throws {
        let table = try SLATable.load(path: Repository.slaTable)
        #expect(table == SLATable.standard)
        #expect(table.policies[.gold]?.targetMinutes == [.p1: 30, .p2: 60, .p3: 480])
        #expect(table.policies[.platinum]?.targetMinutes == [.p1: 15, .p2: 60, .p3: 240])
        #expect(table.warningPercent == 75)
        #expect(table.addOnNotes[.residentEngineer]?.contains("dedicated SME") == true)
    }

    @Test(arguments: [
        (0.0, SLAState.running), (11.0, .running), (11.25, .warning), (14.99, .warning), (15.0, .warning), (15.01, .breached), (60.0, .breached),
    ])
    func stateAtAnInstantWithoutResponse(_ minutesLater: Double, _ expected: SLAState) {
        let status = SLAClock.evaluate(
            createdAt: created, targetMinutes: 15, firstResponseAt: nil, closedAt: nil, warningPercent: 75, at: created.addingTimeInterval(minutesLater * 60))
        #expect(status.state == expected)
        #expect(status.dueAt == created.addingTimeInterval(15 * 60))
    }

    @Test func aResponseStopsTheClock() {
        let early = SLAClock.evaluate(
            createdAt: created, targetMinutes: 15, firstResponseAt: created.addingTimeInterval(10 * 60), closedAt: nil, warningPercent: 75,
            at: created.addingTimeInterval(3600))
        #expect(early.state == .met)
        #expect(abs(early.usedSeconds - 600) < 0.001)
        let late = SLAClock.evaluate(
            createdAt: created, targetMinutes: 15, firstResponseAt: created.addingTimeInterval(20 * 60), closedAt: nil, warningPercent: 75,
            at: created.addingTimeInterval(3600))
        #expect(late.state == .breached)
        // Before the (late) response happened, the case was simply running late.
        let before = SLAClock.evaluate(
            createdAt: created, targetMinutes: 15, firstResponseAt: created.addingTimeInterval(20 * 60), closedAt: nil, warningPercent: 75,
            at: created.addingTimeInterval(5 * 60))
        #expect(before.state == .running)
    }

    @Test func closingWithoutAResponseBeforeTheDueTimeIsMet() {
        let status = SLAClock.evaluate(
            createdAt: created, targetMinutes: 15, firstResponseAt: nil, closedAt: created.addingTimeInterval(5 * 60), warningPercent: 75,
            at: created.addingTimeInterval(3600))
        #expect(status.state == .met)
    }

    @Test func badTablesNameTheLine() throws {
        let folder = TemporaryFolder()
        let cases: [(String, String, Int)] = [
            ("name: t\nversion: 1\ntiers:\n  gold: { P1: 30m, P2: 1h, P3: soon }\n  platinum: { P1: 15m, P2: 1h, P3: 4h }\n", "not a duration", 4),
            ("name: t\nversion: 1\ntiers:\n  gold: { P1: 30m, P2: 1h }\n  platinum: { P1: 15m, P2: 1h, P3: 4h }\n", "no P3 target", 4),
            ("name: t\nversion: 1\ncalendar: business\n", "not supported", 3),
            ("name: t\nversion: 1\ntiers:\n  silver: { P1: 30m, P2: 1h, P3: 8h }\n", "not a contract tier", 4),
            ("name: t\nversion: 1\ntiers: [\n", "YAML syntax", 4),
        ]
        for (text, message, line) in cases {
            let path = folder.path("sla.yaml")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect {
                try SLATable.load(path: path)
            } throws: { error in
                let description = (error as? StoreError)?.description ?? ""
                return description.contains(message) && description.contains("\(path):\(line):")
            }
        }
    }

    /// Every problem of an SLA table at once, each at its line: a bad version, a bad and a too-long
    /// target, a duplicate key, an unknown key with a suggestion.
    @Test func everyProblemOfAnSLATableIsReportedAtOnce() {
        let path = Repository.root.appendingPathComponent("Fixtures/data/bad/sla.yaml").path
        do {
            _ = try SLATable.load(path: path)
            Issue.record("loaded")
        } catch {
            let found = error.diagnostics.map { "\($0.line):\($0.column)" }
            #expect(found == ["12:5", "3:10", "8:9", "14:9", "15:18"], "\(error)")
            #expect(error.description.contains("longer than the 366d allowed"))
            #expect(error.description.contains("did you mean `warning_percent`?"))
            #expect(error.diagnostics.allSatisfy { $0.fix != nil })
        }
    }
}
