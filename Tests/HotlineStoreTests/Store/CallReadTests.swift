import Foundation
import GRDB
import HotlineCore
@testable import HotlineStore
import HotlineTestSupport
import Synchronization
import Testing

/// A caller's look-ups during a call run on the writer's connection (`CaseStore.callRead`), whose
/// page cache the call's own commits keep warm; listings stay on the pool.
@Suite struct CallReadTests {
    let folder = TemporaryFolder()

    /// The SQL the writer connection runs while `body` runs.
    static func writerStatements(_ store: CaseStore, during body: () throws -> Void) throws -> [String] {
        let seen = Mutex<[String]>([])
        store.database.writer.writeWithoutTransaction { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { seen.withLock { $0.append(statement.sql) } }
            }
        }
        defer { store.database.writer.writeWithoutTransaction { db in db.trace(options: []) } }
        try body()
        return seen.withLock { $0 }
    }

    @Test func aCallersLookUpsRunOnTheWriter() throws {
        let store = try seededStore(in: folder)
        var identity: CallerIdentity?
        var lookup: Lookup<CaseSummary>?
        let statements = try Self.writerStatements(store) {
            identity = try store.identify(callerID: "+14085550100", at: seedTime)
            lookup = try store.lookUpCase(number: "00345678", accountID: identity?.accountID ?? "", callerID: "+14085550100", at: seedTime)
        }
        #expect(identity?.contactName == "Dana Whitfield")
        guard case .found(let summary) = lookup else {
            Issue.record("case 00345678 was not found for its caller: \(String(describing: lookup))")
            return
        }
        #expect(summary.number == "00345678")
        #expect(statements.contains { $0.contains("FROM contact_phone p JOIN contact c") }, "\(statements)")
        #expect(statements.contains { $0 == CaseStore.lookUpSQL }, "\(statements)")
        // Two statements of one look-up see one snapshot: the caller's contact and open cases.
        #expect(statements.first == "BEGIN DEFERRED TRANSACTION", "\(statements)")
        // Nothing was written.
        #expect(!statements.contains { $0.hasPrefix("INSERT") || $0.hasPrefix("UPDATE") || $0.hasPrefix("DELETE") }, "\(statements)")
    }

    @Test func aLookUpSeesTheCallsOwnLastCommit() throws {
        let store = try seededStore(in: folder)
        _ = try store.recordEscalation(caseNumber: "00345678", reason: "by phone", channel: .phone, by: "Dana Whitfield", at: seedTime)
        let lookup = try store.lookUpCase(number: "00345678", accountID: "100001", callerID: "+14085550100", at: seedTime.addingTimeInterval(1))
        guard case .found(let summary) = lookup else {
            Issue.record("case 00345678 was not found: \(lookup)")
            return
        }
        #expect(summary.status == "escalated")
    }

    /// `hotline cases who` opens the database for reading only: the look-up still answers.
    @Test func aLookUpOnADatabaseOpenedForReading() throws {
        let store = try seededStore(in: folder)
        let path = store.database.path
        try store.database.checkpoint()
        let reading = CaseStore(database: try HotlineDatabase.openForReading(path: path))
        let identity = try reading.identify(callerID: "+14085550100", at: seedTime)
        #expect(identity?.accountID == "100001")
        #expect(identity?.openCases.contains("00345678") == true)
    }

    /// A look-up made while another thread holds a write transaction waits for it and then sees
    /// its commit: the writer's connection serves one at a time.
    @Test func aLookUpWaitsForAWriteInProgress() async throws {
        let store = try seededStore(in: folder)
        let started = Mutex(false)
        let writing = Task.detached {
            try store.database.writer.writeTransaction { db in
                started.withLock { $0 = true }
                Thread.sleep(forTimeInterval: 0.05)
                try db.execute(sql: "UPDATE support_case SET status = 'escalated' WHERE number = '00345678'")
            }
        }
        while !started.withLock({ $0 }) { await Task.yield() }
        let lookup = try store.lookUpCase(number: "00345678", accountID: "100001", callerID: "+14085550100", at: seedTime)
        try await writing.value
        guard case .found(let summary) = lookup else {
            Issue.record("case 00345678 was not found: \(lookup)")
            return
        }
        #expect(summary.status == "escalated")
    }
}
