import GRDB
import Synchronization

/// One statement the call path runs on every call, found again on each connection without
/// hashing its SQL text.
///
/// `Database.cachedStatement(sql:)` looks the statement up in a dictionary keyed by the whole SQL
/// string: hashing a 400-byte `SELECT` on every use cost more than a thousand instructions, about
/// twenty times a call (issue 16). A `HeldStatement` is a `static let`: it keeps, per connection, a
/// weak reference to the statement GRDB's cache compiled for it, so the next use on that
/// connection is a short scan of a list of (usually one or two) connections.
///
/// The statement itself stays GRDB's: the reference is weak, so when GRDB drops it from its cache
/// (a statement that failed, an observer added, the connection closed) it goes away here too and
/// the next use compiles it again through `cachedStatement(sql:)`, as before. Nothing here keeps a
/// statement alive, so closing a connection is not held up. A statement is used only on its own
/// connection (GRDB serializes each); the lock guards the list alone.
///
/// Only a connection's own entry is ever read through its reference: reading another's would
/// hold its statement for a moment, and if its connection let go of it meanwhile, the statement
/// would be finalized here, on the wrong thread. Entries of closed connections are dropped
/// unread instead, all at once when the list passes `maxConnections` (dropping a weak reference
/// touches no statement; a live connection whose entry went finds its statement again through
/// GRDB's cache).
public final class HeldStatement: Sendable {
    /// One statement: the SQL must be a single statement (GRDB's `cachedStatement` rule).
    public let sql: String
    private let held: Mutex<[Held]>

    public init(_ sql: String) {
        self.sql = sql
        self.held = Mutex([])
    }

    /// The statement compiled for `sql` on `db`'s connection, with whether `DirectBindings` has
    /// already taken over its arguments (see `Statement.bind(_:argumentsTaken:)`).
    func statement(_ db: Database) throws -> Found {
        let connection = ObjectIdentifier(db)
        if let found = held.withLock({ list in Self.find(connection, in: list) }) { return found }
        let statement = try db.cachedStatement(sql: sql)
        let found = Found(statement: statement, argumentsTaken: false)
        held.withLock { list in
            // This connection's old entry (its statement was let go) gives way; entries of closed
            // connections, all of them, once there are more than a process keeps open.
            list.removeAll { $0.connection == connection }
            if list.count >= Self.maxConnections { list.removeAll() }
            list.append(Held(connection: connection, statement: found.statement, argumentsTaken: false))
        }
        return found
    }

    /// More connections than a process has open at once (the writer and GRDB's readers): past it
    /// the list is emptied and refilled by the connections still in use.
    static let maxConnections = 16

    /// Notes that `DirectBindings` took over the arguments of `statement` (compiled on `db`).
    func argumentsTaken(_ statement: Statement, _ db: Database) {
        let (connection, compiled) = (ObjectIdentifier(db), ObjectIdentifier(statement))
        held.withLock { list in
            for index in list.indices where list[index].connection == connection && list[index].statement.map(ObjectIdentifier.init) == compiled {
                list[index].argumentsTaken = true
            }
        }
    }

    /// How many connections hold a compiled statement now. For tests only: it reads every
    /// entry's reference, on the caller's thread.
    var connectionCount: Int {
        held.withLock { list in list.count { $0.statement != nil } }
    }

    /// How many entries the list keeps, live or not (for tests).
    var entryCount: Int {
        held.withLock { list in list.count }
    }

    private static func find(_ connection: ObjectIdentifier, in list: [Held]) -> Found? {
        for entry in list where entry.connection == connection {
            // A live statement keeps its connection's memory (GRDB's `unowned` reference), so
            // no other connection can have been given the same identity meanwhile.
            guard let statement = entry.statement else { return nil }
            return Found(statement: statement, argumentsTaken: entry.argumentsTaken)
        }
        return nil
    }

    /// A statement for one connection, as the lock hands it out.
    // @unchecked: a GRDB `Statement` is not `Sendable`; this one only leaves the lock, on the
    // connection's own queue, and is used there like any GRDB statement.
    struct Found: @unchecked Sendable {
        let statement: Statement
        let argumentsTaken: Bool
    }

    private struct Held {
        let connection: ObjectIdentifier
        weak var statement: Statement?
        var argumentsTaken: Bool
    }
}
