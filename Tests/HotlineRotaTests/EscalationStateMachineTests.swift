import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineRota
import Testing

func referencePolicy() throws -> EscalationPolicy {
    try EscalationPolicy.load(path: fixture("escalation-policy.yaml"))
}

@Suite struct EscalationStateMachineTests {
    let t0 = date("2026-06-03T11:00 Europe/London")

    @Test func unacknowledgedPageClimbsAfterTenMinutes() throws {
        let policy = try referencePolicy()
        var machine = EscalationStateMachine(policy: policy)
        let primary = try #require(policy.rota.who(at: t0).primary)
        let later = t0.addingTimeInterval(600)
        let backup = try #require(policy.rota.who(at: later).backup)
        #expect(machine.escalationRecorded(at: t0) == [.sendPage(level: 1, round: 0, person: primary, at: t0, ackBy: later), .scheduleCheck(at: later)])
        #expect(machine.timerFired(at: t0.addingTimeInterval(599)) == [])  // early: ignored
        #expect(machine.timerFired(at: later) == [
            .markEscalated(level: 1, round: 0, at: later),
            .sendPage(level: 2, round: 0, person: backup, at: later, ackBy: later.addingTimeInterval(600)),
            .scheduleCheck(at: later.addingTimeInterval(600)),
        ])
        #expect(machine.acknowledged(by: backup, at: later.addingTimeInterval(60)) == [.markAcknowledged(by: backup, at: later.addingTimeInterval(60))])
        #expect(machine.acknowledged(by: backup, at: later.addingTimeInterval(70)) == [])  // twice: ignored
        #expect(machine.timerFired(at: later.addingTimeInterval(600)) == [])  // after ack: ignored
    }

    @Test func repeatsThenExhausts() throws {
        let policy = try referencePolicy()  // 3 levels (10m, 10m, 15m), repeat 1
        var machine = EscalationStateMachine(policy: policy)
        var now = t0
        var levels: [Int] = []
        var actions = machine.escalationRecorded(at: now)
        while true {
            for action in actions {
                if case .sendPage(let level, _, _, _, _) = action { levels.append(level) }
            }
            guard case .paging(let paging) = machine.state else { break }
            now = paging.deadline
            actions = machine.timerFired(at: now)
        }
        #expect(levels == [1, 2, 3, 1, 2, 3])
        #expect(actions.last == .markExhausted(at: now))
        #expect(now == t0.addingTimeInterval(2 * (600 + 600 + 900)))
        // The late-acknowledgement contract: an exhausted escalation is still acknowledged by
        // whoever answers late (PagerDuty, GoAlert); a second acknowledgement is ignored.
        #expect(machine.acknowledged(by: "Late Larry", at: now.addingTimeInterval(5)) == [.markAcknowledged(by: "Late Larry", at: now.addingTimeInterval(5))])
        #expect(machine.state == .acknowledged(by: "Late Larry", at: now.addingTimeInterval(5)))
        #expect(machine.acknowledged(by: "Someone Else", at: now.addingTimeInterval(9)) == [])
    }

    @Test func levelWithNobodyOnCallIsSkipped() throws {
        let rota = try Rota.load(path: fixture("bad/gap.yaml"))
        let policy = EscalationPolicy(
            name: "p", path: "p.yaml", rota: rota,
            levels: [
                .init(name: "primary", target: .line(0), ackTimeout: 600, location: .init(file: "p.yaml", line: 1, column: 1)),
                .init(name: "boss", target: .person("Ingrid Larsen"), ackTimeout: 600, location: .init(file: "p.yaml", line: 2, column: 1)),
            ], repeatCount: 0)
        var machine = EscalationStateMachine(policy: policy)
        let inGap = date("2026-01-01T17:00:00Z")
        #expect(machine.escalationRecorded(at: inGap) == [
            .skipLevel(level: 1, round: 0, at: inGap),
            .sendPage(level: 2, round: 0, person: "Ingrid Larsen", at: inGap, ackBy: inGap.addingTimeInterval(600)),
            .scheduleCheck(at: inGap.addingTimeInterval(600)),
        ])
    }

    /// A level's person is looked up on its line alone; it is whoever `who(at:)` says is on that
    /// line, in gaps, at handoffs and between whole seconds alike.
    @Test func levelPersonIsTheLinesOnCall() throws {
        let policy = try referencePolicy()
        let gapRota = try Rota.load(path: fixture("bad/gap.yaml"))
        let gapPolicy = EscalationPolicy(
            name: "p", path: "p.yaml", rota: gapRota,
            levels: [.init(name: "primary", target: .line(0), ackTimeout: 600, location: .init(file: "p.yaml", line: 1, column: 1))], repeatCount: 0)
        var gaps = 0
        for step in stride(from: -86_400.0 * 3, through: 86_400.0 * 40, by: 1_799.5) {
            let instant = t0.addingTimeInterval(step)
            for (index, level) in policy.levels.enumerated() {
                guard case .line(let line) = level.target else { continue }
                #expect(policy.person(level: index + 1, at: instant) == policy.rota.who(at: instant).lines[line].person, "level \(index + 1) at \(instant)")
            }
            let person = gapPolicy.person(level: 1, at: instant)
            #expect(person == gapRota.who(at: instant).lines[0].person, "gap rota at \(instant)")
            if person == nil { gaps += 1 }
        }
        #expect(gaps > 0)  // the gap rota's gaps were looked up too
    }

    @Test func policyFileErrors() throws {
        let folder = try temporaryDirectory()
        let path = folder + "/policy.yaml"
        try "policy: x\nrota: \(fixture("escalation-managers.yaml"))\nlevels:\n  - name: one\n    line: tertiary\n    ack-timeout: 10m\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: Diagnostics.self) { try EscalationPolicy.load(path: path) }
        do {
            _ = try EscalationPolicy.load(path: path)
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.first?.line == 5)
            #expect(error.description.contains("'tertiary'"))
        }
        try "policy: x\nrota: \(fixture("escalation-managers.yaml"))\nlevels:\n  - name: one\n    line: primary\n    ack-timeout: soon\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try EscalationPolicy.load(path: path)
            Issue.record("loaded")
        } catch {
            #expect(error.first?.code == .badDuration)
            #expect(error.first?.line == 6)
        }
    }

    /// Every problem of a policy at once: unknown keys, a bad repeat, a line the rota lacks, a
    /// timeout longer than a day, a level with nobody to page, and a duplicate key.
    @Test func policyFileReportsEveryProblemAtOnce() throws {
        let path = fixture("bad/policy-several.yaml")
        do {
            _ = try EscalationPolicy.load(path: path)
            Issue.record("loaded")
        } catch {
            let found = error.errors.map { "\($0.line):\($0.column) \($0.code)" }
            #expect(found == [
                "9:5 duplicate-key", "4:1 unknown-key", "3:9 bad-value", "11:11 unknown-name", "12:18 bad-duration",
                "13:5 structure",
            ], "\(error)")
            #expect(error.errors.allSatisfy { $0.file == path && $0.fix != nil })
        }
    }
}
