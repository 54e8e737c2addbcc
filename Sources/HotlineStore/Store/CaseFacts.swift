import Foundation
import GRDB
import HotlineCore

/// Checks the case facts a scenario expects after a call, on the real database.
///
/// Composable: `checkIfKnown(_:)` answers `nil` for facts that are not the case store's
/// (`pageSent`, which the rota answers), so an app-level checker can ask each system in turn.
/// `check(_:)` alone answers such a fact with `holds: false` and says who should check it.
public struct CaseFactChecker: FactChecker {
    public let store: CaseStore

    public init(store: CaseStore) {
        self.store = store
    }

    public func check(_ fact: Fact) throws -> (holds: Bool, observed: String) {
        if let answer = try checkIfKnown(fact) { return answer }
        return (false, "not checked: the case store does not record pages (the rota's checker answers `pageSent`)")
    }

    public func checkIfKnown(_ fact: Fact) throws -> (holds: Bool, observed: String)? {
        switch fact {
        case .caseStatus(let caseNumber, let status):
            guard let supportCase = try existing(caseNumber) else { return (false, "case \(caseNumber) does not exist") }
            return (supportCase.status.rawValue == status.lowercased(), "case \(caseNumber) has status \(supportCase.status.rawValue)")
        case .caseFeed(let caseNumber, let kind, let channel):
            guard try existing(caseNumber) != nil else { return (false, "case \(caseNumber) does not exist") }
            let entries = try store.feed(caseNumber: caseNumber)
            let holds = entries.contains { $0.kind.rawValue == kind && (channel == nil || $0.channel == channel) }
            let seen = entries.map { entry in entry.channel.map { "\(entry.kind.rawValue)(\($0))" } ?? entry.kind.rawValue }
            return (holds, "case \(caseNumber) feed: " + (seen.isEmpty ? "empty" : seen.joined(separator: ", ")))
        case .caseOpened(let accountID, let priority):
            // Cases opened from a call carry channel `phone` on their `opened` entry; sample data is `web`.
            let opened = try store.read { db in
                // Cached: a scenario checks facts on a connection kept for the whole run.
                try Row.fetchAll(
                    try db.cachedStatement(
                        sql: """
                            SELECT f.case_number, f.priority FROM case_feed f JOIN support_case c ON c.number = f.case_number
                            WHERE f.kind = 'opened' AND f.channel = 'phone' AND c.account_id = ? ORDER BY f.id
                            """),
                    arguments: [accountID]
                ).map { row throws(StoreError) in
                    (number: try row.stored("case_number", as: String.self, table: "case_feed", key: "an opened entry"),
                     priority: try row.stored("priority", as: String.self, table: "case_feed", key: "an opened entry"))
                }
            }
            let holds = opened.contains { priority == nil || $0.priority == priority?.uppercased() }
            let seen = opened.map { "\($0.number) \($0.priority)" }
            return (holds, "cases opened by phone for account \(accountID): " + (seen.isEmpty ? "none" : seen.joined(separator: ", ")))
        case .pageSent:
            return nil
        }
    }

    private func existing(_ caseNumber: String) throws -> SupportCase? {
        do {
            return try store.supportCase(caseNumber)
        } catch CaseDeskError.caseNotFound {
            return nil
        } catch let error as StoreError where error.code == .invalidCaseNumber {
            return nil
        }
    }
}
