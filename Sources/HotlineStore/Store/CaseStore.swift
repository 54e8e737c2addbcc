import Foundation
import GRDB
import HotlineCore

/// The case store: accounts, contacts, cases and their feeds, on a `HotlineDatabase`.
///
/// Every change is one write transaction (`BEGIN IMMEDIATE`): the feed entry and the change to the
/// case it records commit together or not at all, so a process killed mid-write leaves either both
/// or neither. The feed is append-only (a trigger refuses updates, and deletes of a case's entries
/// while the case exists); `replay(caseNumber:)` rebuilds a case's state from it.
///
/// Wrong input comes in three kinds:
/// - bad user input (a case number with letters, an unknown account): a `StoreError` saying how to fix it;
/// - a change the case's state refuses (closed case, escalating past L3): a `CaseDeskError`;
/// - a database that breaks the schema's invariants: a `StoreError` with code `database`.
public final class CaseStore: Sendable {
    public let database: HotlineDatabase

    public init(database: HotlineDatabase) {
        self.database = database
    }

    /// Opens (creating and migrating if needed) the database at `path`.
    public static func open(path: String) throws(StoreError) -> CaseStore {
        CaseStore(database: try HotlineDatabase.open(path: path))
    }

    // MARK: - Reading

    public func accounts() throws -> [Account] {
        try read { db in try Row.fetchAll(db, cached: Account.selectSQL + " ORDER BY id").map(Account.init(row:)) }
    }

    public func account(id: String) throws -> Account {
        let number = try AccountNumber(parsing: id)
        return try read { db in try Self.account(number.text, db) }
    }

    public func contacts(accountID: String? = nil) throws -> [Contact] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT c.id, c.account_id, c.name, c.email, group_concat(p.e164, ' ') AS phones
                    FROM contact c LEFT JOIN contact_phone p ON p.contact_id = c.id
                    WHERE ?1 IS NULL OR c.account_id = ?1
                    GROUP BY c.id ORDER BY c.account_id, c.name
                    """,
                arguments: [accountID])
            return try rows.map { row throws(StoreError) in
                let id: Int64 = try row.stored("id", table: "contact", key: "a contact")
                let key = "contact \(id)"
                return Contact(
                    id: id, accountID: try row.stored("account_id", table: "contact", key: key), name: try row.stored("name", table: "contact", key: key),
                    email: try row.storedIfPresent("email", table: "contact", key: key),
                    phones: ((try row.storedIfPresent("phones", as: String.self, table: "contact_phone", key: key)) ?? "").split(separator: " ").map(String.init).sorted())
            }
        }
    }

    /// Which cases `list` shows.
    public struct CaseFilter: Sendable, Hashable {
        public var accountID: String?
        public var status: CaseStatus?
        /// Only cases whose response target is breached at the instant given to `listCases`.
        public var breachedOnly: Bool
        /// Closed cases too (when no status is given).
        public var includeClosed: Bool

        public init(accountID: String? = nil, status: CaseStatus? = nil, breachedOnly: Bool = false, includeClosed: Bool = true) {
            self.accountID = accountID
            self.status = status
            self.breachedOnly = breachedOnly
            self.includeClosed = includeClosed
        }
    }

    /// Cases with their SLA state at `now`, most urgent first (priority, then due time).
    public func listCases(_ filter: CaseFilter = CaseFilter(), at now: Date) throws -> [(case: SupportCase, sla: SLAStatus)] {
        if let accountID = filter.accountID { _ = try AccountNumber(parsing: accountID) }
        let cases = try read { db in
            try Row.fetchAll(
                db,
                cached: SupportCase.selectSQL + """

