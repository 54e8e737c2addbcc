import Foundation
import GRDB
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Synchronization
import Testing

/// The scripted call's write path (issue 16): what each integration call does on the writer
/// connection, seen with SQL tracing on a seeded file store (a pool: reads go to other connections).
@Suite struct WritePathTests {
    let folder = TemporaryFolder()
    let dana = "+1 408 555 0100"

    final class Trace: Sendable {
        let lines = Mutex<[String]>([])
        var begins: Int { lines.withLock { $0.filter { $0.uppercased().hasPrefix("BEGIN") }.count } }
        func reset() { lines.withLock { $0 = [] } }
    }

    func traced() throws -> (CaseStore, PagingService, Trace) {
        let store = try seededStore(in: folder)
        let trace = Trace()
        store.database.writer.writeWithoutTransaction { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { trace.lines.withLock { $0.append(statement.sql) } }
            }
        }
        let paging = PagingService(policy: try referencePolicy(), store: PageStore(writer: store.database.writer), delivery: RecordingDelivery())
        return (store, paging, trace)
    }

    @Test func aRightCaseNumberTakesNoWriteTransaction() throws {
        let (store, _, trace) = try traced()
        guard case .found = try store.lookUpCase(number: "00345678", accountID: "100001", callerID: dana, at: seedTime) else {
            Issue.record("Dana's own case was not found")
            return
        }
        #expect(trace.begins == 0, "\(trace.lines.withLock { $0 })")
        // A wrong one still counts towards the caller's limit: one write transaction.
        guard case .notFound = try store.lookUpCase(number: "00999998", accountID: "100001", callerID: dana, at: seedTime) else {
            Issue.record("a missing case was found")
            return
        }
        #expect(trace.begins == 1)
    }

    @Test func aPageIsRecordedInOneTransactionAndMarkedDeliveredInOneMore() throws {
        let (store, paging, trace) = try traced()
        _ = try store.recordEscalation(caseNumber: "00345678", reason: "by phone", channel: .phone, by: "Dana Whitfield", at: seedTime)
        #expect(trace.begins == 1, "the escalation: one write transaction")
        trace.reset()
        let outcome = try paging.page(caseNumber: "00345678", reason: "by phone", at: seedTime)
        #expect(trace.begins == 2, "\(trace.lines.withLock { $0 })")
        let sent = try #require(outcome.sent.first)
        #expect(sent.deliveredAt == sent.sentAt)
        #expect(try paging.store.page(sent.id) == sent, "what the call was told is what is stored")
        // Joining the open escalation: one transaction, nothing delivered again.
        trace.reset()
        let joined = try paging.page(caseNumber: "00345678", reason: "again", at: seedTime)
        #expect(joined.joined && joined.latest == sent)
        #expect(trace.begins == 1)
    }

    /// The entry a change returns is made from what was written, not read back: it must equal
    /// the stored entry, the time as the database keeps it (to the millisecond) included.
    @Test func theEntryAChangeReturnsIsTheStoredOne() throws {
        let (store, _, trace) = try traced()
        let later = seedTime.addingTimeInterval(60.123_456)
        let escalation = try store.escalate(caseNumber: "00345678", reason: "by phone", channel: .phone, by: .init("Dana Whitfield", role: .customer), at: later)
        let joined = try store.escalate(caseNumber: "00345678", reason: "again", channel: .web, by: .init("Sam", role: .support), at: later.addingTimeInterval(0.0006))
        let comment = try store.comment(caseNumber: "00345678", text: "on it", by: .init("Sam", role: .support), at: later.addingTimeInterval(1))
        let closed = try store.close(caseNumber: "00345678", note: "done", by: .init("Sam", role: .support), at: later.addingTimeInterval(2))
        let feed = try store.feed(caseNumber: "00345678")
        for entry in [escalation, joined, comment, closed] {
            #expect(feed.first { $0.id == entry.id } == entry)
        }
        #expect(escalation.at != later, "the stored time is to the millisecond")
        #expect(!trace.lines.withLock { $0 }.contains { $0.contains("FROM case_feed WHERE id") }, "no entry is read back")
    }
}
