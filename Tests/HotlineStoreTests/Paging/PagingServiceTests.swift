import Foundation
import GRDB
import HotlineCore
import HotlineRota
import HotlineStore
import Synchronization
import HotlineTestSupport
import Testing

/// Records deliveries; can be told to fail, to exercise the outbox.
final class RecordingDelivery: PageDelivery {
    private struct State {
        var pages: [PageRecord] = []
        var failing = false
    }
    private let state = Mutex(State())
    var delivered: [PageRecord] { state.withLock { $0.pages } }
    func fail(_ on: Bool) { state.withLock { $0.failing = on } }
    func deliver(_ page: PageRecord) throws {
        try state.withLock { state in
            if state.failing { throw CocoaError(.fileWriteUnknown) }
            state.pages.append(page)
        }
    }
}

func referencePolicy() throws -> EscalationPolicy {
    try EscalationPolicy.load(path: Repository.fixtures + "/rota/escalation-policy.yaml")
}

/// The paging outbox on the seeded sample data's database: every page belongs to a case.
@Suite struct PagingServiceTests {
    let t0 = seedTime.addingTimeInterval(3600)
    let folder = TemporaryFolder()

    func service(_ delivery: RecordingDelivery = RecordingDelivery()) throws -> (PagingService, CaseStore) {
        let store = try seededStore(in: folder)
        return (PagingService(policy: try referencePolicy(), store: PageStore(writer: store.database.writer), delivery: delivery), store)
    }

    /// What `serve --sip` rings: pages still waiting, sent since the line started, before their deadline.
    @Test func waitingPagesAreTheSentOnesBeforeTheirDeadline() throws {
        let (service, _) = try service()
        _ = try service.escalate(caseNumber: "00345678", reason: "P1 outage", at: t0)
        #expect(try service.store.waiting(sentSince: t0, at: t0.addingTimeInterval(60)).map(\.id) == ["PG-000001"])
        #expect(try service.store.waiting(sentSince: t0.addingTimeInterval(1), at: t0.addingTimeInterval(60)).isEmpty)
        _ = try service.tick(at: t0.addingTimeInterval(600))
        #expect(try service.store.waiting(sentSince: t0, at: t0.addingTimeInterval(601)).map(\.id) == ["PG-000002"])
        _ = try service.acknowledge(pageID: "PG-000002", by: "Hannah Schmidt", at: t0.addingTimeInterval(700))
        #expect(try service.store.waiting(sentSince: t0, at: t0.addingTimeInterval(701)).isEmpty)
    }

    @Test func pageRecordedBeforeDeliveryAndClimbsInVirtualTime() throws {
        let delivery = RecordingDelivery()
        let (service, _) = try service(delivery)
        let policy = service.policy
        let sent = try service.escalate(caseNumber: "00345678", reason: "P1 outage", at: t0)
        #expect(sent.map(\.level) == [1])
        #expect(sent.first?.person == policy.rota.who(at: t0).primary)
        #expect(delivery.delivered.map(\.id) == ["PG-000001"])

        // Nine minutes: nothing. Ten minutes: level 2, the backup on call then.
        #expect(try service.tick(at: t0.addingTimeInterval(540)).isEmpty)
        let climbed = try service.tick(at: t0.addingTimeInterval(600))
        #expect(climbed.map(\.level) == [2])
        #expect(climbed.first?.person == policy.rota.who(at: t0.addingTimeInterval(600)).backup)
        #expect(try service.store.pages().map(\.state) == [.escalated, .sent])

        // The backup acknowledges; nothing more happens, however long we wait.
        let acked = try service.acknowledge(pageID: "PG-000002", by: "Hannah Schmidt", at: t0.addingTimeInterval(700))
        #expect(acked.state == .acknowledged)
        #expect(acked.acknowledgedBy == "Hannah Schmidt")
        #expect(try service.tick(at: t0.addingTimeInterval(86_400)).isEmpty)
        #expect(throws: PagingError.self) { try service.acknowledge(pageID: "PG-000002", by: "X", at: t0.addingTimeInterval(800)) }

        // The state is in the SQLite file, readable by a fresh connection.
        let reopened = try CaseStore.open(path: folder.path("hotline.sqlite"))
        #expect(try PageStore(writer: reopened.database.writer).pages().map(\.state) == [.escalated, .acknowledged])
    }

    @Test func lateTickReplaysEveryTimeoutUntilExhausted() throws {
        let (service, store) = try service()
        try service.escalate(caseNumber: "00345679", reason: "no answer", at: t0)
        let sent = try service.tick(at: t0.addingTimeInterval(4 * 3600))
        #expect(sent.map(\.level) == [2, 3, 1, 2, 3])
        #expect(sent.map(\.sentAt) == [600, 1200, 2100, 2700, 3300].map { t0.addingTimeInterval($0) })
        let pages = try service.store.pages(caseNumber: "00345679")
        #expect(pages.map(\.state) == [.escalated, .escalated, .escalated, .escalated, .escalated, .exhausted])
        // One id for the escalation: the case feed's.
        let escalation = try #require(try store.feed(caseNumber: "00345679").last?.escalationID)
        #expect(Set(pages.map(\.escalation)) == [escalation])
    }

