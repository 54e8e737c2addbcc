import Foundation
import GRDB
import HotlineCore
import HotlineDiagnostics
import HotlineRota
import HotlineStore
import Testing

/// Records deliveries; can be told to fail, to exercise the outbox.
final class RecordingDelivery: PageDelivery, @unchecked Sendable {
    private let lock = NSLock()
    private var pages: [PageRecord] = []
    private var failing = false
    var delivered: [PageRecord] { lock.withLock { pages } }
    func fail(_ on: Bool) { lock.withLock { failing = on } }
    func deliver(_ page: PageRecord) throws {
        try lock.withLock {
            if failing { throw CocoaError(.fileWriteUnknown) }
            pages.append(page)
        }
    }
}

func referencePolicy() throws -> EscalationPolicy {
    try EscalationPolicy.load(path: fixture("escalation-policy.yaml"))
}

@Suite struct EscalationStateMachineTests {
    let t0 = date("2026-06-03T11:00 Europe/London")

    @Test func unacknowledgedPageClimbsAfterTenMinutes() throws {
        let policy = try referencePolicy()
        var machine = EscalationStateMachine(policy: policy)
        let primary = try #require(policy.rota.who(at: t0).primary)
        let later = t0.addingTimeInterval(600)
        let backup = try #require(policy.rota.who(at: later).backup)
        #expect(machine.escalationRecorded(at: t0) == [.sendPage(level: 1, round: 0, person: primary, at: t0, ackBy: later), .scheduleCheck(at: later)])
        #expect(machine.timerFired(at: t0.addingTimeInterval(599)) == [])  // early: ignored
        #expect(machine.timerFired(at: later) == [
            .markEscalated(level: 1, round: 0, at: later),
            .sendPage(level: 2, round: 0, person: backup, at: later, ackBy: later.addingTimeInterval(600)),
            .scheduleCheck(at: later.addingTimeInterval(600)),
        ])
        #expect(machine.acknowledged(by: backup, at: later.addingTimeInterval(60)) == [.markAcknowledged(by: backup, at: later.addingTimeInterval(60))])
        #expect(machine.acknowledged(by: backup, at: later.addingTimeInterval(70)) == [])  // twice: ignored
        #expect(machine.timerFired(at: later.addingTimeInterval(600)) == [])  // after ack: ignored
    }

    @Test func repeatsThenExhausts() throws {
        let policy = try referencePolicy()  // 3 levels (10m, 10m, 15m), repeat 1
        var machine = EscalationStateMachine(policy: policy)
        var now = t0
        var levels: [Int] = []
        var actions = machine.escalationRecorded(at: now)
        while true {
            for action in actions {
                if case .sendPage(let level, _, _, _, _) = action { levels.append(level) }
            }
            guard case .paging(let paging) = machine.state else { break }
            now = paging.deadline
            actions = machine.timerFired(at: now)
        }
        #expect(levels == [1, 2, 3, 1, 2, 3])
        #expect(actions.last == .markExhausted(at: now))
        #expect(now == t0.addingTimeInterval(2 * (600 + 600 + 900)))
        #expect(machine.acknowledged(by: "Late Larry", at: now.addingTimeInterval(5)) == [.markAcknowledged(by: "Late Larry", at: now.addingTimeInterval(5))])
    }

    @Test func levelWithNobodyOnCallIsSkipped() throws {
        let rota = try Rota.load(path: fixture("bad/gap.yaml"))
        let policy = EscalationPolicy(
            name: "p", path: "p.yaml", rota: rota,
            levels: [
                .init(name: "primary", target: .line(0), ackTimeout: 600, location: .init(file: "p.yaml", line: 1, column: 1)),
                .init(name: "boss", target: .person("Ingrid Larsen"), ackTimeout: 600, location: .init(file: "p.yaml", line: 2, column: 1)),
            ], repeatCount: 0)
        var machine = EscalationStateMachine(policy: policy)
        let inGap = date("2026-01-01T17:00:00Z")
        #expect(machine.escalationRecorded(at: inGap) == [
            .skipLevel(level: 1, round: 0, at: inGap),
            .sendPage(level: 2, round: 0, person: "Ingrid Larsen", at: inGap, ackBy: inGap.addingTimeInterval(600)),
            .scheduleCheck(at: inGap.addingTimeInterval(600)),
        ])
    }

    @Test func policyFileErrors() throws {
        let folder = temporaryDirectory()
        let path = folder + "/policy.yaml"
        try "policy: x\nrota: \(fixture("escalation-managers.yaml"))\nlevels:\n  - name: one\n    line: tertiary\n    ack-timeout: 10m\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: Diagnostics.self) { try EscalationPolicy.load(path: path) }
        do {
            _ = try EscalationPolicy.load(path: path)
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.first?.line == 5)
            #expect(error.description.contains("'tertiary'"))
        }
        try "policy: x\nrota: \(fixture("escalation-managers.yaml"))\nlevels:\n  - name: one\n    line: primary\n    ack-timeout: soon\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try EscalationPolicy.load(path: path)
            Issue.record("loaded")
        } catch {
            #expect(error.first?.code == .badDuration)
            #expect(error.first?.line == 6)
        }
    }

    /// Every problem of a policy at once: unknown keys, a bad repeat, a line the rota lacks, a
    /// timeout longer than a day, a level with nobody to page, and a duplicate key.
    @Test func policyFileReportsEveryProblemAtOnce() throws {
        let path = fixture("bad/policy-several.yaml")
        do {
            _ = try EscalationPolicy.load(path: path)
            Issue.record("loaded")
        } catch {
            let found = error.errors.map { "\($0.line):\($0.column) \($0.code)" }
            #expect(found == [
                "9:5 duplicate-key", "4:1 unknown-key", "3:9 bad-value", "11:11 unknown-name", "12:18 bad-duration",
                "13:5 structure",
            ], "\(error)")
            #expect(error.errors.allSatisfy { $0.file == path && $0.fix != nil })
        }
    }
}

