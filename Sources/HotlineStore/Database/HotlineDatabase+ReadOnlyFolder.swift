import Foundation
import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HotlineDatabase {
    /// How a command that only reads opens a database file, decided from what is beside the file.
    ///
    /// A database in WAL mode is read through its `-wal` and `-shm` files, which a read-only
    /// connection creates when they are missing (``ReadOnlyFiles`` removes them afterwards). In a
    /// folder this user cannot write that fails (`SQLITE_READONLY_DIRECTORY`, "SQLite error 1544"),
    /// although nothing needs writing. SQLite documents the way out (wal.html, "Read-Only
    /// Databases"): a read-only WAL database opens when its `-wal` and `-shm` exist, or when the
    /// database is opened as immutable (`file:PATH?immutable=1`: no locks, no `-wal`, no `-shm`).
    ///
    /// Immutable is safe only when no writer can be half way through a transaction: a writer of a
    /// WAL database keeps its commits in the `-wal` file until a checkpoint, so when there is none,
    /// every commit is in the database file itself. So:
    /// - the folder is writable: ``shared``, as always;
    /// - it is not, and there is no `-wal`: ``immutable`` (nothing is created beside the file, so
    ///   no file owned by this reader is left next to someone else's database);
    /// - it is not, and `-wal` and `-shm` are both there: ``shared`` (SQLite reads them);
    /// - it is not, and `-wal` is there without `-shm`: ``refused``, saying what to do.
    enum ReadMode: Sendable, Hashable {
        /// The usual read-only connection.
        case shared
        /// `immutable=1`: no lock and no file beside the database.
        case immutable
        /// It cannot be read safely here; the message and its fix.
        case refused(message: String, fix: String)
    }

    /// The decision of ``ReadMode``, from what is on disk.
    static func readMode(path: String, folderWritable: Bool, walExists: Bool, shmExists: Bool) -> ReadMode {
        if folderWritable { return .shared }
        if !walExists { return .immutable }
        if shmExists { return .shared }
        let folder = folderOf(path)
        return .refused(
            message: "cannot read the database \(path): its folder \(folder) cannot be written by this user, and \(path)-wal (commits not yet in the database) "
                + "is there without its \(path)-shm index, which SQLite would have to create",
            fix: "run a command on the database as its owner (or `sqlite3 \(path) 'PRAGMA wal_checkpoint(TRUNCATE)'`), which folds the -wal in; "
                + "or make \(folder) writable; or copy \(path) with its -wal to a folder you can write and use --db with the copy")
    }

    /// The read mode for the file at `path` as the disk is now.
    static func readMode(path: String) -> ReadMode {
        readMode(path: path, folderWritable: folderIsWritable(path), walExists: exists(path + "-wal"), shmExists: exists(path + "-shm"))
    }

    /// What GRDB opens for `mode`: the path, or an immutable URI. `nil` when this SQLite does not
    /// read URIs in file names (built without `SQLITE_USE_URI`; GRDB does not pass `SQLITE_OPEN_URI`).
    static func readLocation(path: String, mode: ReadMode) -> String? {
        switch mode {
        case .shared, .refused:
            return path
        case .immutable:
            guard sqlite3_compileoption_used("USE_URI") == 1 else { return nil }
            return immutableURI(path: path)
        }
    }

    /// Where a read-only connection to `path` opens (the path, or its immutable URI), and whether
    /// it may leave `-wal` and `-shm` files for ``ReadOnlyConnections`` to remove; or why the file
    /// cannot be read here.
    static func readingLocation(path: String) throws(StoreError) -> (location: String, sharesFiles: Bool) {
        let mode = readMode(path: path)
        switch mode {
        case .refused(let message, let fix):
            throw StoreError(.cannotOpen, message, fix: fix)
        case .shared:
            return (path, true)
        case .immutable:
            guard let location = readLocation(path: path, mode: mode) else {
                throw StoreError(
                    .cannotOpen, "cannot read the database \(path): its folder \(folderOf(path)) cannot be written by this user, and this SQLite cannot open a database as immutable",
                    fix: "make \(folderOf(path)) writable, or copy \(path) to a folder you can write and use --db with the copy")
            }
            return (location, false)
        }
    }

    /// `file:/abs/path?immutable=1`, the path percent-encoded (a `?`, `#` or `%` in a folder name
    /// would otherwise be read as part of the URI).
    static func immutableURI(path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%;=&+")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:" + encoded + "?immutable=1"
    }

    /// Why a command that writes cannot write the database at `path` because of its folder, or nil.
    /// SQLite creates the database (when missing) and its `-wal` and `-shm` beside it: a folder this
    /// user cannot write refuses all three, so the command is refused before SQLite is asked, with
    /// the folder named (it was "SQLite error 1544: attempt to write a readonly database").
    static func folderProblemForWriting(path: String) -> StoreError? {
        guard !folderIsWritable(path) else { return nil }
        // With both files there (and writable), SQLite needs to create nothing.
        if exists(path), access(path + "-wal", W_OK) == 0, access(path + "-shm", W_OK) == 0 { return nil }
        let folder = folderOf(path)
        guard exists(path) else {
            return StoreError(
                .cannotOpen, "cannot create the database \(path): its folder \(folder) cannot be written by this user",
                fix: "give --db a path in a folder you can write, or make \(folder) writable for this user (e.g. chmod u+w \(folder) as its owner)")
        }
        return StoreError(
            .cannotOpen,
            "cannot write the database \(path): its folder \(folder) cannot be written by this user, and SQLite keeps the database's -wal and -shm files beside it",
            fix: "make \(folder) writable for this user (e.g. chmod u+w \(folder) as its owner), or copy \(path) to a folder you can write and use --db with the copy; "
                + "commands that only read (cases list, cases show, pages list, queues --db) work as they are")
    }

    static func folderOf(_ path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Whether this process may create and remove files in the folder of `path` (`access(2)`,
    /// so a read-only mount or an immutable folder counts as not writable, for root too).
    static func folderIsWritable(_ path: String) -> Bool {
        access(folderOf(path), W_OK | X_OK) == 0
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
