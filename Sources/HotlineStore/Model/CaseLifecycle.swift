import Foundation
import HotlineCore

/// What one feed entry records, as a value: the change a case's lifecycle accepted. The store adds
/// who wrote it and appends it to the feed; replaying the feed applies the same values again.
public struct CaseEvent: Sendable, Hashable {
    public var at: Date
    public var kind: FeedKind
    public var authorRole: AuthorRole
    /// The comment, reason, summary or note, exactly as written.
    public var body: String
    /// For escalations (and cases opened from a call): `phone` or `web`.
    public var channel: String?
    public var priority: Priority?
    public var level: SupportLevel?
    public var status: CaseStatus?
    /// A Problem Report id (`PR-1001`) for `problem-report` entries; for an `escalation` entry that
    /// joined an escalation already open, that escalation's id (`ESC-86`).
    public var ref: String?

    public init(
        at: Date, kind: FeedKind, authorRole: AuthorRole, body: String, channel: String? = nil, priority: Priority? = nil,
        level: SupportLevel? = nil, status: CaseStatus? = nil, ref: String? = nil
    ) {
        self.at = at
        self.kind = kind
        self.authorRole = authorRole
        self.body = body
        self.channel = channel
        self.priority = priority
        self.level = level
        self.status = status
        self.ref = ref
    }

    public init(_ entry: FeedEntry) {
        self.init(
            at: entry.at, kind: entry.kind, authorRole: entry.authorRole, body: entry.body, channel: entry.channel,
            priority: entry.priority, level: entry.level, status: entry.status, ref: entry.ref)
    }
}

/// A support case's lifecycle as a pure value: status, priority, support level, the open escalation
/// and the first response. The store asks it whether a change is allowed (each `func` returns the
/// feed entry to append, or throws a `CaseDeskError`), appends the entry, and applies it; a replay
/// of the feed applies the same entries (`CaseReplay`). The rules are written here and nowhere else.
///
/// Wrong input, by kind:
/// - a change the case refuses (closed, already at L3, unchanged, dated before the case's history),
///   or text it does not keep (longer than `CaseText`'s limit for it, or holding a NUL): a
///   `CaseDeskError` that says how to fix it, checked here so that every front end gets it;
/// - empty text and malformed numbers are the store's input checks (`StoreError`), before this;
/// - entries to ignore on replay: none — every kind changes something or is counted.
public struct CaseLifecycle: Sendable, Hashable {
    public let number: String
    public private(set) var priority: Priority
    public private(set) var level: SupportLevel
    public private(set) var status: CaseStatus
    /// When the case was opened: no change may be dated before it.
    public private(set) var openedAt: Date
    /// The latest feed entry's time: no change may be dated before it (the feed stays in order).
    public private(set) var lastEntryAt: Date
    /// The first support comment: stops the response clock (see `SLAClock`).
    public private(set) var firstResponseAt: Date?
    public private(set) var closedAt: Date?
    /// The escalation in progress (`ESC-86`, the id of the feed entry that opened it) while the case
    /// is `escalated`: a second escalation joins it instead of opening another.
    public private(set) var openEscalation: String?
    /// Escalations opened (joins not counted).
    public private(set) var escalations = 0
    public private(set) var comments = 0
    public private(set) var problemReports: [String] = []

    /// Changes dated this little before the last entry are taken as simultaneous: SQLite keeps
    /// times to the millisecond, so an instant written and read back may have moved by less.
    static let tolerance: TimeInterval = 0.001

    /// A case as its `opened` entry says.
    public init(number: String, opened: CaseEvent) {
        self.number = number
        priority = opened.priority ?? .p3
        level = opened.level ?? .l0
        status = opened.status ?? .new
        openedAt = opened.at
        lastEntryAt = opened.at
    }

    /// A case as the store holds it, with the two facts of its feed the row does not keep.
    public init(_ supportCase: SupportCase, lastEntryAt: Date, openEscalation: String?) {
        number = supportCase.number
        priority = supportCase.priority
        level = supportCase.level
        status = supportCase.status
        openedAt = supportCase.createdAt
        self.lastEntryAt = max(lastEntryAt, supportCase.createdAt)
        firstResponseAt = supportCase.firstResponseAt
        closedAt = supportCase.closedAt
        self.openEscalation = supportCase.status == .escalated ? openEscalation : nil
    }

    // MARK: - Applying what happened

    /// Applies an entry (just appended, or read back on replay); `id` is its feed id.
    public mutating func apply(_ event: CaseEvent, id: Int64) {
        if let priority = event.priority { self.priority = priority }
        if let level = event.level { self.level = level }
        if let status = event.status { self.status = status }
        lastEntryAt = max(lastEntryAt, event.at)
        switch event.kind {
        case .opened:
            openedAt = event.at
        case .comment:
            comments += 1
            // The first-response rule: the first comment by support answers the customer.
            if event.authorRole == .support && firstResponseAt == nil { firstResponseAt = event.at }
        case .escalation:
            if event.ref == nil {
                escalations += 1
                openEscalation = Self.escalationID(feedID: id)
            }
        case .problemReport:
            if let ref = event.ref { problemReports.append(ref) }
        case .close:
            closedAt = event.at
        case .priority, .level, .status:
            break
        }
        if status != .escalated { openEscalation = nil }
    }

