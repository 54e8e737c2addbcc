import Foundation
import GRDB
import HotlineCore

/// How many wrong case or account numbers one caller ID may type within `window` before lookups
/// are refused with `.locked` (across calls). Failures expire; a success does not clear them, so a
/// caller who owns one case cannot alternate it with guesses.
public enum LookupRateLimit {
    public static let maxFailures = 5
    public static let window: TimeInterval = 15 * 60
}

extension CaseStore: CallerDirectory {
    /// Caller ID → contact → account → open cases (newest first). `nil` for an unknown or
    /// unreadable caller ID (withheld numbers included).
    public func identify(callerID: String, at now: Date) throws -> CallerIdentity? {
        guard let phone = try? PhoneNumber(parsing: callerID) else { return nil }
        return try read { db in
            guard
                let contact = try db.fetchFirst(
                    cached: "SELECT c.name AS contact_name, c.account_id FROM contact_phone p JOIN contact c ON c.id = p.contact_id WHERE p.e164 = ?",
                    arguments: [phone.e164],
                    { row in
                        (name: try row.stored(0, "contact_name", as: String.self, table: "contact", key: "a caller's contact"),
                         account: try row.stored(1, "account_id", as: String.self, table: "contact", key: "a caller's contact"))
                    })
            else { return nil }
            return try Self.identity(accountID: contact.account, contactName: contact.name, db)
        }
    }

    /// An account/site number typed by an unknown caller. Wrong numbers count towards the caller
    /// ID's rate limit; the identity's `contactName` is empty (the person is not known).
    public func identify(accountNumber: String, callerID: String, at now: Date) throws -> Lookup<CallerIdentity> {
        let key = Self.callerKey(callerID)
        return try write { db in
            if try Self.isLocked(key, kind: "account", at: now, db) { return .locked }
            guard let number = try? AccountNumber(parsing: accountNumber),
                try Int.fetchOne(db, cached: "SELECT 1 FROM account WHERE id = ?", arguments: [number.text]) != nil
            else {
                try Self.recordFailure(key, kind: "account", at: now, db)
                return .notFound
            }
            return .found(try Self.identity(accountID: number.text, contactName: "", db))
        }
    }

    static func identity(accountID: String, contactName: String, _ db: Database) throws -> CallerIdentity {
        let account = try account(accountID, db)
        let open = try String.fetchAll(
            db, cached: "SELECT number FROM support_case WHERE account_id = ? AND status <> 'closed' ORDER BY created_at DESC, number DESC",
            arguments: [accountID])
        return CallerIdentity(contactName: contactName, accountID: account.id, accountName: account.name, tier: account.tier.rawValue, openCases: open)
    }

    /// The rate limiter's key: the caller ID in E.164 when it reads as one, else the raw text
    /// (withheld callers share one key).
    static func callerKey(_ callerID: String) -> String {
        if let phone = try? PhoneNumber(parsing: callerID) { return phone.e164 }
        let trimmed = callerID.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "anonymous" : "raw:" + trimmed
    }

    static func isLocked(_ key: String, kind: String, at now: Date, _ db: Database) throws -> Bool {
        let since = now.addingTimeInterval(-LookupRateLimit.window)
        let failures = try Int.fetchOne(
            db, cached: "SELECT count(*) FROM lookup_failure WHERE caller_key = ? AND kind = ? AND at > ? AND at <= ?",
            arguments: [key, kind, StoredTime.databaseValue(since), StoredTime.databaseValue(now)]) ?? 0
        return failures >= LookupRateLimit.maxFailures
    }

    static func recordFailure(_ key: String, kind: String, at now: Date, _ db: Database) throws {
        try StoredValues.check(now, "the time of a failed lookup")
        try db.execute(cached: "INSERT INTO lookup_failure (caller_key, kind, at) VALUES (?, ?, ?)", arguments: [key, kind, StoredTime.databaseValue(now)])
        // Failures older than a day can never count again: keep the table small.
        try db.execute(cached: "DELETE FROM lookup_failure WHERE at < ?", arguments: [StoredTime.databaseValue(now.addingTimeInterval(-max(LookupRateLimit.window, 86_400)))])
    }
}

extension CaseStore: CaseDesk {
    /// A case typed on the keypad. `.notFound` is the same for "no such case", "not your
    /// account's case" and "not 8 digits"; each counts as a failure for the caller ID.
    public func lookUpCase(number: String, accountID: String, callerID: String, at now: Date) throws -> Lookup<CaseSummary> {
        let key = Self.callerKey(callerID)
        let parsed = try? CaseNumber(parsing: number)
        // A right number changes nothing: one read transaction, no write. Only a wrong one takes
        // the writer, to count the failure (the lock is checked again there: another call may have
        // counted one meanwhile).
        let found = try read { db -> Lookup<CaseSummary>? in
            if try Self.isLocked(key, kind: "case", at: now, db) { return .locked }
            guard let parsed,
                let supportCase = try db.fetchFirst(cached: SupportCase.byNumberAndAccountSQL, arguments: [parsed.text, accountID], SupportCase.init(row:))
            else { return nil }
            return .found(supportCase.summaryForCall)
        }
        if let found { return found }
        return try write { db in
            if try Self.isLocked(key, kind: "case", at: now, db) { return .locked }
            try Self.recordFailure(key, kind: "case", at: now, db)
            return .notFound
        }
    }

