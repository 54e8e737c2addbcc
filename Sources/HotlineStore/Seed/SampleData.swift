import Foundation
import GRDB
import HotlineCore
import HotlineDiagnostics
import Yams

/// The sample data in `Fixtures/data/` (`accounts.yaml`, `contacts.yaml`, `cases.yaml`), read and
/// checked before anything is written: every error names the file, line and column at fault.
///
/// Case times in `cases.yaml` are relative to the seed time (`age`, `after`), so seeding at any
/// instant gives the same picture: some cases running, some at the SLA warning, some breached.
public struct SampleData: Sendable {
    /// A contact as written in `contacts.yaml`.
    public struct SeedContact: Sendable, Hashable {
        public var name: String
        public var accountID: String
        public var email: String?
        public var phones: [PhoneNumber]
    }

    /// A case as written in `cases.yaml`.
    public struct SeedCase: Sendable, Hashable {
        public var number: CaseNumber
        public var accountID: String
        public var contactName: String?
        public var summary: String
        public var skill: String
        public var priority: Priority
        public var openedPriority: Priority
        public var level: SupportLevel
        public var openedLevel: SupportLevel
        public var status: CaseStatus
        public var owner: String?
        /// Minutes before the seed time the case was opened.
        public var ageMinutes: Int
        public var feed: [SeedEntry]
    }

    /// A feed entry as written in `cases.yaml`.
    public struct SeedEntry: Sendable, Hashable {
        public var afterMinutes: Int
        public var kind: FeedKind
        public var author: CaseStore.Author
        public var text: String
        public var channel: EscalationChannel?
        public var priority: Priority?
        public var status: CaseStatus?
    }

    public var accounts: [Account]
    public var contacts: [SeedContact]
    public var cases: [SeedCase]

