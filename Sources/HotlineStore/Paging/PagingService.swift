import Foundation
import GRDB
import HotlineCore
import HotlineRota

/// Delivers a page that is already recorded: console, log file, and later an outbound call through
/// the IVR ("press 1 to acknowledge"). Throwing leaves the page in the outbox for `deliverPending`.
public protocol PageDelivery: Sendable {
    func deliver(_ page: PageRecord) throws
}

/// Prints each page as one line (the `hotline` commands pass `print`).
public struct ConsoleDelivery: PageDelivery {
    let write: @Sendable (String) -> Void
    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }
    public func deliver(_ page: PageRecord) throws { write(Self.line(page)) }

    /// `PAGE PG-000001 → Mia Chen (level 1, primary…) case 12345: reason; acknowledge by …`.
    public static func line(_ page: PageRecord) -> String {
        "PAGE \(page.id) to \(page.person) (level \(page.level)\(page.round > 0 ? ", repeat \(page.round)" : "")) for case \(page.caseNumber): \(page.reason) — acknowledge by \(InstantParser.utcString(Int(page.ackDeadline.timeIntervalSince1970)))"
    }
}

/// Appends each page as a line to a log file.
public struct LogFileDelivery: PageDelivery {
    public let path: String
    public init(path: String) { self.path = path }
    public func deliver(_ page: PageRecord) throws {
        let line = "\(InstantParser.utcString(Int(page.sentAt.timeIntervalSince1970))) \(ConsoleDelivery.line(page))\n"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
    }
}

/// Delivers to several channels in turn.
public struct FanOutDelivery: PageDelivery {
    public let channels: [any PageDelivery]
    public init(_ channels: [any PageDelivery]) { self.channels = channels }
    public func deliver(_ page: PageRecord) throws {
        for channel in channels { try channel.deliver(page) }
    }
}

/// A paging request the service cannot carry out, said so that the user can fix it.
public struct PagingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var fix: String?
    public var description: String { "error: \(message)" + (fix.map { " (fix: \($0))" } ?? "") }
}

/// Drives escalation state machines on the page store: each step runs inside one write
/// transaction (state restored, event fed, actions recorded), and pages are delivered only after
/// the transaction commits — a page exists in the database before anyone is told about it.
///
/// Every paging escalation belongs to a case's escalation and has its id (`ESC-86`, the feed
/// entry that opened it). While a case's escalation is open, asking again joins it: no second
/// page chain starts (PagerDuty's de-duplication of an open incident).
///
/// **Late acknowledgements.** An acknowledgement after the escalation ran out of levels (every
/// level of every round paged, nobody answered) is still recorded: the escalation becomes
/// acknowledged by that person, as PagerDuty and GoAlert record a late acknowledgement of an
/// incident whose escalation policy is exhausted. Only a second acknowledgement is refused. This
/// is the one place the contract is decided (`EscalationStateMachine.acknowledged(by:at:)`).
public struct PagingService: Sendable {
    public let policy: EscalationPolicy
    public let store: PageStore
    public let delivery: any PageDelivery

    public init(policy: EscalationPolicy, store: PageStore, delivery: any PageDelivery) {
        self.policy = policy
        self.store = store
        self.delivery = delivery
    }

    /// What asking to page for a case did.
    public struct Outcome: Sendable, Hashable {
        /// The case's escalation the pages belong to (`ESC-86`).
        public var escalationID: String
        /// Pages sent now: level 1 (or the first level with someone on call) of a new escalation;
        /// empty when the escalation was joined, or when nobody at any level is on call.
        public var sent: [PageRecord]
        /// The escalation was already paging: nothing new was sent. Its latest page, if any.
        public var joined: Bool
        public var latest: PageRecord?
    }

    /// Pages for a case's escalation. The case must exist, be open, and the instant must not be
    /// before its history; a case with no open escalation gets one recorded on its feed first
    /// (channel `web`, by the on-call pager), so that every page belongs to a case escalation.
    /// `simulated`: a simulated caller asks (`serve --simulate-calls-per-hour`); a new paging
    /// escalation and its pages are marked so. Joining an escalation already paging changes nothing.
    public func page(caseNumber: String, reason: String, at now: Date, simulated: Bool = false) throws -> Outcome {
        let number = try CaseNumber(parsing: caseNumber)
        // One write transaction: the escalation and its pages recorded, and read back as the
        // records to deliver (no second transaction to fetch them).
        let result = try write { db -> (id: String, sent: [Recorded], joined: PageRecord??) in
            let lifecycle = try CaseStore.lifecycle(number.text, db)
            try lifecycle.checkChange(at: now)
            var open = lifecycle.openEscalation
            if open == nil {
                // The entry just recorded opened the escalation: its id is the case's open
                // escalation now, as the lifecycle read again would say.
                open = try CaseStore.escalate(number, reason: reason, channel: .web, by: CaseStore.Author("on-call pager", role: .system), at: now, db).escalationID
            }
            guard let escalationID = open, let feedID = PageStore.rowID(escalationID, prefix: "ESC") else {
                preconditionFailure("an escalation was just recorded on an open case")
            }
            if try PageStore.isPaging(caseEscalation: feedID, db), let paging = try PageStore.pagingEscalation(caseEscalation: feedID, db) {
                return (escalationID, [], .some(paging.latest))
            }
            var row = EscalationRow(
                id: nil, caseNumber: number.text, reason: reason, createdAt: now.timeIntervalSince1970, caseEscalation: feedID, simulated: simulated)
            try row.insertCached(db)
            guard let rowID = row.id else { preconditionFailure("an inserted row has an id") }
            var machine = EscalationStateMachine(policy: policy)
            // The pages to deliver as they now read back, without reading them back: the values
            // just written (`PageView(page:escalation:)`).
            let sent = try apply(machine.escalationRecorded(at: now), escalation: rowID, db: db).map { page in
                Recorded(row: page.id ?? 0, record: PageView(page: page, escalation: row).record)
            }
            return (escalationID, sent, nil)
        }
        switch result.joined {
        case .none:
            let sent = try deliver(result.sent)
            return Outcome(escalationID: result.id, sent: sent, joined: false, latest: sent.last)
        case .some(let latest):
            return Outcome(escalationID: result.id, sent: [], joined: true, latest: latest)
        }
    }

