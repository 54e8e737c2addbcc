import Foundation
import GRDB
import HotlineCore
import HotlineTestSupport
import Testing

@testable import HotlineStore

/// `checks-v2`: the CHECKs written `col IN ('a', 'b', 'c')` made SQLite build a temporary B-tree
/// on every INSERT and UPDATE that checked them; they are comparisons now, in new databases and
/// in databases an older Hotline made, with every row kept and every rule as it was.
@Suite struct ValueListCheckTests {
    /// The last migration an older Hotline (main before `checks-v2`) applied.
    static let lastReleased = "case-feed-at-v1"

    /// Columns the migrations after `checks-v2` add (by table, as SQLite appends them to the
    /// table's SQL): the comparisons here are of what `checks-v2` did, so they are left out.
    static let addedAfterChecks: [String: [String]] = [
        "call_record": ["channel TEXT", "answered_at DATETIME"], "oncall_escalation": ["simulated INTEGER NOT NULL DEFAULT 0"],
    ]

    /// `rows` of `table` without the values of ``addedAfterChecks`` (they are the last ones).
    static func withoutLaterColumns(_ table: String, _ rows: [[DatabaseValue]]?) -> [[DatabaseValue]]? {
        let added = addedAfterChecks[table]?.count ?? 0
        return rows?.map { Array($0.dropLast(added)) }
    }

    /// The schema without the column definitions of ``addedAfterChecks``.
    static func withoutLaterColumns(_ schema: [[String?]]) -> [[String?]] {
        schema.map { object in
            guard object[0] == "table", let name = object[1], var sql = object[3], let added = addedAfterChecks[name] else { return object }
            for column in added { sql = sql.replacingOccurrences(of: ", " + column, with: "") }
            return [object[0], object[1], object[2], sql]
        }
    }

