import Foundation
import HotlineStore
import HotlineCore
import GRDB

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
public struct PagingService: Sendable {
    public let policy: EscalationPolicy
    public let store: PageStore
    public let delivery: any PageDelivery

    public init(policy: EscalationPolicy, store: PageStore, delivery: any PageDelivery) {
        self.policy = policy
        self.store = store
        self.delivery = delivery
    }

    /// An escalation was recorded on a case: page level 1. Returns the pages sent (empty when
    /// nobody at any level is on call; the escalation is then exhausted at once).
    @discardableResult
    public func escalate(caseNumber: String, reason: String, at now: Date) throws -> [PageRecord] {
        let sent = try store.writer.write { db -> [Int64] in
            try db.execute(cached: "INSERT INTO oncall_escalation (case_number, reason, created_at) VALUES (?, ?, ?)", arguments: [caseNumber, reason, now.timeIntervalSince1970])
            let escalation = db.lastInsertedRowID
            var machine = EscalationStateMachine(policy: policy)
            return try apply(machine.escalationRecorded(at: now), escalation: escalation, db: db)
        }
        return try deliver(sent)
    }

    /// Someone acknowledged a page (any page of the escalation acknowledges it). Timeouts due
    /// before `now` are processed first, so a late acknowledgement lands on the level then paged.
    @discardableResult
    public func acknowledge(pageID: String, by person: String, at now: Date) throws -> PageRecord {
        guard let page = try store.page(pageID) else {
            throw PagingError(message: "no page '\(pageID)'", fix: "see `hotline pages list` for page ids (PG-000001)")
        }
        if case .acknowledged = page.state {
            throw PagingError(message: "\(page.id) was already acknowledged by \(page.acknowledgedBy ?? "someone")", fix: nil)
        }
        _ = try tick(at: now, escalation: page.escalation)
        let escalation = PageStore.rowID(page.escalation, prefix: "ESC")!
        let outcome = try store.writer.write { db -> Int64? in
            var machine = try restore(escalation: escalation, db: db)
            if case .acknowledged(let by, _) = machine.state {
                throw PagingError(message: "escalation \(page.escalation) of case \(page.caseNumber) was already acknowledged by \(by)", fix: nil)
            }
            _ = try apply(machine.acknowledged(by: person, at: now), escalation: escalation, db: db)
            return try Int64.fetchOne(db, cached: "SELECT max(id) FROM oncall_page WHERE escalation_id = ?", arguments: [escalation])
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

    private func tick(at now: Date, escalation only: String?) throws -> [PageRecord] {
        var sent: [PageRecord] = []
        let filter = only.flatMap { PageStore.rowID($0, prefix: "ESC") }
        while true {
            let step = try store.writer.write { db -> [Int64]? in
                let due: Row?
                if let filter {
                    due = try Row.fetchOne(db, cached: "SELECT escalation_id, ack_deadline FROM oncall_page WHERE state = 'sent' AND ack_deadline <= ? AND escalation_id = ? ORDER BY ack_deadline, id LIMIT 1", arguments: [now.timeIntervalSince1970, filter])
                } else {
                    due = try Row.fetchOne(db, cached: "SELECT escalation_id, ack_deadline FROM oncall_page WHERE state = 'sent' AND ack_deadline <= ? ORDER BY ack_deadline, id LIMIT 1", arguments: [now.timeIntervalSince1970])
                }
                guard let due else { return nil }
                let escalation: Int64 = due[0]
                let deadline = Date(timeIntervalSince1970: due[1])
                var machine = try restore(escalation: escalation, db: db)
                return try apply(machine.timerFired(at: deadline), escalation: escalation, db: db)
            }
            guard let step else { break }
            sent += try deliver(step)
        }
        return sent
    }

    /// Retries delivery of pages still in the outbox (delivery failed earlier); returns them.
    @discardableResult
    public func deliverPending() throws -> [PageRecord] {
        let pending = try store.writer.read { db in
            try Int64.fetchAll(db, cached: "SELECT id FROM oncall_page WHERE delivered_at IS NULL ORDER BY id")
        }
        return try deliver(pending)
    }

    /// The machine of an escalation, rebuilt from its latest page.
    private func restore(escalation: Int64, db: Database) throws -> EscalationStateMachine {
        guard let row = try Row.fetchOne(db, cached: "SELECT level, round, person, state, ack_deadline, acknowledged_by, acknowledged_at, sent_at FROM oncall_page WHERE escalation_id = ? ORDER BY id DESC LIMIT 1", arguments: [escalation]) else {
            return EscalationStateMachine(policy: policy, state: .exhausted(at: Date(timeIntervalSince1970: 0)))
        }
        let stateText: String = row[3]
        let state: EscalationStateMachine.State
        switch PageRecord.State(rawValue: stateText) ?? .sent {
        case .sent, .escalated:
            state = .paging(.init(level: row[0], round: row[1], person: row[2], deadline: Date(timeIntervalSince1970: row[4])))
        case .acknowledged:
            state = .acknowledged(by: row[5] ?? "", at: Date(timeIntervalSince1970: row[6] ?? 0))
        case .exhausted:
            state = .exhausted(at: Date(timeIntervalSince1970: row[4]))
        }
        return EscalationStateMachine(policy: policy, state: state)
    }

    /// Records a machine's actions; returns the ids of pages to deliver after commit.
    private func apply(_ actions: [EscalationStateMachine.Action], escalation: Int64, db: Database) throws -> [Int64] {
        var toDeliver: [Int64] = []
        let latest = "(SELECT max(id) FROM oncall_page WHERE escalation_id = ?)"
        for action in actions {
            switch action {
            case .sendPage(let level, let round, let person, let at, let ackBy):
                try db.execute(
                    cached: "INSERT INTO oncall_page (escalation_id, level, round, person, state, sent_at, ack_deadline) VALUES (?, ?, ?, ?, 'sent', ?, ?)",
                    arguments: [escalation, level, round, person, at.timeIntervalSince1970, ackBy.timeIntervalSince1970])
                toDeliver.append(db.lastInsertedRowID)
            case .markEscalated:
                try db.execute(cached: "UPDATE oncall_page SET state = 'escalated' WHERE id = \(latest) AND state = 'sent'", arguments: [escalation])
            case .markAcknowledged(let by, let at):
                try db.execute(cached: "UPDATE oncall_page SET state = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? WHERE id = \(latest)", arguments: [by, at.timeIntervalSince1970, escalation])
            case .markExhausted:
                try db.execute(cached: "UPDATE oncall_page SET state = 'exhausted' WHERE id = \(latest)", arguments: [escalation])
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
        var delivered: [PageRecord] = []
        for id in ids {
            guard var page = try store.page(PageStore.pageID(id)) else { continue }
            do {
                try delivery.deliver(page)
            } catch {
                delivered.append(page)  // recorded, still in the outbox
                continue
            }
            page.deliveredAt = page.sentAt
            try store.writer.write { db in
                try db.execute(cached: "UPDATE oncall_page SET delivered_at = ? WHERE id = ?", arguments: [page.sentAt.timeIntervalSince1970, id])
            }
            delivered.append(page)
        }
        return delivered
    }
}
