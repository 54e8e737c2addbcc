import Foundation

/// Reads the times people type — the one parser behind every `--at`, a scenario's `at` and a
/// rota's overrides: RFC 3339 / ISO 8601 with an offset (`2026-12-25T03:00:00-08:00`, `…Z`,
/// fractional seconds, lower-case `t` and `z`, seconds optional) or a local time with an IANA zone
/// (`2026-12-25T03:00 Australia/Sydney`; the `T` may be a space).
///
/// Local times and daylight saving (the rule `ZoneRules` applies everywhere):
/// - a local time that happens twice (the clocks go back) is its **first** occurrence;
/// - a local time that never happens (the clocks go forward) is the **instant of the jump**.
/// `read` says so in `Reading.note`, so a command can tell the user which instant it used.
///
/// Times outside `SupportedInstants.range` are refused.
public enum InstantParser {
    /// Why a time did not parse, said so that a user can fix it.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed(String)
        case unknownZone(String)
        case missingZone(String)
        /// A well-formed time outside `SupportedInstants.range`.
        case outOfRange(String)

        public var description: String {
            switch self {
            case .malformed(let text):
                "'\(text)' is not a time; write 2026-12-25T03:00:00-08:00, 2026-12-25T03:00Z or 2026-12-25T03:00 Australia/Sydney"
            case .unknownZone(let zone):
                "'\(zone)' is not an IANA time zone; use a name such as Europe/London or America/New_York"
            case .missingZone(let text):
                "'\(text)' has no offset or time zone; add one, e.g. '\(text)Z' or '\(text) Europe/London'"
            case .outOfRange(let text):
                "'\(text)' is outside the supported times, \(SupportedInstants.description); use a time in that range"
            }
        }
    }

    /// A time as read: the instant, where it was said to be, and a note when a local time was
    /// skipped or repeated by a daylight-saving change.
    public struct Reading: Sendable, Hashable {
        public var date: Date
        /// The IANA zone the text named (or the default zone it was read in); nil with an offset.
        public var zone: String?
        /// The offset the text gave (`Z` is 0), in seconds east of UTC; nil with a zone.
        public var offset: Int?
        /// Set when the local time does not exist or happens twice in its zone, e.g.
        /// `02:30 does not exist on 2026-03-08 in America/Los_Angeles (the clocks go forward); using 03:00`.
        public var note: String?

        /// The zone the time was given in, for showing other times beside it.
        public var timeZone: TimeZone? {
            if let zone { return TimeZone(identifier: zone) }
            guard let offset else { return nil }
            return offset == 0 ? TimeZone(identifier: "UTC") : TimeZone(secondsFromGMT: offset)
        }
    }

    /// Parses a time; `defaultZone` is used when the text has neither an offset nor a zone.
    public static func parse(_ text: String, defaultZone: String? = nil) throws(Failure) -> Date {
        try read(text, defaultZone: defaultZone).date
    }

    /// Parses a time and says how a local time was resolved; `defaultZone` is used when the text
    /// has neither an offset nor a zone.
    public static func read(_ text: String, defaultZone: String? = nil) throws(Failure) -> Reading {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var tokens = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // Date and time may be separated by a space instead of `T`.
        if tokens.count >= 2, tokens[0].count == 10, tokens[1].first?.isNumber == true, tokens[1].contains(":") {
            tokens = [tokens[0] + "T" + tokens[1]] + tokens.dropFirst(2)
        }
        guard tokens.count == 1 || tokens.count == 2 else { throw .malformed(text) }
        let zoneName = tokens.count == 2 ? tokens[1] : nil
        // RFC 3339 allows lower-case `t` and `z`.
        var body = Substring(tokens[0].count > 10 ? tokens[0].prefix(10) + tokens[0].dropFirst(10).uppercased() : tokens[0])

        // Offset suffix.
        var offset: Int?
        if body.hasSuffix("Z") {
            offset = 0
            body = body.dropLast()
        } else if body.count > 10, let signIndex = body.lastIndex(where: { $0 == "+" || $0 == "-" }),
            body.distance(from: body.startIndex, to: signIndex) > 10
        {
            let sign = body[signIndex] == "-" ? -1 : 1
            let digits = body[body.index(after: signIndex)...].filter { $0 != ":" }
            guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCII), let value = Int(digits) else {
                throw .malformed(text)
            }
            let hours = digits.count == 2 ? value : value / 100
            let minutes = digits.count == 2 ? 0 : value % 100
            guard hours <= 18, minutes < 60 else { throw .malformed(text) }
            offset = sign * (hours * 3600 + minutes * 60)
            body = body[..<signIndex]
        }
        if offset != nil && zoneName != nil { throw .malformed(text) }

        // Date, then optional time.
        let parts = body.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let dateParts = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard dateParts.count == 3, dateParts[0].count == 4, dateParts[1].count == 2, dateParts[2].count == 2,
            dateParts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(dateParts[0]), let month = Int(dateParts[1]), let day = Int(dateParts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { throw .malformed(text) }
        let dayNumber = CivilTime.dayNumber(year: year, month: month, day: day)
        guard CivilTime.date(ofDay: dayNumber) == (year, month, day) else { throw .malformed(text) }
        var secondsOfDay = 0
        var fraction = 0.0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            func twoDigits(_ field: Substring) -> Int? {
                guard field.count == 2, field.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                return Int(field)
            }
            guard clock.count == 2 || clock.count == 3, let hour = twoDigits(clock[0]), let minute = twoDigits(clock[1]), hour < 24, minute < 60
            else { throw .malformed(text) }
            var second = 0
            if clock.count == 3 {
                // Seconds, with an optional fraction (RFC 3339 `time-secfrac`).
                let pieces = clock[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                guard let value = twoDigits(pieces[0]), value < 60 else { throw .malformed(text) }
                if pieces.count == 2 {
                    let digits = pieces[1]
                    guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let parsed = Double("0." + digits)
                    else { throw .malformed(text) }
                    fraction = parsed
                }
                second = value
            }
            secondsOfDay = hour * 3600 + minute * 60 + second
        }
        let local = dayNumber * CivilTime.secondsPerDay + secondsOfDay
        // Checked before any zone arithmetic, so a year like 9999 never reaches it.
        let bounds = (ZoneRules.coveredFrom - 86_400 * 2)...(ZoneRules.coveredTo + 86_400 * 2)
        guard bounds.contains(local) else { throw .outOfRange(text) }
        var reading: Reading
        if let offset {
            reading = Reading(date: Date(timeIntervalSince1970: TimeInterval(local - offset) + fraction), zone: nil, offset: offset, note: nil)
        } else {
            guard let name = zoneName ?? defaultZone else { throw .missingZone(text) }
            guard let rules = ZoneRules.shared(identifier: name) else { throw .unknownZone(name) }
            let first = rules.instant(local: local, .first)
            let last = rules.instant(local: local, .last)
            var note: String?
            let asked = CivilTime.clock(secondsOfDay) + (secondsOfDay % 60 == 0 ? "" : ":\(CivilTime.pad(secondsOfDay % 60, 2))")
            let date = CivilTime.isoDate(ofDay: dayNumber)
            if rules.local(first) != local {
                let used = rules.local(first) - dayNumber * CivilTime.secondsPerDay
                note = "\(asked) does not exist on \(date) in \(name) (the clocks go forward); using \(CivilTime.clock(used)), when they do"
            } else if first != last {
                note = "\(asked) happens twice on \(date) in \(name) (the clocks go back); using the first, \(localString(first, zone: rules))"
            }
            reading = Reading(date: Date(timeIntervalSince1970: TimeInterval(first) + fraction), zone: name, offset: nil, note: note)
        }
        guard SupportedInstants.range.contains(reading.date) else { throw .outOfRange(text) }
        return reading
    }

    /// `2026-03-08T07:00:00Z`.
    public static func utcString(_ seconds: Int) -> String {
        let day = CivilTime.floorDiv(seconds, CivilTime.secondsPerDay)
        let rest = seconds - day * CivilTime.secondsPerDay
        return "\(CivilTime.isoDate(ofDay: day))T\(CivilTime.clock(rest)):\(CivilTime.pad(rest % 60, 2))Z"
    }

    /// `2026-03-08T07:00:00Z`, the whole seconds of a date.
    public static func utcString(_ date: Date) -> String {
        utcString(Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `2026-03-08T03:00:00-04:00` in a zone.
    public static func localString(_ seconds: Int, zone: ZoneRules) -> String {
        let offset = zone.offset(at: seconds)
        let local = seconds + offset
        let day = CivilTime.floorDiv(local, CivilTime.secondsPerDay)
        let rest = local - day * CivilTime.secondsPerDay
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return "\(CivilTime.isoDate(ofDay: day))T\(CivilTime.clock(rest)):\(CivilTime.pad(rest % 60, 2))"
            + "\(sign)\(CivilTime.pad(magnitude / 3600, 2)):\(CivilTime.pad(magnitude % 3600 / 60, 2))"
    }

    /// A wall-clock time in a zone as people read it, `2026-12-25 03:00 PST` (Foundation's zone
    /// abbreviation), for output beside a UTC time.
    public static func localText(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }
}
