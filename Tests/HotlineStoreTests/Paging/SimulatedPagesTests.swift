import Foundation
import GRDB
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

/// Pages raised by simulated callers are marked (`oncall_escalation.simulated`), with every page
/// of their escalation, climbs included; older databases get the column with every page real.
@Suite struct SimulatedPagesTests {
    let t0 = seedTime.addingTimeInterval(3600)
    let folder = TemporaryFolder()

    @Test func aSimulatedEscalationsPagesAreMarkedAndARealOnesAreNot() throws {
        let store = try seededStore(in: folder)
        let service = PagingService(policy: try referencePolicy(), store: PageStore(writer: store.database.writer), delivery: RecordingDelivery())
        let simulated = try RotaPager(service: service, simulated: true).pageOnCall(caseNumber: "00345678", reason: "simulated caller", at: t0)
        let real = try RotaPager(service: service).pageOnCall(caseNumber: "00500002", reason: "real caller", at: t0)
        let pages = try service.store.pages()
        #expect(pages.first { $0.id == simulated?.pageID }?.simulated == true)
        #expect(pages.first { $0.id == real?.pageID }?.simulated == false)
        #expect(pages.first { $0.id == real?.pageID }?.source == .real)
        // A climb of the simulated escalation is simulated too.
        let climbed = try service.tick(at: t0.addingTimeInterval(3 * 3600))
        #expect(!climbed.isEmpty)
        for page in try service.store.pages() { #expect(page.simulated == (page.caseNumber == "00345678"), "\(page.id)") }
        // A real escalation joined by a simulated caller stays real.
        _ = try RotaPager(service: service, simulated: true).pageOnCall(caseNumber: "00500002", reason: "simulated caller", at: t0.addingTimeInterval(3 * 3600))
        #expect(try service.store.pages(caseNumber: "00500002").allSatisfy { !$0.simulated })
    }

    @Test func anOlderDatabaseOpensWithEveryPageReal() throws {
        let path = folder.path("hotline.sqlite")
        do {
            let store = try seededStore(in: folder)
            let service = PagingService(policy: try referencePolicy(), store: PageStore(writer: store.database.writer), delivery: RecordingDelivery())
            try service.escalate(caseNumber: "00345678", reason: "r", at: t0)
            try store.database.writer.write { db in
                try db.execute(sql: "ALTER TABLE oncall_escalation DROP COLUMN simulated")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'pages-v3-simulated'")
            }
        }
        let again = try HotlineDatabase.open(path: path)
        #expect(try again.appliedMigrations().contains("pages-v3-simulated"))
        let pages = try PageStore(writer: again.writer).pages()
        #expect(pages.count == 1 && pages.allSatisfy { !$0.simulated && $0.source == .real })
    }
}
