import Foundation
import HotlineTestSupport
import GRDB
import HotlineStore
import Testing

/// `synchronous` per durability: real files flush every commit's log (GRDB's NORMAL in WAL mode),
/// scratch copies never flush.
@Suite struct DurabilityTests {
    static func synchronous(_ durability: HotlineDatabase.Durability) throws -> (writer: Int?, reader: Int?) {
        let folder = try TestFolders.make("durability")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try HotlineDatabase.open(path: folder.appendingPathComponent("t.sqlite").path, durability: durability)
        let writer = try database.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        let reader = try database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        return (writer, reader)
    }

    @Test func aDurableFileKeepsGRDBsWALSetting() throws {
        let setting = try Self.synchronous(.durable)
        #expect(setting.writer == 1)  // NORMAL
    }

    @Test func aScratchFileNeverFlushes() throws {
        let setting = try Self.synchronous(.scratch)
        #expect(setting.writer == 0)  // OFF
        #expect(setting.reader == 0)
    }
}
