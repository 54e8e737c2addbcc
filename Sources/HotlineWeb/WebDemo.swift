import Foundation
import HotlineApp
import HotlineRouter
import HotlineStore

/// `hotline serve --demo` and `make demo-web`: the sample data (seeded when the database has no
/// accounts) and one sign-in per role, customers tied to sample contacts of two accounts.
public enum WebDemo {
    public struct SignIn: Sendable, Hashable {
        public var email: String
        public var password: String
        public var role: WebRole
        public var contact: String?
        /// The routing agent (agents file id) an agent's sign-in is linked to.
        public var agent: String? = nil
    }

    /// The sample sign-ins. Demo passwords are printed: never use `--demo` on real data.
    public static let signIns: [SignIn] = [
        SignIn(email: "dana@acme.example", password: "customer-demo", role: .customer, contact: "dana.whitfield@acme.example"),
        SignIn(email: "ravi@globex.example", password: "customer-demo", role: .customer, contact: "ravi.menon@globex.example"),
        SignIn(email: "agent@hotline.example", password: "agent-demo", role: .agent, contact: nil, agent: "ava.morgan"),
        SignIn(email: "manager@hotline.example", password: "manager-demo", role: .manager, contact: nil),
        SignIn(email: "trainer@hotline.example", password: "trainer-demo", role: .trainer, contact: nil),
    ]

    /// Seeds the sample data when missing and adds the sample users that do not exist yet.
    /// Returns lines to print.
    public static func prepare(line: WebLine, sampleData: String = Defaults.sampleData, sla: String = Defaults.sla) throws -> [String] {
        var out: [String] = []
        let now = line.clock()
        if try line.cases.accounts().isEmpty {
            let summary = try line.cases.seed(try SampleData.load(folder: sampleData), sla: try SLATable.load(path: sla), at: now, reset: false)
            out.append("Seeded \(line.database.path): \(summary.accounts) accounts, \(summary.cases) cases.")
        }
        // The routing agents of the line's router: the demo agent is linked to one of them.
        let routingAgents = (line.systems.router as? SimulatedCallRouter)?.snapshot(at: now).agents.map(\.id) ?? []
        for signIn in signIns where try line.users.user(email: signIn.email) == nil {
            try line.users.addUser(
                email: signIn.email, password: signIn.password, role: signIn.role, contact: signIn.contact,
                agent: routingAgents.contains(signIn.agent ?? "") ? signIn.agent : nil, routingAgents: routingAgents, at: now)
        }
        // A database from before sign-ins were linked has the demo agent unlinked: link it, so its
        // desk shows the calls its routing agent answers.
        for signIn in signIns {
            guard let agent = signIn.agent, routingAgents.contains(agent),
                try line.users.linkUnlinkedAgent(email: signIn.email, to: agent, routingAgents: routingAgents)
            else { continue }
            out.append("Linked the existing sign-in \(signIn.email) to the routing agent \(agent) (its desk shows the calls \(agent) answers).")
        }
        out.append("Sign-ins (demo passwords):")
        for signIn in signIns {
            let user = try line.users.user(email: signIn.email)
            let account = user?.accountID.map { ", account \($0)" } ?? user?.agentID.map { ", routing agent \($0)" } ?? ""
            out.append("  \(signIn.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(signIn.email) / \(signIn.password)\(account)")
        }
        return out
    }
}
