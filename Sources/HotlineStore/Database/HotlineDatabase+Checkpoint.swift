import GRDB

extension HotlineDatabase {
    /// Folds the write-ahead log into the main file, so a plain file copy holds every committed
    /// transaction (scenario runs copy a seeded template this way).
    public func checkpoint() throws(StoreError) {
        do {
            _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        } catch {
            throw StoreError(.database, "cannot checkpoint \(path): \(HotlineDatabase.describe(error))")
        }
    }
}

extension HotlineDatabase {
    /// Copies a consistent snapshot of the database (committed write-ahead log included) into a new
    /// file at `path`, with SQLite's online backup: works on a database opened for reading, and
    /// never writes to this one.
    public func copy(to path: String) throws(StoreError) {
        do {
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            try destination.close()
        } catch {
            throw StoreError(.database, "cannot copy \(self.path) to \(path): \(HotlineDatabase.describe(error))", fix: "check that the folder of \(path) is writable")
        }
    }
}
