import GRDB

extension HotlineDatabase {
    /// Folds the write-ahead log into the main file, so a plain file copy holds every committed
    /// transaction (scenario runs copy a seeded template this way).
    public func checkpoint() throws(StoreError) {
        do {
            _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        } catch {
            throw StoreError(.database, "cannot checkpoint \(path): \(HotlineDatabase.describe(error))")
        }
    }
}
