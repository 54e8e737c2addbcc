import Foundation

/// Calendar arithmetic on local wall-clock time without Foundation's `Calendar`: the rota engine
/// does it millions of times, so it is plain integer arithmetic (proleptic Gregorian calendar).
///
/// A *local second* counts seconds since 1970-01-01 00:00 on a wall clock, as if that clock were UTC;
/// `ZoneRules` turns it into an instant.
public enum CivilTime {
    public static let secondsPerDay = 86_400

    /// Days since 1970-01-01 for a calendar date (Howard Hinnant's `days_from_civil`).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number (Howard Hinnant's `civil_from_days`).
    public static func date(ofDay dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 = Sunday … 6 = Saturday.
    public static func weekday(ofDay dayNumber: Int) -> Int {
        let w = (dayNumber + 4) % 7
        return w < 0 ? w + 7 : w
    }

    /// Floor division, for day numbers of negative local seconds.
    @inline(__always)
    public static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `YYYY-MM-DD` of a day number.
    public static func isoDate(ofDay dayNumber: Int) -> String {
        let (y, m, d) = date(ofDay: dayNumber)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `HH:MM` of a number of seconds after midnight.
    public static func clock(_ secondsOfDay: Int) -> String {
        "\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay % 3600 / 60, 2))"
    }

    public static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    public static let weekdayShortNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    public static let weekdayLongNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
}

/// A local time of day, `HH:MM`, with `24:00` allowed as the end of a day.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds after local midnight, 0 … 86_400.
    public var seconds: Int

    public init(hour: Int, minute: Int) { seconds = hour * 3600 + minute * 60 }

    /// Parses `H:MM` or `HH:MM`; `24:00` only when `allowEndOfDay`.
    public init?(_ text: String, allowEndOfDay: Bool = false) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute)
        else { return nil }
        if hour == 24 && minute == 0 && allowEndOfDay {
            seconds = CivilTime.secondsPerDay
            return
        }
        guard (0...23).contains(hour) else { return nil }
        seconds = hour * 3600 + minute * 60
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.seconds < rhs.seconds }
    public var description: String { CivilTime.clock(seconds) }
}
