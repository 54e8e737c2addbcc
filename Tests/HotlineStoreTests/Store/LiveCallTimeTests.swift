import Foundation
import GRDB
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

/// A board row knows its call's clock (pace, and the wall time of its last report), so a watcher
/// reads the call's time — the transcript's — between reports.
@Suite("Live call time")
struct LiveCallTimeTests {
    let wall = Date(timeIntervalSince1970: 1_796_000_000)

    func report(_ store: LiveCallStore, id: String, started: Date, at: Date, pace: Double, reportedAt: Date?, waiting: String = "listening at menu (keys)") throws {
        try store.report([
            LiveCallStore.Report(
                id: id, channel: "simulated", callerID: "+14085550100", dialled: "+18447517629", sipCallID: nil, host: "here", processID: 1,
                startedAt: started, at: at, node: "menu", waiting: waiting, newLines: [], outcome: nil, caseNumber: nil, pace: pace,
                reportedAt: reportedAt)
        ])
    }

    @Test func aPacedCallsTimeMovesOnAtItsPaceFromItsLastReport() throws {
        let folder = TemporaryFolder()
        let store = try LiveCallStore(database: try HotlineDatabase.open(path: folder.path("board.sqlite")))
        // A call whose clock is a day behind the wall and runs five times faster; it moved 40 s in.
        let started = wall.addingTimeInterval(-86_400)
        try report(store, id: "a", started: started, at: started.addingTimeInterval(40), pace: 0.2, reportedAt: wall, waiting: "holding in queue gsc at q")
        let row = try #require(try store.call(id: "a"))
        #expect(row.pace == 0.2 && row.reportedAt == wall)
        #expect(row.callTime(at: wall.addingTimeInterval(3)) == started.addingTimeInterval(55))
        #expect(row.elapsedSeconds(at: wall.addingTimeInterval(3)) == 55)
        #expect(row.sinceLastMoveSeconds(at: wall.addingTimeInterval(3)) == 15)
        // A wall clock behind the report (another process's, a little off) never runs time back.
        #expect(row.elapsedSeconds(at: wall.addingTimeInterval(-5)) == 40)
    }

    @Test func aFinishedCallsTimeIsItsEnd() throws {
        let folder = TemporaryFolder()
        let store = try LiveCallStore(database: try HotlineDatabase.open(path: folder.path("board.sqlite")))
        try report(store, id: "b", started: wall, at: wall.addingTimeInterval(10), pace: 0.5, reportedAt: wall)
        try store.report([
            LiveCallStore.Report(
                id: "b", channel: "simulated", callerID: "+14085550100", dialled: "", sipCallID: nil, host: "here", processID: 1, startedAt: wall,
                at: wall.addingTimeInterval(12), node: nil, waiting: "ended: completed", newLines: [], outcome: "completed", caseNumber: nil,
                pace: 0.5, reportedAt: wall.addingTimeInterval(1))
        ])
        let row = try #require(try store.call(id: "b"))
        #expect(row.elapsedSeconds(at: wall.addingTimeInterval(1000)) == 12)
    }

    /// A board made by an older Hotline has neither column: it gets them, and its rows read as
    /// real time (the wall clock minus the start), as before.
    @Test func anOlderBoardGetsTheColumnsAndItsRowsReadAsRealTime() throws {
        let folder = TemporaryFolder()
        let database = try HotlineDatabase.open(path: folder.path("board.sqlite"))
        try database.writer.write { db in
            try db.execute(sql: """
                CREATE TABLE live_call (id TEXT PRIMARY KEY NOT NULL, channel TEXT NOT NULL, caller_id TEXT NOT NULL, dialled TEXT NOT NULL,
                    sip_call_id TEXT, host TEXT NOT NULL, pid INTEGER NOT NULL, started_at REAL NOT NULL, updated_at REAL NOT NULL, node TEXT,
                    waiting TEXT NOT NULL, transcript TEXT NOT NULL DEFAULT '', ended_at REAL, outcome TEXT, case_number TEXT);
                """)
            try db.execute(
                sql: "INSERT INTO live_call (id, channel, caller_id, dialled, host, pid, started_at, updated_at, waiting) VALUES ('old', 'sip', '+1', '', 'h', 1, ?, ?, 'x')",
                arguments: [wall.timeIntervalSince1970, wall.addingTimeInterval(5).timeIntervalSince1970])
        }
        let store = try LiveCallStore(database: database)
        let old = try #require(try store.call(id: "old"))
        #expect(old.pace == 1 && old.reportedAt == nil)
        #expect(old.elapsedSeconds(at: wall.addingTimeInterval(30)) == 30)
        try report(store, id: "new", started: wall, at: wall, pace: 0.25, reportedAt: wall)
        #expect(try store.call(id: "new")?.elapsedSeconds(at: wall.addingTimeInterval(2)) == 8)
    }
}
