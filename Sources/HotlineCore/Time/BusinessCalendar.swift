import Foundation
import Synchronization

/// Open hours in one time zone: the hours of a support desk, an account, or a designated SME.
///
/// Pure: `isOpen(at:)` takes the instant as an argument.
public struct BusinessCalendar: Sendable {
    /// Minutes after local midnight, `open ..< close`.
    public struct Hours: Sendable, Hashable {
        public var open: Int
        public var close: Int
        public init(open: Int, close: Int) {
            self.open = open
            self.close = close
        }
    }

    public var name: String
    public var timeZone: TimeZone {
        didSet { rules = ZoneRules.shared(for: timeZone) }
    }
    /// Open hours per weekday, 1 = Sunday … 7 = Saturday (Foundation's numbering).
    public var weekly: [Int: [Hours]]
    /// Local dates (year, month, day) on which the calendar is closed all day.
    public var holidays: Set<LocalDate>
    /// The zone's offsets as a table: `isOpen(at:)` is integer arithmetic, not Foundation's
    /// `Calendar` (which was most of a branch on business hours).
    private var rules: ZoneRules

    public init(name: String, timeZone: TimeZone, weekly: [Int: [Hours]], holidays: Set<LocalDate> = []) {
        self.name = name
        self.timeZone = timeZone
        self.weekly = weekly
        self.holidays = holidays
        self.rules = ZoneRules.shared(for: timeZone)
    }

    /// Open around the clock, every day (the seed's "24x7x365").
    public static func always(name: String = "24x7") -> BusinessCalendar {
        BusinessCalendar(
            name: name,
            timeZone: TimeZone(identifier: "UTC")!,
            weekly: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [Hours(open: 0, close: 24 * 60)]) })
        )
    }

    /// Monday to Friday, `open`–`close` local hours.
    public static func weekdays(name: String, timeZone: TimeZone, open: Int, close: Int) -> BusinessCalendar {
        BusinessCalendar(
            name: name,
            timeZone: timeZone,
            weekly: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, [Hours(open: open * 60, close: close * 60)]) })
        )
    }

    public func isOpen(at instant: Date) -> Bool {
        let seconds = instant.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e15 else { return false }
        let local = rules.local(Int(seconds))
        let dayNumber = CivilTime.floorDiv(local, CivilTime.secondsPerDay)
        if !holidays.isEmpty {
            let date = CivilTime.date(ofDay: dayNumber)
            if holidays.contains(LocalDate(year: date.year, month: date.month, day: date.day)) { return false }
        }
        let weekday = CivilTime.weekday(ofDay: dayNumber) + 1  // Foundation's numbering: 1 = Sunday.
        let minuteOfDay = (local - dayNumber * CivilTime.secondsPerDay) / 60
        return weekly[weekday, default: []].contains { $0.open <= minuteOfDay && minuteOfDay < $0.close }
    }
}

/// A calendar date with no time zone attached.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
