import Foundation
import GRDB

extension DatabaseWriter {
    /// Reads one consistent state of the database, as GRDB's `read` does, for the store's reads.
    ///
    /// On a file (a `DatabasePool`) it is `read`: a snapshot on a reader connection. On an
    /// in-memory copy (a `DatabaseQueue`, a scenario's) it is a deferred transaction on the copy's
    /// one connection, without `read`'s guard against writes: GRDB's guard there is `PRAGMA
    /// query_only`, set and cleared around each read, and SQLite marks every compiled statement of
    /// the connection as expired whenever that flag changes, so each read made every statement
    /// the scenario used next be compiled again (about a third of what a scenario cost; issue 16).
    /// The store's reads are the same code on files, where the guard stays.
    func consistentRead<T>(_ body: (Database) throws -> T) throws -> T {
        guard let queue = self as? DatabaseQueue else { return try read(body) }
        return try queue.writeWithoutTransaction { db in
            var result: Result<T, any Error>?
            try db.inTransaction(.deferred) {
                result = Result { try body(db) }
                return .commit
            }
            guard let result else { throw MemoryCopyProblem("the read did not run") }
            return try result.get()
        }
    }
}
