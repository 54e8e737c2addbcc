import Foundation

/// Parses a word of the store's vocabulary, case-insensitively, with an error that lists the choices.
private func parseWord<T: RawRepresentable & CaseIterable>(_ text: String, as what: String, _: T.Type) throws(StoreError) -> T
where T.RawValue == String {
    // Stored values are written as their raw values: found at once, no trimming or lowercasing.
    if let exact = T(rawValue: text) { return exact }
    let wanted = text.trimmingWhitespace.lowercased()
    for value in T.allCases where value.rawValue.lowercased() == wanted {
        return value
    }
    let choices = T.allCases.map(\.rawValue).joined(separator: ", ")
    let article = "aeiou".contains(what.first ?? "x") ? "an" : "a"
    throw StoreError(.invalidValue, "'\(text)' is not \(article) \(what)", fix: "use one of: \(choices)")
}

/// A support contract tier (the seed's table columns).
public enum Tier: String, Sendable, Hashable, Codable, CaseIterable {
    case gold
    /// Platinum: for customers with 250 or more users.
    case platinum

    public init(parsing text: String) throws(StoreError) { self = try parseWord(text, as: "contract tier", Tier.self) }

    public var label: String {
        switch self {
        case .gold: "Gold"
        case .platinum: "Platinum"
        }
    }
}

/// A case priority: P1 is the most urgent.
public enum Priority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"

    /// Accepts `P1`, `p1` or `1` (the keypad digit).
    public init(parsing text: String) throws(StoreError) {
        let trimmed = text.trimmingWhitespace
        if let value = Priority(rawValue: trimmed) ?? Priority(rawValue: "P" + trimmed) {
            self = value
        } else {
            self = try parseWord(trimmed, as: "priority", Priority.self)
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a case is in its life.
public enum CaseStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case new
    case open
    /// Waiting for the customer to answer.
    case pendingCustomer = "pending-customer"
    /// A customer asked for an Escalation Manager (by phone or with Escalate Now).
    case escalated
    case closed

    public init(parsing text: String) throws(StoreError) {
        // Stored statuses are raw values: found at once (Foundation's replacingOccurrences cost
        // thousands of instructions per case read).
        if let exact = CaseStatus(rawValue: text) {
            self = exact
            return
        }
        let normalised = text.replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        self = try parseWord(normalised, as: "case status", CaseStatus.self)
    }

    public var isOpen: Bool {
        switch self {
        case .new, .open, .pendingCustomer, .escalated: true
        case .closed: false
        }
    }
}

/// The engineer level working a case: skill-based routing starts at L0; L0–L2 escalate to the next
/// level; L3 escalates to engineering with a Problem Report.
public enum SupportLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case l0 = "L0"
    case l1 = "L1"
    case l2 = "L2"
    case l3 = "L3"

    public init(parsing text: String) throws(StoreError) { self = try parseWord(text, as: "support level", SupportLevel.self) }

    /// The level above, or `nil` at L3.
    public var next: SupportLevel? {
        switch self {
        case .l0: .l1
        case .l1: .l2
        case .l2: .l3
        case .l3: nil
        }
    }

    public static func < (lhs: SupportLevel, rhs: SupportLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A Platinum add-on from the seed's table.
public enum AddOn: String, Sendable, Hashable, Codable, CaseIterable {
    /// A designated SME during business hours.
    case csmLite = "csm-lite"
    /// A designated SME during business hours.
    case csm
    /// A dedicated SME during business hours.
    case residentEngineer = "resident-engineer"

    public init(parsing text: String) throws(StoreError) { self = try parseWord(text, as: "add-on", AddOn.self) }

    public var label: String {
        switch self {
        case .csmLite: "CSM-Lite"
        case .csm: "CSM"
        case .residentEngineer: "Resident Engineer"
        }
    }

    /// `designated` for CSM-Lite and CSM, `dedicated` for a Resident Engineer.
    public var smeKind: String {
        switch self {
        case .csmLite, .csm: "designated"
        case .residentEngineer: "dedicated"
        }
    }
}

/// What a case feed entry records. The feed is append-only; replaying it rebuilds the case.
public enum FeedKind: String, Sendable, Hashable, Codable, CaseIterable {
    case opened
    case comment
    case priority
    case level
    case escalation
    case problemReport = "problem-report"
    case status
    case close
}

/// Who wrote a feed entry: the customer, support staff, or the system itself.
public enum AuthorRole: String, Sendable, Hashable, Codable, CaseIterable {
    case customer
    case support
    case system

    public init(parsing text: String) throws(StoreError) { self = try parseWord(text, as: "author role", AuthorRole.self) }
}
