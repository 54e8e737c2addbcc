import Foundation

extension ZoneRules {
    /// Local midnight of a `YYYY-MM-DD` day in this zone (the day's first instant, after any
    /// daylight-saving jump), or nil when the text is not a date in the supported range.
    public func startOfDay(_ day: String) -> Date? {
        try? InstantParser.parse("\(day)T00:00 \(identifier)")
    }

    /// Local midnight of the day containing `instant` in this zone.
    public func startOfDay(containing instant: Date) -> Date {
        startOfDay(after: instant, days: 0)
    }

    /// Local midnight `days` days after the day containing `start`.
    public func startOfDay(after start: Date, days: Int) -> Date {
        let day = CivilTime.floorDiv(local(Int(start.timeIntervalSince1970)), CivilTime.secondsPerDay) + days
        return Date(timeIntervalSince1970: TimeInterval(instant(local: day * CivilTime.secondsPerDay, .first)))
    }
}
