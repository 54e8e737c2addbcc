import Foundation
import HotlineCore
import HotlineStore

/// `hotline queues --db`: the calls a running line has on its live-call board (`live_call`), as an
/// Asterisk user reads `queue show`: each queue with its callers in the order they wait, then the
/// calls not in a queue.
public enum LiveCallViews {
    /// The queue a call waits in, read from what it waits for (``CallWaiting/summary``: "holding in
    /// queue gsc at support_queue"); `nil` when it is not in a queue.
    public static func queue(waiting: String) -> String? {
        let prefix = "holding in queue "
        guard waiting.hasPrefix(prefix) else { return nil }
        let rest = waiting.dropFirst(prefix.count)
        let name = rest.range(of: " at ").map { rest[..<$0.lowerBound] } ?? rest
        return name.isEmpty ? nil : String(name)
    }

    /// The calls as `--json` prints them: queued calls first (longest wait first), then the others
    /// by their start.
    public static func shapes(_ rows: [LiveCallStore.Row], at now: Date) -> [JSONShapes.LiveCall] {
        rows.map { JSONShapes.LiveCall($0, at: now) }.sorted { a, b in
            switch (a.waitedSeconds, b.waitedSeconds) {
            case (let x?, let y?): x != y ? x > y : a.startedAt < b.startedAt
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.startedAt < b.startedAt
            }
        }
    }

    public static func json(_ rows: [LiveCallStore.Row], at now: Date) throws -> String {
        try JSONOutput.text(shapes(rows, at: now), escapeSlashes: true)
    }

    /// `0:07`, `12:30`, `1:02:03`.
    public static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// The text view: a line on the board, each queue with its waiting callers, and every call.
    public static func text(_ rows: [LiveCallStore.Row], database: String, at now: Date, gone: Int = 0) -> [String] {
        let calls = shapes(rows, at: now)
        let stamp = ISO8601DateFormatter().string(from: now)
        let lostNote = gone > 0 ? "; \(gone) more whose line is no longer running, not shown" : ""
        guard !calls.isEmpty else {
            return ["No calls on the line in \(database) at \(stamp)\(lostNote) (the simulated staffing plan: hotline queues --plan FILE)."]
        }
        let queued = calls.filter { $0.queue != nil }
        var lines = ["Calls on the line in \(database) at \(stamp): \(calls.count), \(queued.count) waiting in a queue\(lostNote)."]
        var byQueue: [String: [JSONShapes.LiveCall]] = [:]
        for call in queued { byQueue[call.queue ?? "", default: []].append(call) }
        for (name, waiting) in byQueue.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("\(name): \(waiting.count) waiting, longest \(clock(waiting.compactMap(\.waitedSeconds).max() ?? 0))")
            for (index, call) in waiting.enumerated() {
                let id = call.sipCallId.map { "  Call-ID \($0)" } ?? ""
                lines.append("  \(index + 1). \(call.channel)  \(call.callerId)\(id)  at \(call.node ?? "-")  wait \(clock(call.waitedSeconds ?? 0))  (call \(clock(call.ageSeconds)))")
            }
        }
        lines.append("")
        var table = [["channel", "caller", "Call-ID", "node", "queue", "waited", "call", "now"]]
        for call in calls {
            table.append([
                call.channel, call.callerId, call.sipCallId ?? "-", call.node ?? "-", call.queue ?? "-", call.waitedSeconds.map(clock) ?? "-",
                clock(call.ageSeconds), call.waiting,
            ])
        }
        return lines + TextColumns.table(table).map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }
}

extension JSONShapes {
    /// A call going on now on a running line (`hotline queues --db … --json`), as its live-call
    /// board has it.
    public struct LiveCall: JSONShape, Sendable, Hashable {
        /// The call's id on the board.
        public var id: String
        /// `browser`, `terminal`, `sip`, `simulated` (`CallChannel`).
        public var channel: String
        public var callerId: String
        public var dialled: String
        /// The SIP `Call-ID` (SIP calls).
        public var sipCallId: String?
        public var startedAt: Date
        /// The flow node the call is at.
        public var node: String?
        /// The queue it waits in, when it waits in one.
        public var queue: String?
        /// What it waits for, in words (`holding in queue gsc at support_queue`).
        public var waiting: String
        /// Seconds it has waited in its queue (since it was queued).
        public var waitedSeconds: Int?
        /// Seconds since it was answered.
        public var ageSeconds: Int
        public var caseNumber: String?

        public static let schemaName = "LiveCall"
        public static var enums: [String: [String]] { ["channel": CallChannel.allCases.map(\.rawValue)] }
        public static var example: Self {
            Self(
                id: "0f8e…", channel: "sip", callerId: "+14085550100", dialled: "+1-844-751-7629", sipCallId: "abc@host", startedAt: exampleDate,
                node: "cc_queue", queue: "customer-care", waiting: "holding in queue customer-care at cc_queue", waitedSeconds: 7,
                ageSeconds: 22, caseNumber: "00345678")
        }
    }
}

extension JSONShapes.LiveCall {
    /// The board's row when the wall clock reads `now`, its times in the call's own time (the
    /// transcript's: a paced call's, a call placed `--at` another time); a queued call's wait
    /// counts from its last move (it was queued then: a call in a queue does not move until an
    /// agent answers or it leaves).
    public init(_ row: LiveCallStore.Row, at now: Date) {
        id = row.id
        channel = row.channel
        callerId = row.callerID
        dialled = row.dialled
        sipCallId = row.sipCallID
        startedAt = row.startedAt
        node = row.node
        queue = LiveCallViews.queue(waiting: row.waiting)
        waiting = row.waiting
        waitedSeconds = queue == nil ? nil : Int(row.sinceLastMoveSeconds(at: now).rounded(.down))
        ageSeconds = Int(row.elapsedSeconds(at: now).rounded(.down))
        caseNumber = row.caseNumber
    }
}