    /// The late-acknowledgement contract: an escalation that ran out of levels is still
    /// acknowledged by whoever answers late; a second acknowledgement is refused.
    @Test func aLateAcknowledgementOfAnExhaustedEscalationIsRecorded() throws {
        let (service, _) = try service()
        try service.escalate(caseNumber: "00412345", reason: "nobody answers", at: t0)
        try service.tick(at: t0.addingTimeInterval(6 * 3600))
        #expect(try service.store.pages(caseNumber: "00412345").last?.state == .exhausted)
        let late = try service.acknowledge(pageID: "PG-000001", by: "Mia Chen", at: t0.addingTimeInterval(7 * 3600))
        #expect(late.state == .acknowledged)
        #expect(late.acknowledgedBy == "Mia Chen")
        #expect(late.id == "PG-000006")
        let pager = RotaPager(service: service)
        #expect(try pager.acknowledgePage(pageID: "PG-000006", by: "Someone Else", at: t0.addingTimeInterval(8 * 3600)) == false)
        #expect(try service.store.pages(caseNumber: "00412345").last?.acknowledgedBy == "Mia Chen")
    }

    @Test func ackOfAnEarlierPageAcknowledgesTheEscalation() throws {
        let (service, _) = try service()
        try service.escalate(caseNumber: "00999999", reason: "r", at: t0)
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
        let sent = try service.escalate(caseNumber: "00500002", reason: "r", at: t0)
        #expect(sent.count == 1)
        #expect(try service.store.pages().first?.deliveredAt == nil)
        #expect(delivery.delivered.isEmpty)
        delivery.fail(false)
        #expect(try service.deliverPending().map(\.id) == ["PG-000001"])
        #expect(try service.store.pages().first?.deliveredAt == t0)
        #expect(try service.deliverPending().isEmpty)
    }

