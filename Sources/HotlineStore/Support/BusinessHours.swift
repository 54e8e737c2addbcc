import Foundation
import HotlineCore

/// Business hours written for people: `Mon-Fri 08:00-17:00`, `Mon-Thu 09:00-18:00; Fri 09:00-15:00`,
/// `Sun-Thu 08:00-16:00`, or `24x7`.
public enum BusinessHours {
    private static let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public static func calendar(name: String, text: String, timeZone identifier: String) throws(StoreError) -> BusinessCalendar {
        guard let zone = TimeZone(identifier: identifier) else {
            throw StoreError(.invalidValue, "'\(identifier)' is not an IANA time zone", fix: "use a name such as America/Los_Angeles or Europe/London")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "24x7" {
            let always = BusinessCalendar.always(name: name)
            return BusinessCalendar(name: name, timeZone: zone, weekly: always.weekly)
        }
        var weekly: [Int: [BusinessCalendar.Hours]] = [:]
        for segment in trimmed.split(separator: ";") {
            let parts = segment.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { throw bad(text) }
            let weekdays = try parseDays(String(parts[0]), text: text)
            let range = parts[1].split(separator: "-")
            guard range.count == 2, let open = minutes(String(range[0])), let close = minutes(String(range[1])), open < close else {
                throw bad(text)
            }
            for weekday in weekdays {
                weekly[weekday, default: []].append(BusinessCalendar.Hours(open: open, close: close))
            }
        }
        guard !weekly.isEmpty else { throw bad(text) }
        return BusinessCalendar(name: name, timeZone: zone, weekly: weekly)
    }

    private static func parseDays(_ text: String, text whole: String) throws(StoreError) -> [Int] {
        var result: [Int] = []
        for item in text.lowercased().split(separator: ",") {
            let ends = item.split(separator: "-")
            guard (1...2).contains(ends.count), let first = days.firstIndex(of: String(ends[0])),
                let last = days.firstIndex(of: String(ends[ends.count - 1]))
            else { throw bad(whole) }
            var day = first
            while true {
                result.append(day + 1)
                if day == last { break }
                day = (day + 1) % 7
            }
        }
        return result
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...24).contains(hour), (0..<60).contains(minute) else { return nil }
        let total = hour * 60 + minute
        return total <= 24 * 60 ? total : nil
    }

    private static func bad(_ text: String) -> StoreError {
        StoreError(.invalidValue, "business hours '\(text)' are not in the form `Mon-Fri 08:00-17:00`", fix: "write days (Mon-Fri, Sat, Sun-Thu) and hours (08:00-17:00), several separated by ';', or 24x7")
    }
}
