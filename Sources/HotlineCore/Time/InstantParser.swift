import Foundation

/// Reads the instants users type: ISO 8601 with an offset (`2026-12-25T03:00:00-08:00`, `…Z`), or a
/// local date-time followed by an IANA zone (`2026-12-25T03:00 Australia/Sydney`), or a local
/// date-time alone in a default zone. Seconds are optional; a space may stand for the `T`.
public enum InstantParser {
    /// Why an instant could not be read, said so a person can fix it.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String {
            "cannot read the time '\(text)': \(reason); write e.g. 2026-12-25T03:00:00-08:00 or '2026-12-25T03:00 America/Los_Angeles'"
        }
    }

    public static func parse(_ text: String, defaultZone: TimeZone? = nil) throws(Failure) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var local = trimmed
        var zone = defaultZone
        // A trailing IANA zone name, separated by a space.
        if let space = trimmed.lastIndex(of: " "), trimmed[trimmed.index(after: space)...].contains("/") || trimmed.hasSuffix(" UTC") {
            let name = String(trimmed[trimmed.index(after: space)...])
            guard let named = TimeZone(identifier: name) else {
                throw Failure(text: text, reason: "'\(name)' is not an IANA time zone")
            }
            zone = named
            local = String(trimmed[..<space])
        }
        local = local.replacingOccurrences(of: " ", with: "T")
        guard let tIndex = local.firstIndex(of: "T") else {
            throw Failure(text: text, reason: "no time of day")
        }
        let datePart = String(local[..<tIndex])
        var timePart = String(local[local.index(after: tIndex)...])
        // An explicit offset or Z wins over any zone.
        var offsetSeconds: Int?
        if timePart.hasSuffix("Z") {
            offsetSeconds = 0
            timePart.removeLast()
        } else if let sign = timePart.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = timePart[timePart.index(after: sign)...].replacingOccurrences(of: ":", with: "")
            guard offset.count == 4, let hours = Int(offset.prefix(2)), let minutes = Int(offset.suffix(2)) else {
                throw Failure(text: text, reason: "the offset must look like +05:30 or -0800")
            }
            offsetSeconds = (hours * 3600 + minutes * 60) * (timePart[sign] == "-" ? -1 : 1)
            timePart = String(timePart[..<sign])
        }
        guard let date = LocalDate(datePart) else {
            throw Failure(text: text, reason: "the date must be YYYY-MM-DD")
        }
        let clock = timePart.split(separator: ":")
        guard (2...3).contains(clock.count), let hour = Int(clock[0]), let minute = Int(clock[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else {
            throw Failure(text: text, reason: "the time must be HH:MM or HH:MM:SS")
        }
        let second = clock.count == 3 ? Double(clock[2]) : 0
        guard let second, second >= 0, second < 61 else {
            throw Failure(text: text, reason: "the seconds must be 00–59")
        }
        var calendar = Calendar(identifier: .gregorian)
        if let offsetSeconds {
            calendar.timeZone = TimeZone(secondsFromGMT: offsetSeconds) ?? TimeZone(identifier: "UTC")!
        } else if let zone {
            calendar.timeZone = zone
        } else {
            throw Failure(text: text, reason: "no offset or time zone")
        }
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: Int(second))
        guard let instant = calendar.date(from: components) else {
            throw Failure(text: text, reason: "no such instant")
        }
        return instant.addingTimeInterval(second - second.rounded(.down))
    }
}
