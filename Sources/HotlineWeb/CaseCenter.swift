import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineStore

/// The Case Center's buttons for one signed-in user: who sees which case, and each action through
/// the same `CaseStore` / `EscalationDesk` calls as `hotline cases`. Shared by the pages and the API.
public struct CaseCenter: Sendable {
    public let line: WebLine
    public let user: WebUser

    public init(line: WebLine, user: WebUser) {
        self.line = line
        self.user = user
    }

    /// Why a request did not do what it asked.
    public enum Refusal: Error, Sendable, Hashable {
        /// No such case, or one this user may not see: the same answer for both.
        case notFound
        /// The role may not use this page or action.
        case forbidden(String)
        /// The input is wrong (empty, too long, unknown priority…).
        case badInput(String)
        /// The case's state refuses it (closed, unchanged…): what `hotline cases` says.
        case refused(String)

        /// What to tell the user.
        public var message: String {
            switch self {
            case .notFound: "no such case"
            case .forbidden(let text), .badInput(let text), .refused(let text): text
            }
        }
    }

    public var canSeeAllCases: Bool {
        switch user.role {
        case .agent, .trainer: true
        case .customer, .manager: false
        }
    }

    /// The case, when this user may see it; `notFound` otherwise (also for a malformed number).
    public func visibleCase(_ number: String) throws -> SupportCase {
        let found: SupportCase
        do {
            found = try line.cases.supportCase(number)
        } catch let error as CaseDeskError {
            switch error {
            case .caseNotFound: throw Refusal.notFound
            case .caseClosed, .levelAtTop, .problemReportNeedsL3, .unchanged, .datedBeforeHistory, .textRefused: throw error
            }
        } catch let error as StoreError where error.code == .invalidCaseNumber {
            throw Refusal.notFound
        }
        guard try mayShow(found) else { throw Refusal.notFound }
        return found
    }

    func mayShow(_ supportCase: SupportCase) throws -> Bool {
        switch user.role {
        case .agent, .trainer: return true
        case .customer: return user.accountID != nil && supportCase.accountID == user.accountID
        case .manager:
            if supportCase.status == .escalated { return true }
            return try line.cases.feed(caseNumber: supportCase.number).contains { $0.kind == .escalation }
        }
    }

    /// The Case Center's list filters, read from a query string (`status`, `priority`; empty means
    /// any) by the page and the API alike: a value that is not a status or a priority is refused
    /// with the allowed values, never ignored.
    public struct ListFilter: Sendable, Equatable {
        public var status: CaseStatus?
        public var priority: Priority?

        /// Every case.
        public init() {}

        /// Reads the query's values: the filter, or what is wrong with them.
        public static func reading(status: String?, priority: String?) -> Result<ListFilter, Refusal> {
            var filter = ListFilter()
            if let text = status, !text.isEmpty {
                guard let parsed = try? CaseStatus(parsing: text) else {
                    return .failure(.badInput("status must be " + either(CaseStatus.allCases.map(\.rawValue)) + " (got '\(text)')"))
                }
                filter.status = parsed
            }
            if let text = priority, !text.isEmpty {
                guard let parsed = try? Priority(parsing: text) else {
                    return .failure(.badInput("priority must be " + either(Priority.allCases.map(\.rawValue)) + " (got '\(text)')"))
                }
                filter.priority = parsed
            }
            return .success(filter)
        }

        /// Reads the `channel` of a call list (`/console`, `/api/calls`): the phone, `nil` for
        /// every call, or what is wrong with it.
        public static func channel(reading text: String?) -> Result<CallChannel?, Refusal> {
            guard let text, !text.isEmpty else { return .success(nil) }
            guard let channel = CallChannel(rawValue: text) else {
                return .failure(.badInput("channel must be " + either(CallChannel.allCases.map(\.rawValue)) + " (got '\(text)')"))
            }
            return .success(channel)
        }

