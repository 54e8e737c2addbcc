import Foundation
import HotlineCore

/// The `OnCallPager` of the reference line: an escalation pages level 1 of the escalation policy —
/// the Escalation Manager on call on the rota at that instant — through the page store's outbox.
public struct RotaPager: OnCallPager {
    public let service: PagingService
    /// The pages of a simulated caller's calls (`serve --simulate-calls-per-hour`): a new
    /// escalation is marked simulated (``PageRecord/simulated``).
    public let simulated: Bool

    public init(service: PagingService, simulated: Bool = false) {
        self.service = service
        self.simulated = simulated
    }

    /// Pages the first level with someone on call (level 1 unless its rota line has a gap there);
    /// `nil` when nobody at any level is on call. When the case's escalation is already paging
    /// (a second escalation joined it), nothing new is sent: the receipt is its latest page, or
    /// `nil` when it ran out of levels.
    public func pageOnCall(caseNumber: String, reason: String, at now: Date) throws -> PageReceipt? {
        let outcome = try service.page(caseNumber: caseNumber, reason: reason, at: now, simulated: simulated)
        let page: PageRecord?
        if outcome.joined {
            page = outcome.latest.flatMap { latest in
                switch latest.state {
                case .sent, .acknowledged, .escalated: latest
                case .exhausted: nil
                }
            }
        } else {
            page = outcome.sent.first
        }
        return page.map { PageReceipt(pageID: $0.id, personName: $0.person, level: $0.level) }
    }

    /// `false` only when the escalation was acknowledged already; a late acknowledgement of an
    /// escalation that ran out of levels is recorded (see `PagingService`).
    public func acknowledgePage(pageID: String, by person: String, at now: Date) throws -> Bool {
        do {
            return try service.acknowledge(pageID: pageID, by: person, at: now).state == .acknowledged
        } catch let refusal as PagingError {
            // Already acknowledged, no such page, or dated before the page: the caller hears so.
            _ = refusal
            return false
        }
    }
}

/// Answers the paging facts of scenarios (`Fact.pageSent`) from the page store.
///
/// `answer(_:)` returns `nil` for facts about other systems, so the app can ask the case store's
/// checker next; the `FactChecker` conformance says such facts do not hold.
public struct PageFactChecker: FactChecker {
    public let store: PageStore

    public init(store: PageStore) { self.store = store }

    public func answer(_ fact: Fact) throws -> (holds: Bool, observed: String)? {
        switch fact {
        case .pageSent(let person, let caseNumber, let level):
            let pages = try store.pages(caseNumber: caseNumber)
            let holds = pages.contains { page in
                (person == nil || page.person == person) && (level == nil || page.level == level)
            }
            let observed = pages.isEmpty
                ? "no pages\(caseNumber.map { " for case \($0)" } ?? "")"
                : pages.map { "\($0.id) to \($0.person) at level \($0.level) (\($0.state.rawValue))" }.joined(separator: "; ")
            return (holds, observed)
        case .caseStatus, .caseFeed, .caseOpened:
            return nil
        }
    }

    public func check(_ fact: Fact) throws -> (holds: Bool, observed: String) {
        try answer(fact) ?? (false, "the page store knows nothing about \(fact)")
    }
}