                     WHERE (?1 IS NULL OR c.account_id = ?1) AND (?2 IS NULL OR c.status = ?2) AND (?3 OR c.status <> 'closed')
                     ORDER BY c.priority, c.response_due_at, c.number
                    """,
                arguments: [filter.accountID, filter.status?.rawValue, filter.includeClosed || filter.status != nil]
            ).map(SupportCase.init(row:))
        }
        func urgency(_ state: SLAState) -> Int {
            switch state {
            case .breached: 0
            case .warning: 1
            case .running: 2
            case .met: 3
            }
        }
        // Most urgent first: open before closed, then priority, then SLA state, then due time.
        return cases.map { ($0, $0.sla(at: now)) }
            .filter { !filter.breachedOnly || $0.1.state == .breached }
            .sorted { lhs, rhs in
                let left = (lhs.0.status.isOpen ? 0 : 1, lhs.0.priority.rawValue, urgency(lhs.1.state), lhs.0.responseDueAt, lhs.0.number)
                let right = (rhs.0.status.isOpen ? 0 : 1, rhs.0.priority.rawValue, urgency(rhs.1.state), rhs.0.responseDueAt, rhs.0.number)
                return left < right
            }
    }

    public func supportCase(_ number: String) throws -> SupportCase {
        let number = try CaseNumber(parsing: number)
        return try read { db in try Self.fetchCase(number.text, db) }
    }

    public func feed(caseNumber: String) throws -> [FeedEntry] {
        let number = try CaseNumber(parsing: caseNumber)
        return try read { db in
            _ = try Self.fetchCase(number.text, db)
            return try Self.feed(number.text, db)
        }
    }

    public func problemReports(caseNumber: String) throws -> [ProblemReport] {
        let number = try CaseNumber(parsing: caseNumber)
        return try read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM problem_report WHERE case_number = ? ORDER BY seq", arguments: [number.text]).map { row throws(StoreError) in
                let key = "case \(number.text)"
                return ProblemReport(
                    id: try row.stored("id", table: "problem_report", key: key), caseNumber: number.text,
                    summary: try row.stored("summary", table: "problem_report", key: key), createdAt: try row.stored("created_at", table: "problem_report", key: key),
                    createdBy: try row.stored("created_by", table: "problem_report", key: key))
            }
        }
    }

    /// Case Detail: the case, its account, its SLA state and who the account's SME is at `now`.
    public func detail(caseNumber: String, at now: Date) throws -> CaseDetail {
        let number = try CaseNumber(parsing: caseNumber)
        let (supportCase, account, feedCount, reports) = try read { db in
            let supportCase = try Self.fetchCase(number.text, db)
            let account = try Self.account(supportCase.accountID, db)
            let count = try Int.fetchOne(db, cached: "SELECT count(*) FROM case_feed WHERE case_number = ?", arguments: [number.text]) ?? 0
            let comments = try Int.fetchOne(db, cached: "SELECT count(*) FROM case_feed WHERE case_number = ? AND kind = 'comment'", arguments: [number.text]) ?? 0
            let reports = try String.fetchAll(db, cached: "SELECT id FROM problem_report WHERE case_number = ? ORDER BY seq", arguments: [number.text])
            return (supportCase, account, (count, comments), reports)
        }
        var sme: CaseDetail.SME?
        if let addOn = account.addOn, let name = account.smeName {
            let calendar = try account.calendar()
            sme = CaseDetail.SME(name: name, kind: addOn.smeKind, addOn: addOn, businessHours: account.businessHours, timeZone: account.timeZone, onDutyNow: calendar.isOpen(at: now))
        }
        return CaseDetail(
            supportCase: supportCase, account: account, sla: supportCase.sla(at: now), sme: sme,
            feedEntries: feedCount.0, comments: feedCount.1, problemReports: reports)
    }

    /// The case's state rebuilt from its feed alone.
    public func replay(caseNumber: String) throws -> CaseReplay {
        try CaseReplay(entries: feed(caseNumber: caseNumber))
    }

    // MARK: - Changing cases (the Case Center buttons)

    /// Who is making a change, as recorded on the feed.
    public struct Author: Sendable, Hashable {
        public var name: String
        public var role: AuthorRole
        public init(_ name: String, role: AuthorRole) {
            self.name = name
            self.role = role
        }
    }

    /// Case Comments. A support comment is the case's first response when it has none yet.
    @discardableResult
    public func comment(caseNumber: String, text: String, by author: Author, at now: Date) throws -> FeedEntry {
        let number = try CaseNumber(parsing: caseNumber)
        return try write { db in try Self.comment(number, text: text, by: author, at: now, db) }
    }

    /// Change Priority. The due time becomes creation + the pinned policy's target for the new
    /// priority (see `SLAClock` for why from creation).
    @discardableResult
    public func changePriority(caseNumber: String, to priority: Priority, note: String = "", by author: Author, at now: Date) throws -> FeedEntry {
        let number = try CaseNumber(parsing: caseNumber)
        return try write { db in try Self.changePriority(number, to: priority, note: note, by: author, at: now, db) }
    }

    /// Escalate Now (web) or an escalation asked for on the phone: an `escalation` feed entry with
    /// the reason and channel, and the case's status set to `escalated`, in one transaction.
    @discardableResult
    public func escalate(caseNumber: String, reason: String, channel: EscalationChannel, by author: Author, at now: Date) throws -> FeedEntry {
        let number = try CaseNumber(parsing: caseNumber)
        return try write { db in try Self.escalate(number, reason: reason, channel: channel, by: author, at: now, db) }
    }

    /// Sets a status; `escalated` records a web escalation and `closed` closes the case.
    @discardableResult
    public func setStatus(caseNumber: String, to status: CaseStatus, note: String = "", by author: Author, at now: Date) throws -> FeedEntry {
        let number = try CaseNumber(parsing: caseNumber)
        return try write { db in try Self.setStatus(number, to: status, note: note, by: author, at: now, db) }
    }

    /// Close Case.
    @discardableResult
    public func close(caseNumber: String, note: String = "", by author: Author, at now: Date) throws -> FeedEntry {
        let number = try CaseNumber(parsing: caseNumber)
        return try write { db in try Self.close(number, note: note, by: author, at: now, db) }
    }

    /// The case-level escalation chain: L0 → L1 → L2 → L3. At L3 it refuses with
    /// `CaseDeskError.levelAtTop`: the next step is a Problem Report.
    @discardableResult
    public func escalateLevel(caseNumber: String, reason: String, by author: Author, at now: Date) throws -> FeedEntry {
        let number = try CaseNumber(parsing: caseNumber)
        return try write { db in try Self.escalateLevel(number, reason: reason, by: author, at: now, db) }
    }

    /// A Problem Report to engineering, linked to the case; only from L3. Ids run `PR-1001`, `PR-1002`, …
    @discardableResult
    public func openProblemReport(caseNumber: String, summary: String, by author: Author, at now: Date) throws -> ProblemReport {
        let number = try CaseNumber(parsing: caseNumber)
        return try write { db in try Self.openProblemReport(number, summary: summary, by: author, at: now, db) }
    }

    // The operations inside a transaction (shared with seeding, which runs in one transaction).

    static func comment(_ number: CaseNumber, text: String, by author: Author, at now: Date, _ db: Database) throws -> FeedEntry {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError(.invalidValue, "the comment is empty", fix: "write the comment's text")
        }
        let lifecycle = try Self.lifecycle(number.text, db)
        return try record(try lifecycle.comment(text, role: author.role, at: now), on: lifecycle, by: author, db)
    }

    static func changePriority(_ number: CaseNumber, to priority: Priority, note: String, by author: Author, at now: Date, _ db: Database) throws -> FeedEntry {
        let (supportCase, lifecycle) = try caseAndLifecycle(number.text, db)
        let event = try lifecycle.changePriority(to: priority, note: note, role: author.role, at: now)
        let policy = try policy(key: supportCase.slaPolicy, db)
        let due = SLAClock.due(createdAt: supportCase.createdAt, targetMinutes: policy.target(for: priority))
        try StoredValues.check(due, "the response due time of case \(number.text) at \(priority.rawValue)")
        let entry = try record(event, on: lifecycle, by: author, db)
        try db.execute(cached: "UPDATE support_case SET response_due_at = ? WHERE number = ?", arguments: [StoredTime.databaseValue(due), number.text])
        return entry
    }

    /// Records an escalation; while one is open the entry joins it (`FeedEntry.joinedEscalation`).
    static func escalate(_ number: CaseNumber, reason: String, channel: EscalationChannel, by author: Author, at now: Date, _ db: Database) throws -> FeedEntry {
        let lifecycle = try Self.lifecycle(number.text, db)
        return try record(try lifecycle.escalate(reason: reason, channel: channel, role: author.role, at: now), on: lifecycle, by: author, db)
    }

    static func setStatus(_ number: CaseNumber, to status: CaseStatus, note: String, by author: Author, at now: Date, _ db: Database) throws -> FeedEntry {
        switch status {
        case .closed:
            return try close(number, note: note, by: author, at: now, db)
        case .escalated:
            return try escalate(number, reason: note.isEmpty ? "escalated" : note, channel: .web, by: author, at: now, db)
        case .new, .open, .pendingCustomer:
            let lifecycle = try Self.lifecycle(number.text, db)
            return try record(try lifecycle.setStatus(status, note: note, role: author.role, at: now), on: lifecycle, by: author, db)
        }
    }

    static func close(_ number: CaseNumber, note: String, by author: Author, at now: Date, _ db: Database) throws -> FeedEntry {
        let lifecycle = try Self.lifecycle(number.text, db)
        return try record(try lifecycle.close(note: note, role: author.role, at: now), on: lifecycle, by: author, db)
    }

    static func escalateLevel(_ number: CaseNumber, reason: String, by author: Author, at now: Date, _ db: Database) throws -> FeedEntry {
        let lifecycle = try Self.lifecycle(number.text, db)
        return try record(try lifecycle.escalateLevel(reason: reason, role: author.role, at: now), on: lifecycle, by: author, db)
    }

    static func openProblemReport(_ number: CaseNumber, summary: String, by author: Author, at now: Date, _ db: Database) throws -> ProblemReport {
        guard !summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError(.invalidValue, "the Problem Report has no summary", fix: "say what engineering should look at with --summary TEXT")
        }
        let lifecycle = try Self.lifecycle(number.text, db)
        let seq = (try Int.fetchOne(db, cached: "SELECT max(seq) FROM problem_report") ?? 1000) + 1
        let id = "PR-\(seq)"
        let entry = try record(try lifecycle.openProblemReport(id: id, summary: summary, role: author.role, at: now), on: lifecycle, by: author, db)
        try db.execute(
            cached: "INSERT INTO problem_report (id, seq, case_number, summary, created_at, created_by, feed_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [id, seq, number.text, summary, StoredTime.databaseValue(now), author.name, entry.id])
        return ProblemReport(id: id, caseNumber: number.text, summary: summary, createdAt: now, createdBy: author.name)
    }

    /// A case's lifecycle: its row, the time of its last feed entry and its open escalation, in one
    /// statement (`lifecycleSQL`). Every change of a case reads it first, inside its write
    /// transaction (an escalation by phone twice: the escalation, then the page); it was a case read
    /// with its account, policy and contact, then one query per feed fact. Throws
    /// `CaseDeskError.caseNotFound` for an unknown case; a bad stored value names its table, case
    /// and column.
    static func lifecycle(_ number: String, _ db: Database) throws -> CaseLifecycle {
        guard let lifecycle = try db.fetchFirst(lifecycleStatement, binding: { $0.add(number) }, { row in try Self.lifecycle(row: row) }) else {
            throw CaseDeskError.caseNotFound(caseNumber: number)
        }
        return lifecycle
    }

    /// The case and its lifecycle, for a change that needs the case's row too (its SLA policy).
    static func caseAndLifecycle(_ number: String, _ db: Database) throws -> (SupportCase, CaseLifecycle) {
        let supportCase = try fetchCase(number, db)
        return (supportCase, try lifecycle(number, db))
    }

    /// The lifecycle's columns: the case's own, then its latest entry's time and its latest
    /// escalation entry (id and ref; the lifecycle keeps it only while the case is escalated).
    static let lifecycleSQL = """
        SELECT c.number, c.priority, c.status, c.level, c.created_at, c.first_response_at, c.closed_at,
               (SELECT at FROM case_feed WHERE case_number = c.number ORDER BY at DESC LIMIT 1) AS last_at,
               e.id AS escalation_id, e.ref AS escalation_ref
        FROM support_case c
        LEFT JOIN case_feed e ON e.id = (SELECT id FROM case_feed WHERE case_number = c.number AND kind = 'escalation' ORDER BY id DESC LIMIT 1)
        WHERE c.number = ?
        """

    static let lifecycleStatement = HeldStatement(lifecycleSQL)

    /// Decodes a row of `lifecycleSQL` (by position), with the same checks as `SupportCase`'s.
    static func lifecycle(row: some StoredColumns) throws(StoreError) -> CaseLifecycle {
        let table = "support_case"
        let number: String = try row.stored(0, "number", table: table, key: "a case")
        // The key names the case only in an error: made then, not for every row.
        let priority = try Priority(parsing: try row.stored(1, "priority", table: table, key: "case \(number)"))
        let status = try CaseStatus(parsing: try row.stored(2, "status", table: table, key: "case \(number)"))
        let level = try SupportLevel(parsing: try row.stored(3, "level", table: table, key: "case \(number)"))
        let createdAt = try row.storedDate(4, "created_at", table: table, key: "case \(number)")
        let firstResponseAt = try row.storedDateIfPresent(5, "first_response_at", table: table, key: "case \(number)")
        let closedAt = try row.storedDateIfPresent(6, "closed_at", table: table, key: "case \(number)")
        // The latest entry's time in the store's own form read in place; anything else as before.
        var last = row.storedTime(at: 7)
        let raw = last == nil ? row.databaseValue(at: 7) : .null
        if !raw.isNull {
            guard let at = StoredTime.date(raw) else {
                throw StoredValues.refusal(column: "at", raw: raw, type: Date.self, table: "case_feed", key: "case \(number)'s latest entry")
            }
            last = at
        }
        var open: String?
        if status == .escalated, let id: Int64 = try row.storedIfPresent(8, "escalation_id", table: "case_feed", key: "case \(number)'s last escalation") {
            open = try row.storedIfPresent(9, "escalation_ref", as: String.self, table: "case_feed", key: "case \(number)'s last escalation")
                ?? CaseLifecycle.escalationID(feedID: id)
        }
        return CaseLifecycle(
            number: number, priority: priority, level: level, status: status, openedAt: createdAt, lastEntryAt: last ?? createdAt,
            firstResponseAt: firstResponseAt, closedAt: closedAt, openEscalation: open)
    }

    /// Appends the entry the lifecycle accepted and stores the case as the lifecycle now says.
    static func record(_ event: CaseEvent, on lifecycle: CaseLifecycle, by author: Author, _ db: Database) throws -> FeedEntry {
        var lifecycle = lifecycle
        let id = try append(
            db,
            FeedDraft(
                caseNumber: lifecycle.number, at: event.at, kind: event.kind, author: author, body: event.body, channel: event.channel,
                priority: event.priority, level: event.level, status: event.status, ref: event.ref))
        lifecycle.apply(event, id: id)
        try db.execute(storeLifecycleStatement) { values in
            values.add(lifecycle.priority.rawValue)
            values.add(lifecycle.level.rawValue)
            values.add(lifecycle.status.rawValue)
            values.add(lifecycle.firstResponseAt)
            values.add(lifecycle.closedAt)
            values.add(lifecycle.number)
        }
        // The entry as it now reads back, without reading it back: the values just written, the
        // time as the database keeps it (to the millisecond; StoredTime reads what it writes).
        let stored = StoredTime.databaseValue(event.at)
        guard let at = StoredTime.date(stored) else {
            throw StoredValues.refusal(column: "at", raw: stored, type: Date.self, table: "case_feed", key: "feed entry \(id)")
        }
        return FeedEntry(
            id: id, caseNumber: lifecycle.number, at: at, kind: event.kind, author: author.name, authorRole: author.role, body: event.body,
            channel: event.channel, priority: event.priority, level: event.level, status: event.status, ref: event.ref)
    }

    static let storeLifecycleStatement = HeldStatement(
        "UPDATE support_case SET priority = ?, level = ?, status = ?, first_response_at = ?, closed_at = ? WHERE number = ?")

    /// What a new case needs.
    public struct NewCase: Sendable, Hashable {
        public var accountID: String
        public var priority: Priority
        public var skill: String
        public var summary: String
        /// The contact who opened it, when known.
        public var contactID: Int64?
        public var owner: String?
        public var level: SupportLevel
        /// `phone` for a case opened from a call, `web` for the Case Center.
        public var channel: EscalationChannel
        /// A fixed number (sample data); `nil` takes the next free one.
        public var number: String?

        public init(
            accountID: String, priority: Priority, skill: String, summary: String, contactID: Int64? = nil, owner: String? = nil,
            level: SupportLevel = .l0, channel: EscalationChannel = .web, number: String? = nil
        ) {
            self.accountID = accountID
            self.priority = priority
            self.skill = skill
            self.summary = summary
            self.contactID = contactID
            self.owner = owner
            self.level = level
            self.channel = channel
            self.number = number
        }
    }

    /// Opens a case: pins the account tier's active SLA policy and computes the response due time.
    @discardableResult
    public func openCase(_ request: NewCase, by author: Author, at now: Date) throws -> SupportCase {
        let account = try AccountNumber(parsing: request.accountID)
        let fixedNumber = try request.number.map { text throws(StoreError) in try CaseNumber(parsing: text) }
        guard !request.summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError(.invalidValue, "the case has no summary", fix: "describe the problem with --summary TEXT")
        }
        if let problem = CaseText.problem(request.summary, as: .summary) {
            throw StoreError(.invalidValue, "\(problem.message); the case was not opened", fix: problem.fix)
        }
        let skill = request.skill.trimmingCharacters(in: .whitespaces).lowercased()
        guard !skill.isEmpty else { throw StoreError(.invalidValue, "the case has no skill/product", fix: "give a skill such as vpn, sso or general") }
        return try write { db in
            try Self.insertCase(request, account: account.text, number: fixedNumber, skill: skill, author: author, at: now, db)
        }
    }

    static func insertCase(
        _ request: NewCase, account: String, number fixedNumber: CaseNumber?, skill: String, author: Author, at now: Date, _ db: Database
    ) throws -> SupportCase {
        let owner = try Self.account(account, db)
        let policy = try Self.activePolicy(tier: owner.tier, db)
        let number: CaseNumber
        if let fixedNumber {
            number = fixedNumber
        } else {
            let highest = try String.fetchOne(db, cached: "SELECT max(number) FROM support_case")
            number = CaseNumber(trusted: highest ?? "00099999").successor
        }
        let due = SLAClock.due(createdAt: now, targetMinutes: policy.target(for: request.priority))
        try StoredValues.check(due, "the response due time of a \(request.priority.rawValue) case opened at \(StoredValues.describe(now))")
        try db.execute(
            cached: """
                INSERT INTO support_case (number, account_id, contact_id, summary, skill, priority, status, level, owner, created_at, sla_policy, response_due_at)
                VALUES (?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?)
                """,
            arguments: [
                number.text, account, request.contactID, request.summary, skill, request.priority.rawValue, request.level.rawValue, request.owner,
                StoredTime.databaseValue(now), policy.key, StoredTime.databaseValue(due),
            ])
        _ = try append(
            db,
            FeedDraft(
                caseNumber: number.text, at: now, kind: .opened, author: author, body: request.summary, channel: request.channel.rawValue,
                priority: request.priority, level: request.level, status: .new))
        return try fetchCase(number.text, db)
    }

    /// Loads an SLA table into the database and makes it the one new cases pin.
    public func install(_ table: SLATable) throws {
        try write { db in try StoreSchema.install(table, in: db) }
    }

    /// The SLA policy new cases of a tier pin now.
    public func activePolicy(tier: Tier) throws -> SLAPolicy {
        try read { db in try Self.activePolicy(tier: tier, db) }
    }

    // MARK: - Transactions and shared queries

    /// One read transaction (see `DatabaseReader.readTransaction`).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.writer.readTransaction(body)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// A caller's look-up during a call (who is calling, the case they typed): a read of a few
    /// rows by key, on the writer's connection, whose cache the call's own writes keep warm (see
    /// `DatabaseWriter.readOnWriter`). Listings and reports use `read`, on the pool.
    func callRead<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.writer.readOnWriter(body)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// `callRead` for one statement: SQLite runs a single statement on one snapshot by itself, so
    /// it needs no `BEGIN` and `COMMIT` of its own (two statements fewer). `body` must run one
    /// statement; two or more need `callRead`, to see one snapshot.
    func callReadStatement<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.writer.readStatementOnWriter(body)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// One write transaction (see `DatabaseWriter.writeTransaction`).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.writer.writeTransaction(body)
        } catch {
            throw Self.mapped(error)
        }
    }

    static func mapped(_ error: any Error) -> any Error {
        switch error {
        case is StoreError, is CaseDeskError, is PagingError: error
        default: StoreError(.database, HotlineDatabase.describe(error), fix: "check the database with `sqlite3 FILE 'PRAGMA integrity_check'`")
        }
    }

    static func account(_ id: String, _ db: Database) throws -> Account {
        guard let account = try db.fetchFirst(cached: Account.byIDSQL, arguments: [id], Account.init(row:)) else { throw accountMissing(id) }
        return account
    }

    static func accountMissing(_ id: String) -> StoreError {
        StoreError(.accountNotFound, "account \(id) does not exist", fix: "list accounts with `hotline cases accounts`, or seed sample data with `hotline db seed`")
    }

    static func fetchCase(_ number: String, _ db: Database) throws -> SupportCase {
        guard let supportCase = try db.fetchFirst(cached: SupportCase.byNumberSQL, arguments: [number], SupportCase.init(row:)) else {
            throw CaseDeskError.caseNotFound(caseNumber: number)
        }
        return supportCase
    }

    static func feed(_ number: String, _ db: Database) throws -> [FeedEntry] {
        try Row.fetchAll(db, cached: FeedEntry.selectSQL + " WHERE case_number = ? ORDER BY id", arguments: [number]).map(FeedEntry.init(row:))
    }

    static func activePolicy(tier: Tier, _ db: Database) throws -> SLAPolicy {
        guard let key = try String.fetchOne(db, cached: "SELECT key FROM sla_policy WHERE tier = ? AND active", arguments: [tier.rawValue]) else {
            throw StoreError(.database, "no active SLA policy for tier \(tier.rawValue)", fix: "load one with `hotline db seed` (Fixtures/sla.yaml)")
        }
        return try policy(key: key, db)
    }

    static func policy(key: String, _ db: Database) throws -> SLAPolicy {
        guard let row = try Row.fetchOne(db, cached: "SELECT * FROM sla_policy WHERE key = ?", arguments: [key]) else {
            throw StoreError(.database, "the SLA policy '\(key)' pinned on a case is missing", fix: "restore the database from a backup")
        }
        let name = "policy '\(key)'"
        return SLAPolicy(
            name: try row.stored("name", table: "sla_policy", key: name), version: try row.stored("version", table: "sla_policy", key: name),
            tier: try Tier(parsing: try row.stored("tier", table: "sla_policy", key: name)),
            targetMinutes: [
                .p1: try row.stored("p1_minutes", table: "sla_policy", key: name), .p2: try row.stored("p2_minutes", table: "sla_policy", key: name),
                .p3: try row.stored("p3_minutes", table: "sla_policy", key: name),
            ], warningPercent: try row.stored("warning_percent", table: "sla_policy", key: name))
    }

    /// A feed entry about to be appended.
    struct FeedDraft {
        var caseNumber: String
        var at: Date
        var kind: FeedKind
        var author: Author
        var body: String
        var channel: String? = nil
        var priority: Priority? = nil
        var level: SupportLevel? = nil
        var status: CaseStatus? = nil
        var ref: String? = nil
    }

    static let appendStatement = HeldStatement(
        """
        INSERT INTO case_feed (case_number, at, kind, author, author_role, body, channel, priority, level, status, ref)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)

    static func append(_ db: Database, _ draft: FeedDraft) throws -> Int64 {
        try StoredValues.check(draft.at, "the time of the \(draft.kind.rawValue) entry on case \(draft.caseNumber)")
        try db.execute(appendStatement) { values in
            values.add(draft.caseNumber)
            values.add(draft.at)
            values.add(draft.kind.rawValue)
            values.add(draft.author.name)
            values.add(draft.author.role.rawValue)
            values.add(draft.body)
            values.add(draft.channel)
            values.add(draft.priority?.rawValue)
            values.add(draft.level?.rawValue)
            values.add(draft.status?.rawValue)
            values.add(draft.ref)
        }
        return db.lastInsertedRowID
    }
}

/// Case Detail: everything the case screen shows.
public struct CaseDetail: Sendable, Hashable, Codable {
    /// The account's designated or dedicated SME, and whether they are on duty at the instant asked.
    public struct SME: Sendable, Hashable, Codable {
        public var name: String
        /// `designated` (CSM-Lite, CSM) or `dedicated` (Resident Engineer).
        public var kind: String
        public var addOn: AddOn
        public var businessHours: String
        public var timeZone: String
        public var onDutyNow: Bool
    }

    public var supportCase: SupportCase
    public var account: Account
    public var sla: SLAStatus
    public var sme: SME?
    public var feedEntries: Int
    public var comments: Int
    public var problemReports: [String]
}
