import Foundation
import GRDB

/// Hotline's SQLite database file: the case store's tables, plus any other target's tables.
///
/// Opening is the same for every target: a `DatabasePool` in WAL mode, foreign keys on, a busy
/// timeout (so concurrent writers from several processes wait their turn instead of reporting
/// "database is locked"), and one `DatabaseMigrator` holding the case store's migrations first
/// and then the migrations other targets register:
///
/// ```swift
/// let database = try HotlineDatabase.open(path: "hotline.sqlite", extraMigrations: [
///     { migrator in
///         migrator.registerMigration("rota-v1") { db in
///             try db.create(table: "rota_page") { t in
///                 t.autoIncrementedPrimaryKey("id")
///                 t.column("case_number", .text).references("support_case")
///             }
///         }
///     }
/// ])
/// try database.writer.write { db in try db.execute(sql: "INSERT INTO rota_page …") }
/// ```
///
/// Migration identifiers must be unique across targets: prefix them with the target (`rota-v1`,
/// `router-v1`). A program that opens the file without another target's migrations leaves that
/// target's tables alone: the migrations of this Hotline's other targets are listed in
/// ``migrationsOfOtherTargets``. A file with an applied migration that is neither registered nor
/// listed there was made by a newer Hotline, and is refused (``StoreError/Code/newerSchema``)
/// before anything reads or writes it with an older idea of its tables.
///
/// Before SQLite touches anything, the file is inspected (`HotlineDatabase.inspect`): a path that
/// is not a regular file (a folder, a FIFO, a device), a file that is not SQLite, and a SQLite
/// database of another application (tables, but not Hotline's) are refused and left byte for byte
/// as they were. A missing file is created and migrated by `open`; `openForReading` never creates,
/// migrates or writes anything (a read-only file is fine), and leaves no `-wal` or `-shm` file that
/// was not there before (``ReadOnlyFiles``).
///
/// A scenario's throwaway database is an in-memory copy of a seeded template instead
/// (``open(copyOf:extraMigrations:)``): the same tables and rows, nothing written to disk.
public struct HotlineDatabase: Sendable {
    /// The database file's path (for an in-memory copy, the template's path, for messages).
    public let path: String
    /// The connections: `read` for snapshots, `write` for serialized transactions
    /// (`BEGIN IMMEDIATE`), shared by every target that opened the database through this value. A
    /// `DatabasePool` on a file, a `DatabaseQueue` for an in-memory copy. A pool from
    /// `openForReading` is read-only: writes fail with SQLITE_READONLY.
    public let writer: any DatabaseWriter

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 60

    /// A registration of extra migrations, run after the case store's own, in the same migrator.
    public typealias MigrationRegistration = @Sendable (inout DatabaseMigrator) -> Void

    /// How hard a commit works to survive a power cut.
    public enum Durability: Sendable, Hashable {
        /// `synchronous = NORMAL` in WAL mode: a crash never loses a commit, a power cut may lose
        /// the last few. Every file that holds real data.
        case durable
        /// `synchronous = OFF`: commits go to the operating system and are never flushed. Only for
        /// throwaway files (a scenario's copy of the template, deleted when it ends): after a power
        /// cut such a file may be lost or damaged, which is why nothing real may live in one. A
        /// process crash loses nothing.
        case scratch
    }

    /// The migrations that targets above the store add to the same file (the web's users and
    /// sign-ins; the training sessions', which an older Hotline added when this file was given as
    /// `train --sessions`), so that a program without them (`hotline cases …`) knows them from a
    /// newer Hotline's. A target that registers a migration adds its identifier here (a test
    /// checks it).
    public static let migrationsOfOtherTargets: Set<String> = ["web-v1", "web-v2-agent", "web-v3-checks", "training-v1"]

