import Foundation
import HotlineCore
import HotlineRouter
import HotlineStore

/// The router's view of an account's designated (CSM-Lite, CSM) or dedicated (Resident Engineer)
/// SME, from the case store: the account's SME, matched by name to an agent of the routing data,
/// with the account's business hours in its own time zone.
public struct StoreAccountProfiles: AccountProfiles {
    let store: CaseStore
    let agentIDsByName: [String: String]

    public init(store: CaseStore, routing: RoutingConfig) {
        self.store = store
        self.agentIDsByName = Dictionary(routing.agents.map { ($0.name.lowercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    public func designatedSME(forAccount accountID: String) throws -> DesignatedSME? {
        let account = try store.account(id: accountID)
        guard account.addOn != nil, let name = account.smeName, let agentID = agentIDsByName[name.lowercased()] else { return nil }
        return DesignatedSME(agentID: agentID, businessHours: try account.calendar())
    }
}

/// An account whose SME the router cannot reach: the account names an SME who is not an agent
/// of the routing data, so its callers would silently go to the general queue.
public struct UnroutableSME: Sendable, Hashable, CustomStringConvertible {
    public var accountID: String
    public var accountName: String
    public var sme: String
    /// The agents file searched.
    public var agentsFile: String

    public var description: String {
        "account \(accountID) (\(accountName)) names SME '\(sme)', who is not an agent in \(agentsFile): its callers never reach their SME (fix: add \(sme) to \(agentsFile) with `team: SME`, or correct the account's `sme:` in the sample data's accounts.yaml)"
    }
}

extension StoreAccountProfiles {
    /// The accounts of `store` whose SME the routing data cannot reach.
    public func unroutableSMEs(agentsFile: String) throws -> [UnroutableSME] {
        let names = agentIDsByName
        return try store.accounts().compactMap { account in
            guard account.addOn != nil, let sme = account.smeName, names[sme.lowercased()] == nil else { return nil }
            return UnroutableSME(accountID: account.id, accountName: account.name, sme: sme, agentsFile: agentsFile)
        }
    }
}
