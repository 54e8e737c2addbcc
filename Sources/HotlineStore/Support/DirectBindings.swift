import Foundation
import GRDB
import GRDBSQLite

// The call path's statements take their arguments as an array literal: GRDB boxes each value into
// a `DatabaseValue`, builds `StatementArguments` and then an array of bindings checked against the
// statement's parameter names, and binds them in nested closures — more instructions per statement
// than SQLite spends on a primary-key lookup (issue 16). These overloads bind each value straight
// into the cached statement (`sqlite3_bind_*`), in the order the SQL lists its `?`, and then run it
// through GRDB as before (`Statement.execute()`, `DatabaseCursor`): the same transaction tracking,
// observers and errors. A count of values that does not match the statement's parameters is
// GRDB's error for wrong arguments (`SQLITE_MISUSE`), before anything runs.

/// The values of one statement's parameters, bound in order as they are added.
struct DirectBindings {
    private let statement: SQLiteStatement
    /// How many values were bound so far.
    private(set) var count: CInt = 0

    fileprivate init(_ statement: SQLiteStatement) {
        self.statement = statement
    }

    /// SQLite copies the text (`SQLITE_TRANSIENT`): the Swift string may go once bound.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func add(_ text: String) {
        count += 1
        let (statement, index) = (statement, count)
        var text = text
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress, !bytes.isEmpty {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                    sqlite3_bind_text(statement, index, chars, CInt(bytes.count), Self.transient)
                }
            } else {
                _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
            }
        }
    }

    mutating func add(_ text: String?) {
        guard let text else { return addNull() }
        add(text)
    }

    mutating func add(_ value: Int64) {
        count += 1
        sqlite3_bind_int64(statement, count, value)
    }

    mutating func add(_ value: Int64?) {
        guard let value else { return addNull() }
        add(value)
    }

    mutating func add(_ value: Int) { add(Int64(value)) }

    mutating func add(_ value: Double) {
        count += 1
        sqlite3_bind_double(statement, count, value)
    }

    mutating func add(_ value: Double?) {
        guard let value else { return addNull() }
        add(value)
    }

    /// An instant as the store writes it (`StoredTime.databaseValue`).
    mutating func add(_ date: Date) {
        if let text = StoredTime.text(date) { return add(text) }
        add(StoredTime.databaseValue(date))
    }

    mutating func add(_ date: Date?) {
        guard let date else { return addNull() }
        add(date)
    }

    mutating func add(_ value: DatabaseValue) {
        switch value.storage {
        case .null: addNull()
        case .int64(let integer): add(integer)
        case .double(let double): add(double)
        case .string(let text): add(text)
        case .blob(let data):
            count += 1
            let (statement, index) = (statement, count)
            _ = data.withUnsafeBytes { bytes in sqlite3_bind_blob(statement, index, bytes.baseAddress, CInt(bytes.count), Self.transient) }
        }
    }

    mutating func addNull() {
        count += 1
        sqlite3_bind_null(statement, count)
    }
}

extension Statement {
    /// Resets the statement, binds `bind`'s values in place of any earlier ones, and checks their
    /// count; the next `execute()` or cursor runs with them.
    ///
    /// `argumentsTaken`: a `HeldStatement` already ran this statement through here, so GRDB counts
    /// it as bound with no arguments of its own — if its arguments are still empty (nothing set
    /// others since: GRDB's own `execute(arguments:)` and `setArguments` record theirs, and a
    /// statement with parameters cannot take an empty list) the earlier bindings are all replaced
    /// below, and GRDB's reset, clearing and binding loop (~1,300 instructions) are not needed.
    fileprivate func bind(_ bind: (inout DirectBindings) -> Void, argumentsTaken: Bool = false) throws {
        if argumentsTaken, arguments.isEmpty {
            // Bindings need a statement that is not running; an error of its last step was
            // reported when it happened (and GRDB dropped a statement that failed).
            sqlite3_reset(sqliteStatement)
        } else {
            // GRDB's own reset and clearing of earlier bindings, with no arguments of its own: the
            // statement then counts as bound, and `execute()` runs it as it stands.
            setUncheckedArguments(StatementArguments())
        }
        var bindings = DirectBindings(sqliteStatement)
        bind(&bindings)
        let expected = sqlite3_bind_parameter_count(sqliteStatement)
        guard bindings.count == expected else {
            sqlite3_clear_bindings(sqliteStatement)
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "wrong number of statement arguments: \(bindings.count) for \(expected) parameters", sql: sql)
        }
    }
}

extension Database {
    /// `execute(cached:arguments:)` with the values bound in place (see `DirectBindings`).
    func execute(cached sql: String, binding bind: (inout DirectBindings) -> Void) throws {
        let statement = try cachedStatement(sql: sql)
        try statement.bind(bind)
        try statement.execute()
    }

    /// A statement without parameters (`BEGIN`, `COMMIT`), compiled once per connection: run as it
    /// stands, with no arguments to build or bind (GRDB checks there are none).
    func execute(cachedWithoutArguments sql: String) throws {
        try cachedStatement(sql: sql).execute()
    }

    /// `fetchFirst(cached:arguments:_:)` with the values bound in place (see `DirectBindings`).
    func fetchFirst<T>(cached sql: String, binding bind: (inout DirectBindings) -> Void, _ decode: @escaping (StatementColumns) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql: sql)
        try statement.bind(bind)
        return try ColumnCursor(statement, decode: decode).next()
    }

    /// `fetchEvery(cached:arguments:_:)` with the values bound in place (see `DirectBindings`).
    func fetchEvery<T>(cached sql: String, binding bind: (inout DirectBindings) -> Void, _ decode: @escaping (StatementColumns) throws -> T) throws -> [T] {
        let statement = try cachedStatement(sql: sql)
        try statement.bind(bind)
        return try ColumnCursor(statement, decode: decode).all()
    }

    // The same for a `HeldStatement`: found without hashing its SQL, bound without GRDB's reset
    // and clearing after its first use.

    /// The held statement with `bind`'s values bound in place.
    private func bound(_ held: HeldStatement, _ bind: (inout DirectBindings) -> Void) throws -> Statement {
        let found = try held.statement(self)
        try found.statement.bind(bind, argumentsTaken: found.argumentsTaken)
        if !found.argumentsTaken { held.argumentsTaken(found.statement, self) }
        return found.statement
    }

    /// `execute(cached:binding:)` for a held statement.
    func execute(_ held: HeldStatement, binding bind: (inout DirectBindings) -> Void) throws {
        try bound(held, bind).execute()
    }

    /// `execute(cachedWithoutArguments:)` for a held statement.
    func execute(_ held: HeldStatement) throws {
        try held.statement(self).statement.execute()
    }

    /// `fetchFirst(cached:binding:_:)` for a held statement.
    func fetchFirst<T>(_ held: HeldStatement, binding bind: (inout DirectBindings) -> Void, _ decode: @escaping (StatementColumns) throws -> T) throws -> T? {
        try ColumnCursor(bound(held, bind), decode: decode).next()
    }

    /// `fetchEvery(cached:binding:_:)` for a held statement.
    func fetchEvery<T>(_ held: HeldStatement, binding bind: (inout DirectBindings) -> Void, _ decode: @escaping (StatementColumns) throws -> T) throws -> [T] {
        try ColumnCursor(bound(held, bind), decode: decode).all()
    }
}
