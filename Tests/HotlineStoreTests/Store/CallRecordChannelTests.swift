import Foundation
import GRDB
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

/// Which phone placed a call is kept in its record (`call_record.channel`), so the console can
/// list and filter finished calls by it.
@Suite("Call record channel")
struct CallRecordChannelTests {
    func record(_ channel: String?, sipCallID: String? = nil, at offset: TimeInterval) -> CallRecord {
        CallRecord(
            callerID: "+14085550100", dialled: nil, startedAt: seedTime.addingTimeInterval(offset), endedAt: seedTime.addingTimeInterval(offset + 5),
            path: ["welcome"], outcome: "completed", sipCallID: sipCallID, channel: channel)
    }

    @Test func theChannelIsKeptAndTheLatestRecordsFilterByIt() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        for (offset, channel) in [(0.0, "browser"), (10, "simulated"), (20, nil), (30, "simulated"), (40, "terminal")] {
            try store.recordCall(record(channel, at: offset))
        }
        #expect(try store.callRecords().map(\.channel) == ["browser", "simulated", nil, "simulated", "terminal"])
        #expect(try store.latestCallRecords(limit: 10).map(\.record.channel) == ["terminal", "simulated", nil, "simulated", "browser"])
        let simulated = try store.latestCallRecords(limit: 10, channel: .simulated)
        #expect(simulated.map(\.record.startedAt) == [seedTime.addingTimeInterval(30), seedTime.addingTimeInterval(10)])
        #expect(try store.latestCallRecords(limit: 1, offset: 1, channel: .simulated).map(\.record.startedAt) == [seedTime.addingTimeInterval(10)])
        #expect(try store.latestCallRecords(limit: 10, channel: .sip).isEmpty)
    }

    /// A database of the release before: its `call_record` has no `channel`. It still opens; its
    /// SIP records (known by their Call-ID) become `sip`, the others stay unknown.
    @Test func anOlderDatabaseOpensAndItsSIPRecordsAreMarked() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        do {
            let store = try seededStore(in: folder)
            try store.recordCall(record(nil, sipCallID: "a84b4c76e66710@pc33.example.com", at: 0))
            try store.recordCall(record(nil, at: 10))
            // Back to the older schema: no column, no migration.
            try store.database.writer.write { db in
                try db.execute(sql: "ALTER TABLE call_record DROP COLUMN channel")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'call-record-channel-v1'")
            }
        }
        let reopened = try CaseStore.open(path: path)
        #expect(try reopened.database.appliedMigrations().contains("call-record-channel-v1"))
        #expect(try reopened.callRecords().map(\.channel) == ["sip", nil])
        try reopened.recordCall(record("browser", at: 20))
        #expect(try reopened.latestCallRecords(limit: 5, channel: .browser).count == 1)
    }
}
