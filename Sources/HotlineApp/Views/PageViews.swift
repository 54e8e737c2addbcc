import Foundation
import HotlineCore
import HotlineStore

/// What `hotline pages …` prints.
public enum PageViews {
    /// `pages list`: a table, oldest first, and a footnote for pages still in the outbox.
    public static func list(_ pages: [PageRecord]) -> [String] {
        guard !pages.isEmpty else { return ["no pages"] }
        var lines = ["page       escalation  case        lvl  person            state         sent                  ack by / acked"]
        for page in pages {
            let ack =
                page.acknowledgedBy.map { "\($0) at \(InstantParser.utcString(Int(page.acknowledgedAt?.timeIntervalSince1970 ?? 0)))" }
                ?? InstantParser.utcString(Int(page.ackDeadline.timeIntervalSince1970))
            lines.append(
                [
                    page.id.padding(toLength: 10, withPad: " ", startingAt: 0),
                    page.escalation.padding(toLength: 11, withPad: " ", startingAt: 0),
                    page.caseNumber.padding(toLength: 11, withPad: " ", startingAt: 0),
                    String(page.level).padding(toLength: 4, withPad: " ", startingAt: 0),
                    page.person.padding(toLength: 17, withPad: " ", startingAt: 0),
                    (page.state.rawValue + (page.deliveredAt == nil ? "*" : "")).padding(toLength: 13, withPad: " ", startingAt: 0),
                    InstantParser.utcString(Int(page.sentAt.timeIntervalSince1970)).padding(toLength: 21, withPad: " ", startingAt: 0),
                    ack + (page.simulated ? "  [simulated]" : ""),
                ].joined(separator: " "))
        }
        if pages.contains(where: { $0.deliveredAt == nil }) { lines.append("* still in the outbox (not delivered yet)") }
        if pages.contains(where: \.simulated) { lines.append("[simulated]: raised by a simulated caller of `hotline serve --simulate-calls-per-hour`") }
        return lines
    }

    /// `pages list --json`: each page as ``JSONShapes/Page`` (snake_case keys, as `GET /api/pages`).
    public static func json(_ pages: [PageRecord]) throws -> String {
        try JSONOutput.text(pages.map(JSONShapes.Page.init))
    }

    /// `pages ack`.
    public static func acknowledged(_ record: PageRecord, by person: String) -> String {
        "\(record.escalation) (case \(record.caseNumber)) acknowledged by \(person) on \(record.id) (level \(record.level), paged \(record.person))"
    }
}
