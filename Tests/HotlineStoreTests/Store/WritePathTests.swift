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
}
