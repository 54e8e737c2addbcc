import Foundation
import GRDB
import HotlineCore

/// Reading a column back without trapping: GRDB's `row["column"]` stops the process when the
/// stored value is NULL or not of the type asked for (a date in the year 10000, text in an integer
/// column written by another tool). The store reads through `stored`, which says instead which
/// table, row and column hold what.
extension Row {
    /// The value of `column`; a NULL, a missing column or a value of another kind is a
    /// `StoreError` (`invalidStoredValue`) naming `table`, the row (`key`, e.g. the case number),
    /// the column and — unless text was asked for, which may be customer data — the value.
    func stored<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type = Value.self, table: String, key: String) throws(StoreError) -> Value {
        let raw: DatabaseValue? = self[column]
        guard let raw, let value = StoredValues.decode(raw, as: Value.self) else {
            throw StoredValues.refusal(column: column, raw: raw, type: Value.self, table: table, key: key)
        }
        return value
    }

    /// The value of `column`, nil when it is NULL; a value of another kind is a `StoreError`.
    func storedIfPresent<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type = Value.self, table: String, key: String) throws(StoreError) -> Value? {
        let raw: DatabaseValue? = self[column]
        guard let raw, !raw.isNull else { return nil }
        guard let value = StoredValues.decode(raw, as: Value.self) else {
            throw StoredValues.refusal(column: column, raw: raw, type: Value.self, table: table, key: key)
        }
        return value
    }
}

extension StoredColumns {
    /// The value at `index` of a query whose column list the caller wrote out (`column` is that
    /// column's name, for the error only). GRDB's lookup by name lowercases both names for every
    /// read; the hot decoders (case, account, feed entry, page) read by position instead. Debug
    /// builds check that `column` is the name at `index`, so every test run checks the positions.
    func stored<Value: DatabaseValueConvertible>(_ index: Int, _ column: String, as type: Value.Type = Value.self, table: String, key: @autoclosure () -> String) throws(StoreError) -> Value {
        let raw = value(at: index, column)
        guard let raw, let value = StoredValues.decode(raw, as: Value.self) else {
            throw StoredValues.refusal(column: column, raw: raw, type: Value.self, table: table, key: key())
        }
        return value
    }

    /// The value at `index`, nil when it is NULL; a value of another kind is a `StoreError`.
    func storedIfPresent<Value: DatabaseValueConvertible>(_ index: Int, _ column: String, as type: Value.Type = Value.self, table: String, key: @autoclosure () -> String) throws(StoreError) -> Value? {
        let raw = value(at: index, column)
        guard let raw, !raw.isNull else { return nil }
        guard let value = StoredValues.decode(raw, as: Value.self) else {
            throw StoredValues.refusal(column: column, raw: raw, type: Value.self, table: table, key: key())
        }
        return value
    }

    private func value(at index: Int, _ column: String) -> DatabaseValue? {
        guard index >= 0, index < columnCount else { return nil }
        assert(columnName(at: index) == column, "column \(index) is not \(column)")
        return databaseValue(at: index)
    }
}

/// The instants the database can hold and give back, and the error for a value it gave back wrong.
public enum StoredValues {
    /// `1900-01-01T00:00:00Z` … `9999-12-31T23:59:59Z`: years GRDB writes as `YYYY-MM-DD…` text
    /// and reads back as the same `Date` (the year 10000 has five digits and does not read back;
    /// far before 1900 calendars disagree). Anything the store writes — an instant it is given, and
    /// the times derived from it (a response due time is the instant plus the SLA target) — must
    /// lie inside, or reading it back would fail.
    public static let timeRange: ClosedRange<Date> =
        Date(timeIntervalSince1970: -2_208_988_800)...Date(timeIntervalSince1970: 253_402_300_799)

    /// A stored value as `Value`: instants through ``StoredTime`` (the same `Date` as GRDB's,
    /// without its `Calendar`), everything else as GRDB converts it.
    @inline(__always)
    static func decode<Value: DatabaseValueConvertible>(_ raw: DatabaseValue, as type: Value.Type) -> Value? {
        if Value.self == Date.self { return StoredTime.date(raw) as? Value }
        return Value.fromDatabaseValue(raw)
    }

    /// Refuses a time the database could not give back. `what` names it ("the response due time
    /// of case 00345678").
    public static func check(_ date: Date, _ what: @autoclosure () -> String) throws(StoreError) {
        guard !timeRange.contains(date) else { return }
        throw StoreError(
            .invalidTime, "\(what()) would be \(describe(date)), outside the times the database holds (years 1900 to 9999)",
            fix: "use a time in a supported year, e.g. --at 2026-12-01T09:00Z")
    }

    /// An instant as `YYYY-MM-DDTHH:MM:SSZ`, also far outside any calendar (no trap).
    static func describe(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e14 else { return "\(seconds) seconds after 1970" }
        let whole = Int(seconds.rounded(.down))
        let day = Int((Double(whole) / 86_400).rounded(.down))
        let rest = whole - day * 86_400
        let (year, month, dayOfMonth) = CivilTime.date(ofDay: day)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
    }


    static func refusal(column: String, raw: DatabaseValue?, type: Any.Type, table: String, key: String) -> StoreError {
        let kind = type == Date.self ? "a time" : type == String.self ? "text" : "a \(type)"
        let found: String
        switch raw?.storage {
        case nil: found = "no such column"
        case .null?: found = "NULL"
        case .int64(let value)?: found = "the integer \(value)"
        case .double(let value)?: found = "the number \(value)"
        case .string(let text)?: found = type == String.self ? "text" : "'\(text.prefix(40))'"
        case .blob(let data)?: found = "a blob of \(data.count) bytes"
        }
        return StoreError(
            .invalidStoredValue, "the database holds \(found) in \(table).\(column) for \(key), where \(kind) belongs",
            fix: "the row was written by another program or a damaged copy; correct it with sqlite3, or restore the file from a backup")
    }
}
