import Foundation
import HotlineCore

extension FeedEntry {
    /// The entry as people read it in `hotline cases feed` and the demo: a heading line, then the
    /// body indented, one line per line of text (`\n` or `\r\n`), control characters escaped.
    public var textLines: [String] {
        var head = "#\(id) \(InstantParser.utcString(at))  \(kind.rawValue)"
        switch kind {
        case .opened:
            head += " \(priority?.rawValue ?? "") \(level?.rawValue ?? "") via \(channel ?? "web")"
        case .priority: head += " → \(priority?.rawValue ?? "")"
        case .level: head += " → \(level?.rawValue ?? "")"
        case .status: head += " → \(status?.rawValue ?? "")"
        case .escalation: head += " (\(channel ?? "")) \(escalationID ?? "")" + (joinedEscalation == nil ? "" : " joined (already open; no new page)")
        case .problemReport: head += " \(ref ?? "")"
        case .comment, .close: break
        }
        // What people wrote is shown with its control characters escaped (`TerminalText`), never raw.
        var lines = [head + "  by \(TerminalText.escaped(author)) [\(authorRole.rawValue)]"]
        if !body.isEmpty {
            lines += body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { "    \(TerminalText.escaped(String($0)))" }
        }
        return lines
    }
}
