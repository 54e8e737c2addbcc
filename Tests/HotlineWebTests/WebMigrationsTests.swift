import Foundation
import HotlineStore
import HotlineTestSupport
import HotlineWeb
import Testing

/// The web keeps its tables in the case store's file; the commands that do not know the web's
/// migrations must still open a file `hotline serve` has used, and refuse only a newer Hotline's.
@Suite struct WebMigrationsTests {
    @Test func theWebsMigrationsAreKnownToEveryOtherProgram() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        let store = Set(try HotlineDatabase.open(path: folder.path("store-only.sqlite")).appliedMigrations())
        let web = Set(try WebStore.openDatabase(path: path).appliedMigrations()).subtracting(store)
        #expect(!web.isEmpty)
        // A migration the web adds without listing it would make every `hotline cases …` refuse
        // the file as a newer Hotline's.
        #expect(web.isSubset(of: HotlineDatabase.migrationsOfOtherTargets), "add \(web.subtracting(HotlineDatabase.migrationsOfOtherTargets)) to migrationsOfOtherTargets")
        _ = try HotlineDatabase.open(path: path)
        _ = try HotlineDatabase.openForReading(path: path)
    }
}