    /// Records an escalation asked for by a caller (or on the web). Throws
    /// `CaseDeskError.caseClosed` for a closed case (the runtime's `closed` outcome) and
    /// `CaseDeskError.caseNotFound` for an unknown one.
    ///
    /// `by` is the caller's name when the caller ID is a known contact's; a caller who only typed
    /// an account number has none, and the feed names them by the case's account instead
    /// ("caller for account 100002 (Globex Bank)") — a feed entry never has an empty author.
    public func recordEscalation(caseNumber: String, reason: String, channel: EscalationChannel, by: String, at now: Date) throws -> EscalationReceipt {
        var name = by.trimmingWhitespaceAndNewlines
        if name.isEmpty {
            let supportCase = try supportCase(caseNumber)
            name = "caller for account \(supportCase.accountID) (\(supportCase.accountName))"
        }
        let entry = try escalate(caseNumber: caseNumber, reason: reason, channel: channel, by: Author(name, role: .customer), at: now)
        return EscalationReceipt(caseNumber: entry.caseNumber, escalationID: entry.escalationID ?? "ESC-\(entry.id)")
    }

    /// Opens a case from a call: the contact is the caller when the caller ID is theirs and belongs
    /// to the account; the feed's `opened` entry has channel `phone`.
    public func openCase(accountID: String, priority: String, skill: String, summary: String, callerID: String, at now: Date) throws -> CaseSummary {
        let priority = try Priority(parsing: priority)
        let contact = try contact(callerID: callerID, accountID: accountID)
        let request = NewCase(
            accountID: accountID, priority: priority, skill: skill.isEmpty ? "general" : skill, summary: summary, contactID: contact?.id, channel: .phone)
        return try openCase(request, by: Author(contact?.name ?? "caller", role: .customer), at: now).summaryForCall
    }

    public func recordCall(_ record: CallRecord) throws {
        let caller = (try? PhoneNumber(parsing: record.callerID))?.e164 ?? record.callerID
        let path = Self.jsonArray(record.path)
        try StoredValues.check(record.startedAt, "the start of a call")
        try StoredValues.check(record.endedAt, "the end of a call")
        if let answeredAt = record.answeredAt { try StoredValues.check(answeredAt, "the answer of a call") }
        try write { db in
            try db.execute(
                cached: """
                    INSERT INTO call_record (caller_id, dialled, started_at, ended_at, path, outcome, case_number, queue, agent, waited_seconds, sip_call_id, channel, answered_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    caller, record.dialled, StoredTime.databaseValue(record.startedAt), StoredTime.databaseValue(record.endedAt), path, record.outcome, record.caseNumber, record.queue, record.agent,
                    record.waitedSeconds, record.sipCallID, record.channel, record.answeredAt.map(StoredTime.databaseValue),
                ])
        }
    }

    /// A SIP call's blind transfer failed after its record was saved as `transferred`: the record
    /// (by its Call-ID) now says `outcome`. Returns whether a record was changed.
    @discardableResult
    public func setTransferOutcome(sipCallID: String, outcome: String) throws -> Bool {
        try write { db in
            try db.execute(
                cached: "UPDATE call_record SET outcome = ? WHERE sip_call_id = ? AND outcome = 'transferred'",
                arguments: [outcome, sipCallID])
            return db.changesCount > 0
        }
    }

    /// `["answer","main_menu"]`: a list of strings as JSON, byte for byte as `JSONEncoder` writes
    /// it (`/` escaped as `\/`), without its machinery — every call record stores its path so.
    static func jsonArray(_ items: [String]) -> String {
        var out = "["
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(",") }
            out.append("\"")
            // Node ids need no escaping: appended whole (34 is '"', 47 '/', 92 '\\').
            if !item.utf8.contains(where: { $0 < 0x20 || $0 == 34 || $0 == 47 || $0 == 92 }) {
                out.append(item)
                out.append("\"")
                continue
            }
            for scalar in item.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "/": out.append("\\/")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                case "\u{08}": out.append("\\b")
                case "\u{0C}": out.append("\\f")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: out.unicodeScalars.append(scalar)
                }
            }
            out.append("\"")
        }
        out.append("]")
        return out
    }

    /// Call records, oldest first.
    public func callRecords() throws -> [CallRecord] {
        try read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM call_record ORDER BY id").map { row throws(StoreError) in
                try Self.numberedRecord(row).record
            }
        }
    }

    func contact(callerID: String, accountID: String) throws -> (id: Int64, name: String)? {
        guard let phone = try? PhoneNumber(parsing: callerID) else { return nil }
        return try read { db in
            try Row.fetchOne(
                db,
                cached: "SELECT c.id, c.name FROM contact_phone p JOIN contact c ON c.id = p.contact_id WHERE p.e164 = ? AND c.account_id = ?",
                arguments: [phone.e164, accountID]
            ).map { row throws(StoreError) in
                (try row.stored("id", table: "contact", key: "a caller's contact"), try row.stored("name", table: "contact", key: "a caller's contact"))
            }
        }
    }
}