        /// Reads the `source` of a page list (`/desk`, `/console`, `/api/pages`): pages raised by
        /// simulated callers or by real ones, `nil` for all, or what is wrong with it.
        public static func source(reading text: String?) -> Result<PageRecord.Source?, Refusal> {
            guard let text, !text.isEmpty else { return .success(nil) }
            guard let source = PageRecord.Source(rawValue: text) else {
                return .failure(.badInput("source must be " + either(PageRecord.Source.allCases.map(\.rawValue)) + " (got '\(text)')"))
            }
            return .success(source)
        }

        /// "a, b or c".
        static func either(_ words: [String]) -> String {
            words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
        }
    }

    /// Which part of a list to answer: `offset` (skip that many, 0 to ``maxOffset``) and `limit`
    /// (at most that many, 1 to ``maxLimit``), the query parameters of every list route, page and
    /// API alike. A value that is not a whole number in its range is refused (400) naming the
    /// parameter and the range, never ignored.
    public struct ListWindow: Sendable, Equatable {
        public var limit: Int?
        public var offset = 0

        public static let maxLimit = 1000
        public static let maxOffset = 1_000_000

        public init(limit: Int? = nil, offset: Int = 0) {
            self.limit = limit
            self.offset = offset
        }

        /// Reads `limit` and `offset` (absent or empty: the whole list).
        public static func reading(limit: String?, offset: String?) -> Result<ListWindow, Refusal> {
            var window = ListWindow()
            if let text = limit, !text.isEmpty {
                guard let value = whole(text), (1...maxLimit).contains(value) else {
                    return .failure(.badInput("limit must be a whole number from 1 to \(maxLimit) (got '\(text.prefix(40))')"))
                }
                window.limit = value
            }
            if let text = offset, !text.isEmpty {
                guard let value = whole(text), (0...maxOffset).contains(value) else {
                    return .failure(.badInput("offset must be a whole number from 0 to \(maxOffset) (got '\(text.prefix(40))')"))
                }
                window.offset = value
            }
            return .success(window)
        }

        /// Digits only (no sign, no spaces, no fraction), at most 9 of them.
        static func whole(_ text: String) -> Int? {
            guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(text)
        }

        /// The part of `items` this window asks for.
        public func apply<T>(_ items: [T]) -> [T] {
            let rest = items.dropFirst(min(offset, items.count))
            return Array(limit.map { rest.prefix($0) } ?? rest)
        }
    }

    /// The cases this user may see, most urgent first.
    public func cases(status: CaseStatus?, priority: Priority?) throws -> [(case: SupportCase, sla: SLAStatus)] {
        switch user.role {
        case .customer:
            guard let account = user.accountID else { return [] }
            return try line.cases.listCases(CaseStore.CaseFilter(accountID: account, status: status), at: line.clock())
                .filter { priority == nil || $0.case.priority == priority }
        case .agent, .trainer, .manager:
            return try line.cases.listCases(CaseStore.CaseFilter(status: status), at: line.clock())
                .filter { priority == nil || $0.case.priority == priority }
                .filter { try mayShow($0.case) }
        }
    }

    public func detail(_ number: String) throws -> CaseDetail {
        let found = try visibleCase(number)
        return try line.cases.detail(caseNumber: found.number, at: line.clock())
    }

    public func feed(_ number: String) throws -> [FeedEntry] {
        let found = try visibleCase(number)
        return try line.cases.feed(caseNumber: found.number)
    }

    /// The name and role written on the feed.
    public var author: CaseStore.Author {
        switch user.role {
        case .customer: CaseStore.Author(user.displayName, role: .customer)
        case .agent, .manager, .trainer: CaseStore.Author(user.displayName, role: .support)
        }
    }

    /// A button on the case screen.
    public enum Action: Sendable, Hashable {
        case comment(body: String)
        case priority(String, reason: String)
        case escalate(reason: String)
        case close(note: String)
    }

    /// What an action did, as a sentence for the page, and the pages it sent.
    public struct Outcome: Sendable {
        public var message: String
        public var entry: FeedEntry
        public var pages: [PageRecord]
    }

