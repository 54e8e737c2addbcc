import Foundation
import GRDB

/// The case store's tables, as versioned migrations (`store-v1`, …). Never edit a released
/// migration: add the next one.
///
/// Times are stored as UTC text (`YYYY-MM-DD HH:MM:SS.SSS`, GRDB's encoding), so they sort and
/// compare as text and read well in `sqlite3`.
enum StoreSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("store-v1") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 6 AND id NOT GLOB '*[^0-9]*'),
                    name TEXT NOT NULL,
                    tier TEXT NOT NULL CHECK (tier IN ('gold', 'platinum')),
                    users INTEGER,
                    add_on TEXT CHECK (add_on IN ('csm-lite', 'csm', 'resident-engineer')),
                    sme_name TEXT,
                    time_zone TEXT NOT NULL,
                    business_hours TEXT NOT NULL
                );
                CREATE TABLE contact (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    email TEXT
                );
                CREATE INDEX contact_account ON contact(account_id);
                CREATE TABLE contact_phone (
                    e164 TEXT PRIMARY KEY NOT NULL CHECK (e164 GLOB '+[1-9]*' AND e164 NOT GLOB '+*[^0-9]*'),
                    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                    label TEXT
                );
                CREATE INDEX contact_phone_contact ON contact_phone(contact_id);
                CREATE TABLE sla_policy (
                    key TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    tier TEXT NOT NULL CHECK (tier IN ('gold', 'platinum')),
                    p1_minutes INTEGER NOT NULL CHECK (p1_minutes > 0),
                    p2_minutes INTEGER NOT NULL CHECK (p2_minutes > 0),
                    p3_minutes INTEGER NOT NULL CHECK (p3_minutes > 0),
                    warning_percent INTEGER NOT NULL CHECK (warning_percent BETWEEN 1 AND 99),
                    calendar TEXT NOT NULL,
                    active INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (name, version, tier)
                );
                CREATE TABLE support_case (
                    number TEXT PRIMARY KEY NOT NULL CHECK (length(number) = 8 AND number NOT GLOB '*[^0-9]*'),
                    account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                    contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
                    summary TEXT NOT NULL,
                    skill TEXT NOT NULL,
                    priority TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3')),
                    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending-customer', 'escalated', 'closed')),
                    level TEXT NOT NULL CHECK (level IN ('L0', 'L1', 'L2', 'L3')),
                    owner TEXT,
                    created_at DATETIME NOT NULL,
                    sla_policy TEXT NOT NULL REFERENCES sla_policy(key),
                    response_due_at DATETIME NOT NULL,
                    first_response_at DATETIME,
                    closed_at DATETIME
                );
                CREATE INDEX support_case_account ON support_case(account_id, status);
                CREATE TABLE case_feed (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_number TEXT NOT NULL REFERENCES support_case(number) ON DELETE CASCADE,
                    at DATETIME NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('opened', 'comment', 'priority', 'level', 'escalation', 'problem-report', 'status', 'close')),
                    author TEXT NOT NULL,
                    author_role TEXT NOT NULL CHECK (author_role IN ('customer', 'support', 'system')),
                    body TEXT NOT NULL DEFAULT '',
                    channel TEXT CHECK (channel IN ('phone', 'web')),
                    priority TEXT CHECK (priority IN ('P1', 'P2', 'P3')),
                    level TEXT CHECK (level IN ('L0', 'L1', 'L2', 'L3')),
                    status TEXT CHECK (status IN ('new', 'open', 'pending-customer', 'escalated', 'closed')),
                    ref TEXT,
                    CHECK (kind <> 'escalation' OR (channel IS NOT NULL AND status = 'escalated')),
                    CHECK (kind <> 'opened' OR (priority IS NOT NULL AND level IS NOT NULL AND status IS NOT NULL))
                );
                CREATE INDEX case_feed_case ON case_feed(case_number, id);
                CREATE TRIGGER case_feed_no_update BEFORE UPDATE ON case_feed
                BEGIN SELECT RAISE(ABORT, 'the case feed is append-only'); END;
                CREATE TABLE problem_report (
                    id TEXT PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL UNIQUE,
                    case_number TEXT NOT NULL REFERENCES support_case(number) ON DELETE CASCADE,
                    summary TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    created_by TEXT NOT NULL,
                    feed_id INTEGER NOT NULL REFERENCES case_feed(id)
                );
                CREATE TABLE call_record (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    caller_id TEXT NOT NULL,
                    dialled TEXT,
                    started_at DATETIME NOT NULL,
                    ended_at DATETIME NOT NULL,
                    path TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    case_number TEXT,
                    queue TEXT,
                    agent TEXT,
                    waited_seconds REAL
                );
                CREATE INDEX call_record_started ON call_record(started_at);
                CREATE TABLE lookup_failure (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    caller_key TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('case', 'account')),
                    at DATETIME NOT NULL
                );
                CREATE INDEX lookup_failure_caller ON lookup_failure(caller_key, kind, at);
                """)
            // Deleting feed entries is allowed only together with their case (a reseed); a lone
            // DELETE on the feed is refused.
            try db.execute(sql: """
                CREATE TRIGGER case_feed_no_delete BEFORE DELETE ON case_feed
                WHEN EXISTS (SELECT 1 FROM support_case WHERE number = OLD.case_number)
                BEGIN SELECT RAISE(ABORT, 'the case feed is append-only'); END;
                """)
            try StoreSchema.install(SLATable.standard, in: db)
        }
        // The paging outbox (`Paging/PageStore.swift`): `pages-v1`, `pages-v2`.
        PageStore.registerMigrations(&migrator)
        // Calls answered over SIP (`hotline serve --sip`) keep their SIP Call-ID.
        migrator.registerMigration("call-record-sip-v1") { db in
            try db.execute(sql: "ALTER TABLE call_record ADD COLUMN sip_call_id TEXT")
        }
        // A case's latest feed time (every change reads it, to refuse a backdated one) by an index
        // seek, not by reading all the case's entries: a case with a long feed stayed slow to change.
        migrator.registerMigration("case-feed-at-v1") { db in
            try db.execute(sql: "CREATE INDEX case_feed_case_at ON case_feed(case_number, at)")
        }
        // `CHECK (status IN ('new', 'open', …))` made SQLite build a temporary B-tree of the list on
        // every INSERT and UPDATE that checks it (about a quarter of a million instructions per call);
        // the same rules as comparisons build none. The tables' SQL is rewritten in place: no row moves.
        migrator.registerMigration("checks-v2") { db in
            try ValueListCheckRewrite.apply(StoreSchema.valueListChecks, in: db)
        }
        // Which phone placed a call (`browser`, `terminal`, `sip`, `simulated`), for the console's
        // list and its filter. Older SIP records are known by their Call-ID; the others stay NULL.
        migrator.registerMigration("call-record-channel-v1") { db in
            try db.execute(sql: "ALTER TABLE call_record ADD COLUMN channel TEXT")
            try db.execute(sql: "UPDATE call_record SET channel = 'sip' WHERE sip_call_id IS NOT NULL")
        }
        // An escalation raised by a simulated caller (`PageStore`).
        PageStore.registerSimulatedMigration(&migrator)
        // When the line answered the call (NULL: never — a SIP call redirected with a 302, or hung up
        // while it rang). Every call recorded before was answered when it started.
        migrator.registerMigration("call-record-answered-v1") { db in
            try db.execute(sql: "ALTER TABLE call_record ADD COLUMN answered_at DATETIME")
            try db.execute(sql: "UPDATE call_record SET answered_at = started_at")
        }
    }

    /// The CHECKs of three or more words that `store-v1` and `pages-v1` wrote with `IN`, which
    /// `checks-v2` writes as comparisons (two-word lists, such as `tier`, SQLite already compares in place).
    static let valueListChecks: [ValueListCheck] = [
        ValueListCheck(table: "account", column: "add_on", values: ["csm-lite", "csm", "resident-engineer"]),
        ValueListCheck(table: "support_case", column: "priority", values: ["P1", "P2", "P3"]),
        ValueListCheck(table: "support_case", column: "status", values: ["new", "open", "pending-customer", "escalated", "closed"]),
        ValueListCheck(table: "support_case", column: "level", values: ["L0", "L1", "L2", "L3"]),
        ValueListCheck(table: "case_feed", column: "kind", values: ["opened", "comment", "priority", "level", "escalation", "problem-report", "status", "close"]),
        ValueListCheck(table: "case_feed", column: "author_role", values: ["customer", "support", "system"]),
        ValueListCheck(table: "case_feed", column: "priority", values: ["P1", "P2", "P3"]),
        ValueListCheck(table: "case_feed", column: "level", values: ["L0", "L1", "L2", "L3"]),
        ValueListCheck(table: "case_feed", column: "status", values: ["new", "open", "pending-customer", "escalated", "closed"]),
        ValueListCheck(table: "oncall_page", column: "\"state\"", values: ["sent", "acknowledged", "escalated", "exhausted"]),
    ]

    /// Stores a table's policies and makes them the ones new cases pin. A policy with the same
    /// name, version and tier but different numbers is refused: bump the version instead.
    static func install(_ table: SLATable, in db: Database) throws {
        for tier in Tier.allCases {
            guard let policy = table.policies[tier] else { continue }
            let row = try Row.fetchOne(db, sql: "SELECT p1_minutes, p2_minutes, p3_minutes, warning_percent FROM sla_policy WHERE key = ?", arguments: [policy.key])
            if let row {
                func stored(_ column: String) throws(StoreError) -> Int {
                    try row.stored(column, table: "sla_policy", key: "policy '\(policy.key)'")
                }
                let same: Bool =
                    try stored("p1_minutes") == policy.target(for: .p1) && stored("p2_minutes") == policy.target(for: .p2)
                    && stored("p3_minutes") == policy.target(for: .p3) && stored("warning_percent") == policy.warningPercent
                guard same else {
                    throw StoreError(
                        .slaConflict, "SLA table '\(table.name)' version \(table.version) is already in the database with different \(tier.label) targets",
                        fix: "bump `version` in the SLA file: cases keep the targets they were opened with")
                }
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO sla_policy (key, name, version, tier, p1_minutes, p2_minutes, p3_minutes, warning_percent, calendar)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [policy.key, policy.name, policy.version, tier.rawValue, policy.target(for: .p1), policy.target(for: .p2), policy.target(for: .p3), policy.warningPercent, table.calendar])
            }
            try db.execute(sql: "UPDATE sla_policy SET active = (key = ?) WHERE tier = ?", arguments: [policy.key, tier.rawValue])
        }
    }
}
