import Foundation
import HotlineApp
import HotlineStore
import Testing

/// `hotline queues --db`: the calls on a running line's board, as `queue show` would list them.
@Suite struct LiveCallViewTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_100)

    static func row(
        _ id: String, channel: String = "sip", caller: String, sipCallID: String? = nil, started: TimeInterval, moved: TimeInterval, node: String?,
        waiting: String
    ) -> LiveCallStore.Row {
        LiveCallStore.Row(
            id: id, channel: channel, callerID: caller, dialled: "+1-844-751-7629", sipCallID: sipCallID, host: "here", processID: 1,
            startedAt: now.addingTimeInterval(-started), updatedAt: now.addingTimeInterval(-moved), node: node, waiting: waiting, transcript: [],
            endedAt: nil, outcome: nil, caseNumber: nil)
    }

    static let rows = [
        row("a", caller: "+14085550100", sipCallID: "menu-1@sipp", started: 12, moved: 1, node: "main_menu", waiting: "listening at main_menu (keys)"),
        row("b", caller: "+14085550101", sipCallID: "q-1@sipp", started: 40, moved: 7, node: "cc_queue", waiting: "holding in queue customer-care at cc_queue"),
        row("c", channel: "browser", caller: "+14085550102", started: 95, moved: 75, node: "cc_queue", waiting: "holding in queue customer-care at cc_queue"),
        row("d", caller: "+14085550103", sipCallID: "gsc-1@sipp", started: 30, moved: 3, node: "support_queue", waiting: "holding in queue gsc at support_queue"),
    ]

    @Test func theQueueIsReadFromWhatTheCallWaitsFor() {
        #expect(LiveCallViews.queue(waiting: "holding in queue customer-care at cc_queue") == "customer-care")
        #expect(LiveCallViews.queue(waiting: "holding in queue gsc") == "gsc")
        #expect(LiveCallViews.queue(waiting: "listening at main_menu (keys)") == nil)
        #expect(LiveCallViews.queue(waiting: "holding in queue ") == nil)
    }

    @Test func queuedCallsComeFirstLongestWaitFirstWithTheirCallID() {
        let shapes = LiveCallViews.shapes(Self.rows, at: Self.now)
        #expect(shapes.map(\.id) == ["c", "b", "d", "a"])
        #expect(shapes.map(\.waitedSeconds) == [75, 7, 3, nil])
        #expect(shapes.map(\.queue) == ["customer-care", "customer-care", "gsc", nil])
        #expect(shapes[1].sipCallId == "q-1@sipp" && shapes[1].ageSeconds == 40 && shapes[1].node == "cc_queue")
    }

    @Test func theTextListsEachQueueThenEveryCall() {
        let lines = LiveCallViews.text(Self.rows, database: "line.sqlite", at: Self.now, gone: 1)
        let text = lines.joined(separator: "\n")
        #expect(lines[0].hasPrefix("Calls on the line in line.sqlite at 2026-"))
        #expect(lines[0].hasSuffix(": 4, 3 waiting in a queue; 1 more whose line is no longer running, not shown."))
        #expect(text.contains("customer-care: 2 waiting, longest 1:15\n  1. browser  +14085550102  at cc_queue  wait 1:15  (call 1:35)\n  2. sip  +14085550101  Call-ID q-1@sipp  at cc_queue  wait 0:07  (call 0:40)"))
        #expect(text.contains("gsc: 1 waiting, longest 0:03\n  1. sip  +14085550103  Call-ID gsc-1@sipp  at support_queue  wait 0:03"))
        #expect(text.contains("\nchannel  caller        Call-ID      node           queue          waited  call  now\nbrowser  +14085550102  -            cc_queue       customer-care  1:15    1:35  holding in queue customer-care at cc_queue\n"))
        #expect(lines.last == "sip      +14085550100  menu-1@sipp  main_menu      -              -       0:12  listening at main_menu (keys)")
    }

    @Test func anEmptyBoardSaysSoAndWhereThePlanIs() {
        let lines = LiveCallViews.text([], database: "line.sqlite", at: Self.now)
        #expect(lines.count == 1 && lines[0].hasPrefix("No calls on the line in line.sqlite at ") && lines[0].contains("hotline queues --plan FILE"))
    }

    @Test func theJSONIsTheSharedShape() throws {
        let json = try LiveCallViews.json(Self.rows, at: Self.now)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(array.count == 4)
        #expect(array[1]["sip_call_id"] as? String == "q-1@sipp")
        #expect(array[1]["queue"] as? String == "customer-care")
        #expect(array[1]["waited_seconds"] as? Int == 7)
        #expect(array[3]["waited_seconds"] == nil)
        #expect(Set(array[1].keys).isSubset(of: ["id", "channel", "caller_id", "dialled", "sip_call_id", "started_at", "node", "queue", "waiting", "waited_seconds", "age_seconds", "case_number"]))
    }

    @Test func clockReadsLikeAQueueBoard() {
        #expect(LiveCallViews.clock(0) == "0:00")
        #expect(LiveCallViews.clock(75) == "1:15")
        #expect(LiveCallViews.clock(3723) == "1:02:03")
        #expect(LiveCallViews.clock(-4) == "0:00")
    }
}
