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
        return try callRead { db in
            // The contact and its account in one statement (the account's columns follow the
            // contact's two, as `Account.selectSQL` lists them).
            guard
                let contact = try db.fetchFirst(
                    Self.callerStatement,
                    binding: { $0.add(phone.e164) },
                    { row in
                        (name: try row.stored(0, "contact_name", as: String.self, table: "contact", key: "a caller's contact"),
                         accountID: try row.stored(1, "account_id", as: String.self, table: "contact", key: "a caller's contact"),
                         account: row.databaseValue(at: 2).isNull ? nil : try Account(row: ShiftedColumns(row, by: 2)))
                    })
            else { return nil }
            guard let account = contact.account else { throw Self.accountMissing(contact.accountID) }
            return try Self.identity(account: account, contactName: contact.name, db)
        }
    }

    /// A caller ID's contact and its account (the account's columns follow the contact's two, as
    /// `Account.selectSQL` lists them).
    static let callerStatement = HeldStatement(
        """
        SELECT c.name AS contact_name, c.account_id, a.id, a.name, a.tier, a.users, a.add_on, a.sme_name, a.time_zone, a.business_hours
        FROM contact_phone p JOIN contact c ON c.id = p.contact_id LEFT JOIN account a ON a.id = c.account_id
        WHERE p.e164 = ?
        """)

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
        try identity(account: try account(accountID, db), contactName: contactName, db)
    }

    static func identity(account: Account, contactName: String, _ db: Database) throws -> CallerIdentity {
        let accountID = account.id
        let open = try db.fetchEvery(
            openCasesStatement,
            binding: { $0.add(accountID) },
            { row in try row.stored(0, "number", as: String.self, table: "support_case", key: "an open case of account \(accountID)") })
        return CallerIdentity(contactName: contactName, accountID: account.id, accountName: account.name, tier: account.tier.rawValue, openCases: open)
    }

    /// An account's open cases, newest first.
    static let openCasesStatement = HeldStatement(
        "SELECT number FROM support_case WHERE account_id = ? AND status <> 'closed' ORDER BY created_at DESC, number DESC")

    /// The rate limiter's key: the caller ID in E.164 when it reads as one, else the raw text
    /// (withheld callers share one key).
    static func callerKey(_ callerID: String) -> String {
        if let phone = try? PhoneNumber(parsing: callerID) { return phone.e164 }
        let trimmed = callerID.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "anonymous" : "raw:" + trimmed
    }

    static func isLocked(_ key: String, kind: String, at now: Date, _ db: Database) throws -> Bool {
        let since = now.addingTimeInterval(-LookupRateLimit.window)
        let failures = try db.fetchFirst(
            cached: "SELECT count(*) AS failures FROM lookup_failure WHERE caller_key = ? AND kind = ? AND at > ? AND at <= ?",
            binding: { values in
                values.add(key)
                values.add(kind)
                values.add(since)
                values.add(now)
            },
            { row in try row.stored(0, "failures", as: Int.self, table: "lookup_failure", key: "the failed lookups of \(key)") }) ?? 0
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
        // A right number changes nothing: one read (one statement), no write. Only a wrong one takes
        // the writer, to count the failure (the lock is checked again there: another call may have
        // counted one meanwhile).
        let found = try callReadStatement { db -> Lookup<CaseSummary>? in
            // The caller ID's failures and the case in one statement (`lookUpSQL`), on its own
            // snapshot.
            let since = now.addingTimeInterval(-LookupRateLimit.window)
            let row = try db.fetchFirst(
                Self.lookUpStatement,
                binding: { values in
                    values.add(key)
                    values.add(since)
                    values.add(now)
                    values.add(parsed?.text)
                    values.add(accountID)
                },
                { columns in try Self.lookUp(row: columns) })
            guard let row else { preconditionFailure("a count has a row") }
            if row.failures >= LookupRateLimit.maxFailures { return .locked }
            return row.summary.map { .found($0) }
        }
        if let found { return found }
        return try write { db in
            if try Self.isLocked(key, kind: "case", at: now, db) { return .locked }
            try Self.recordFailure(key, kind: "case", at: now, db)
            return .notFound
        }
    }

    /// A caller's case look-up: the caller key's failed case look-ups within the window (as
    /// `isLocked` counts them), and the case's columns a call hears when the number is the
    /// account's — none when it is not (or no number was readable: NULL).
    static let lookUpSQL = """
        SELECT f.failures, c.number, c.account_id, c.priority, c.status, c.level, c.skill
        FROM (SELECT count(*) AS failures FROM lookup_failure WHERE caller_key = ? AND kind = 'case' AND at > ? AND at <= ?) f
        LEFT JOIN support_case c ON c.number = ? AND c.account_id = ?
        """

    static let lookUpStatement = HeldStatement(lookUpSQL)

    /// Decodes a row of `lookUpSQL` (by position), with `SupportCase`'s checks on what it reads.
    static func lookUp(row: some StoredColumns) throws(StoreError) -> LookUpRow {
        let failures = try row.stored(0, "failures", as: Int.self, table: "lookup_failure", key: "a caller's failed look-ups")
        guard let number = try row.storedIfPresent(1, "number", as: String.self, table: "support_case", key: "a case") else { return LookUpRow(failures: failures, summary: nil) }
        let table = "support_case"
        // The key names the case only in an error: made then, not for every row.
        let summary = CaseSummary(
            number: number, accountID: try row.stored(2, "account_id", table: table, key: "case \(number)"),
            priority: try Priority(parsing: try row.stored(3, "priority", table: table, key: "case \(number)")).rawValue,
            status: try CaseStatus(parsing: try row.stored(4, "status", table: table, key: "case \(number)")).rawValue,
            level: try SupportLevel(parsing: try row.stored(5, "level", table: table, key: "case \(number)")).rawValue,
            skill: try row.stored(6, "skill", table: table, key: "case \(number)"))
        return LookUpRow(failures: failures, summary: summary)
    }

    struct LookUpRow {
        var failures: Int
        var summary: CaseSummary?
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
            try db.execute(Self.insertCallStatement) { values in
                values.add(caller)
                values.add(record.dialled)
                values.add(record.startedAt)
                values.add(record.endedAt)
                values.add(path)
                values.add(record.outcome)
                values.add(record.caseNumber)
                values.add(record.queue)
                values.add(record.agent)
                values.add(record.waitedSeconds)
                values.add(record.sipCallID)
                values.add(record.channel)
                values.add(record.answeredAt)
            }
        }
    }

    static let insertCallStatement = HeldStatement(
        """
        INSERT INTO call_record (caller_id, dialled, started_at, ended_at, path, outcome, case_number, queue, agent, waited_seconds, sip_call_id, channel, answered_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)

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
    /// Written straight into the new string's buffer, sized once for the worst case (every byte
    /// escaped as `\u00XX`): a byte array grown one `append` at a time cost ~60 instructions a
    /// byte. Bytes from 0x80 up (the rest of a character) pass through as they are, as
    /// `JSONEncoder` passes non-ASCII characters.
    static func jsonArray(_ items: [String]) -> String {
        var capacity = 2
        for item in items { capacity += item.utf8.count * 6 + 3 }
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = JSONBytes(buffer: buffer)
            out.put(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.put(UInt8(ascii: ",")) }
                first = false
                out.put(UInt8(ascii: "\""))
                out.putEscaped(item)
                out.put(UInt8(ascii: "\""))
            }
            out.put(UInt8(ascii: "]"))
            return out.count
        }
    }

    /// The bytes of `jsonArray`'s text, written in place (a struct, not captured variables: no
    /// exclusivity checks at run time).
    struct JSONBytes {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        private(set) var count = 0

        init(buffer: UnsafeMutableBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        @inline(__always)
        mutating func put(_ byte: UInt8) {
            buffer[count] = byte
            count += 1
        }

        /// A string's UTF-8, read in place (its contiguous bytes, not the UTF-8 view's iterator).
        mutating func putEscaped(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                for byte in bytes { putEscaped(byte) }
            }
        }

        /// A byte of a string's UTF-8, escaped as `JSONEncoder` escapes it.
        @inline(__always)
        mutating func putEscaped(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): put(UInt8(ascii: "\\")); put(byte)
            case UInt8(ascii: "\n"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "t"))
            case 0x08: put(UInt8(ascii: "\\")); put(UInt8(ascii: "b"))
            case 0x0C: put(UInt8(ascii: "\\")); put(UInt8(ascii: "f"))
            case ..<0x20:
                // \u00XX, lowercase hex as JSONEncoder writes it.
                func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }
                for byte in [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex(byte >> 4), hex(byte & 0xF)] { put(byte) }
            default: put(byte)
            }
        }
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
        return try callRead { db in
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