    /// The form's text, trimmed; an empty one refused where the form requires it. Its length and
    /// content are the case's rules (`CaseText`), checked by the store for every front end.
    static func text(_ value: String, field: CaseText.Field, required: Bool) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw Refusal.badInput("\(field.name) is empty: write something") }
        return trimmed
    }

    /// Does one of the case screen's buttons. A refusal of the case's state (closed, unchanged)
    /// comes back as `Refusal.refused` with the command line's words.
    public func perform(_ action: Action, on number: String) throws -> Outcome {
        let found = try visibleCase(number)
        let now = line.clock()
        do {
            switch action {
            case .comment(let body):
                let text = try Self.text(body, field: .comment, required: true)
                let entry = try line.cases.comment(caseNumber: found.number, text: text, by: author, at: now)
                line.events.append("case", found.number)
                return Outcome(message: "Comment #\(entry.id) added to case \(found.number).", entry: entry, pages: [])
            case .priority(let word, let reason):
                let priority: Priority
                do {
                    priority = try Priority(parsing: word)
                } catch {
                    throw Refusal.badInput("priority '\(word.prefix(20))' is not P1, P2 or P3")
                }
                let note = try Self.text(reason, field: .reason, required: false)
                let entry = try line.cases.changePriority(caseNumber: found.number, to: priority, note: note, by: author, at: now)
                let changed = try line.cases.supportCase(found.number)
                line.events.append("case", found.number)
                return Outcome(
                    message: "Case \(changed.number) is now \(changed.priority.rawValue); response due \(InstantParser.utcString(changed.responseDueAt)).",
                    entry: entry, pages: [])
            case .escalate(let reason):
                let text = try Self.text(reason, field: .reason, required: true)
                let (entry, pages) = try line.desk.escalate(caseNumber: found.number, reason: text, channel: .web, by: author, at: now)
                line.events.append("case", found.number)
                var paged = pages.first.map { " \($0.person) (\($0.id)) was paged." } ?? " Nobody is on call to page; the escalation stands."
                if pages.isEmpty, let current = try line.paging.store.pages(caseNumber: found.number).last(where: { $0.state == .sent }) {
                    // The case's escalation was already paging: it goes on, nobody is paged twice.
                    paged = " The escalation already paging goes on: \(current.person) (\(current.id)) has until \(InstantParser.utcString(current.ackDeadline)) to acknowledge."
                }
                return Outcome(message: "Case \(found.number) escalated (\(entry.escalationID ?? "")).\(paged)", entry: entry, pages: pages)
            case .close(let note):
                let text = try Self.text(note, field: .note, required: false)
                let entry = try line.cases.close(caseNumber: found.number, note: text, by: author, at: now)
                line.events.append("case", found.number)
                return Outcome(message: "Case \(found.number) closed.", entry: entry, pages: [])
            }
        } catch let error as CaseDeskError {
            switch error {
            case .caseNotFound: throw Refusal.notFound
            case .caseClosed(let number): throw Refusal.refused("Case \(number) is closed and cannot be changed; open a new case.")
            case .unchanged(let number, let what): throw Refusal.refused("Case \(number) already has \(what); nothing was recorded.")
            case .levelAtTop, .problemReportNeedsL3, .datedBeforeHistory: throw Refusal.refused(Self.sentence(error.description))
            case .textRefused(_, let problem): throw Refusal.badInput(problem.message)
            }
        }
    }

    /// The command line's message without its `(fix: …)` part, as a sentence.
    static func sentence(_ text: String) -> String {
        let head = text.components(separatedBy: " (fix:").first ?? text
        return head.prefix(1).uppercased() + head.dropFirst() + "."
    }

    // MARK: - Pages (managers acknowledge)

    public func acknowledge(pageID: String) throws -> PageRecord {
        guard user.role == .manager else { throw Refusal.forbidden("only an Escalation Manager acknowledges pages") }
        guard try line.paging.store.page(pageID) != nil else { throw Refusal.notFound }
        do {
            let record = try line.paging.acknowledge(pageID: pageID, by: user.displayName, at: line.clock())
            line.events.append("pages", "acknowledged \(record.id)")
            return record
        } catch let error as PagingError {
            throw Refusal.refused(error.message)
        }
    }
}
