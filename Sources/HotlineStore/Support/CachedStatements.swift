import GRDB

// The call path runs the same few statements thousands of times a second: compiling each one
// again every time (SQLite's parser and GRDB's authorizer) cost more than running it. These
// overloads take the same SQL and arguments as GRDB's `sql:` ones, but compile each statement
// once per connection (`Database.cachedStatement(sql:)`); the SQL must be one statement. Public so
// the other targets that keep tables in the same file (the pager) use the same helpers.

extension Database {
    public func execute(cached sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row {
    public static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    public static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    // Integers and text read straight from the statement (GRDB's fast cursor), not through a
    // `DatabaseValue` each: the count of the rate limit, the open cases, the escalation's id.
    public static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    public static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible {
    public static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    public static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseWriter {
    /// `write(_:)` — one `BEGIN IMMEDIATE` transaction, committed when `updates` returns, rolled
    /// back when it throws — with the three transaction statements compiled once per connection.
    /// GRDB's `write` compiles `BEGIN` and `COMMIT` afresh each time (about 10,000 instructions
    /// each); the call path writes three transactions per call. A read-only connection (opened
    /// for reading) gets GRDB's own `write`, which refuses the first change as before.
    public func writeTransaction<T>(_ updates: (Database) throws -> T) throws -> T {
        try writeWithoutTransaction { db in
            guard !db.configuration.readonly, !db.isInsideTransaction else {
                var result: T?
                try db.inTransaction {
                    result = try updates(db)
                    return .commit
                }
                guard let result else { preconditionFailure("a committed transaction ran its body") }
                return result
            }
            try db.execute(HeldStatement.beginImmediate)
            do {
                let result = try updates(db)
                try db.execute(HeldStatement.commit)
                return result
            } catch {
                // SQLite may have rolled back already (some errors end the transaction).
                if db.isInsideTransaction { try? db.execute(HeldStatement.rollback) }
                throw error
            }
        }
    }
}

extension DatabaseReader {
    /// `read(_:)` — the statements of `value` see one snapshot of the database — with its `BEGIN`
    /// and `COMMIT` compiled once per connection (GRDB's `read` compiles both afresh each time).
    /// The snapshot also spares SQLite a read transaction per statement. For reads only: on a
    /// queue (an in-memory scenario copy) nothing stops `value` from writing, so it must not.
    public func readTransaction<T>(_ value: (Database) throws -> T) throws -> T {
        try unsafeRead { db in
            guard !db.isInsideTransaction else { return try value(db) }
            try db.execute(HeldStatement.beginDeferred)
            defer {
                // Ending a read transaction fails only when the connection is broken; the
                // next statement on it says so.
                try? db.execute(HeldStatement.commit)
            }
            return try value(db)
        }
    }
}

extension HeldStatement {
    // The transaction statements of `writeTransaction` and `readTransaction`.
    static let beginImmediate = HeldStatement("BEGIN IMMEDIATE TRANSACTION")
    static let beginDeferred = HeldStatement("BEGIN DEFERRED TRANSACTION")
    static let commit = HeldStatement("COMMIT TRANSACTION")
    static let rollback = HeldStatement("ROLLBACK TRANSACTION")
}

extension DatabaseWriter {
    /// `readTransaction(_:)` on the writer's own connection: for the short keyed reads a call makes
    /// between its writes (who is calling, the case they typed). In WAL mode a commit by one
    /// connection makes every other connection drop its whole page cache at its next read, so on a
    /// line that writes four times a call, a read on a pool reader found its cache stale every time
    /// and read each page again from the log (a dozen `pread`s and their locks per call). On the
    /// writer the pages its own commits just wrote are still cached. The price is that the read
    /// waits for the writer (and the writer for it): right for a look-up of a few rows, wrong for a
    /// listing — listings, reports and the web read on the pool (`readTransaction`).
    public func readOnWriter<T>(_ value: (Database) throws -> T) throws -> T {
        try writeWithoutTransaction { db in
            guard !db.isInsideTransaction else { return try value(db) }
            try db.execute(cachedWithoutArguments: "BEGIN DEFERRED TRANSACTION")
            defer {
                // Ending a read transaction fails only when the connection is broken; the
                // next statement on it says so.
                try? db.execute(cachedWithoutArguments: "COMMIT TRANSACTION")
            }
            return try value(db)
        }
    }

    /// `readOnWriter(_:)` for one statement: SQLite runs a single statement on one snapshot by
    /// itself, so it needs no `BEGIN` and `COMMIT` of its own. `value` must run one statement.
    public func readStatementOnWriter<T>(_ value: (Database) throws -> T) throws -> T {
        try writeWithoutTransaction(value)
    }
}