    /// An escalation was recorded on a case: page level 1, or join the escalation already paging.
    /// Returns the pages sent (empty when joined, or when nobody at any level is on call).
    @discardableResult
    public func escalate(caseNumber: String, reason: String, at now: Date) throws -> [PageRecord] {
        try page(caseNumber: caseNumber, reason: reason, at: now).sent
    }

    /// Someone acknowledged a page (any page of the escalation acknowledges it). Timeouts due
    /// before `now` are processed first, so a late acknowledgement lands on the level then paged;
    /// an escalation that ran out of levels is still acknowledged (see the type's documentation).
    @discardableResult
    public func acknowledge(pageID: String, by person: String, at now: Date) throws -> PageRecord {
        guard let page = try store.page(pageID), let pageRow = PageStore.rowID(page.id, prefix: "PG") else {
            throw PagingError(message: "no page '\(pageID)'", fix: "see `hotline pages list` for page ids (PG-000001)")
        }
        guard !person.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PagingError(message: "an acknowledgement needs the name of who acknowledges", fix: "say who with --by NAME")
        }
        if case .acknowledged = page.state {
            throw PagingError(message: "\(page.id) was already acknowledged by \(page.acknowledgedBy ?? "someone")", fix: nil)
        }
        if now < page.sentAt {
            throw PagingError(
                message: "an acknowledgement dated \(InstantParser.utcString(now)) is before \(page.id) was sent at \(InstantParser.utcString(page.sentAt))",
                fix: "give --at a time at or after \(InstantParser.utcString(page.sentAt)), or leave --at out to use now")
        }
        guard let escalation = try store.writer.readTransaction({ db in try PageRow.fetchOne(db, key: pageRow)?.escalationId }) else {
            throw PagingError(message: "no page '\(pageID)'", fix: "see `hotline pages list` for page ids (PG-000001)")
        }
        _ = try tick(at: now, escalation: escalation)
        let outcome = try write { db -> Int64? in
            var machine = try restore(escalation: escalation, db: db)
            if case .acknowledged(let by, _) = machine.state {
                throw PagingError(message: "escalation \(page.escalation) of case \(page.caseNumber) was already acknowledged by \(by)", fix: nil)
            }
            _ = try apply(machine.acknowledged(by: person, at: now), escalation: escalation, db: db)
            return try PageRow.latest(escalation: escalation, db)?.id
        }
        guard let latest = outcome, let record = try store.page(PageStore.pageID(latest)) else {
            throw PagingError(message: "escalation \(page.escalation) has no pages", fix: nil)
        }
        return record
    }

    /// Processes every acknowledgement timeout due at or before `now`, each at the instant it fell
    /// due (so a late tick replays what should have happened). Returns the pages sent.
    @discardableResult
    public func tick(at now: Date) throws -> [PageRecord] {
        try tick(at: now, escalation: nil)
    }

    private func tick(at now: Date, escalation only: Int64?) throws -> [PageRecord] {
        var sent: [PageRecord] = []
        // Most ticks find nothing due (a scenario ticks before every fact it checks): a read, not
        // a write transaction. The writer looks again for what is due.
        guard try store.writer.readTransaction({ db in try Self.firstDue(at: now, escalation: only, db) }) != nil else { return [] }
        while true {
            let step = try write { db -> [Int64]? in
                guard let page = try Self.firstDue(at: now, escalation: only, db) else { return nil }
                var machine = try restore(escalation: page.escalationId, db: db)
                return try apply(machine.timerFired(at: Date(timeIntervalSince1970: page.ackDeadline)), escalation: page.escalationId, db: db).compactMap { $0.id }
            }
            guard let step else { break }
            sent += try deliver(step)
        }
        return sent
    }

    /// The sent page whose acknowledgement deadline passed first (at or before `now`), of one
    /// escalation or any; compiled once per connection.
    private static func firstDue(at now: Date, escalation only: Int64?, _ db: Database) throws -> PageRow? {
        try PageRow.fetchOne(
            db.cachedStatement(
                sql: "SELECT * FROM oncall_page WHERE state = 'sent' AND ack_deadline <= ?1 AND (?2 IS NULL OR escalation_id = ?2) ORDER BY ack_deadline, id LIMIT 1"),
            arguments: [now.timeIntervalSince1970, only])
    }

    /// Retries delivery of pages still in the outbox (delivery failed earlier); returns them.
    @discardableResult
    public func deliverPending() throws -> [PageRecord] {
        let pending = try store.writer.readTransaction { db in
            try PageRow.filter(PageRow.Columns.deliveredAt == nil).order(PageRow.Columns.id).fetchAll(db).compactMap(\.id)
        }
        return try deliver(pending)
    }

    /// The machine of an escalation, rebuilt from its latest page.
    private func restore(escalation: Int64, db: Database) throws -> EscalationStateMachine {
        guard let page = try PageRow.latest(escalation: escalation, db) else {
            return EscalationStateMachine(policy: policy, state: .exhausted(at: Date(timeIntervalSince1970: 0)))
        }
        let state: EscalationStateMachine.State
        switch page.state {
        case .sent, .escalated:
            state = .paging(.init(level: page.level, round: page.round, person: page.person, deadline: Date(timeIntervalSince1970: page.ackDeadline)))
        case .acknowledged:
            state = .acknowledged(by: page.acknowledgedBy ?? "", at: Date(timeIntervalSince1970: page.acknowledgedAt ?? 0))
        case .exhausted:
            state = .exhausted(at: Date(timeIntervalSince1970: page.ackDeadline))
        }
        return EscalationStateMachine(policy: policy, state: state)
    }

    /// Records a machine's actions; returns the pages to deliver after commit, as inserted (with their ids).
    private func apply(_ actions: [EscalationStateMachine.Action], escalation: Int64, db: Database) throws -> [PageRow] {
        var toDeliver: [PageRow] = []
        for action in actions {
            switch action {
            case .sendPage(let level, let round, let person, let at, let ackBy):
                var page = PageRow(
                    id: nil, escalationId: escalation, level: level, round: round, person: person, state: .sent,
                    sentAt: at.timeIntervalSince1970, ackDeadline: ackBy.timeIntervalSince1970)
                try page.insertCached(db)
                toDeliver.append(page)
            case .markEscalated:
                if var latest = try PageRow.latest(escalation: escalation, db), latest.state == .sent {
                    latest.state = .escalated
                    try latest.update(db)
                }
            case .markAcknowledged(let by, let at):
                if var latest = try PageRow.latest(escalation: escalation, db) {
                    latest.state = .acknowledged
                    latest.acknowledgedBy = by
                    latest.acknowledgedAt = at.timeIntervalSince1970
                    try latest.update(db)
                }
            case .markExhausted:
                if var latest = try PageRow.latest(escalation: escalation, db) {
                    latest.state = .exhausted
                    try latest.update(db)
                }
            case .skipLevel, .scheduleCheck:
                // Timers are the `oncall_page_due` index: `tick` finds due pages by deadline.
                break
            }
        }
        return toDeliver
    }

    /// Delivers recorded pages and marks them delivered; a failed delivery stays in the outbox
    /// (returned with `deliveredAt == nil`).
    private func deliver(_ ids: [Int64]) throws -> [PageRecord] {
        guard !ids.isEmpty else { return [] }
        let pages = try store.writer.readTransaction { db in
            try ids.compactMap { row in try PageStore.page(row, db).map { Recorded(row: row, record: $0) } }
        }
        return try deliver(pages)
    }

    /// A page recorded and not yet delivered: its row (`PG-000042` is row 42) and its record.
    private struct Recorded {
        var row: Int64
        var record: PageRecord
    }

    /// Delivers pages read already (in the transaction that recorded them), then marks the ones
    /// delivered in one write transaction.
    private func deliver(_ pages: [Recorded]) throws -> [PageRecord] {
        var delivered: [PageRecord] = []
        var marked: [(row: Int64, at: Double)] = []
        for recorded in pages {
            var page = recorded.record
            do {
                try delivery.deliver(page)
            } catch {
                delivered.append(page)  // recorded, still in the outbox
                continue
            }
            page.deliveredAt = page.sentAt
            marked.append((recorded.row, page.sentAt.timeIntervalSince1970))
            delivered.append(page)
        }
        if !marked.isEmpty {
            try write { db in
                for (row, at) in marked {
                    try db.execute(cached: "UPDATE oncall_page SET delivered_at = ? WHERE id = ?") { values in
                        values.add(at)
                        values.add(row)
                    }
                }
            }
        }
        return delivered
    }

    /// A write transaction (`writeTransaction`), with database errors said as the case store says them.
    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try store.writer.writeTransaction(body)
        } catch {
            throw CaseStore.mapped(error)
        }
    }
}
