import Foundation

/// Reads a time typed on the command line (`--at`): ISO 8601 with an offset
/// (`2026-12-25T03:00:00-08:00`, `2026-12-25T11:00:00Z`) or a local time with an IANA zone
/// (`2026-12-25T03:00 Australia/Sydney`, seconds optional).
public enum TimeArgument {
    public static func parse(_ text: String) throws(StoreError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count == 2 {
            guard let zone = TimeZone(identifier: String(parts[1])) else {
                throw StoreError(.invalidTime, "'\(parts[1])' in time '\(text)' is not an IANA time zone", fix: "use a zone such as America/Los_Angeles or Australia/Sydney")
            }
            if let date = local(String(parts[0]), zone: zone) { return date }
            throw bad(text)
        }
        guard parts.count == 1 else { throw bad(text) }
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date }
        }
        // Minutes-only with an offset: 2026-12-25T03:00-08:00.
        if let range = trimmed.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$"#, options: .regularExpression) {
            let value = String(trimmed[range])
            let offsetStart = value.index(value.startIndex, offsetBy: 16)
            let withSeconds = String(value[..<offsetStart]) + ":00" + String(value[offsetStart...])
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: withSeconds) { return date }
        }
        throw bad(text)
    }

    private static func local(_ text: String, zone: TimeZone) -> Date? {
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = zone
            formatter.dateFormat = format
            formatter.isLenient = false
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    private static func bad(_ text: String) -> StoreError {
        StoreError(
            .invalidTime, "'\(text)' is not a time Hotline can read",
            fix: "write ISO 8601 with an offset (2026-12-25T03:00:00-08:00) or a local time and an IANA zone ('2026-12-25T03:00 Australia/Sydney')")
    }

    /// ISO 8601 in UTC, for output (`2026-12-25T11:00:00Z`).
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// A local wall-clock time in a zone, for output (`2026-12-25 03:00 PST`).
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }
}
