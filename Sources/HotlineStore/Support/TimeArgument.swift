import Foundation
import HotlineCore

/// Reads a time typed on the command line (`--at`): ISO 8601 with an offset
/// (`2026-12-25T03:00:00-08:00`, `2026-12-25T11:00:00Z`) or a local time with an IANA zone
/// (`2026-12-25T03:00 Australia/Sydney`, seconds optional).
public enum TimeArgument {
    public static func parse(_ text: String) throws(StoreError) -> Date {
        do {
            return try InstantParser.parse(text)
        } catch {
            throw StoreError(
                .invalidTime, error.description,
                fix: "write ISO 8601 with an offset (2026-12-25T03:00:00-08:00) or a local time and an IANA zone ('2026-12-25T03:00 Australia/Sydney')")
        }
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