    @Test func logFileDelivery() throws {
        let store = try seededStore(in: folder)
        let log = folder.path("pages.log")
        let service = PagingService(policy: try referencePolicy(), store: PageStore(writer: store.database.writer), delivery: LogFileDelivery(path: log))
        try service.escalate(caseNumber: "00345678", reason: "r", at: t0)
        try service.tick(at: t0.addingTimeInterval(600))
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("PAGE PG-000001") && lines[1].contains("(level 2)"))
    }

    /// Defect 6: a second escalation while one is open joins it — recorded on the feed, no new
    /// page chain — and the backup gets one page, not two. One id on the case and the pages.
    @Test func escalatingTwiceJoinsTheOpenEscalation() throws {
        let delivery = RecordingDelivery()
        let (service, store) = try service(delivery)
        let customer = CaseStore.Author("Olivia Hart", role: .customer)
        let first = try store.escalate(caseNumber: "00345678", reason: "down", channel: .web, by: customer, at: t0)
        #expect(try service.escalate(caseNumber: "00345678", reason: "down", at: t0).count == 1)
        let second = try store.escalate(caseNumber: "00345678", reason: "still down", channel: .phone, by: customer, at: t0.addingTimeInterval(60))
        #expect(second.joinedEscalation == first.escalationID)
        #expect(second.escalationID == first.escalationID)
        let joined = try service.page(caseNumber: "00345678", reason: "still down", at: t0.addingTimeInterval(60))
        #expect(joined.joined && joined.sent.isEmpty && joined.escalationID == first.escalationID)
        #expect(joined.latest?.id == "PG-000001")

        let climbed = try service.tick(at: t0.addingTimeInterval(60 + 660))
        #expect(climbed.map(\.level) == [2])
        #expect(delivery.delivered.count == 2)
        #expect(Set(try service.store.pages(caseNumber: "00345678").map(\.escalation)) == [try #require(first.escalationID)])

        let feed = try store.feed(caseNumber: "00345678")
        #expect(feed.filter { $0.kind == .escalation }.count == 2)
        #expect(try store.replay(caseNumber: "00345678").escalations == 1)
        #expect(second.textLines[0].contains("joined"))
    }

    /// Defect 6, by phone: the pager's second `page_on_call` reports the page already out.
    @Test func aSecondPhoneEscalationPagesNobodyNew() throws {
        let (service, store) = try service()
        let pager = RotaPager(service: service)
        _ = try store.recordEscalation(caseNumber: "00345679", reason: "r", channel: .phone, by: "Olivia Hart", at: t0)
        let first = try #require(try pager.pageOnCall(caseNumber: "00345679", reason: "r", at: t0))
        let again = try store.recordEscalation(caseNumber: "00345679", reason: "r", channel: .phone, by: "Olivia Hart", at: t0.addingTimeInterval(60))
        let second = try #require(try pager.pageOnCall(caseNumber: "00345679", reason: "r", at: t0.addingTimeInterval(60)))
        #expect(second == first)
        #expect(try service.store.pages().count == 1)
        #expect(try service.store.pages().first?.escalation == again.escalationID)
    }

    /// Defect 7: no page for a case that does not exist (or is not a case number); nothing written.
    @Test(arguments: ["99999999", "; DROP", ""])
    func pagingForNoCaseIsRefusedAndChangesNothing(_ number: String) throws {
        let delivery = RecordingDelivery()
        let (service, store) = try service(delivery)
        let feedsBefore = try store.listCases(at: t0).map { try store.feed(caseNumber: $0.case.number).count }
        #expect(throws: (any Error).self) { try service.escalate(caseNumber: number, reason: "r", at: t0) }
        do {
            _ = try service.escalate(caseNumber: number, reason: "r", at: t0)
        } catch {
            #expect("\(error)".contains("does not exist") || "\(error)".contains("8 digits") || "\(error)".contains("case number"))
        }
        #expect(try service.store.pages().isEmpty)
        #expect(delivery.delivered.isEmpty)
        #expect(try store.listCases(at: t0).map { try store.feed(caseNumber: $0.case.number).count } == feedsBefore)
    }

    @Test func pagingACaseWithNoEscalationRecordsOneOnItsFeed() throws {
        let (service, store) = try service()
        let outcome = try service.page(caseNumber: "00500002", reason: "paged by hand", at: t0)
        let last = try #require(try store.feed(caseNumber: "00500002").last)
        #expect(last.kind == .escalation && last.authorRole == .system)
        #expect(outcome.escalationID == last.escalationID)
        #expect(outcome.sent.count == 1 && outcome.sent.first?.escalation == last.escalationID)
        #expect(try store.supportCase("00500002").status == .escalated)
        // The escalation the pager opened is the case's open one: asking again joins it.
        let again = try service.page(caseNumber: "00500002", reason: "again", at: t0.addingTimeInterval(60))
        #expect(again.joined && again.escalationID == last.escalationID && again.latest == outcome.sent.first)
        #expect(throws: CaseDeskError.self) { try service.escalate(caseNumber: "00345680", reason: "closed case", at: t0) }
    }

    @Test func pagingDatedBeforeTheCaseIsRefused() throws {
        let (service, _) = try service()
        #expect(throws: CaseDeskError.self) { try service.escalate(caseNumber: "00345678", reason: "r", at: seedTime.addingTimeInterval(-365 * 86_400)) }
        #expect(try service.store.pages().isEmpty)
    }

    @Test func pagesLiveInTheCaseStoresDatabase() throws {
        let store = try seededStore(in: folder)
        #expect(try store.database.appliedMigrations().contains("pages-v2"))
        let service = PagingService(policy: try referencePolicy(), store: PageStore(writer: store.database.writer), delivery: RecordingDelivery())
        try service.escalate(caseNumber: "00345678", reason: "r", at: t0)
        // Opened again: the page is there and nothing is migrated twice.
        let again = try HotlineDatabase.open(path: folder.path("hotline.sqlite"))
        #expect(try PageStore(writer: again.writer).pages().map(\.caseNumber) == ["00345678"])
    }
}

@Suite struct OnCallPagerTests {
    @Test func differentManagersForCallsAtDifferentTimesAndZones() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let pages = PageStore(writer: store.database.writer)
        let policy = try referencePolicy()
        let pager: any OnCallPager = RotaPager(service: PagingService(policy: policy, store: pages, delivery: RecordingDelivery()))
        let sydney = try InstantParser.parse("2026-12-26T10:00 Australia/Sydney")
        let london = try InstantParser.parse("2026-12-26T11:00 Europe/London")
        let first = try #require(try pager.pageOnCall(caseNumber: "00345678", reason: "by phone", at: sydney))
        let second = try #require(try pager.pageOnCall(caseNumber: "00412345", reason: "online", at: london))
        #expect(first.level == 1 && second.level == 1)
        #expect(first.personName == policy.rota.who(at: sydney).primary)
        #expect(second.personName == policy.rota.who(at: london).primary)
        #expect(first.personName != second.personName)

        let facts = PageFactChecker(store: pages)
        #expect(try facts.check(.pageSent(to: first.personName, caseNumber: "00345678", level: 1)).holds)
        #expect(try !facts.check(.pageSent(to: second.personName, caseNumber: "00345678", level: nil)).holds)
        #expect(try !facts.check(.pageSent(to: nil, caseNumber: "00345678", level: 2)).holds)
        #expect(try facts.answer(.caseStatus(caseNumber: "00345678", status: "escalated")) == nil)
        let observed = try facts.check(.pageSent(to: nil, caseNumber: "00999999", level: nil))
        #expect(!observed.holds && observed.observed.contains("no pages"))
    }
}