@Suite struct PagingServiceTests {
    let t0 = date("2026-06-03T15:00 America/New_York")

    func service(_ delivery: RecordingDelivery) throws -> (PagingService, String) {
        let path = temporaryDirectory() + "/hotline.sqlite"
        let store = try PageStore.open(path: path)
        return (PagingService(policy: try referencePolicy(), store: store, delivery: delivery), path)
    }

    @Test func pageRecordedBeforeDeliveryAndClimbsInVirtualTime() throws {
        let delivery = RecordingDelivery()
        let (service, path) = try service(delivery)
        let policy = service.policy
        let sent = try service.escalate(caseNumber: "2026-000123", reason: "P1 outage", at: t0)
        #expect(sent.map(\.level) == [1])
        #expect(sent.first?.person == policy.rota.who(at: t0).primary)
        #expect(delivery.delivered.map(\.id) == ["PG-000001"])

        // Nine minutes: nothing. Ten minutes: level 2, the backup on call then.
        #expect(try service.tick(at: t0.addingTimeInterval(540)).isEmpty)
        let climbed = try service.tick(at: t0.addingTimeInterval(600))
        #expect(climbed.map(\.level) == [2])
        #expect(climbed.first?.person == policy.rota.who(at: t0.addingTimeInterval(600)).backup)
        let pages = try service.store.pages()
        #expect(pages.map(\.state) == [.escalated, .sent])

        // The backup acknowledges; nothing more happens, however long we wait.
        let acked = try service.acknowledge(pageID: "PG-000002", by: "Hannah Schmidt", at: t0.addingTimeInterval(700))
        #expect(acked.state == .acknowledged)
        #expect(acked.acknowledgedBy == "Hannah Schmidt")
        #expect(try service.tick(at: t0.addingTimeInterval(86_400)).isEmpty)
        #expect(throws: PagingError.self) { try service.acknowledge(pageID: "PG-000002", by: "X", at: t0.addingTimeInterval(800)) }

        // The state is in the SQLite file, readable by a fresh connection.
        let reopened = try PageStore.open(path: path)
        #expect(try reopened.pages().map(\.state) == [.escalated, .acknowledged])
    }

    @Test func lateTickReplaysEveryTimeoutUntilExhausted() throws {
        let delivery = RecordingDelivery()
        let (service, _) = try service(delivery)
        try service.escalate(caseNumber: "2026-000124", reason: "no answer", at: t0)
        let sent = try service.tick(at: t0.addingTimeInterval(4 * 3600))
        #expect(sent.map(\.level) == [2, 3, 1, 2, 3])
        #expect(sent.map(\.sentAt) == [600, 1200, 2100, 2700, 3300].map { t0.addingTimeInterval($0) })
        let pages = try service.store.pages(caseNumber: "2026-000124")
        #expect(pages.map(\.state) == [.escalated, .escalated, .escalated, .escalated, .escalated, .exhausted])
        #expect(Set(pages.map(\.escalation)) == ["ESC-000001"])
    }

    @Test func ackOfAnEarlierPageAcknowledgesTheEscalation() throws {
        let (service, _) = try service(RecordingDelivery())
        try service.escalate(caseNumber: "2026-000125", reason: "r", at: t0)
        // Acknowledged after the timeout, before anyone ticked: the climb happens first.
        let record = try service.acknowledge(pageID: "PG-000001", by: "Sofia Martinez", at: t0.addingTimeInterval(660))
        #expect(record.id == "PG-000002")
        #expect(try service.store.pages().map(\.state) == [.escalated, .acknowledged])
        #expect(throws: PagingError.self) { try service.acknowledge(pageID: "PG-999999", by: "X", at: t0) }
    }

