import Foundation

/// Reads the times people type: ISO 8601 with an offset (`2026-12-25T03:00:00-08:00`, `…Z`) or a
/// local time with an IANA zone (`2026-12-25T03:00 Australia/Sydney`, the `T` may be a space).
/// A local time that happens twice resolves to its first occurrence; one skipped by a DST jump
/// resolves to the jump.
public enum InstantParser {
    /// Why a time did not parse, said so that a user can fix it.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed(String)
        case unknownZone(String)
        case missingZone(String)

        public var description: String {
            switch self {
            case .malformed(let text):
                "'\(text)' is not a time; write 2026-12-25T03:00:00-08:00, 2026-12-25T03:00Z or 2026-12-25T03:00 Australia/Sydney"
            case .unknownZone(let zone):
                "'\(zone)' is not an IANA time zone; use a name such as Europe/London or America/New_York"
            case .missingZone(let text):
                "'\(text)' has no offset or time zone; add one, e.g. '\(text)Z' or '\(text) Europe/London'"
            }
        }
    }

    /// Parses a time; `defaultZone` is used when the text has neither an offset nor a zone.
    public static func parse(_ text: String, defaultZone: String? = nil) throws(Failure) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var tokens = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // Date and time may be separated by a space instead of `T`.
        if tokens.count >= 2, tokens[0].count == 10, tokens[1].first?.isNumber == true, tokens[1].contains(":") {
            tokens = [tokens[0] + "T" + tokens[1]] + tokens.dropFirst(2)
        }
        guard tokens.count == 1 || tokens.count == 2 else { throw .malformed(text) }
        let zoneName = tokens.count == 2 ? tokens[1] : nil
        var body = Substring(tokens[0])

        // Offset suffix.
        var offset: Int?
        if body.hasSuffix("Z") || body.hasSuffix("z") {
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
            let year = Int(dateParts[0]), let month = Int(dateParts[1]), let day = Int(dateParts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { throw .malformed(text) }
        let dayNumber = CivilTime.dayNumber(year: year, month: month, day: day)
        guard CivilTime.date(ofDay: dayNumber) == (year, month, day) else { throw .malformed(text) }
        var secondsOfDay = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard clock.count == 2 || clock.count == 3, clock.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
                let hour = Int(clock[0]), let minute = Int(clock[1]), hour < 24, minute < 60
            else { throw .malformed(text) }
            var second = 0
            if clock.count == 3 {
                guard let value = Int(clock[2]), value < 60 else { throw .malformed(text) }
                second = value
            }
            secondsOfDay = hour * 3600 + minute * 60 + second
        }
        let local = dayNumber * CivilTime.secondsPerDay + secondsOfDay
        if let offset { return Date(timeIntervalSince1970: TimeInterval(local - offset)) }
        guard let name = zoneName ?? defaultZone else { throw .missingZone(text) }
        guard let rules = ZoneRules(identifier: name) else { throw .unknownZone(name) }
        return Date(timeIntervalSince1970: TimeInterval(rules.instant(local: local, .first)))
    }

    /// `2026-03-08T07:00:00Z`.
    public static func utcString(_ seconds: Int) -> String {
        let day = CivilTime.floorDiv(seconds, CivilTime.secondsPerDay)
        let rest = seconds - day * CivilTime.secondsPerDay
        return "\(CivilTime.isoDate(ofDay: day))T\(CivilTime.clock(rest)):\(CivilTime.pad(rest % 60, 2))Z"
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
}