    /// Reads and checks the three files in `folder`.
    public static func load(folder: String) throws(StoreError) -> SampleData {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError(.fixture, "the sample-data folder \(folder) does not exist", fix: "run from the repository root, or name a folder with accounts.yaml, contacts.yaml and cases.yaml (`hotline db seed --fixtures DIR`)")
        }
        let accounts = try loadAccounts(path("accounts.yaml"))
        let contacts = try loadContacts(path("contacts.yaml"), accounts: accounts)
        let cases = try loadCases(path("cases.yaml"), accounts: accounts, contacts: contacts)
        return SampleData(accounts: accounts, contacts: contacts, cases: cases)
    }

    private static func items(_ document: YAMLDocument, key: String) throws(StoreError) -> [Yams.Node] {
        let root = try document.mapping(document.node, what: "the file")
        guard let list = root.first(where: { $0.0 == key })?.1 else {
            throw StoreError.fixture(file: document.file, line: 1, column: 1, "the file has no `\(key):` list", fix: "start the file with `\(key):` and one `- …` item per entry")
        }
        return try document.sequence(list, what: "`\(key)`")
    }

    private static func fields(_ document: YAMLDocument, _ node: Yams.Node, what: String, allowed: Set<String>) throws(StoreError) -> [String: Yams.Node] {
        var result: [String: Yams.Node] = [:]
        for (key, value) in try document.mapping(node, what: what) {
            guard allowed.contains(key) else {
                let hint = Suggestions.closest(to: key, in: allowed.sorted())
                throw document.error(value, "unknown key '\(key)' in \(what)" + (hint.map { "; did you mean `\($0)`?" } ?? ""), fix: "use: " + allowed.sorted().joined(separator: ", "))
            }
            result[key] = value
        }
        return result
    }

    private static func required(_ document: YAMLDocument, _ fields: [String: Yams.Node], _ key: String, in node: Yams.Node, what: String) throws(StoreError) -> String {
        guard let value = fields[key] else { throw document.error(node, "\(what) has no `\(key)`", fix: "add `\(key): …`") }
        let text = try document.string(value, what: "`\(key)`")
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw document.error(value, "`\(key)` is empty", fix: "give it a value") }
        return text
    }

    /// Runs a parser whose error has no position, and gives it the node's position.
    private static func at<T>(_ document: YAMLDocument, _ node: Yams.Node, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw document.error(node, error.message, fix: error.fix)
        }
    }

    static func loadAccounts(_ file: String) throws(StoreError) -> [Account] {
        let document = try YAMLDocument.load(path: file)
        var accounts: [Account] = []
        var seen: Set<String> = []
        let allowed: Set<String> = ["id", "name", "tier", "users", "add_on", "sme", "time_zone", "hours"]
        for node in try document.withRecorded({ () throws(StoreError) in try items(document, key: "accounts") }) {
            _ = document.each { () throws(StoreError) in
                let fields = try fields(document, node, what: "an account", allowed: allowed)
                let idText = try required(document, fields, "id", in: node, what: "an account")
                let id = try at(document, fields["id"] ?? node) { () throws(StoreError) in try AccountNumber(parsing: idText) }
                guard seen.insert(id.text).inserted else { throw document.error(fields["id"] ?? node, "account \(id.text) is listed twice", fix: "give each account its own 6-digit id") }
                let tierText = try required(document, fields, "tier", in: node, what: "account \(id.text)")
                let tier = try at(document, fields["tier"] ?? node) { () throws(StoreError) in try Tier(parsing: tierText) }
                var addOn: AddOn?
                if let addOnNode = fields["add_on"] {
                    let text = try document.string(addOnNode, what: "`add_on`")
                    addOn = try at(document, addOnNode) { () throws(StoreError) in try AddOn(parsing: text) }
                    guard tier == .platinum else { throw document.error(addOnNode, "add-on \(text) is for Platinum accounts only (the seed's table)", fix: "make the account `tier: platinum`, or remove `add_on`") }
                }
                let sme = try fields["sme"].map { node throws(StoreError) in try document.string(node, what: "`sme`") }
                if addOn != nil && sme == nil { throw document.error(node, "account \(id.text) has an add-on but no `sme`", fix: "name the designated or dedicated SME with `sme: NAME`") }
                if addOn == nil, let smeNode = fields["sme"] { throw document.error(smeNode, "`sme` without an add-on", fix: "add `add_on: csm-lite | csm | resident-engineer`, or remove `sme`") }
                let zone = try required(document, fields, "time_zone", in: node, what: "account \(id.text)")
                let hours = try required(document, fields, "hours", in: node, what: "account \(id.text)")
                let users = try fields["users"].map { node throws(StoreError) in try document.int(node, what: "`users`") }
                if tier == .platinum, let users, users < 250, let usersNode = fields["users"] {
                    throw document.error(usersNode, "a Platinum account has 250 or more users (the seed's table); this one has \(users)", fix: "make it `tier: gold`, or correct `users`")
                }
                let account = Account(
                    id: id.text, name: try required(document, fields, "name", in: node, what: "account \(id.text)"), tier: tier, users: users, addOn: addOn,
                    smeName: sme, timeZone: zone, businessHours: hours)
                _ = try at(document, fields["hours"] ?? node) { () throws(StoreError) in try account.calendar() }
                accounts.append(account)
            }
        }
        try document.throwIfErrors()
        return accounts
    }

    static func loadContacts(_ file: String, accounts: [Account]) throws(StoreError) -> [SeedContact] {
        let document = try YAMLDocument.load(path: file)
        let accountIDs = Set(accounts.map(\.id))
        var contacts: [SeedContact] = []
        var phonesSeen: Set<PhoneNumber> = []
        var namesSeen: Set<String> = []
        for node in try document.withRecorded({ () throws(StoreError) in try items(document, key: "contacts") }) {
            _ = document.each { () throws(StoreError) in
                let fields = try fields(document, node, what: "a contact", allowed: ["name", "account", "email", "phones"])
                let name = try required(document, fields, "name", in: node, what: "a contact")
                let account = try required(document, fields, "account", in: node, what: "a contact")
                guard accountIDs.contains(account) else { throw document.error(fields["account"] ?? node, "account \(account) is not in accounts.yaml", fix: "add the account, or correct the number") }
                guard namesSeen.insert("\(account)/\(name)").inserted else { throw document.error(node, "a contact of account \(account) is listed twice", fix: "list each contact once") }
                guard let phonesNode = fields["phones"] else { throw document.error(node, "a contact has no `phones`", fix: "add `phones: [\"+1 408 555 0100\"]`") }
                var phones: [PhoneNumber] = []
                for phoneNode in try document.sequence(phonesNode, what: "`phones`") {
                    let text = try document.string(phoneNode, what: "a phone number")
                    let phone = try at(document, phoneNode) { () throws(StoreError) in try PhoneNumber(parsing: text) }
                    guard phonesSeen.insert(phone).inserted else { throw document.error(phoneNode, "this phone number belongs to two contacts", fix: "a phone number identifies one contact; remove one") }
                    phones.append(phone)
                }
                guard !phones.isEmpty else { throw document.error(phonesNode, "a contact needs at least one phone number", fix: "add `phones: [\"+1 408 555 0100\"]`") }
                let email = try fields["email"].map { node throws(StoreError) in try document.string(node, what: "`email`") }
                contacts.append(SeedContact(name: name, accountID: account, email: email, phones: phones))
            }
        }
        try document.throwIfErrors()
        return contacts
    }

    static func loadCases(_ file: String, accounts: [Account], contacts: [SeedContact]) throws(StoreError) -> [SeedCase] {
        let document = try YAMLDocument.load(path: file)
        let accountIDs = Set(accounts.map(\.id))
        var cases: [SeedCase] = []
        var numbers: Set<CaseNumber> = []
        let allowed: Set<String> = ["number", "account", "contact", "summary", "skill", "priority", "opened_priority", "level", "status", "owner", "age", "feed"]
        for node in try document.withRecorded({ () throws(StoreError) in try items(document, key: "cases") }) {
            _ = document.each { () throws(StoreError) in
                let fields = try fields(document, node, what: "a case", allowed: allowed)
                let numberText = try required(document, fields, "number", in: node, what: "a case")
                let number = try at(document, fields["number"] ?? node) { () throws(StoreError) in try CaseNumber(parsing: numberText) }
                guard numbers.insert(number).inserted else { throw document.error(fields["number"] ?? node, "case \(number) is listed twice", fix: "give each case its own 8-digit number") }
                let what = "case \(number)"
                let account = try required(document, fields, "account", in: node, what: what)
                guard accountIDs.contains(account) else { throw document.error(fields["account"] ?? node, "account \(account) is not in accounts.yaml", fix: "add the account, or correct the number") }
                let contactName = try fields["contact"].map { node throws(StoreError) in try document.string(node, what: "`contact`") }
                if let contactName, let contactNode = fields["contact"], !contacts.contains(where: { $0.name == contactName && $0.accountID == account }) {
                    throw document.error(contactNode, "\(what): this contact is not a contact of account \(account) in contacts.yaml", fix: "use the name exactly as in contacts.yaml")
                }
                func word<T>(_ key: String, _ parse: (String) throws(StoreError) -> T) throws(StoreError) -> T {
                    let text = try required(document, fields, key, in: node, what: what)
                    return try at(document, fields[key] ?? node) { () throws(StoreError) in try parse(text) }
                }
                let priority = try word("priority") { text throws(StoreError) in try Priority(parsing: text) }
                let openedPriority = try fields["opened_priority"] == nil ? priority : word("opened_priority") { text throws(StoreError) in try Priority(parsing: text) }
                let level = try word("level") { text throws(StoreError) in try SupportLevel(parsing: text) }
                let status = try word("status") { text throws(StoreError) in try CaseStatus(parsing: text) }
                let ageNode = fields["age"] ?? node
                guard fields["age"] != nil else { throw document.error(node, "\(what) has no `age`", fix: "say how long before the seed time it was opened, e.g. `age: 12m`") }
                let age = try document.minutes(ageNode, what: "`age`")
                var feed: [SeedEntry] = []
                var levelSteps = 0
                var lastAfter = 0
                if let feedNode = fields["feed"] {
                    for entryNode in try document.sequence(feedNode, what: "`feed`") {
                        let entry = try loadEntry(document, entryNode, what: what, age: age)
                        guard entry.afterMinutes >= lastAfter else { throw document.error(entryNode, "feed entries must be in time order", fix: "sort the entries by `after`") }
                        lastAfter = entry.afterMinutes
                        if entry.kind == .level { levelSteps += 1 }
                        feed.append(entry)
                    }
                }
                let levels = SupportLevel.allCases
                guard let levelIndex = levels.firstIndex(of: level), levelIndex >= levelSteps else {
                    throw document.error(fields["level"] ?? node, "\(what) ends at \(level.rawValue) but its feed has \(levelSteps) level steps", fix: "each `level` entry raises the case one level; the case starts at `level` minus the steps")
                }
                cases.append(
                    SeedCase(
                        number: number, accountID: account, contactName: contactName, summary: try required(document, fields, "summary", in: node, what: what),
                        skill: try required(document, fields, "skill", in: node, what: what), priority: priority, openedPriority: openedPriority, level: level,
                        openedLevel: levels[levelIndex - levelSteps], status: status,
                        owner: try fields["owner"].map { node throws(StoreError) in try document.string(node, what: "`owner`") }, ageMinutes: age, feed: feed))
            }
        }
        try document.throwIfErrors()
        return cases
    }

    private static func loadEntry(_ document: YAMLDocument, _ node: Yams.Node, what: String, age: Int) throws(StoreError) -> SeedEntry {
        let fields = try fields(document, node, what: "a feed entry", allowed: ["after", "kind", "by", "role", "text", "channel", "to"])
        guard let afterNode = fields["after"] else { throw document.error(node, "a feed entry of \(what) has no `after`", fix: "say how long after opening it was written, e.g. `after: 5m`") }
        let after = try document.minutes(afterNode, what: "`after`")
        guard after <= age else { throw document.error(afterNode, "this entry would be written after the seed time (`after` is more than the case's `age`)", fix: "make `after` at most the case's age") }
        let kindText = try required(document, fields, "kind", in: node, what: "a feed entry")
        guard let kind = FeedKind(rawValue: kindText), kind != .opened else {
            throw document.error(fields["kind"] ?? node, "'\(kindText)' is not a feed kind a sample case can have", fix: "use comment, priority, level, escalation, problem-report, status or close")
        }
        let by = try required(document, fields, "by", in: node, what: "a feed entry")
        let roleText = try fields["role"].map { node throws(StoreError) in try document.string(node, what: "`role`") } ?? "support"
        let role = try at(document, fields["role"] ?? node) { () throws(StoreError) in try AuthorRole(parsing: roleText) }
        let text = try fields["text"].map { node throws(StoreError) in try document.string(node, what: "`text`") } ?? ""
        var entry = SeedEntry(afterMinutes: after, kind: kind, author: CaseStore.Author(by, role: role), text: text)
        switch kind {
        case .escalation:
            let channelText = try required(document, fields, "channel", in: node, what: "an escalation")
            guard let channel = EscalationChannel(rawValue: channelText) else { throw document.error(fields["channel"] ?? node, "channel '\(channelText)' is not phone or web", fix: "write `channel: phone` or `channel: web`") }
            entry.channel = channel
        case .priority:
            let to = try required(document, fields, "to", in: node, what: "a priority entry")
            entry.priority = try at(document, fields["to"] ?? node) { () throws(StoreError) in try Priority(parsing: to) }
        case .status:
            let to = try required(document, fields, "to", in: node, what: "a status entry")
            entry.status = try at(document, fields["to"] ?? node) { () throws(StoreError) in try CaseStatus(parsing: to) }
        case .comment, .problemReport:
            guard !text.isEmpty else { throw document.error(node, "a \(kind.rawValue) entry needs `text`", fix: "add `text: …`") }
        case .opened, .level, .close:
            break
        }
        return entry
    }
}

