import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HotlineDatabase {
    /// What is at a database path, found without writing to it.
    public enum FileState: Sendable, Hashable {
        /// Nothing at the path (its folder exists).
        case missing
        /// A zero-byte file: SQLite makes a new database of it.
        case empty
        /// A SQLite database without any table (nothing of anyone's to protect).
        case blank
        /// A Hotline database, with the migrations applied to it, in order.
        case hotline(migrations: [String])
    }

    /// The migration every Hotline database has: the file is Hotline's when its `grdb_migrations`
    /// table lists it.
    static let firstMigration = "store-v1"

    /// Looks at `path` before SQLite opens it for real, so that nothing but a Hotline database (or
    /// a new file) is ever written: a folder, a FIFO, a device, a file that is not SQLite, and a
    /// SQLite database of another application are refused with an error that names the path and
    /// says what is there. The file is only read (SQLite's read-only mode for the last check), and
    /// a FIFO is never opened, so a command cannot hang on one.
    public static func inspect(path: String) throws(StoreError) -> FileState {
        guard !path.isEmpty else {
            throw StoreError(.cannotOpen, "the database path is empty", fix: "give --db (or HOTLINE_DB) a file name such as hotline.sqlite")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno
            switch reason {
            case ENOENT:
                let folder = (path as NSString).deletingLastPathComponent
                if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                    throw StoreError(.cannotOpen, "the folder of the database \(path) does not exist", fix: "create \(folder) first, or choose another --db path")
                }
                return .missing
            case ENOTDIR:
                throw StoreError(.cannotOpen, "the database path \(path) goes through a file as if it were a folder", fix: "choose another --db path")
            default:
                throw StoreError(.cannotOpen, "cannot look at the database \(path): \(String(cString: strerror(reason)))", fix: "check the permissions of \(path) and of the folders above it")
            }
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            if kind == S_IFDIR {
                throw StoreError(.notADatabase, "\(path) is a folder, not a database file", fix: "give --db a file path, e.g. \((path as NSString).appendingPathComponent("hotline.sqlite"))")
            }
            let what =
                switch kind {
                case S_IFIFO: "a FIFO (named pipe)"
                case S_IFCHR: "a character device"
                case S_IFBLK: "a block device"
                case S_IFSOCK: "a socket"
                default: "not a regular file"
                }
            throw StoreError(
                .notADatabase, "\(path) is \(what), not a database file; it was left untouched",
                fix: "give --db (or HOTLINE_DB) the path of a regular file, e.g. hotline.sqlite; a missing one is created")
        }
        if info.st_size == 0 { return .empty }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(.cannotOpen, "cannot read the database file \(path)", fix: "check the permissions of \(path) (e.g. chmod u+r \(path))")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StoreError(
                .notADatabase, "\(path) is not a SQLite database (its first bytes are not the SQLite header); it was left untouched",
                fix: "point --db (or HOTLINE_DB) at a Hotline database, or at a new file name")
        }
        return try probe(path: path)
    }

    /// Lists the tables and Hotline's migrations with a read-only connection that changes nothing
    /// (no WAL switch, no migration, no header write).
    private static func probe(path: String) throws(StoreError) -> FileState {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "hotline-probe"
        let (location, sharesFiles) = try readingLocation(path: path)
        if sharesFiles {
            let connections = ReadOnlyConnections(path: path)
            configuration.prepareDatabase { db in try connections.watch(db) }
        }
        let found: (tables: [String], migrations: [String]?)
        do {
            let queue = try DatabaseQueue(path: location, configuration: configuration)
            found = try queue.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
                guard tables.contains("grdb_migrations") else { return (tables, nil) }
                return (tables, try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
            }
            try queue.close()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw StoreError(
                .notADatabase, "\(path) starts like a SQLite database but SQLite cannot read it (\(describe(error))); it was left untouched",
                fix: "restore it from a backup, or point --db at another file")
        } catch {
            throw StoreError(
                .cannotOpen, "cannot read the database \(path): \(describe(error))",
                fix: "check that \(path) is readable; a database in WAL mode also needs its folder writable, or its -wal and -shm files present")
        }
        if found.tables.isEmpty { return .blank }
        // GRDB creates its migrations table in a transaction of its own before the first migration:
        // another process creating this file at the same moment leaves it that way for an instant.
        // Nothing is in it yet, so it is blank, not another application's.
        if found.tables == ["grdb_migrations"], found.migrations?.isEmpty == true { return .blank }
        guard let migrations = found.migrations, migrations.contains(firstMigration) else {
            let shown = found.tables.prefix(5).joined(separator: ", ") + (found.tables.count > 5 ? ", …" : "")
            throw StoreError(
                .foreignDatabase, "\(path) is a SQLite database of another application (tables \(shown)), not Hotline's; it was left untouched",
                fix: "point --db (or HOTLINE_DB) at a Hotline database, or at a new file name")
        }
        return .hotline(migrations: migrations)
    }
}
