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
