import Foundation
import GRDB
import HotlineCore

extension CaseStore {
    /// A call record with its id in the database (`call_record.id`): the stable address of a
    /// finished call on the console (`/console/calls/{id}`).
    public struct NumberedCallRecord: Sendable, Hashable {
        public var id: Int64
        public var record: CallRecord
    }

    /// The latest call records, newest first; with `channel`, only the calls of that phone.
    public func latestCallRecords(limit: Int, offset: Int = 0, channel: CallChannel? = nil) throws -> [NumberedCallRecord] {
        try read { db in
            let rows =
                if let channel {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM call_record WHERE channel = ? ORDER BY id DESC LIMIT ? OFFSET ?", arguments: [channel.rawValue, limit, offset])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM call_record ORDER BY id DESC LIMIT ? OFFSET ?", arguments: [limit, offset])
                }
            return try rows.map { row throws(StoreError) in try Self.numberedRecord(row) }
        }
    }

    /// One call record by its id; `nil` when there is none.
    public func callRecord(id: Int64) throws -> NumberedCallRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM call_record WHERE id = ?", arguments: [id]).map { row throws(StoreError) in
                try Self.numberedRecord(row)
            }
        }
    }

    static func numberedRecord(_ row: Row) throws(StoreError) -> NumberedCallRecord {
        let table = "call_record"
        let id: Int64 = try row.stored("id", table: table, key: "a call record")
        let key = "call record \(id)"
        let pathText: String = try row.stored("path", table: table, key: key)
        let path = (try? JSONDecoder().decode([String].self, from: Data(pathText.utf8))) ?? []
        let record = CallRecord(
            callerID: try row.stored("caller_id", table: table, key: key), dialled: try row.storedIfPresent("dialled", table: table, key: key),
            startedAt: try row.stored("started_at", table: table, key: key),
            answeredAt: try row.storedIfPresent("answered_at", table: table, key: key), endedAt: try row.stored("ended_at", table: table, key: key), path: path,
            outcome: try row.stored("outcome", table: table, key: key), caseNumber: try row.storedIfPresent("case_number", table: table, key: key),
            queue: try row.storedIfPresent("queue", table: table, key: key), agent: try row.storedIfPresent("agent", table: table, key: key),
            waitedSeconds: try row.storedIfPresent("waited_seconds", table: table, key: key),
            sipCallID: try row.storedIfPresent("sip_call_id", table: table, key: key),
            channel: try row.storedIfPresent("channel", table: table, key: key))
        return NumberedCallRecord(id: id, record: record)
    }
}
