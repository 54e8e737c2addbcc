import Foundation
import HotlineApp
import HotlineCore
import HotlineStore

/// A finished call on the trainer's console (`/console/calls/{id}`): its call record, and — when
/// the call was on the live-call board — its full transcript, with each step's time, which the page
/// replays at the recorded pace.
public struct ConsoleCallView {
    let line: WebLine

    /// One transcript line split into its time, kind and text (`[00:13.2] press   1`).
    public struct Step: Equatable, Sendable {
        public var seconds: Double
        public var stamp: String
        public var kind: String
        public var text: String

        public init(seconds: Double, stamp: String, kind: String, text: String) {
            self.seconds = seconds
            self.stamp = stamp
            self.kind = kind
            self.text = text
        }
    }

    public static func step(_ line: String) -> Step {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return Step(seconds: 0, stamp: "", kind: "", text: line) }
        let stamp = String(line[line.index(after: line.startIndex)..<close])
        var seconds = 0.0
        for part in stamp.split(separator: ":") { seconds = seconds * 60 + (Double(part) ?? 0) }
        let rest = line[line.index(after: close)...].drop { $0 == " " }
        let kind = rest.prefix { $0 != " " }
        let text = rest.dropFirst(kind.count).drop { $0 == " " }
        return Step(seconds: seconds, stamp: stamp, kind: String(kind), text: String(text))
    }

    /// The finished calls for the console's list, newest first, each with its address and its
    /// channel; with `channel`, only that phone's calls.
    func finishedCalls(limit: Int = 20, channel: CallChannel? = nil) throws -> [[String: Any]] {
        try line.cases.latestCallRecords(limit: limit, channel: channel).map { numbered in
            let record = numbered.record
            return [
                "id": numbered.id, "started": InstantParser.utcString(record.startedAt), "caller": record.callerID,
                "channel": record.channel ?? "—",
                "seconds": Int(record.endedAt.timeIntervalSince(record.startedAt).rounded()), "answered": record.answeredAt != nil,
                "outcome": record.outcome,
                "caseNumber": record.caseNumber ?? "", "path": record.path.joined(separator: " → "),
            ]
        }
    }

    /// The page's values for the call record `id`; `nil` when there is no such record.
    func view(id: Int64) throws -> [String: Any]? {
        guard let numbered = try line.cases.callRecord(id: id) else { return nil }
        let record = numbered.record
        let listed = try line.board?.store.call(callerID: record.callerID, startedAt: record.startedAt)
        let steps = (listed?.transcript ?? []).map(Self.step)
        return [
            "id": numbered.id, "caller": record.callerID, "dialled": record.dialled ?? "—", "started": InstantParser.utcString(record.startedAt),
            "ended": InstantParser.utcString(record.endedAt), "seconds": Int(record.endedAt.timeIntervalSince(record.startedAt).rounded()),
            "answered": record.answeredAt.map {
                "\(InstantParser.utcString($0)) (rang \(Int($0.timeIntervalSince(record.startedAt).rounded())) s, answered \(Int(record.answeredSeconds.rounded())) s)"
            } ?? "never answered",
            "answeredSeconds": Int(record.answeredSeconds.rounded()),
            "outcome": record.outcome, "caseNumber": record.caseNumber ?? false, "queue": record.queue ?? false, "agent": record.agent ?? "no agent",
            "waited": record.waitedSeconds.map { String(format: "%.0f s", $0) } ?? "—", "sipCallID": record.sipCallID ?? false,
            "channel": record.channel ?? listed?.channel ?? false, "path": record.path.enumerated().map { ["index": $0.offset + 1, "node": $0.element] },
            "hasTranscript": !steps.isEmpty,
            "steps": steps.map { ["seconds": String(format: "%.1f", $0.seconds), "stamp": $0.stamp, "kind": $0.kind, "text": $0.text] },
            "actions": steps.filter { ["call", "heard", "action", "queue", "transfer", "redirect", "end", "error"].contains($0.kind) }.map {
                ["stamp": $0.stamp, "kind": $0.kind, "text": $0.text]
            },
        ]
    }

    static let template = """
        <h1>Call {{id}} from {{caller}}</h1>
        <p><a href="/console">Back to the console</a></p>
        <section id="call-record"><h2>Call record</h2>
        <table class="facts"><tbody>
        <tr><th>Caller</th><td>{{caller}}</td></tr><tr><th>Dialled</th><td>{{dialled}}</td></tr>
        {{#channel}}<tr><th>Phone</th><td>{{channel}}</td></tr>{{/channel}}
        {{#sipCallID}}<tr><th>SIP Call-ID</th><td><code>{{sipCallID}}</code></td></tr>{{/sipCallID}}
        <tr><th>Started</th><td>{{started}}</td></tr><tr><th>Answered</th><td id="answered">{{answered}}</td></tr>
        <tr><th>Ended</th><td>{{ended}} ({{seconds}} s)</td></tr>
        <tr><th>Outcome</th><td id="outcome">{{outcome}}</td></tr>
        {{#caseNumber}}<tr><th>Case</th><td><a href="/cases/{{caseNumber}}">{{caseNumber}}</a></td></tr>{{/caseNumber}}
        {{#queue}}<tr><th>Queue</th><td>{{queue}}: {{agent}} after {{waited}}</td></tr>{{/queue}}
        </tbody></table>
        <h3>Path</h3><ol class="path" id="path">{{#path}}<li>{{node}}</li>{{/path}}</ol></section>
        {{#hasTranscript}}
        <section id="actions"><h2>Node by node</h2>
        <table><thead><tr><th>Time</th><th>What</th><th></th></tr></thead><tbody>
        {{#actions}}<tr><td>{{stamp}}</td><td>{{kind}}</td><td>{{text}}</td></tr>{{/actions}}
        </tbody></table></section>
        <section id="replay"><h2>Transcript</h2>
        <div class="controls"><button type="button" id="replay-button">Replay</button>
        <label>Speed <select id="replay-speed"><option value="1">1×</option><option value="4">4×</option><option value="16">16×</option></select></label>
        <span id="replay-state"></span></div>
        <pre class="transcript" id="replay-transcript">{{#steps}}<span class="replay-line" data-t="{{seconds}}">[{{stamp}}] {{kind}}  {{text}}
        </span>{{/steps}}</pre></section>
        {{/hasTranscript}}
        {{^hasTranscript}}<p id="no-transcript">This call was not on the live-call board (a scenario run, or older than the board's
        last 500 calls): its call record has the path and the outcome, not the transcript.</p>{{/hasTranscript}}
        """
}
