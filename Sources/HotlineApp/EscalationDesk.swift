import Foundation
import HotlineCore
import HotlineRota
import HotlineStore

/// Escalations made outside a call — the Case Center's "Escalate Now" (web) or one a trainee records
/// by hand — take the same road as one by phone: recorded on the case, then the Escalation Manager
/// on call at that instant is paged.
public struct EscalationDesk: Sendable {
    public let store: CaseStore
    public let paging: PagingService

    public init(database: HotlineDatabase, policy: EscalationPolicy, delivery: any PageDelivery) {
        store = CaseStore(database: database)
        paging = PagingService(policy: policy, store: PageStore(writer: database.writer), delivery: delivery)
    }

    /// The desk of a wired line: its case store and its pager.
    public init(systems: LineSystems) {
        store = systems.store
        paging = systems.paging
    }

    /// Records the escalation (one transaction), then pages level 1 of the policy. The pages are
    /// empty when nobody is on call; the escalation stands either way.
    public func escalate(caseNumber: String, reason: String, channel: EscalationChannel, by author: CaseStore.Author, at now: Date) throws -> (entry: FeedEntry, pages: [PageRecord]) {
        let entry = try store.escalate(caseNumber: caseNumber, reason: reason, channel: channel, by: author, at: now)
        let pages = try paging.escalate(caseNumber: entry.caseNumber, reason: "Escalate Now (\(channel.rawValue)): \(reason)", at: now)
        return (entry, pages)
    }
}
