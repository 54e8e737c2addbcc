import Foundation
import GRDB
import HotlineApp
import HotlineDiagnostics
import HotlineRota
import HotlineStore
import HummingbirdBcrypt

/// Who a web user is, and so what they may see (enforced on the server for every route).
public enum WebRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// A person at a customer: their own account's cases only.
    case customer
    /// A support agent: every case, the desk.
    case agent
    /// An Escalation Manager: escalated cases, the desk, pages and their acknowledgement.
    case manager
    /// A trainer: every case, the desk and the live console.
    case trainer

    public init(parsing text: String) throws(WebError) {
        guard let role = WebRole(rawValue: text.lowercased()) else {
            throw WebError("role '\(text)' is not one of customer, agent, manager, trainer", fix: "pass --role customer|agent|manager|trainer")
        }
        self = role
    }
}

/// A problem with a web user, a sign-in or the web server's input, said so a person can fix it.
/// Never carries a password.
public struct WebError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var fix: String?
    public init(_ message: String, fix: String? = nil) {
        self.message = message
        self.fix = fix
    }
    public var description: String { message + (fix.map { " (fix: \($0))" } ?? "") }
}

/// A user of the web pages. A customer is tied to a contact, and so to the contact's account.
public struct WebUser: Sendable, Hashable, Codable {
    public var id: Int64
    public var email: String
    public var role: WebRole
    public var contactID: Int64?
    /// The contact's account (customers); `nil` when the contact no longer exists (database re-seeded).
    public var accountID: String?
    public var contactName: String?
    /// The routing agent this sign-in is (agents, `hotline users add … --agent AGENT-ID`): the desk
    /// shows the calls routed to that agent.
    public var agentID: String?

    /// The name written on a case's feed for what this user does.
    public var displayName: String { contactName ?? email }
}

/// A signed-in browser: the session id is the cookie, the CSRF token goes in every form.
public struct WebSession: Sendable, Hashable {
    public var id: String
    public var csrf: String
    public var user: WebUser
    public var expiresAt: Date
}

/// Users, sessions and failed sign-ins, in the line's SQLite file (tables `web_user`,
/// `web_session`, `web_login_failure`), so sessions survive a restart of the server.
public struct WebStore: Sendable {
    public let database: HotlineDatabase
    /// bcrypt's cost: 10 for real passwords; tests may lower it (4 is bcrypt's minimum).
    public var bcryptCost: UInt8
    /// How long a session lasts after sign-in.
    public static let sessionLifetime: TimeInterval = 12 * 3600
    /// Failed sign-ins counted within this window, per account and per address…
    public static let failureWindow: TimeInterval = 15 * 60
    /// …before sign-in is refused for a while, doubling with each further failure.
    public static let freeFailures = 5

    public init(database: HotlineDatabase, bcryptCost: UInt8 = 10) {
        self.database = database
        self.bcryptCost = max(4, min(bcryptCost, 31))
    }