/// What `db seed` wrote.
public struct SeedSummary: Sendable, Hashable, Codable {
    public var seededAt: Date
    public var slaTable: String
    public var accounts: Int
    public var contacts: Int
    public var phoneNumbers: Int
    public var cases: Int
    public var feedEntries: Int
    /// Cases at the SLA warning (75 % used) or breached at the seed time, for the demo.
    public var warning: [String]
    public var breached: [String]
}

extension CaseStore {
    /// Loads an SLA table and the sample data in ONE transaction, with every case time relative
    /// to `now`. A database that already holds accounts is refused (`StoreError.alreadySeeded`)
    /// unless `reset` is set, which first deletes the case store's rows (accounts, contacts,
    /// cases, feeds, Problem Reports, call records, lookup failures) in the same transaction.
    public func seed(_ data: SampleData, sla: SLATable, at now: Date, reset: Bool) throws -> SeedSummary {
        try write { db in
            let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0
            if existing > 0 {
                guard reset else {
                    throw StoreError(
                        .alreadySeeded, "\(database.path) already holds \(existing) accounts; nothing was changed",
                        fix: "add --reset to replace the case data with fresh sample data, or use another --db")
                }
                // The feed's delete trigger allows deleting entries only with their case.
                try db.execute(sql: """
                    DELETE FROM lookup_failure; DELETE FROM call_record; DELETE FROM problem_report;
                    DELETE FROM support_case; DELETE FROM contact_phone; DELETE FROM contact; DELETE FROM account;
                    """)
            }
            try StoreSchema.install(sla, in: db)
            var contactIDs: [String: Int64] = [:]
            for account in data.accounts {
                try db.execute(
                    sql: "INSERT INTO account (id, name, tier, users, add_on, sme_name, time_zone, business_hours) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [account.id, account.name, account.tier.rawValue, account.users, account.addOn?.rawValue, account.smeName, account.timeZone, account.businessHours])
            }
            var phones = 0
            for contact in data.contacts {
                try db.execute(sql: "INSERT INTO contact (account_id, name, email) VALUES (?, ?, ?)", arguments: [contact.accountID, contact.name, contact.email])
                let id = db.lastInsertedRowID
                contactIDs["\(contact.accountID)/\(contact.name)"] = id
                for phone in contact.phones {
                    try db.execute(sql: "INSERT INTO contact_phone (e164, contact_id) VALUES (?, ?)", arguments: [phone.e164, id])
                    phones += 1
                }
            }
            var warning: [String] = []
            var breached: [String] = []
            for seedCase in data.cases {
                let created = now.addingTimeInterval(-TimeInterval(seedCase.ageMinutes * 60))
                let contactID = seedCase.contactName.flatMap { contactIDs["\(seedCase.accountID)/\($0)"] }
                let opener = Author(seedCase.contactName ?? "customer", role: .customer)
                let request = NewCase(
                    accountID: seedCase.accountID, priority: seedCase.openedPriority, skill: seedCase.skill, summary: seedCase.summary, contactID: contactID,
                    owner: seedCase.owner, level: seedCase.openedLevel, channel: .web, number: seedCase.number.text)
                _ = try Self.insertCase(request, account: seedCase.accountID, number: seedCase.number, skill: seedCase.skill, author: opener, at: created, db)
                var last = created
                for entry in seedCase.feed {
                    let at = created.addingTimeInterval(TimeInterval(entry.afterMinutes * 60))
                    last = at
                    try Self.apply(entry, to: seedCase.number, at: at, db)
                }
                let current = try Self.fetchCase(seedCase.number.text, db)
                guard current.priority == seedCase.priority, current.level == seedCase.level else {
                    throw StoreError(.fixture, "case \(seedCase.number) in cases.yaml ends at \(current.priority.rawValue)/\(current.level.rawValue), not \(seedCase.priority.rawValue)/\(seedCase.level.rawValue)", fix: "set `opened_priority`, or the case's priority and level, to agree with its feed")
                }
                if current.status != seedCase.status {
                    let at = min(last.addingTimeInterval(60), now)
                    let system = Author("system", role: .system)
                    _ = try Self.setStatus(seedCase.number, to: seedCase.status, note: seedCase.status == .escalated ? "Escalated by the customer" : "", by: system, at: at, db)
                }
                let sla = try Self.fetchCase(seedCase.number.text, db).sla(at: now)
                switch sla.state {
                case .warning: warning.append(seedCase.number.text)
                case .breached: breached.append(seedCase.number.text)
                case .running, .met: break
                }
            }
            let feedEntries = try Int.fetchOne(db, sql: "SELECT count(*) FROM case_feed") ?? 0
            return SeedSummary(
                seededAt: now, slaTable: "\(sla.name) v\(sla.version)", accounts: data.accounts.count, contacts: data.contacts.count, phoneNumbers: phones,
                cases: data.cases.count, feedEntries: feedEntries, warning: warning, breached: breached)
        }
    }

    static func apply(_ entry: SampleData.SeedEntry, to number: CaseNumber, at: Date, _ db: Database) throws {
        switch entry.kind {
        case .comment:
            _ = try comment(number, text: entry.text, by: entry.author, at: at, db)
        case .priority:
            guard let priority = entry.priority else { preconditionFailure("loadEntry requires `to` on priority entries") }
            _ = try changePriority(number, to: priority, note: entry.text, by: entry.author, at: at, db)
        case .level:
            _ = try escalateLevel(number, reason: entry.text, by: entry.author, at: at, db)
        case .escalation:
            _ = try escalate(number, reason: entry.text, channel: entry.channel ?? .web, by: entry.author, at: at, db)
        case .problemReport:
            _ = try openProblemReport(number, summary: entry.text, by: entry.author, at: at, db)
        case .status:
            guard let status = entry.status else { preconditionFailure("loadEntry requires `to` on status entries") }
            _ = try setStatus(number, to: status, note: entry.text, by: entry.author, at: at, db)
        case .close:
            _ = try close(number, note: entry.text, by: entry.author, at: at, db)
        case .opened:
            preconditionFailure("loadEntry refuses `opened` entries")
        }
    }
}
