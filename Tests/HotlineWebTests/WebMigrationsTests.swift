import Foundation
import GRDB
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

    /// `web-v3-checks`: the users of an older Hotline's file are kept, and a user's role is checked
    /// by comparisons (no temporary table built per insert) that refuse what `role IN (…)` refused.
    @Test func anOlderFilesUsersAreKeptAndTheirRoleIsCheckedWithoutATemporaryTable() throws {
        let folder = TemporaryFolder()
        let path = folder.path("hotline.sqlite")
        let insert = "INSERT INTO web_user (email, password_hash, role, contact_id, created_at, agent_id) VALUES (?, ?, ?, ?, ?, ?)"
        func temporaryTables(_ db: Database) throws -> Int {
            let statement = try db.makeStatement(sql: "EXPLAIN " + insert)
            statement.setUncheckedArguments([])
            return try Row.fetchAll(statement).filter { ($0["opcode"] as String?) == "OpenEphemeral" }.count
        }
        let pool = try DatabasePool(path: path)
        try HotlineDatabase.migrator(extraMigrations: [{ WebStore.registerMigrations(&$0) }]).migrate(pool, upTo: "web-v2-agent")
        try pool.write { db in
            try db.execute(sql: insert, arguments: ["a@example.com", "x", "manager", nil, 1, nil])
            try db.execute(sql: insert, arguments: ["b@example.com", "y", "agent", nil, 2, "sam"])
        }
        let before = try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM web_user ORDER BY id") }
        let oldSQL = try pool.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'web_user'") }
        let oldTables = try pool.write(temporaryTables)
        #expect(oldTables == 1, "\(oldSQL ?? "")")
        try pool.close()

        let database = try WebStore.openDatabase(path: path)
        #expect(try database.appliedMigrations().suffix(2) == ["web-v2-agent", "web-v3-checks"])
        try database.writer.write { db in
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM web_user ORDER BY id") == before)
            #expect(try temporaryTables(db) == 0)
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'web_user'")
            #expect(sql?.contains(#"CHECK ("role" = 'customer' OR "role" = 'agent' OR "role" = 'manager' OR "role" = 'trainer')"#) == true)
            try db.execute(sql: insert, arguments: ["c@example.com", "z", "trainer", nil, 3, nil])
            for role in ["bogus", "Manager", "", "agent "] {
                #expect {
                    try db.execute(sql: insert, arguments: ["d@example.com", "z", role, nil, 3, nil])
                } throws: { error in
                    (error as? DatabaseError)?.extendedResultCode == .SQLITE_CONSTRAINT_CHECK
                }
            }
        }
        #expect(try database.integrityCheck() == ["ok"])
    }
}
