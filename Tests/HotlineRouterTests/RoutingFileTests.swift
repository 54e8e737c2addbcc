import Foundation
import HotlineTestSupport
import HotlineCore
import HotlineDiagnostics
import Testing

@testable import HotlineRouter

/// The repository root, found from this file's path (tests run from anywhere).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let referenceAgents = repositoryRoot + "/Fixtures/routing/agents.yaml"
let referenceQueues = repositoryRoot + "/Fixtures/routing/queues.yaml"
let referencePlan = repositoryRoot + "/Fixtures/routing/plan.yaml"

/// A temporary folder with the given files, removed at the end of the test.
final class TempFolder {
    let path: String
    init(_ files: [String: String]) throws {
        path = try TestFolders.make("router").path
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

let goodAgents = """
    skills:
      products: [pcs, pps]
      languages: [en, ja]
    agents:
      - {id: ann, team: GSC, level: L1, skills: {en: 5, pcs: 3}}
      - {id: bob, team: GSC, level: L2, skills: {en: 4, pps: 5}}
      - {id: cat, team: GEC, level: L3, skills: {en: 5}}
    """

let goodQueues = """
    defaults:
      max-wait: 600
    queues:
      - name: gsc
        team: GSC
        skills: [en]
        strategy: longest-idle
        tiers:
          - level: L1
          - level: L2
            after: 60
      - name: gec
        team: GEC
        skills: {en: 3}
        strategy: top-down
        tiers: [L3]
    """

/// Loads the pair and returns the error (or records that there was none).
func loadError(agents: String = goodAgents, queues: String = goodQueues) throws -> Diagnostic? {
    try loadErrors(agents: agents, queues: queues).first
}

/// Loads the pair and returns every error (or records that there was none).
func loadErrors(agents: String = goodAgents, queues: String = goodQueues) throws -> [Diagnostic] {
    let folder = try TempFolder(["agents.yaml": agents, "queues.yaml": queues])
    do {
        _ = try RoutingFile.load(agents: folder.file("agents.yaml"), queues: folder.file("queues.yaml"))
        Issue.record("expected an error")
        return []
    } catch {
        return error.errors
    }
}

@Suite struct RoutingFileTests {
    @Test func referenceDataStaffsTheSeedsLine() throws {
        let config = try RoutingFile.load(agents: referenceAgents, queues: referenceQueues)
        for name in ["customer-care", "gsc", "gec", "psirt"] {
            #expect(config.queueIndex(named: name) != nil, "queue \(name) missing")
        }
        let teams = Set(config.agents.map(\.team))
        #expect(teams == Set(Team.allCases))
        #expect(Set(config.agents.map(\.level)) == Set(AgentLevel.allCases))
        // GSC takes L1 first, L2 after a while; GEC is L3.
        let gsc = config.queues[config.queueIndex(named: "gsc")!]
        #expect(gsc.tiers.map(\.level) == [.l1, .l2])
        #expect(gsc.tiers[1].after > 0)
        let gec = config.queues[config.queueIndex(named: "gec")!]
        #expect(config.members(of: gec).allSatisfy { config.agents[$0.agent].level == .l3 })
        #expect(Set(config.queues.map(\.strategy)).count >= 5)
    }

    @Test func goodFilesLoadWithLevelsSkillsAndTiers() throws {
        let folder = try TempFolder(["agents.yaml": goodAgents, "queues.yaml": goodQueues])
        let config = try RoutingFile.load(agents: folder.file("agents.yaml"), queues: folder.file("queues.yaml"))
        #expect(config.agents.map(\.id) == ["ann", "bob", "cat"])
        #expect(config.agents[1].skills == ["en": 4, "pps": 5])
        #expect(config.queues[0].tiers == [QueueTier(level: .l1, after: 0, location: config.queues[0].tiers[0].location), QueueTier(level: .l2, after: 60, location: config.queues[0].tiers[1].location)])
        #expect(config.queues[0].maxWait == 600)
        #expect(config.members(of: config.queues[0]).map { config.agents[$0.agent].id } == ["ann", "bob"])
    }

    @Test func unknownSkillOnAnAgentNamesTheLineAndTheNearestSkill() throws {
        let agents = goodAgents.replacingOccurrences(of: "{en: 4, pps: 5}", with: "{en: 4, ppss: 5}")
        let error = try #require(try loadError(agents: agents))
        #expect(error.code == .unknownSkill)
        #expect(error.file.hasSuffix("agents.yaml"))
        #expect(error.line == 6)
        #expect(error.description.contains("unknown skill 'ppss'"))
        #expect(error.description.contains("did you mean 'pps'"))
    }

    /// An agent's `contact:` is its SIP phone; anything but a literal `sip:[user@]host[:port]` is an
    /// error at its line (the line only ever dials URIs written in its files).
    @Test func anAgentsContactIsASIPURIWrittenInTheFile() throws {
        let folder = try TempFolder([
            "agents.yaml": goodAgents.replacingOccurrences(of: "skills: {en: 5, pcs: 3}}", with: "skills: {en: 5, pcs: 3}, contact: \"sip:ann@192.0.2.10:5060\"}"),
            "queues.yaml": goodQueues,
        ])
        let config = try RoutingFile.load(agents: folder.file("agents.yaml"), queues: folder.file("queues.yaml"))
        #expect(config.agents.first { $0.id == "ann" }?.contact == SIPContact(user: "ann", host: "192.0.2.10", port: 5060))
        #expect(config.agents.first { $0.id == "bob" }?.contact == nil)
        for bad in ["tel:+14085550100", "sip:ann@192.0.2.10;transport=tcp", "sip:${caller}@pbx"] {
            let agents = goodAgents.replacingOccurrences(of: "skills: {en: 4, pps: 5}}", with: "skills: {en: 4, pps: 5}, contact: \"\(bad)\"}")
            let error = try #require(try loadError(agents: agents))
            #expect(error.code == .badValue)
            #expect(error.file.hasSuffix("agents.yaml"))
            #expect(error.line == 6)
            #expect(error.description.contains("the contact '\(bad)'"))
            #expect(error.fix?.contains("sip:[user@]host[:port]") == true)
        }
    }

    @Test func unknownSkillOnAQueue() throws {
        let queues = goodQueues.replacingOccurrences(of: "skills: {en: 3}", with: "skills: {fr: 3}")
        let error = try #require(try loadError(queues: queues))
        #expect(error.code == .unknownSkill)
        #expect(error.file.hasSuffix("queues.yaml"))
        #expect(error.line == 14)
    }

    @Test func unknownStrategySuggestsTheClosest() throws {
        let queues = goodQueues.replacingOccurrences(of: "strategy: top-down", with: "strategy: topdown")
        let error = try #require(try loadError(queues: queues))
        #expect(error.code == .unknownStrategy)
        #expect(error.line == 15)
        #expect(error.description.hasSuffix("queues.yaml:15:15: error: unknown strategy 'topdown' (fix: did you mean 'top-down'? the strategies are: longest-idle, round-robin, top-down, ring-all, fewest-calls, least-talk-time, random)"))
    }

    @Test func aQueueNobodyCanServe() throws {
        let queues = goodQueues.replacingOccurrences(of: "skills: {en: 3}", with: "skills: {ja: 1}")
        let error = try #require(try loadError(queues: queues))
        #expect(error.code == .unservedQueue)
        #expect(error.line == 12)
        #expect(error.message.contains("nobody can serve queue 'gec'"))
        #expect(error.fix?.contains("add such an agent") == true)
    }

    @Test func aTierThatOpensAfterCallersOverflowIsImpossible() throws {
        let queues = goodQueues.replacingOccurrences(of: "after: 60", with: "after: 900")
        let error = try #require(try loadError(queues: queues))
        #expect(error.code == .impossibleTier)
        #expect(error.line == 10)
        #expect(error.message.contains("opens at 900 s, but callers overflow at 600 s"))
    }

    @Test func aTierWithNobodyAtItsLevelIsImpossible() throws {
        let queues = goodQueues.replacingOccurrences(of: "tiers: [L3]", with: "tiers: [L3, {level: L2, after: 30}]")
        let error = try #require(try loadError(queues: queues))
        #expect(error.code == .impossibleTier)
        #expect(error.message.contains("tier L2 of queue 'gec' can never ring anyone"))
    }

    @Test func tiersOutOfOrderAndAFirstTierThatWaitAreImpossible() throws {
        let swapped = goodQueues.replacingOccurrences(of: "      - level: L1\n      - level: L2\n        after: 60", with: "      - level: L1\n        after: 30\n      - level: L2\n        after: 60")
        let first = try #require(try loadError(queues: swapped))
        #expect(first.code == .impossibleTier)
        #expect(first.message.contains("first tier"))
        let backwards = goodQueues.replacingOccurrences(of: "tiers: [L3]", with: "tiers: [L3, {level: L2, after: 0}]")
        let order = try #require(try loadError(queues: backwards))
        #expect(order.code == .impossibleTier)
        #expect(order.message.contains("not later than the tier before it"))
    }

    @Test func unknownTeamLevelAndKeyAreNamed() throws {
        let team = try #require(try loadError(agents: goodAgents.replacingOccurrences(of: "team: GEC", with: "team: GCE")))
        #expect(team.code == .unknownTeam)
        #expect(team.description.contains("did you mean 'GEC'"))
        let level = try #require(try loadError(agents: goodAgents.replacingOccurrences(of: "level: L3", with: "level: L4")))
        #expect(level.code == .unknownLevel)
        #expect(level.line == 7)
        let key = try #require(try loadError(queues: goodQueues.replacingOccurrences(of: "max-wait: 600", with: "max-wiat: 600")))
        #expect(key.code == .unknownKey)
        #expect(key.description.contains("did you mean 'max-wait'"))
        let proficiency = try #require(try loadError(agents: goodAgents.replacingOccurrences(of: "pcs: 3", with: "pcs: 9")))
        #expect(proficiency.code == .badValue)
    }

    @Test func yamlSyntaxErrorsHaveAPosition() throws {
        let error = try #require(try loadError(queues: "queues:\n  - name: [gsc\n"))
        #expect(error.code == .syntax)
        #expect(error.line > 0)
    }

    @Test func aMissingFileSaysSo() {
        #expect(throws: Diagnostics.self) {
            try RoutingFile.load(agents: "/nonexistent/agents.yaml", queues: referenceQueues)
        }
    }

    @Test func staffingPlanLoadsAndChecksItsQueues() throws {
        let plan = try StaffingPlan.load(path: referencePlan)
        #expect(plan.settings.traffic.count >= 4)
        #expect(plan.settings.hours == 8)
        // 08:00 in Los Angeles on Monday 2026-12-07 is 16:00 UTC.
        #expect(plan.settings.start == monday.addingTimeInterval(16 * 3600))

        let folder = try TempFolder([
            "agents.yaml": goodAgents, "queues.yaml": goodQueues,
            "plan.yaml": "traffic:\n  - queue: gcs\n    arrivals-per-hour: 10\n",
        ])
        do {
            _ = try StaffingPlan.load(path: folder.file("plan.yaml"))
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.first?.code == .unknownQueue)
            #expect(error.first?.line == 2)
            #expect(error.description.contains("did you mean 'gsc'"))
        }
    }

