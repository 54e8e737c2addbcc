import Foundation
import GRDB

/// A CHECK that a column holds one of a few words, and its rewrite from `IN` to `=`/`OR`.
///
/// SQLite 3.40 evaluates `CHECK (status IN ('new', 'open', 'closed'))` (three or more constants) by
/// building an ephemeral B-tree of the list on every execution of every INSERT or UPDATE that
/// checks it — about 30,000 instructions each time, seven to nine times per call. The same rule
/// written `CHECK (status = 'new' OR status = 'open' OR status = 'closed')` compares in place and
/// is logically identical: a value in the list passes, another fails, and NULL passes (NULL `IN`
/// a list and NULL `=` a value are both NULL, which a CHECK lets through). Comparisons use the
/// column's affinity and collation either way.
public struct ValueListCheck: Sendable, Hashable {
    /// The table holding the constraint.
    public let table: String
    /// The column as the table's SQL writes it (`status`, or `"state"` in a table GRDB made).
    public let column: String
    /// The words the column may hold, in the order the constraint lists them.
    public let values: [String]

    public init(table: String, column: String, values: [String]) {
        self.table = table
        self.column = column
        self.values = values
    }

    /// The constraint as a released migration wrote it: `CHECK (status IN ('new', 'open'))`.
    public var inForm: String {
        "CHECK (\(column) IN (\(values.map(Self.quoted).joined(separator: ", "))))"
    }

    /// The same constraint without a list: `CHECK (status = 'new' OR status = 'open')`.
    public var comparisonForm: String {
        "CHECK (\(values.map { "\(column) = \(Self.quoted($0))" }.joined(separator: " OR ")))"
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "''") + "'" }
}

/// Rewrites value-list CHECKs in place, by SQLite's documented procedure for schema changes that
/// the rows already satisfy (https://sqlite.org/lang_altertable.html, "Making Other Kinds Of Table
/// Schema Changes"): the tables' SQL in `sqlite_schema` is changed with `writable_schema`, the
/// schema version bumped, and `PRAGMA integrity_check` (which also checks every row against the
/// new CHECKs) must say ok. No row is copied, so rows, row ids, AUTOINCREMENT counters, indexes,
/// triggers and foreign keys stay as they are.
///
/// Run it inside a migration (a transaction): any failure rolls the whole change back.
public enum ValueListCheckRewrite {
    /// Rewrites every check of `checks` from ``ValueListCheck/inForm`` to
    /// ``ValueListCheck/comparisonForm``. Each must be in its table's SQL exactly once; otherwise
    /// nothing is changed and the error names the table and the constraint.
    public static func apply(_ checks: [ValueListCheck], in db: Database) throws {
        var rewritten: [(table: String, sql: String)] = []
        for table in uniqueTables(checks) {
            guard var sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) else {
                throw StoreError(
                    .cannotOpen, "the database has no table \(table), whose CHECK constraints this migration rewrites",
                    fix: "check the file with `hotline db check`; it was changed outside Hotline (restore it from a backup)")
            }
            for check in checks where check.table == table {
                let found = sql.ranges(of: check.inForm)
                guard found.count == 1, let range = found.first else {
                    throw StoreError(
                        .cannotOpen,
                        "the table \(table) has \(found.isEmpty ? "no" : "\(found.count) copies of the") constraint `\(check.inForm)`, which this migration rewrites",
                        fix: "check the file with `hotline db check`; its schema was changed outside Hotline (restore it from a backup)")
                }
                sql.replaceSubrange(range, with: check.comparisonForm)
            }
            rewritten.append((table, sql))
        }
        guard !rewritten.isEmpty else { return }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        do {
            for (table, sql) in rewritten {
                try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", arguments: [sql, table])
            }
            // Other connections (and this one) read the schema again when they see the new version.
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        } catch {
            try? db.execute(sql: "PRAGMA writable_schema = OFF")
            throw error
        }
        // Parses the new schema and checks every row against it.
        let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        guard problems == ["ok"] else {
            throw StoreError(
                .cannotOpen, "rewriting the CHECK constraints of \(rewritten.map(\.table).joined(separator: ", ")) failed the integrity check (nothing was changed): \(problems.prefix(3).joined(separator: "; "))",
                fix: "run `hotline db check` on the file and restore it from a backup if it is damaged")
        }
    }

    /// The tables of `checks`, each once, in the order they first appear.
    static func uniqueTables(_ checks: [ValueListCheck]) -> [String] {
        var seen: Set<String> = []
        return checks.map(\.table).filter { seen.insert($0).inserted }
    }
}