    /// The web tables, registered beside the case store's and the page store's.
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("web-v1") { db in
            try db.create(table: "web_user") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("email", .text).notNull().unique().collate(.nocase)
                table.column("password_hash", .text).notNull()
                table.column("role", .text).notNull().check { ["customer", "agent", "manager", "trainer"].contains($0) }
                // Not a foreign key: re-seeding replaces contacts, and must not be refused because of a web user.
                table.column("contact_id", .integer)
                table.column("created_at", .double).notNull()
            }
            try db.create(table: "web_session") { table in
                table.primaryKey("id", .text)
                table.column("user_id", .integer).notNull().references("web_user", onDelete: .cascade)
                table.column("csrf", .text).notNull()
                table.column("created_at", .double).notNull()
                table.column("expires_at", .double).notNull()
                table.column("flash", .text)
            }
            try db.create(table: "web_login_failure") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("key", .text).notNull()
                table.column("at", .double).notNull()
            }
            try db.create(index: "web_login_failure_key", on: "web_login_failure", columns: ["key", "at"])
        }
        migrator.registerMigration("web-v2-agent") { db in
            // The routing agent (id in the agents file) an agent's sign-in is; checked when added.
            try db.alter(table: "web_user") { table in table.add(column: "agent_id", .text) }
        }
        // `role IN (…)` made SQLite build a temporary table of the four roles on every insert and
        // update of a user; the same rule as comparisons builds none (as the store's `checks-v2`).
        migrator.registerMigration("web-v3-checks") { db in
            try ValueListCheckRewrite.apply(WebStore.valueListChecks, in: db)
        }
    }

    /// The web's CHECKs that `web-v1` wrote with `IN`, which `web-v3-checks` writes as comparisons.
    public static let valueListChecks = [ValueListCheck(table: "web_user", column: "\"role\"", values: ["customer", "agent", "manager", "trainer"])]

    /// The line's database with every table: the store's own (cases, pages) and the web's.
    public static func openDatabase(path: String) throws -> HotlineDatabase {
        try HotlineDatabase.open(path: path, extraMigrations: [{ WebStore.registerMigrations(&$0) }])
    }

    // MARK: - Users

    static let selectUser = """
        SELECT u.id, u.email, u.role, u.contact_id, u.agent_id, c.account_id, c.name AS contact_name
        FROM web_user u LEFT JOIN contact c ON c.id = u.contact_id
        """

    static func user(_ row: Row) -> WebUser {
        WebUser(
            id: row["id"], email: row["email"], role: WebRole(rawValue: row["role"]) ?? .customer, contactID: row["contact_id"],
            accountID: row["account_id"], contactName: row["contact_name"], agentID: row["agent_id"])
    }

    /// Checks an email address enough to catch typing mistakes.
    static func checkEmail(_ email: String) throws(WebError) -> String {
        let trimmed = email.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 254, trimmed.contains("@"), !trimmed.hasPrefix("@"), !trimmed.hasSuffix("@"),
            !trimmed.contains(where: { $0.isWhitespace || $0.isNewline })
        else {
            throw WebError("'\(trimmed.prefix(80))' is not an email address", fix: "write it as name@example.com")
        }
        return trimmed.lowercased()
    }

    /// Adds a user. A customer needs `contact` (a phone number or email of a contact in the
    /// database); the others must not have one. An agent may be linked to a routing agent with
    /// `agent`, which must be one of `routingAgents` (the ids of the line's agents file).
    @discardableResult
    public func addUser(
        email: String, password: String, role: WebRole, contact: String?, agent: String? = nil, routingAgents: [String] = [], at now: Date
    ) throws -> WebUser {
        let email = try Self.checkEmail(email)
        guard password.utf8.count >= 8, password.utf8.count <= 72 else {
            throw WebError("the password must be 8 to 72 bytes long", fix: "choose another password")
        }
        var contactID: Int64?
        switch role {
        case .customer:
            guard let contact, !contact.isEmpty else {
                throw WebError("a customer must be tied to a contact", fix: "pass --contact with the contact's phone number or email")
            }
            contactID = try findContact(contact).id
        case .agent, .manager, .trainer:
            if contact != nil {
                throw WebError("only customers are tied to a contact", fix: "leave out --contact for the role \(role.rawValue)")
            }
        }
        if let agent {
            guard role == .agent else {
                throw WebError("only agents are linked to a routing agent", fix: "leave out --agent for the role \(role.rawValue), or pass --role agent")
            }
            guard routingAgents.contains(agent) else {
                throw WebError(
                    "'\(agent.prefix(80))' is no agent of the routing file",
                    fix: Suggestions.fix(for: agent, in: routingAgents, what: "the agents"))
            }
        }
        let hash = Bcrypt.hash(password, cost: bcryptCost)
        do {
            try database.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO web_user (email, password_hash, role, contact_id, agent_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [email, hash, role.rawValue, contactID, agent, now.timeIntervalSince1970])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw WebError("a user \(email) already exists", fix: "remove it first with `hotline users remove \(email)`")
        }
        guard let user = try user(email: email) else { throw WebError("the user \(email) was not saved") }
        return user
    }

    /// Links an agent's sign-in that has no link yet to the routing agent `agent` (one of
    /// `routingAgents`). Returns whether it linked: `false` for a user that does not exist, is no
    /// agent or is linked already (a link is never changed here).
    @discardableResult
    public func linkUnlinkedAgent(email: String, to agent: String, routingAgents: [String]) throws -> Bool {
        guard routingAgents.contains(agent) else {
            throw WebError("'\(agent.prefix(80))' is no agent of the routing file", fix: Suggestions.fix(for: agent, in: routingAgents, what: "the agents"))
        }
        return try database.writer.write { db in
            try db.execute(
                sql: "UPDATE web_user SET agent_id = ? WHERE email = ? AND role = ? AND agent_id IS NULL",
                arguments: [agent, email.lowercased(), WebRole.agent.rawValue])
            return db.changesCount > 0
        }
    }

    /// The contact a phone number (any common form) or an email address names.
    public func findContact(_ text: String) throws -> Contact {
        let contacts = try CaseStore(database: database).contacts()
        let phone = try? PhoneNumber(parsing: text)
        let wanted = text.lowercased()
        if let found = contacts.first(where: { contact in
            contact.email?.lowercased() == wanted || (phone.map { contact.phones.contains($0.e164) } ?? false)
        }) {
            return found
        }
        throw WebError("no contact has the phone number or email '\(text.prefix(80))'", fix: "list contacts with `hotline cases accounts` or seed the database with `hotline db seed`")
    }

    public func users() throws -> [WebUser] {
        try database.writer.readTransaction { db in try Row.fetchAll(db, sql: Self.selectUser + " ORDER BY u.role, u.email").map(Self.user) }
    }

    public func user(email: String) throws -> WebUser? {
        try database.writer.readTransaction { db in
            try Row.fetchOne(db, sql: Self.selectUser + " WHERE u.email = ?", arguments: [email.lowercased()]).map(Self.user)
        }
    }

    /// Removes a user and signs out their sessions. Returns whether the user existed.
    public func removeUser(email: String) throws -> Bool {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM web_user WHERE email = ?", arguments: [email.lowercased()])
            return db.changesCount > 0
        }
    }

    // MARK: - Sign-in

    /// What a sign-in attempt came to.
    public enum SignIn: Sendable, Hashable {
        case signedIn(WebSession)
        /// Wrong email or password (the same answer for both).
        case refused
        /// Too many recent failures for this account or address: try again after this instant.
        case slowedDown(until: Date)
    }

    /// Checks a password and opens a new session (a new id, never one the browser brought).
    /// Failures are counted per account and per address; past `freeFailures` within the window,
    /// attempts are refused unchecked until a delay that doubles with each failure has passed.
    public func signIn(email: String, password: String, address: String, at now: Date) throws -> SignIn {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let keys = ["account:" + email, "address:" + address]
        if let until = try blockedUntil(keys: keys, at: now) { return .slowedDown(until: until) }
        let stored: (Int64, String)? = try database.writer.readTransaction { db in
            try Row.fetchOne(db, sql: "SELECT id, password_hash FROM web_user WHERE email = ?", arguments: [email]).map { ($0[0], $0[1]) }
        }
        // An unknown email costs the same bcrypt work as a known one.
        let hash = stored?.1 ?? Self.unknownUserHash
        let matches = Bcrypt.verify(password, hash: hash)
        guard matches, let userID = stored?.0 else {
            try database.writer.write { db in
                for key in keys {
                    try db.execute(sql: "INSERT INTO web_login_failure (key, at) VALUES (?, ?)", arguments: [key, now.timeIntervalSince1970])
                }
                try db.execute(sql: "DELETE FROM web_login_failure WHERE at < ?", arguments: [now.timeIntervalSince1970 - 86_400])
            }
            return .refused
        }
        let session = try database.writer.write { db -> WebSession? in
            try db.execute(sql: "DELETE FROM web_login_failure WHERE key = ?", arguments: [keys[0]])
            try db.execute(sql: "DELETE FROM web_session WHERE expires_at < ?", arguments: [now.timeIntervalSince1970])
            let id = Self.token()
            let csrf = Self.token()
            let expires = now.addingTimeInterval(Self.sessionLifetime)
            try db.execute(
                sql: "INSERT INTO web_session (id, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, userID, csrf, now.timeIntervalSince1970, expires.timeIntervalSince1970])
            guard let user = try Row.fetchOne(db, sql: Self.selectUser + " WHERE u.id = ?", arguments: [userID]).map(Self.user) else { return nil }
            return WebSession(id: id, csrf: csrf, user: user, expiresAt: expires)
        }
        return session.map { .signedIn($0) } ?? .refused
    }

    /// A hash checked against when the email is unknown, so that costs the same time.
    static let unknownUserHash = Bcrypt.hash("no such user", cost: 10)

    func blockedUntil(keys: [String], at now: Date) throws -> Date? {
        try database.writer.readTransaction { db in
            var latest: Date?
            for key in keys {
                let times = try Double.fetchAll(
                    db, sql: "SELECT at FROM web_login_failure WHERE key = ? AND at > ? ORDER BY at",
                    arguments: [key, now.timeIntervalSince1970 - Self.failureWindow])
                guard times.count >= Self.freeFailures, let last = times.last else { continue }
                let delay = min(Self.failureWindow, 30 * pow(2, Double(times.count - Self.freeFailures)))
                let until = Date(timeIntervalSince1970: last + delay)
                if until > now, until > (latest ?? .distantPast) { latest = until }
            }
            return latest
        }
    }

    /// 32 random bytes from the system's secure generator, as hex.
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    // MARK: - Sessions

    /// The live session with this id, or `nil` (unknown, expired, or its user removed).
    public func session(id: String, at now: Date) throws -> WebSession? {
        guard id.count == 64, id.allSatisfy(\.isHexDigit) else { return nil }
        return try database.writer.readTransaction { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT user_id, csrf, expires_at FROM web_session WHERE id = ?", arguments: [id]) else { return nil }
            let expires = Date(timeIntervalSince1970: row["expires_at"])
            guard expires > now else { return nil }
            let userID: Int64 = row["user_id"]
            guard let user = try Row.fetchOne(db, sql: Self.selectUser + " WHERE u.id = ?", arguments: [userID]).map(Self.user) else { return nil }
            return WebSession(id: id, csrf: row["csrf"], user: user, expiresAt: expires)
        }
    }

    public func signOut(sessionID: String) throws {
        try database.writer.write { db in try db.execute(sql: "DELETE FROM web_session WHERE id = ?", arguments: [sessionID]) }
    }

    /// A message shown once on the next page of this session.
    public func setFlash(_ text: String, sessionID: String) throws {
        try database.writer.write { db in try db.execute(sql: "UPDATE web_session SET flash = ? WHERE id = ?", arguments: [text, sessionID]) }
    }

    public func takeFlash(sessionID: String) throws -> String? {
        try database.writer.write { db in
            let text = try String.fetchOne(db, sql: "SELECT flash FROM web_session WHERE id = ?", arguments: [sessionID])
            if text != nil { try db.execute(sql: "UPDATE web_session SET flash = NULL WHERE id = ?", arguments: [sessionID]) }
            return text
        }
    }
}
