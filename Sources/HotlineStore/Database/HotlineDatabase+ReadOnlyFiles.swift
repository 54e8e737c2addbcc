import Foundation
import GRDB
import GRDBSQLite
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HotlineDatabase {
    /// The `-wal` and `-shm` files that reading a WAL database leaves beside it, and their removal.
    ///
    /// Any connection to a WAL database, a read-only one too, creates `PATH-wal` and `PATH-shm`.
    /// SQLite removes them when the last connection closes, but only a connection that can write
    /// does it (it checkpoints the log first): a read-only connection never can, so every command
    /// that only read left the two files behind (`hotline cases list` on a database nothing else had
    /// open), where the `sqlite3` shell leaves the folder as it found it.
    ///
    /// So each read-only open of ours notes whether the files were there before it; when its
    /// connections are all closed and the files were not there, one read-write connection is opened
    /// and closed, and SQLite's own close removes them — and only when that connection is the last
    /// one to the file (it must take an exclusive lock first), so a server or another command that
    /// has the database open, or opens it meanwhile, keeps its files; nothing else is ever deleted.
    /// That connection only reads, and only when the log is empty, so the checkpoint at its close
    /// writes no byte to the database; it never creates a missing file (no `SQLITE_OPEN_CREATE`), and
    /// a file it cannot write (`chmod 0444`) just keeps its files, as with the `sqlite3` shell.
    struct ReadOnlyFiles: Sendable {
        let path: String
        /// Whether `-wal` or `-shm` was there before the read-only connection opened.
        let existedBefore: Bool

        /// Notes the state of the folder; call it before opening a read-only connection.
        init(path: String) {
            self.path = path
            existedBefore = Self.exists(path + "-wal") || Self.exists(path + "-shm")
        }

        /// Removes the files the read-only connection left, if they were not there before it.
        /// Call it once every read-only connection opened after `init` is closed.
        func tidy() {
            guard !existedBefore, Self.exists(path + "-wal") || Self.exists(path + "-shm") else { return }
            // A log with frames in it holds another connection's commits: left for a writer.
            if let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber, size.intValue != 0 { return }
            var connection: OpaquePointer?
            defer { sqlite3_close(connection) }
            guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection,
                sqlite3_db_readonly(connection, "main") == 0
            else { return }
            // A read opens the log, so that closing the connection checkpoints it and deletes it.
            _ = sqlite3_exec(connection, "SELECT count(*) FROM sqlite_master", nil, nil, nil)
        }

        private static func exists(_ path: String) -> Bool {
            var info = stat()
            return lstat(path, &info) == 0
        }
    }

    /// Counts the open read-only connections to one file, and runs ``ReadOnlyFiles/tidy()`` when
    /// the last one has closed. Each connection is watched from its `prepareDatabase`: SQLite calls
    /// the destructor of a function registered on a connection while it closes it, after its log
    /// is closed — at once, on the closing thread, so the files are gone when a command returns
    /// (GRDB releases its connection objects later, on another queue, too late for a `deinit`).
    final class ReadOnlyConnections: Sendable {
        let files: ReadOnlyFiles
        private let open = Mutex(0)

        init(path: String) { files = ReadOnlyFiles(path: path) }

        /// For `Configuration.prepareDatabase`: counts `db` until SQLite closes it.
        func watch(_ db: Database) throws {
            open.withLock { $0 += 1 }
            let context = Unmanaged.passRetained(self).toOpaque()
            let status = sqlite3_create_function_v2(
                db.sqliteConnection, "hotline_read_only_files", 0, SQLITE_UTF8, context,
                { context, _, _ in sqlite3_result_null(context) }, nil, nil,
                { context in
                    guard let context else { return }
                    Unmanaged<ReadOnlyConnections>.fromOpaque(context).takeRetainedValue().closed()
                })
            guard status == SQLITE_OK else {
                // SQLite has called the destructor already.
                throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "cannot watch the read-only connection")
            }
        }

        private func closed() {
            let left = open.withLock { open in
                open -= 1
                return open
            }
            if left == 0 { files.tidy() }
        }
    }
}