    @Test func failedDeliveryStaysInTheOutbox() throws {
        let delivery = RecordingDelivery()
        delivery.fail(true)
        let (service, _) = try service(delivery)
        let sent = try service.escalate(caseNumber: "2026-000126", reason: "r", at: t0)
        #expect(sent.count == 1)
        #expect(try service.store.pages().first?.deliveredAt == nil)
        #expect(delivery.delivered.isEmpty)
        delivery.fail(false)
        #expect(try service.deliverPending().map(\.id) == ["PG-000001"])
        #expect(try service.store.pages().first?.deliveredAt == t0)
        #expect(try service.deliverPending().isEmpty)
    }

    @Test func logFileDelivery() throws {
        let folder = temporaryDirectory()
        let store = try PageStore.open(path: folder + "/hotline.sqlite")
        let log = folder + "/pages.log"
        let service = PagingService(policy: try referencePolicy(), store: store, delivery: LogFileDelivery(path: log))
        try service.escalate(caseNumber: "2026-000127", reason: "r", at: t0)
        try service.tick(at: t0.addingTimeInterval(600))
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("PAGE PG-000001") && lines[1].contains("(level 2)"))
    }

    @Test func pagesLiveInTheCaseStoresDatabase() throws {
        let path = temporaryDirectory() + "/hotline.sqlite"
        let database = try HotlineDatabase.open(path: path, extraMigrations: [{ PageStore.registerMigrations(&$0) }])
        #expect(try database.appliedMigrations().contains("pages-v1"))
        let service = PagingService(policy: try referencePolicy(), store: PageStore(writer: database.writer), delivery: RecordingDelivery())
        try service.escalate(caseNumber: "2026-000128", reason: "r", at: t0)
        // Opened again the same way: the page is there and nothing is migrated twice.
        let again = try HotlineDatabase.open(path: path, extraMigrations: [{ PageStore.registerMigrations(&$0) }])
        #expect(try PageStore(writer: again.writer).pages().map(\.caseNumber) == ["2026-000128"])
    }

    @Test func migrationsShareAMigrator() throws {
        let queue = try DatabaseQueue(path: temporaryDirectory() + "/shared.sqlite")
        var migrator = DatabaseMigrator()
        migrator.registerMigration("store-v1") { db in try db.create(table: "cases") { $0.column("number", .text) } }
        PageStore.registerMigrations(&migrator)
        try migrator.migrate(queue)
        let applied = try queue.read { try migrator.appliedIdentifiers($0) }
        #expect(applied == ["store-v1", "pages-v1"])
        #expect(applied.filter { $0 != "store-v1" }.allSatisfy { $0.hasPrefix("pages-") })
    }
}

@Suite struct OnCallPagerTests {
    @Test func differentManagersForCallsAtDifferentTimesAndZones() throws {
        let store = try PageStore.open(path: temporaryDirectory() + "/hotline.sqlite")
        let policy = try referencePolicy()
        let pager: any OnCallPager = RotaPager(service: PagingService(policy: policy, store: store, delivery: RecordingDelivery()))
        let sydney = date("2026-06-03T10:00 Australia/Sydney")
        let london = date("2026-06-03T11:00 Europe/London")
        let first = try #require(try pager.pageOnCall(caseNumber: "2026-000200", reason: "by phone", at: sydney))
        let second = try #require(try pager.pageOnCall(caseNumber: "2026-000201", reason: "online", at: london))
        #expect(first.level == 1 && second.level == 1)
        #expect(first.personName == policy.rota.who(at: sydney).primary)
        #expect(second.personName == policy.rota.who(at: london).primary)
        #expect(first.personName != second.personName)

        let facts = PageFactChecker(store: store)
        #expect(try facts.check(.pageSent(to: first.personName, caseNumber: "2026-000200", level: 1)).holds)
        #expect(try !facts.check(.pageSent(to: second.personName, caseNumber: "2026-000200", level: nil)).holds)
        #expect(try !facts.check(.pageSent(to: nil, caseNumber: "2026-000200", level: 2)).holds)
        #expect(try facts.answer(.caseStatus(caseNumber: "2026-000200", status: "escalated")) == nil)
        let observed = try facts.check(.pageSent(to: nil, caseNumber: "2026-000999", level: nil))
        #expect(!observed.holds && observed.observed.contains("no pages"))
    }
}