    /// Opens (creating if missing) and migrates the database at `path`.
    public static func open(path: String, extraMigrations: [MigrationRegistration] = [], durability: Durability = .durable) throws(StoreError) -> HotlineDatabase {
        switch try inspect(path: path) {
        case .missing, .empty, .blank: break
        case .hotline(let applied): try refuseNewer(applied: applied, extraMigrations: extraMigrations, path: path)
        }
        if let problem = folderProblemForWriting(path: path) { throw problem }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "hotline"
        // WAL with synchronous=NORMAL: a killed process never loses a committed transaction and
        // never corrupts the file; only a power cut may lose the last commits (SQLite's advice for WAL).
        // A scratch copy (a scenario's, deleted a moment later) never flushes at all.
        configuration.prepareDatabase { db in
            switch durability {
            case .durable: try db.execute(sql: "PRAGMA synchronous = NORMAL")
            case .scratch: try db.execute(sql: "PRAGMA synchronous = OFF")
            }
        }
        let pool: DatabasePool
        do {
            pool = try openPool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError(.notADatabase, "\(path) is not a SQLite database; it was left untouched", fix: "point --db (or HOTLINE_DB) at a Hotline database, or at a new file name")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_PERM {
            throw StoreError(
                .cannotOpen, "cannot write the database \(path): \(describe(error))",
                fix: "make \(path) writable (and its folder, for the -wal and -shm files SQLite keeps beside it), or use a command that only reads")
        } catch {
            throw StoreError(.cannotOpen, "cannot open the database \(path): \(describe(error))", fix: "check that \(path) and its folder are readable and writable")
        }
        let migrator = HotlineDatabase.migrator(extraMigrations: extraMigrations)
        try migrate(pool, with: migrator, path: path)
        switch durability {
        case .durable:
            break
        case .scratch:
            // GRDB sets the writer to NORMAL when it turns WAL on, after `prepareDatabase`.
            do {
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
            } catch {
                throw StoreError(.cannotOpen, "cannot set up the scratch database \(path): \(describe(error))", fix: "check that the folder is writable")
            }
        }
        return HotlineDatabase(path: path, writer: pool)
    }

    /// A seeded database held in memory, read from its file once; every
    /// ``HotlineDatabase/open(copyOf:extraMigrations:)`` is a fresh in-memory copy of it, and a
    /// ``MemoryCopy`` is a copy kept and given the image's content again for each scenario. Shared
    /// by the threads of a scenario run: it never changes once made.
    public final class MemoryImage: Sendable {
        /// The file it was read from.
        public let path: String
        /// The database as its file would hold it (the case store's migrations complete), marked
        /// for a rollback journal: an in-memory database keeps no write-ahead log.
        let bytes: [UInt8]

        /// Reads the database at `path` (an existing Hotline database) into memory; the case
        /// store's migrations it lacks are applied to the image (never to the file), once.
        public init(copying path: String) throws(StoreError) {
            self.path = path
            switch try HotlineDatabase.inspect(path: path) {
            case .missing, .empty, .blank:
                throw StoreError(.cannotOpen, "the template database \(path) does not exist or holds no Hotline tables", fix: "create and seed it first (hotline db seed --db \(path))")
            case .hotline:
                break
            }
            let queue: DatabaseQueue
            do {
                queue = try HotlineDatabase.memoryQueue()
                let file = try DatabaseQueue(path: path)
                try file.backup(to: queue)
                try file.close()
            } catch {
                throw StoreError(.cannotOpen, "cannot read the template database \(path) into memory: \(describe(error))", fix: "check that it is a Hotline database (hotline db check --db \(path))")
            }
            try HotlineDatabase.migrate(copy: queue, extraMigrations: [], path: path)
            do {
                bytes = try queue.writeWithoutTransaction { db in try MemoryCopy.serialize(db) }
            } catch {
                throw StoreError(.cannotOpen, "cannot read the template database \(path) into memory: \(describe(error))", fix: "check the free memory")
            }
        }
    }

    /// A fresh in-memory copy of `image`, on a connection of its own: the same tables and rows.
    /// Nothing of it reaches the disk; it is gone when the last value holding it goes.
    public static func open(copyOf image: MemoryImage, extraMigrations: [MigrationRegistration] = []) throws(StoreError) -> HotlineDatabase {
        let copy = try MemoryCopy(of: image)
        if !extraMigrations.isEmpty { try migrate(copy: copy.queue, extraMigrations: extraMigrations, path: image.path) }
        return copy.database
    }

    /// Applies the migrations an in-memory copy lacks (none, for an image of a current template).
    static func migrate(copy queue: DatabaseQueue, extraMigrations: [MigrationRegistration], path: String) throws(StoreError) {
        let migrator = HotlineDatabase.migrator(extraMigrations: extraMigrations)
        do {
            if try !queue.read({ try migrator.hasCompletedMigrations($0) }) { try migrator.migrate(queue) }
        } catch {
            throw StoreError(.cannotOpen, "cannot migrate the in-memory copy of \(path): \(describe(error))", fix: "run `hotline db migrate --db \(path)`")
        }
    }

    /// An empty private in-memory database with the settings every Hotline connection has.
    static func memoryQueue() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "hotline-memory"
        return try DatabaseQueue(configuration: configuration)
    }

