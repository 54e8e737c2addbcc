import Foundation
import HotlineApp
import HotlineRuntime
import HotlineStore
import Testing

/// The board of a line's database writes reports together: one transaction for those that come
/// close together, at once for a call's last one, always in order.
@Suite struct LiveCallBoardBatchTests {
    static func update(_ id: String, at seconds: TimeInterval, lines: [String], waiting: String, outcome: String? = nil) -> LiveCallUpdate {
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        return LiveCallUpdate(
            id: id, channel: "sip", callerID: "+14085550100", dialled: "+1-844-751-7629", sipCallID: "\(id)@sipp", startedAt: start,
            at: start.addingTimeInterval(seconds), node: "main_menu", waiting: waiting, newLines: lines, outcome: outcome)
    }

    @Test func reportsWaitThenLeaveTogetherInOrderAndALastReportAtOnce() throws {
        let folder = try Repository.temporaryFolder()
        let database = try HotlineDatabase.open(path: folder.appendingPathComponent("board.sqlite").path)
        let board = try StoreLiveCallBoard(database: database, host: "here", processID: 1, delay: .seconds(3600), now: { Date(timeIntervalSince1970: 0) }, onError: { _ in })
        let reader = try LiveCallStore(database: database)

        board.report(Self.update("a", at: 0, lines: ["[00:00.0] call    answered"], waiting: "answering"))
        board.report(Self.update("b", at: 1, lines: ["[00:00.0] call    answered"], waiting: "answering"))
        board.report(Self.update("a", at: 2, lines: ["[00:02.0] press   1"], waiting: "listening at main_menu (keys)"))
        #expect(try reader.inProgress().isEmpty, "within the delay nothing is written yet")

        board.report(Self.update("a", at: 3, lines: ["[00:03.0] end     caller-hung-up"], waiting: "ended: caller-hung-up", outcome: "caller-hung-up"))
        let a = try #require(try reader.call(id: "a"))
        #expect(a.transcript == ["[00:00.0] call    answered", "[00:02.0] press   1", "[00:03.0] end     caller-hung-up"])
        #expect(a.isOver && a.outcome == "caller-hung-up")
        #expect(try reader.inProgress().map(\.id) == ["b"], "what waited went with the last report")

        board.report(Self.update("b", at: 4, lines: ["[00:04.0] press   2"], waiting: "holding in queue gsc at support_queue"))
        #expect(try reader.call(id: "b")?.waiting == "answering")
        board.flush()
        #expect(try reader.call(id: "b")?.waiting == "holding in queue gsc at support_queue")
        #expect(try reader.call(id: "b")?.transcript == ["[00:00.0] call    answered", "[00:04.0] press   2"])
    }
}