    /// `ESC-86`: an escalation is named by the feed entry that opened it, on the case and in
    /// `hotline pages` alike.
    public static func escalationID(feedID: Int64) -> String { "ESC-\(feedID)" }

    // MARK: - Deciding what may happen

    /// Refuses text longer than its field's limit, or holding a NUL (`CaseText`).
    public func checkText(_ text: String, as field: CaseText.Field) throws(CaseDeskError) {
        if let problem = CaseText.problem(text, as: field) { throw .textRefused(caseNumber: number, problem) }
    }

    /// Refuses a change to a closed case, or one dated before the case's history.
    public func checkChange(at now: Date) throws(CaseDeskError) {
        guard status.isOpen else { throw .caseClosed(caseNumber: number) }
        try checkOrder(at: now)
    }

    /// Refuses a change dated before the case was opened or before its last feed entry.
    public func checkOrder(at now: Date) throws(CaseDeskError) {
        if now.timeIntervalSince(openedAt) < -Self.tolerance {
            throw .datedBeforeHistory(caseNumber: number, at: now, earliest: openedAt, what: "the case was opened")
        }
        if now.timeIntervalSince(lastEntryAt) < -Self.tolerance {
            throw .datedBeforeHistory(caseNumber: number, at: now, earliest: lastEntryAt, what: "its last feed entry")
        }
    }

    /// Case Comments. A support comment is the first response when there is none yet (`apply`).
    public func comment(_ text: String, role: AuthorRole, at now: Date) throws(CaseDeskError) -> CaseEvent {
        try checkText(text, as: .comment)
        try checkChange(at: now)
        return CaseEvent(at: now, kind: .comment, authorRole: role, body: text)
    }

    /// Change Priority. (The new due time is the store's: creation + the pinned policy's target.)
    public func changePriority(to newPriority: Priority, note: String, role: AuthorRole, at now: Date) throws(CaseDeskError) -> CaseEvent {
        try checkText(note, as: .reason)
        try checkChange(at: now)
        guard priority != newPriority else { throw .unchanged(caseNumber: number, what: "priority \(newPriority.rawValue)") }
        let body = note.isEmpty ? "\(priority.rawValue) → \(newPriority.rawValue)" : note
        return CaseEvent(at: now, kind: .priority, authorRole: role, body: body, priority: newPriority)
    }

    /// Escalate Now (web) or by phone. While an escalation is open, another one joins it: the entry
    /// is recorded (with the open escalation's id in `ref`), and no new escalation starts.
    public func escalate(reason: String, channel: EscalationChannel, role: AuthorRole, at now: Date) throws(CaseDeskError) -> CaseEvent {
        try checkText(reason, as: .reason)
        try checkChange(at: now)
        return CaseEvent(at: now, kind: .escalation, authorRole: role, body: reason, channel: channel.rawValue, status: .escalated, ref: openEscalation)
    }

    /// Sets `new`, `open` or `pending-customer` (escalating and closing have their own decisions).
    public func setStatus(_ newStatus: CaseStatus, note: String, role: AuthorRole, at now: Date) throws(CaseDeskError) -> CaseEvent {
        try checkText(note, as: .note)
        try checkChange(at: now)
        guard status != newStatus else { throw .unchanged(caseNumber: number, what: "status \(newStatus.rawValue)") }
        return CaseEvent(at: now, kind: .status, authorRole: role, body: note, status: newStatus)
    }

    /// Close Case.
    public func close(note: String, role: AuthorRole, at now: Date) throws(CaseDeskError) -> CaseEvent {
        try checkText(note, as: .note)
        try checkChange(at: now)
        return CaseEvent(at: now, kind: .close, authorRole: role, body: note, status: .closed)
    }

    /// One step up the support levels L0 → L1 → L2 → L3; at L3 the next step is a Problem Report.
    public func escalateLevel(reason: String, role: AuthorRole, at now: Date) throws(CaseDeskError) -> CaseEvent {
        try checkText(reason, as: .reason)
        try checkChange(at: now)
        guard let next = level.next else { throw .levelAtTop(caseNumber: number) }
        let body = reason.isEmpty ? "\(level.rawValue) → \(next.rawValue)" : reason
        return CaseEvent(at: now, kind: .level, authorRole: role, body: body, level: next)
    }

    /// A Problem Report to engineering (`id` is `PR-1001`, …); only from L3.
    public func openProblemReport(id: String, summary: String, role: AuthorRole, at now: Date) throws(CaseDeskError) -> CaseEvent {
        try checkText(summary, as: .summary)
        try checkChange(at: now)
        guard level == .l3 else { throw .problemReportNeedsL3(caseNumber: number, level: level.rawValue) }
        return CaseEvent(at: now, kind: .problemReport, authorRole: role, body: summary, ref: id)
    }
}