    /// A database as the released migrations left it, seeded, with an escalation, a comment, a
    /// page, a call record and a lookup failure: rows in every table the rewrite touches.
    static func oldDatabase(at path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        StoreSchema.register(in: &migrator)
        try migrator.migrate(pool, upTo: lastReleased)
        #expect(try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }.last == lastReleased)
        let store = CaseStore(database: HotlineDatabase(path: path, writer: pool))
        _ = try store.seed(try SampleData.load(folder: Repository.sampleData), sla: try SLATable.load(path: Repository.slaTable), at: seedTime, reset: false)
        let later = seedTime.addingTimeInterval(60)
        try store.comment(caseNumber: "00345678", text: "Looking now", by: .init("Sam", role: .support), at: later)
        try store.escalate(caseNumber: "00345678", reason: "down", channel: .phone, by: .init("IVR", role: .system), at: later.addingTimeInterval(1))
        // Written as that release wrote it (today's `recordCall` writes columns added since).
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO call_record (caller_id, dialled, started_at, ended_at, path, outcome) VALUES ('+14085550100', NULL, ?, ?, '[\"answer\"]', 'completed')",
                arguments: [StoredTime.databaseValue(later), StoredTime.databaseValue(later.addingTimeInterval(5))])
        }
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO oncall_escalation (case_number, reason, created_at) VALUES ('00345678', 'down', 1);
                INSERT INTO oncall_page (escalation_id, level, round, person, state, sent_at, ack_deadline) VALUES (last_insert_rowid(), 1, 1, 'Dana', 'sent', 1, 2);
                INSERT INTO lookup_failure (caller_key, kind, at) VALUES ('k', 'case', '2026-12-25 11:00:00.000');
                """)
        }
        try pool.close()
    }

    /// Every row of every table, by table, in row id order.
    static func rows(_ db: Database) throws -> [String: [[DatabaseValue]]] {
        var rows: [String: [[DatabaseValue]]] = [:]
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            rows[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid").map { Array($0.databaseValues) }
        }
        return rows
    }

    /// The schema: type, name and SQL of every table, index and trigger.
    static func schema(_ db: Database) throws -> [[String?]] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").map { row in
            [row["type"], row["name"], row["tbl_name"], row["sql"]]
        }
    }

    /// Runs `body` in a write transaction on its own connection to `path` (the probes roll back
    /// what they write).
    static func read<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.write(body)
    }

    @Test func anOldDatabaseMigratesKeepingEveryRowIndexAndTrigger() throws {
        let folder = TemporaryFolder()
        let path = folder.path("old.sqlite")
        try Self.oldDatabase(at: path)
        let (rowsBefore, schemaBefore) = try Self.read(path) { db in (try Self.rows(db), try Self.schema(db)) }
        #expect(rowsBefore["oncall_page"]?.count == 1 && rowsBefore["case_feed"]?.isEmpty == false && rowsBefore["call_record"]?.count == 1)

        let database = try HotlineDatabase.open(path: path)
        #expect(Array(try database.appliedMigrations().drop { $0 != Self.lastReleased }.prefix(2)) == [Self.lastReleased, "checks-v2"])
        let (rowsAfter, schemaAfter) = try database.writer.read { db in (try Self.rows(db), try Self.schema(db)) }
        // Every row, with its row id (and the AUTOINCREMENT counters in sqlite_sequence).
        #expect(rowsAfter.keys.sorted() == rowsBefore.keys.sorted())
        for (table, rows) in rowsBefore where table != "grdb_migrations" {
            #expect(Self.withoutLaterColumns(table, rowsAfter[table]) == rows, "table \(table)")
        }
        #expect(rowsAfter["call_record"]?.map { $0.last } == rowsBefore["call_record"]?.map { $0[3] }, "answered_at = started_at for old rows")
        // Indexes and triggers (the feed's no-update and no-delete ones) as they were; each table's
        // SQL as it was but for its value-list CHECKs.
        #expect(schemaAfter.filter { $0[0] != "table" } == schemaBefore.filter { $0[0] != "table" })
        #expect(schemaAfter.filter { $0[0] != "table" }.contains { $0[1] == "case_feed_no_delete" })
        let expected = schemaBefore.map { object -> [String?] in
            guard object[0] == "table", let name = object[1], var sql = object[3] else { return object }
            for check in StoreSchema.valueListChecks where check.table == name {
                sql = sql.replacingOccurrences(of: check.inForm, with: check.comparisonForm)
            }
            return [object[0], object[1], object[2], sql]
        }
        #expect(Self.withoutLaterColumns(schemaAfter) == expected)
        #expect(schemaAfter != schemaBefore)
        for check in StoreSchema.valueListChecks {
            #expect(!schemaAfter.contains { $0[3]?.contains(check.inForm) == true }, "\(check.inForm) is left")
        }
        #expect(try database.integrityCheck() == ["ok"])
        #expect(try database.writer.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
        // The migrated file works: a call's escalation writes to the rewritten tables.
        let store = CaseStore(database: database)
        try store.comment(caseNumber: "00412345", text: "after the migration", by: .init("Sam", role: .support), at: seedTime.addingTimeInterval(120))
        #expect(try store.feed(caseNumber: "00412345").last?.body == "after the migration")
    }

    @Test func aNewDatabaseHasTheSchemaAMigratedOneHas() throws {
        let folder = TemporaryFolder()
        let old = folder.path("old.sqlite")
        try Self.oldDatabase(at: old)
        let migrated = try HotlineDatabase.open(path: old).writer.read(Self.schema)
        let new = try HotlineDatabase.open(path: folder.path("new.sqlite")).writer.read(Self.schema)
        #expect(new == migrated)
    }

    /// What the old CHECK refused the new one refuses with the same result code, and what it let
    /// through (NULL in a nullable column, each listed word) it lets through.
    @Test func theRewrittenChecksRefuseAndAcceptWhatTheOldOnesDid() throws {
        let folder = TemporaryFolder()
        let path = folder.path("old.sqlite")
        try Self.oldDatabase(at: path)
        let probes: [String?] = [nil, "", "bogus", "Open", "open ", "p1", "l3", "sent\u{0}", "'); DROP TABLE account; --"]
        func outcomes(_ db: Database) throws -> [String] {
            var outcomes: [String] = []
            for check in StoreSchema.valueListChecks {
                for value in probes + check.values.map(Optional.some) {
                    outcomes.append("\(check.table).\(check.column) = \(value ?? "NULL"): " + (try Self.probe(check, value, db)))
                }
            }
            return outcomes
        }
        let before = try Self.read(path) { db in try outcomes(db) }
        let database = try HotlineDatabase.open(path: path)
        let after = try database.writer.write { db in try outcomes(db) }
        #expect(after == before)
        // The outcomes are not all the same: some words pass, others are refused by the CHECK.
        #expect(after.contains { $0.hasSuffix("accepted") })
        #expect(after.contains { $0.hasSuffix("refused by a CHECK") })
        try database.writer.write { db in
            for check in StoreSchema.valueListChecks {
                #expect(try Self.probe(check, "bogus", db) == "refused by a CHECK", "\(check.table).\(check.column)")
            }
            // NULL passes a nullable column's CHECK, as it passed `IN`.
            for (table, column) in [("account", "add_on"), ("case_feed", "priority"), ("case_feed", "level"), ("case_feed", "status")] {
                let check = try #require(StoreSchema.valueListChecks.first { $0.table == table && $0.column == column })
                #expect(try Self.probe(check, nil, db) == "accepted", "\(table).\(column)")
            }
            // The refusal says which rule, and the words it allows.
            do {
                try db.execute(sql: "UPDATE support_case SET status = 'bogus' WHERE number = '00345678'")
                Issue.record("a bad status was stored")
            } catch let error as DatabaseError {
                #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_CHECK)
                #expect(error.message == "CHECK constraint failed: status = 'new' OR status = 'open' OR status = 'pending-customer' OR status = 'escalated' OR status = 'closed'")
            }
        }
    }

    /// Writes `value` into the check's column in a savepoint rolled back at once: an UPDATE of the
    /// table's first row, or for the append-only feed an INSERT of a copy of its first comment.
    static func probe(_ check: ValueListCheck, _ value: String?, _ db: Database) throws -> String {
        let sql: String
        if check.table == "case_feed" {
            let columns = ["case_number", "at", "kind", "author", "author_role", "body", "channel", "priority", "level", "status", "ref"]
            let values = columns.map { $0 == check.column ? "?" : $0 }
            sql = "INSERT INTO case_feed (\(columns.joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) FROM case_feed WHERE kind = 'comment' ORDER BY id LIMIT 1"
        } else {
            sql = "UPDATE \(check.table) SET \(check.column) = ? WHERE rowid = (SELECT min(rowid) FROM \(check.table))"
        }
        var outcome = "accepted"
        try db.inSavepoint {
            do {
                try db.execute(sql: sql, arguments: [value])
                if db.changesCount != 1 { outcome = "no row changed" }
            } catch let error as DatabaseError {
                outcome = error.extendedResultCode == .SQLITE_CONSTRAINT_CHECK ? "refused by a CHECK" : "refused: \(error.message ?? "\(error.extendedResultCode.rawValue)")"
            }
            return .rollback
        }
        return outcome
    }

    /// The opcodes of a statement's program.
    static func opcodes(_ sql: String, _ db: Database) throws -> [String] {
        let statement = try db.makeStatement(sql: "EXPLAIN " + sql)
        statement.setUncheckedArguments([])  // unbound parameters are NULL; EXPLAIN only compiles
        return try Row.fetchAll(statement).map { $0["opcode"] as String? ?? "" }
    }

    /// Every INSERT and UPDATE of every table, and the reference call's own writes, run without a
    /// temporary B-tree (`OpenEphemeral`): a CHECK written with an IN list of three or more words
    /// would bring one back.
    @Test func noWriteBuildsATemporaryTable() throws {
        let folder = TemporaryFolder()
        let old = folder.path("old.sqlite")
        try Self.oldDatabase(at: old)
        let feedInsert = "INSERT INTO case_feed (case_number, at, kind, author, author_role, body, channel, priority, level, status, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        func writes(_ db: Database) throws -> [String] {
            var writes: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
                let columns = try db.columns(in: table).map(\.name.quotedDatabaseIdentifier)
                writes.append("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
                writes.append("UPDATE \(table) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?")
            }
            return writes + [
                feedInsert,
                "UPDATE support_case SET priority = ?, level = ?, status = ?, first_response_at = ?, closed_at = ? WHERE number = ?",
                "INSERT INTO oncall_page (escalation_id, level, round, person, state, sent_at, ack_deadline) VALUES (?, 1, 1, ?, 'sent', ?, ?)",
                "UPDATE oncall_page SET state = ?, acknowledged_by = ?, acknowledged_at = ? WHERE id = ?",
            ]
        }
        // The test sees them: the old schema's feed insert builds one per listed column.
        let oldCount = try Self.read(old) { db in try Self.opcodes(feedInsert, db).filter { $0 == "OpenEphemeral" }.count }
        #expect(oldCount == 5)
        for path in [old, folder.path("new.sqlite")] {
            let database = try HotlineDatabase.open(path: path)
            try database.writer.write { db in  // the writer: a pool's read-only readers do not compile writes the same way
                let statements = try writes(db)
                #expect(statements.count > 20)
                for sql in statements {
                    #expect(try !Self.opcodes(sql, db).contains("OpenEphemeral"), "\(sql)")
                }
            }
        }
    }

    /// Readers refuse the old file until it is migrated, and read the migrated one; a scenario's
    /// in-memory copy of an old template gets the rewrite without the file changing.
    @Test func readersAndInMemoryCopiesOfAnOldDatabase() throws {
        let folder = TemporaryFolder()
        let path = folder.path("old.sqlite")
        try Self.oldDatabase(at: path)
        #expect {
            _ = try HotlineDatabase.openForReading(path: path)
        } throws: { error in
            (error as? StoreError)?.code == .outdatedSchema && "\(error)".contains("hotline db migrate --db \(path)")
        }
        let image = try HotlineDatabase.MemoryImage(copying: path)
        let copy = try HotlineDatabase.open(copyOf: image)
        let status = try copy.writer.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'support_case'") }
        #expect(status?.contains("status = 'pending-customer' OR") == true)
        #expect(try copy.writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
        // The file itself is not migrated by the copy.
        #expect(try Self.read(path) { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }.last == Self.lastReleased)

        _ = try HotlineDatabase.open(path: path)
        let reader = try HotlineDatabase.openForReading(path: path)
        #expect(try reader.appliedMigrations().contains("checks-v2"))
        #expect(try CaseStore(database: reader).supportCase("00345678").status == .escalated)
    }

    /// A table whose SQL lacks a constraint the rewrite expects (changed outside Hotline) is
    /// refused with the table and the constraint named, and nothing is changed.
    @Test func aTableWithoutTheExpectedConstraintIsRefusedAndLeftAsItWas() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE support_case (number TEXT PRIMARY KEY, status TEXT CHECK (status IN ('new', 'open', 'closed')))") }
        let check = ValueListCheck(table: "support_case", column: "status", values: ["new", "open", "pending-customer"])
        #expect {
            try queue.write { db in try ValueListCheckRewrite.apply([check], in: db) }
        } throws: { error in
            "\(error)" == "the table support_case has no constraint `CHECK (status IN ('new', 'open', 'pending-customer'))`, which this migration rewrites"
                + " (fix: check the file with `hotline db check`; its schema was changed outside Hotline (restore it from a backup))"
        }
        let sql = try queue.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'support_case'") }
        #expect(sql?.contains("IN ('new', 'open', 'closed')") == true)
        // The right one is rewritten, and refuses what it refused.
        let right = ValueListCheck(table: "support_case", column: "status", values: ["new", "open", "closed"])
        try queue.write { db in try ValueListCheckRewrite.apply([right], in: db) }
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: "INSERT INTO support_case VALUES ('1', 'gone')") } }
        try queue.write { db in try db.execute(sql: "INSERT INTO support_case VALUES ('2', 'closed'), ('3', NULL)") }
    }
}
