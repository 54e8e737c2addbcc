import Foundation
import GRDB
import GRDBSQLite

// The call path reads a dozen single rows per call. GRDB's `Row` over a statement builds, for
// every query, a dictionary of its column names lowercased (for `row["column"]`), and
// `Row.fetchOne` copies the row with an array of the names: more instructions than SQLite spends
// finding the row (issue 16). The store's hot decoders read by position anyway, so they read the
// statement's current row in place: `Database.fetchFirst(cached:arguments:_:)` steps a cached
// statement through GRDB's own cursor machinery (`DatabaseCursor`: the same checks, errors and
// observers as any GRDB fetch) and hands the decoder a `StatementColumns`, no `Row`.

/// The values of one result row by position: a GRDB `Row`, or a statement's current row read in
/// place (`StatementColumns`). The store's decoders take either (`stored(_:_:table:key:)`).
protocol StoredColumns {
    var columnCount: Int { get }
    func databaseValue(at index: Int) -> DatabaseValue
    /// The name of the column at `index`, for errors and the debug build's position check.
    func columnName(at index: Int) -> String
    /// The instant at `index` when the column holds one as the store writes it (`StoredTime`),
    /// read without a `String` or a `DatabaseValue`; `nil` for anything else (NULL, another form),
    /// which is then read through `databaseValue(at:)` as before.
    func storedTime(at index: Int) -> Date?
}

extension StoredColumns {
    func storedTime(at index: Int) -> Date? { nil }

    /// `stored(_:_:as: Date.self, …)`, the store's own form read in place: the same instant, and
    /// for any other value the same value or error through `stored`.
    func storedDate(_ index: Int, _ column: String, table: String, key: @autoclosure () -> String) throws(StoreError) -> Date {
        if let date = storedTimeChecked(index, column) { return date }
        return try stored(index, column, as: Date.self, table: table, key: key())
    }

    /// `storedIfPresent(_:_:as: Date.self, …)`, the store's own form read in place.
    func storedDateIfPresent(_ index: Int, _ column: String, table: String, key: @autoclosure () -> String) throws(StoreError) -> Date? {
        if let date = storedTimeChecked(index, column) { return date }
        return try storedIfPresent(index, column, as: Date.self, table: table, key: key())
    }

    private func storedTimeChecked(_ index: Int, _ column: String) -> Date? {
        guard index >= 0, index < columnCount else { return nil }
        assert(columnName(at: index) == column, "column \(index) is not \(column)")
        return storedTime(at: index)
    }
}

extension Row: StoredColumns {
    var columnCount: Int { count }
    func databaseValue(at index: Int) -> DatabaseValue { self[index] }
    func columnName(at index: Int) -> String { columnNames[columnNames.index(columnNames.startIndex, offsetBy: index)] }
}

/// The current row of a statement being stepped, read straight from SQLite. Valid only inside the
/// decoder it is handed to.
struct StatementColumns: StoredColumns {
    let statement: SQLiteStatement
    var columnCount: Int { Int(sqlite3_column_count(statement)) }
    func databaseValue(at index: Int) -> DatabaseValue { DatabaseValue(sqliteStatement: statement, index: CInt(index)) }
    func columnName(at index: Int) -> String { String(cString: sqlite3_column_name(statement, CInt(index))) }
    func storedTime(at index: Int) -> Date? {
        let column = CInt(index)
        // The type first: asking for the text of another type converts the column.
        guard sqlite3_column_type(statement, column) == SQLITE_TEXT, let text = sqlite3_column_text(statement, column) else { return nil }
        return StoredTime.date(utf8: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))))
    }
}

/// The columns of a row from `offset` on: a decoder of one table's columns (`Account(row:)`) reads
/// them where a join put them after others.
struct ShiftedColumns<Base: StoredColumns>: StoredColumns {
    let base: Base
    let offset: Int
    init(_ base: Base, by offset: Int) {
        self.base = base
        self.offset = offset
    }
    var columnCount: Int { base.columnCount - offset }
    func databaseValue(at index: Int) -> DatabaseValue { base.databaseValue(at: index + offset) }
    func columnName(at index: Int) -> String { base.columnName(at: index + offset) }
    func storedTime(at index: Int) -> Date? { base.storedTime(at: index + offset) }
}

/// A GRDB cursor whose rows are decoded in place by a decoder of ours.
final class ColumnCursor<Element>: DatabaseCursor {
    let _statement: Statement
    var _isDone = false
    private let decode: (StatementColumns) throws -> Element

    init(_ statement: Statement, arguments: StatementArguments, decode: @escaping (StatementColumns) throws -> Element) throws {
        _statement = statement
        self.decode = decode
        try statement.setArguments(arguments)
    }

    /// On a statement whose arguments are bound already (`DirectBindings`).
    init(_ statement: Statement, decode: @escaping (StatementColumns) throws -> Element) {
        _statement = statement
        self.decode = decode
    }

    deinit {
        // As GRDB's own cursors: the statement is reset when the cursor goes (its next use resets
        // it again; an error from an earlier step is not news here).
        sqlite3_reset(_statement.sqliteStatement)
    }

    func _element(sqliteStatement: SQLiteStatement) throws -> Element {
        try decode(StatementColumns(statement: sqliteStatement))
    }

    /// Every remaining row, stepped with `next()` (GRDB's checks and observers as for any fetch).
    /// `Array(cursor)` runs GRDB's generic `forEach` and `append(contentsOf:)` unspecialized, with
    /// a metadata look-up per use.
    func all() throws -> [Element] {
        var elements: [Element] = []
        while let element = try next() { elements.append(element) }
        return elements
    }
}

extension Database {
    /// The first row of `sql` (compiled once per connection), decoded in place; `nil` when there is none.
    func fetchFirst<T>(cached sql: String, arguments: StatementArguments = StatementArguments(), _ decode: @escaping (StatementColumns) throws -> T) throws -> T? {
        try ColumnCursor(cachedStatement(sql: sql), arguments: arguments, decode: decode).next()
    }

    /// Every row of `sql` (compiled once per connection), decoded in place.
    func fetchEvery<T>(cached sql: String, arguments: StatementArguments = StatementArguments(), _ decode: @escaping (StatementColumns) throws -> T) throws -> [T] {
        try ColumnCursor(cachedStatement(sql: sql), arguments: arguments, decode: decode).all()
    }
}
