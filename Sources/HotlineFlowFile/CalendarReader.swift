import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// Reads a business-hours calendar: `{zone: IANA, hours: "24x7" | {day-spec: "HH:MM-HH:MM" | [..]}, holidays: [YYYY-MM-DD]}`.
///
/// Day specs: `mon` … `sun`, ranges `mon-fri` (a range may wrap: `fri-mon`), lists `mon,wed,fri`.
/// `24:00` may close a day. Problems go to the file; nil when the calendar is unusable.
public struct CalendarReader {
    public let file: YAMLFile

    public init(file: YAMLFile) { self.file = file }

    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public func read(name: String, node: Yams.Node) -> BusinessCalendar? {
        let context = "calendar '\(name)'"
        guard let fields = file.fields(of: node, in: context, allowed: ["zone", "hours", "holidays"]) else { return nil }
        var zone: TimeZone?
        if let identifier = fields.string("zone", required: true, fix: "add `zone:` with an IANA time zone such as America/Los_Angeles"),
            let at = fields.value("zone")
        {
            zone = TimeZone(identifier: identifier)
            if zone == nil {
                let hint = Suggestions.closest(to: identifier, in: TimeZone.knownTimeZoneIdentifiers)
                file.error("unknown time zone '\(identifier)' in \(context)" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: at,
                           fix: "use an IANA zone name such as America/Los_Angeles or Europe/London")
            }
        }
        var weekly: [Int: [BusinessCalendar.Hours]] = [:]
        var hoursOK = true
        if let hours = fields.value("hours", required: true, fix: "add `hours: 24x7` or `hours: {mon-fri: \"08:00-17:00\"}`") {
            if let text = hours.scalar?.string {
                if text.lowercased() == "24x7" {
                    for day in 1...7 { weekly[day] = [BusinessCalendar.Hours(open: 0, close: 24 * 60)] }
                } else {
                    hoursOK = false
                    file.error("hours '\(text)' in \(context) must be 24x7 or a mapping of days to times", at: hours,
                               fix: "write `hours: 24x7` or `hours: {mon-fri: \"08:00-17:00\"}`")
                }
            } else if let entries = file.mapping(of: hours, in: "`hours` in \(context)", expecting: "24x7 or a mapping of days to \"HH:MM-HH:MM\"") {
                for (dayNode, spans) in entries {
                    let spec = dayNode.string ?? ""
                    guard let days = Self.days(spec) else {
                        hoursOK = false
                        file.error("'\(spec)' in \(context) is not a day, day range or list of days", at: dayNode,
                                   fix: "write mon…sun, a range like mon-fri, or a list like mon,wed,fri")
                        continue
                    }
                    for span in file.list(spans, in: "hours of '\(spec)' in \(context)") ?? [] {
                        let text = span.string ?? ""
                        guard let parsed = Self.span(text) else {
                            hoursOK = false
                            file.error("'\(text)' in \(context) is not an opening time span", at: span,
                                       fix: "write \"HH:MM-HH:MM\" with the opening before the closing, such as \"08:00-17:00\" (quote it)")
                            continue
                        }
                        for day in days { weekly[day, default: []].append(parsed) }
                    }
                }
            } else {
                hoursOK = false
            }
        }
        var holidays: Set<LocalDate> = []
        for (text, node) in fields.strings("holidays") ?? [] {
            guard let date = LocalDate(text), Self.isRealDate(date) else {
                file.error("holiday '\(text)' in \(context) is not a date", at: node, fix: "write YYYY-MM-DD, such as 2026-12-25")
                continue
            }
            holidays.insert(date)
        }
        guard let zone, hoursOK else { return nil }
        return BusinessCalendar(name: name, timeZone: zone, weekly: weekly, holidays: holidays)
    }

    /// Foundation weekday numbers (1 = Sunday) for `mon`, `mon-fri`, `mon,wed,fri`.
    static func days(_ spec: String) -> [Int]? {
        var result: [Int] = []
        for part in spec.lowercased().split(separator: ",") {
            let ends = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(ends.count), let first = day(ends[0]), let last = day(ends[ends.count - 1]) else { return nil }
            var current = first
            while true {
                if !result.contains(current) { result.append(current) }
                if current == last { break }
                current = current % 7 + 1
            }
        }
        return result.isEmpty ? nil : result
    }

    private static func day(_ text: String) -> Int? {
        let short = String(text.prefix(3))
        guard let index = dayNames.firstIndex(of: short), text.count == 3 || text.hasPrefix(short) && Self.fullNames[index].hasPrefix(text) else {
            return nil
        }
        return index + 1
    }

    private static let fullNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// `HH:MM-HH:MM` as minutes after midnight, open before close; `24:00` closes at midnight.
    static func span(_ text: String) -> BusinessCalendar.Hours? {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let open = minutes(parts[0]), let close = minutes(parts[1]), open < close else { return nil }
        return BusinessCalendar.Hours(open: open, close: close)
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0
        else { return nil }
        return hour * 60 + minute
    }

    private static func isRealDate(_ date: LocalDate) -> Bool {
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return date.day <= lengths[date.month - 1]
    }
}
