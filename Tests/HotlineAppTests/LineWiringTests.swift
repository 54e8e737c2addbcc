import Foundation
import HotlineApp
import HotlineRouter
import HotlineTestSupport
import Testing

/// Issue 12 #5: an account's designated SME that no agent of the routing data is gets said when a
/// line is wired (`hotline call` and `hotline demo` warn before the call), not only by `db check`.
@Suite struct LineWiringTests {
    static let at = Date(timeIntervalSince1970: 1_796_468_400)  // 2026-12-05T11:00Z

    @Test func theReferenceRoutingReachesEverySME() throws {
        let folder = TemporaryFolder()
        let opened = try LineWiring(database: folder.path("line.sqlite"), start: Self.at).open()
        #expect(try opened.unroutableSMEs().isEmpty)
    }

    @Test func routingWithoutTheSMEsNamesEachAccountWhoseSMECannotBeReached() throws {
        let folder = TemporaryFolder()
        let agents = (Defaults.routing as NSString).appendingPathComponent("agents.yaml")
        let queues = (Defaults.routing as NSString).appendingPathComponent("queues.yaml")
        var routing = try RoutingFile.load(agents: agents, queues: queues)
        let smes = routing.agents.filter { $0.team == .sme }
        #expect(!smes.isEmpty)
        routing.agents.removeAll { $0.team == .sme }
        var wiring = LineWiring(database: folder.path("line.sqlite"), start: Self.at)
        wiring.routing = .loaded(routing)
        let unroutable = try wiring.open().unroutableSMEs()
        #expect(unroutable.count == smes.count)
        #expect(unroutable.allSatisfy { smes.map(\.name).contains($0.sme) })
        #expect(unroutable.allSatisfy { $0.description.contains("fix:") })
    }
}