    /// Opens an existing Hotline database for reading only: nothing is created, migrated or
    /// written, so the file stays byte for byte as it was, and a read-only file (`chmod 0444`) is
    /// fine. The file must hold every migration of `extraMigrations` and the case store's;
    /// otherwise the error says to run `hotline db migrate`.
    public static func openForReading(path: String, extraMigrations: [MigrationRegistration] = []) throws(StoreError) -> HotlineDatabase {
        switch try inspect(path: path) {
        case .missing:
            throw StoreError(.noDatabase, "no database at \(path)", fix: "hotline db seed --db \(path)")
        case .empty, .blank:
            throw StoreError(.noDatabase, "the database \(path) is empty (no Hotline tables)", fix: "hotline db seed --db \(path)")
        case .hotline(let applied):
            try refuseNewer(applied: applied, extraMigrations: extraMigrations, path: path)
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "hotline-read"
        // In a folder this user cannot write, immutable when that is safe (``ReadMode``).
        let (location, sharesFiles) = try readingLocation(path: path)
        if sharesFiles {
            // Removes the -wal and -shm files this pool makes, once its connections are closed.
            let connections = ReadOnlyConnections(path: path)
            configuration.prepareDatabase { db in try connections.watch(db) }
        }
        let pool: DatabasePool
        do {
            pool = try openPool(path: location, configuration: configuration)
        } catch {
            throw StoreError(
                .cannotOpen, "cannot read the database \(path): \(describe(error))",
                fix: "check that \(path) is readable; a database in WAL mode also needs its folder writable, or its -wal and -shm files present")
        }
        let migrator = HotlineDatabase.migrator(extraMigrations: extraMigrations)
        let complete: Bool
        do {
            complete = try pool.read { try migrator.hasCompletedMigrations($0) }
        } catch {
            throw StoreError(.cannotOpen, "cannot read the migrations of \(path): \(describe(error))", fix: "check the file with `hotline db check --db \(path)`")
        }
        guard complete else {
            throw StoreError(
                .outdatedSchema, "the database \(path) was made by an older Hotline: some of its tables are missing",
                fix: "hotline db migrate --db \(path)")
        }
        return HotlineDatabase(path: path, writer: pool)
    }

    /// The migrator of a file of this Hotline: the case store's migrations, then those of `extraMigrations`.
    /// (A test builds an older Hotline's file with `migrate(_:upTo:)`.)
    public static func migrator(extraMigrations: [MigrationRegistration] = []) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        StoreSchema.register(in: &migrator)
        for registration in extraMigrations {
            registration(&migrator)
        }
        return migrator
    }

    /// Throws ``StoreError/Code/newerSchema`` when `applied` holds a migration that neither the
    /// store, `extraMigrations` nor ``migrationsOfOtherTargets`` knows.
    static func refuseNewer(applied: [String], extraMigrations: [MigrationRegistration], path: String) throws(StoreError) {
        let migrator = HotlineDatabase.migrator(extraMigrations: extraMigrations)
        let known = Set(migrator.migrations).union(migrationsOfOtherTargets)
        let unknown = applied.filter { !known.contains($0) }
        guard !unknown.isEmpty else { return }
        throw StoreError(
            .newerSchema,
            "the database \(path) was made by a newer Hotline (it has the migration\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")), which this one does not know); it was left untouched",
            fix: "use the Hotline that made it, or another --db (hotline db seed --db NEW.sqlite makes a new one)")
    }

    /// Creates the pool. While several processes open a brand-new file at once, switching it to WAL
    /// can be refused with SQLITE_BUSY at once — SQLite does not wait where waiting could deadlock —
    /// so the attempt is repeated, for as long as the busy timeout allows, instead of reporting
    /// "database is locked".
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        var pause = 0.005
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline {
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.2)
            }
        }
    }

    /// The migrations applied to the file, in order (including other targets').
    public func appliedMigrations() throws(StoreError) -> [String] {
        do {
            return try writer.read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
            }
        } catch {
            throw StoreError(.database, "cannot read the migrations of \(path): \(HotlineDatabase.describe(error))")
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a healthy file.
    public func integrityCheck() throws(StoreError) -> [String] {
        do {
            return try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw StoreError(.database, "integrity check of \(path) failed to run: \(HotlineDatabase.describe(error))")
        }
    }

    /// Runs the migrator; when another process is migrating the same new file at the same moment,
    /// one of them loses the race ("table already exists"), sees the migrations applied, and goes on.
    private static func migrate(_ pool: DatabasePool, with migrator: DatabaseMigrator, path: String) throws(StoreError) {
        var lastError: (any Error)?
        for _ in 0..<5 {
            do {
                if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
                try migrator.migrate(pool)
                return
            } catch {
                lastError = error
            }
        }
        throw StoreError(.cannotOpen, "cannot migrate the database \(path): \(describe(lastError))", fix: "run `hotline db migrate --db \(path)`; if it still fails, the file may come from a newer Hotline")
    }

    /// A database error without the SQL's arguments (which may hold caller data).
    public static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "unknown error" }
        if let database = error as? DatabaseError {
            return "SQLite error \(database.extendedResultCode.rawValue): \(database.message ?? "no message")"
        }
        if let store = error as? StoreError { return store.description }
        if let problem = error as? MemoryCopyProblem { return problem.description }
        if let desk = error as? CaseDeskError { return desk.description }
        if error is RowDecodingError {
            // "could not decode Date from database value "…" - column: "at", column index: 2", without
            // the rest of the row (customer data) and the SQL's arguments that GRDB appends.
            let text = String(describing: error)
            let cut = text.range(of: ", row: ") ?? text.range(of: " - row: ")
            return "a stored value cannot be read: " + String(text[..<(cut?.lowerBound ?? text.endIndex)])
        }
        return String(describing: type(of: error))
    }
}
