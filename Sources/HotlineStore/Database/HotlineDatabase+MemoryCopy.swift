import Foundation
import GRDB
import GRDBSQLite

extension HotlineDatabase {
    /// An in-memory copy of a ``MemoryImage`` on a connection that is kept: ``restore()`` gives it
    /// the image's content again, byte for byte, for the next scenario, without a new connection.
    ///
    /// Why: a new connection parses the schema again and compiles every statement again the first
    /// time it runs it — about half of what preparing and running a scenario cost (issue 16). A
    /// kept connection keeps both, because nothing a scenario does changes the schema.
    ///
    /// How: the copy lives in SQLite's `memdb` file (``sqlite3_deserialize``), one block of memory.
    /// `restore()` writes the image's bytes over that file through the file's own methods (as the
    /// pager writes it) and cuts it to the image's length, with the header's change counter moved
    /// on: SQLite compares that counter at the start of every transaction, so the connection drops
    /// every page it held. The schema cookie is the image's, the one the connection parsed, so the
    /// schema and the compiled statements stay valid (were it different, SQLite would notice and
    /// parse and compile again: slower, never wrong). Rows, feed entries, pages, `sqlite_sequence`
    /// and the next rowids are all in those bytes, so a scenario never sees what an earlier one
    /// wrote on the same connection.
    ///
    /// Not for concurrent scenarios: one copy serves one scenario at a time (a worker's).
    public final class MemoryCopy: Sendable {
        /// The image it copies.
        public let image: MemoryImage
        let queue: DatabaseQueue

        /// The copy, as the systems open it.
        public var database: HotlineDatabase { HotlineDatabase(path: image.path, writer: queue) }

        /// A new connection holding a copy of `image`.
        public init(of image: MemoryImage) throws(StoreError) {
            self.image = image
            do {
                queue = try HotlineDatabase.memoryQueue()
                try queue.writeWithoutTransaction { db in
                    let size = image.bytes.count
                    guard let buffer = sqlite3_malloc64(UInt64(size)) else { throw MemoryCopyProblem("no memory for \(size) bytes") }
                    image.bytes.withUnsafeBytes { bytes in
                        if let base = bytes.baseAddress { buffer.copyMemory(from: base, byteCount: size) }
                    }
                    // SQLite owns the buffer from here, even when this fails.
                    let code = sqlite3_deserialize(
                        db.sqliteConnection, "main", buffer.assumingMemoryBound(to: UInt8.self), Int64(size), Int64(size),
                        UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE))
                    guard code == SQLITE_OK else { throw MemoryCopyProblem("sqlite3_deserialize: SQLite error \(code)") }
                    db.clearSchemaCache()
                }
            } catch {
                throw StoreError(.cannotOpen, "cannot copy the template database \(image.path) in memory: \(HotlineDatabase.describe(error))", fix: "check the free memory")
            }
        }

        /// Gives the copy the image's content again (see the type's comment). Must not run while
        /// the copy is in use: between two scenarios.
        public func restore() throws(StoreError) {
            do {
                try queue.writeWithoutTransaction { db in
                    guard let connection = db.sqliteConnection else { throw MemoryCopyProblem("the connection is closed") }
                    guard sqlite3_get_autocommit(connection) != 0 else { throw MemoryCopyProblem("a transaction is still open") }
                    // A statement left mid-step would keep its read lock, and with it the pages the
                    // connection holds: reset any (GRDB resets them itself; this is the guard).
                    var statement = sqlite3_next_stmt(connection, nil)
                    while let current = statement {
                        if sqlite3_stmt_busy(current) != 0 { sqlite3_reset(current) }
                        statement = sqlite3_next_stmt(connection, current)
                    }
                    var pointer: UnsafeMutablePointer<sqlite3_file>?
                    guard sqlite3_file_control(connection, "main", SQLITE_FCNTL_FILE_POINTER, &pointer) == SQLITE_OK, let file = pointer,
                        let methods = file.pointee.pMethods, let read = methods.pointee.xRead, let write = methods.pointee.xWrite,
                        let truncate = methods.pointee.xTruncate
                    else { throw MemoryCopyProblem("the in-memory file is not reachable") }
                    var counter: [UInt8] = [0, 0, 0, 0]
                    try Self.check(read(file, &counter, 4, 24), "reading the change counter")
                    let next = (UInt32(counter[0]) << 24 | UInt32(counter[1]) << 16 | UInt32(counter[2]) << 8 | UInt32(counter[3])) &+ 1
                    counter = [UInt8(next >> 24), UInt8(next >> 16 & 0xFF), UInt8(next >> 8 & 0xFF), UInt8(next & 0xFF)]
                    let size = image.bytes.count
                    try image.bytes.withUnsafeBytes { bytes in
                        try Self.check(write(file, bytes.baseAddress, Int32(size), 0), "writing the template's bytes")
                    }
                    try Self.check(truncate(file, Int64(size)), "cutting the copy to the template's length")
                    // The change counter, and "version valid for" beside it (so the header's page
                    // count is trusted).
                    try Self.check(write(file, counter, 4, 24), "writing the change counter")
                    try Self.check(write(file, counter, 4, 92), "writing the change counter")
                }
            } catch {
                throw StoreError(.cannotOpen, "cannot give the in-memory copy of \(image.path) the template's content again: \(HotlineDatabase.describe(error))", fix: "check the free memory")
            }
        }

        static func check(_ code: Int32, _ what: String) throws {
            guard code == SQLITE_OK else { throw MemoryCopyProblem("\(what): SQLite error \(code)") }
        }

        /// The database's bytes as a file of it would hold them, marked for a rollback journal
        /// (bytes 18 and 19: 1; a template file is in WAL mode, 2, which an in-memory file cannot open).
        static func serialize(_ db: Database) throws -> [UInt8] {
            var size: Int64 = 0
            guard let data = sqlite3_serialize(db.sqliteConnection, "main", &size, 0) else { throw MemoryCopyProblem("sqlite3_serialize failed") }
            defer { sqlite3_free(data) }
            var bytes = [UInt8](UnsafeBufferPointer(start: data, count: Int(size)))
            guard bytes.count >= 100 else { throw MemoryCopyProblem("the database is \(bytes.count) bytes long, shorter than its header") }
            bytes[18] = 1
            bytes[19] = 1
            return bytes
        }
    }
}

/// What went wrong copying in memory (said inside a ``StoreError``).
struct MemoryCopyProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
