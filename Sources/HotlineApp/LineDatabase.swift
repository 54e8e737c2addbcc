import Foundation
import HotlineStore

/// The one rule for the database at `--db`, whatever the command: a database that does not exist
/// yet (no file, or an empty one such as `mktemp` makes) is created, migrated and seeded with the
/// sample data (`Fixtures/data`, `Fixtures/sla.yaml`) at the command's time, and the command says
/// so; when the sample data is not there to seed it, the command fails with "no database at PATH
/// (fix: hotline db seed --db PATH …)" and creates nothing. An existing database is used as it
/// is: commands that change data open it for writing (migrating it if an older Hotline made it),
/// commands that only read open it read-only and never write a byte to it.
///
/// `db seed` and `db migrate` create the file themselves; `db check` only looks at an existing one.
public enum LineDatabase {
    /// For commands that change data.
    public static func openForWriting(path: String, seedAt now: Date, notice: (String) -> Void) throws -> HotlineDatabase {
        switch try HotlineDatabase.inspect(path: path) {
        case .missing, .empty: return try createAndSeed(path: path, at: now, notice: notice)
        case .blank, .hotline: break
        }
        return try LineSystems.openDatabase(path: path)
    }

    /// For commands that only read: read-only, except that a missing database is first created
    /// and seeded (the same rule as for every command). A file that lacks a migration of this
    /// Hotline is refused with "run hotline db migrate", since a reader cannot migrate.
    public static func openForReading(path: String, seedAt now: Date, notice: (String) -> Void) throws -> HotlineDatabase {
        switch try HotlineDatabase.inspect(path: path) {
        case .missing, .empty: _ = try createAndSeed(path: path, at: now, notice: notice)
        case .blank, .hotline: break
        }
        return try HotlineDatabase.openForReading(path: path)
    }

    /// The sample data is read before the file is made, so a missing sample leaves no empty file.
    static func createAndSeed(path: String, at now: Date, notice: (String) -> Void) throws -> HotlineDatabase {
        let data: SampleData
        let sla: SLATable
        guard FileManager.default.fileExists(atPath: Defaults.sampleData), FileManager.default.fileExists(atPath: Defaults.sla) else {
            throw StoreError(
                .noDatabase, "no database at \(path)",
                fix: "hotline db seed --db \(path) --fixtures FOLDER --sla FILE; or run hotline from the repository's root, where a missing database is created from \(Defaults.sampleData)")
        }
        do {
            data = try SampleData.load(folder: Defaults.sampleData)
            sla = try SLATable.load(path: Defaults.sla)
        } catch {
            throw StoreError(
                .noDatabase, "no database at \(path), and the sample data to create one does not load: \(error)",
                fix: "correct the sample data, or hotline db seed --db \(path) --fixtures FOLDER --sla FILE")
        }
        let database = try LineSystems.openDatabase(path: path)
        do {
            let summary = try CaseStore(database: database).seed(data, sla: sla, at: now, reset: false)
            notice("database: \(path) created; seeded with the sample data (\(summary.accounts) accounts, \(summary.contacts) contacts, \(summary.cases) cases)")
        } catch let error as StoreError where error.code == .alreadySeeded {
            // Another command created and seeded it at the same moment.
        }
        return database
    }
}
