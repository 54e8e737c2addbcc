import Foundation
import GRDB
import HotlineCore

/// The store's instants as GRDB keeps them — UTC text, `yyyy-MM-dd HH:mm:ss.SSS` — written and
/// read by integer arithmetic instead of GRDB's `DateFormatter` (writing) and `Calendar` (reading),
/// which cost thousands of instructions per value on the call path (issue 16).
///
/// The text and the `Date` are the ones GRDB makes, to the bit: GRDB's formatter rounds to the
/// nearest millisecond as Foundation's `DateFormatter` does, and its reader builds the instant
/// from whole seconds plus the milliseconds as Foundation's Gregorian calendar does. Tests compare
/// both with GRDB's own over many instants. Anything outside the years 1900 … 9999 (refused by
/// `StoredValues.check` before it is written) and any other stored form (an integer, `YYYY-MM-DD`,
/// a `T`) goes through GRDB's own conversion.
public enum StoredTime {
    /// Seconds from 1970 to 2001 (Foundation's reference date).
    private static let referenceOffset: Double = 978_307_200

    /// `date` as the database value GRDB writes for it.
    public static func databaseValue(_ date: Date) -> DatabaseValue {
        guard let text = text(date) else { return date.databaseValue }
        return text.databaseValue
    }

    /// `date` as `databaseValue(_:)` writes it; NULL for `nil`.
    public static func databaseValue(_ date: Date?) -> DatabaseValue {
        date.map { databaseValue($0) } ?? .null
    }

    /// `2026-12-05 11:00:00.000`, or `nil` outside the years 1900 … 9999.
    public static func text(_ date: Date) -> String? {
        // As Foundation's formatter: to milliseconds since 1970 from the reference date, rounded.
        let millis = ((date.timeIntervalSinceReferenceDate + referenceOffset) * 1000 + 0.5).rounded(.down)
        guard millis.isFinite, millis >= -2_208_988_800_000, millis < 253_402_300_800_000 else { return nil }
        let whole = Int64(millis)
        let day = whole >= 0 ? whole / 86_400_000 : (whole - 86_399_999) / 86_400_000
        let inDay = Int(whole - day * 86_400_000)
        let (year, month, dayOfMonth) = CivilTime.date(ofDay: Int(day))
        guard (1900...9999).contains(year) else { return nil }
        let seconds = inDay / 1000
        return String(unsafeUninitializedCapacity: 23) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                var index = offset + width - 1
                while index >= offset {
                    buffer[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                    value /= 10
                    index -= 1
                }
            }
            put(year, 4, at: 0)
            buffer[4] = 45  // -
            put(month, 2, at: 5)
            buffer[7] = 45
            put(dayOfMonth, 2, at: 8)
            buffer[10] = 32  // space
            put(seconds / 3600, 2, at: 11)
            buffer[13] = 58  // :
            put(seconds % 3600 / 60, 2, at: 14)
            buffer[16] = 58
            put(seconds % 60, 2, at: 17)
            buffer[19] = 46  // .
            put(inDay % 1000, 3, at: 20)
            return 23
        }
    }

    /// The instant a stored value holds, as `Date.fromDatabaseValue` reads it.
    public static func date(_ value: DatabaseValue) -> Date? {
        if case .string(let text) = value.storage, let date = date(text) { return date }
        return Date.fromDatabaseValue(value)
    }

    /// `yyyy-MM-dd HH:mm:ss.SSS` (the form the store writes) read by hand; `nil` for any other form.
    static func date(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes in date(utf8: bytes) }
    }

    /// `date(_:)` on the text's UTF-8 bytes (a column read in place, without making a `String`).
    static func date(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 23, bytes[4] == 45, bytes[7] == 45, bytes[10] == 32, bytes[13] == 58, bytes[16] == 58, bytes[19] == 46 else {
            return nil
        }
        func number(_ offset: Int, _ width: Int) -> Int? {
            var value = 0
            for index in offset..<(offset + width) {
                let digit = Int(bytes[index]) - 48
                guard digit >= 0, digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), let millis = number(20, 3),
            year >= 1900, (1...12).contains(month), (1...daysIn(month, of: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let seconds = CivilTime.dayNumber(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        // As Foundation's Gregorian calendar: whole seconds from the reference date, then the fraction.
        return Date(timeIntervalSinceReferenceDate: Double(seconds) - referenceOffset + Double(millis * 1_000_000) / 1_000_000_000)
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }


}