    @Test func timesAreReadWithAnOffsetOrAZone() {
        #expect((try? InstantParser.parse("2026-12-07T00:00:00Z")) == monday)
        #expect((try? InstantParser.parse("2026-12-06T16:00:00-08:00")) == monday)
        #expect((try? InstantParser.parse("2026-12-06T16:00-08:00")) == monday)
        #expect((try? InstantParser.parse("2026-12-07T09:00 Asia/Tokyo")) == monday)
        #expect((try? InstantParser.parse("2026-12-07T09:00 Mars/Olympus")) == nil)
        #expect((try? InstantParser.parse("yesterday")) == nil)
    }

    /// Agents, queues and plan files report every problem at once, each at its line and column,
    /// duplicate keys included (they once stopped at the first).
    @Test func badFilesReportEveryProblemAtOnce() throws {
        let bad = URL(fileURLWithPath: referencePlan).deletingLastPathComponent().appendingPathComponent("bad").path
        func problems(_ load: () throws(Diagnostics) -> Void) -> [String] {
            do {
                try load()
                Issue.record("loaded")
                return []
            } catch {
                #expect(error.errors.allSatisfy { $0.fix != nil }, "\(error)")
                return error.errors.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line):\($0.column) \($0.code)" }
            }
        }
        let routing = problems { () throws(Diagnostics) in _ = try RoutingFile.load(agents: bad + "/agents.yaml", queues: bad + "/queues.yaml") }
        #expect(routing == [
            "agents.yaml:10:5 duplicate-key", "agents.yaml:6:77 bad-value", "agents.yaml:7:40 unknown-team",
            "agents.yaml:8:54 unknown-level", "agents.yaml:8:75 unknown-key",
            "queues.yaml:16:5 duplicate-key", "queues.yaml:4:13 bad-value", "queues.yaml:8:18 unknown-skill",
            "queues.yaml:9:15 unknown-strategy",
        ])
        let plan = problems { () throws(Diagnostics) in _ = try StaffingPlan.load(path: bad + "/plan.yaml") }
        #expect(plan == [
            "plan.yaml:4:8 bad-value", "plan.yaml:5:1 unknown-key", "plan.yaml:7:12 unknown-queue", "plan.yaml:10:24 bad-value",
            "plan.yaml:11:15 bad-value", "plan.yaml:12:5 structure",
        ])
    }
}
