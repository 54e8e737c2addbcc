import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineRota
import Testing

@Suite struct RotaFileTests {
    @Test func referenceRotaLoads() throws {
        let rota = try Rota.load(path: fixture("escalation-managers.yaml"))
        #expect(rota.lines.map(\.name) == ["primary", "backup", "gec-duty"])
        #expect(rota.lines[0].layers.map(\.name) == ["APAC", "EMEA", "Americas"])
        #expect(rota.lines[0].layers.map(\.zone.identifier) == ["Australia/Sydney", "Europe/London", "America/New_York"])
        #expect(rota.lines[0].layers.allSatisfy { $0.people.count >= 2 })
        #expect(rota.overrides.count == 2)
    }

    @Test func followTheSunPagesDifferentRegionsAtDifferentTimes() throws {
        let rota = try Rota.load(path: fixture("escalation-managers.yaml"))
        let timeline = rota.timeline(from: date("2026-06-01T00:00:00Z"), to: date("2026-06-08T00:00:00Z"))
        func region(_ text: String) -> String? {
            let t = instant(text)
            return timeline.shifts(line: 0).first { $0.start <= t && t < $0.end }?.source
        }
        #expect(region("2026-06-03T10:00 Australia/Sydney") == "APAC")
        #expect(region("2026-06-03T11:00 Europe/London") == "EMEA")
        #expect(region("2026-06-03T15:00 America/New_York") == "Americas")
        let sydneyMorning = rota.who(at: date("2026-06-03T10:00 Australia/Sydney")).primary
        let londonMorning = rota.who(at: date("2026-06-03T11:00 Europe/London")).primary
        #expect(sydneyMorning != nil && londonMorning != nil && sydneyMorning != londonMorning)
        #expect(rota.who(at: date("2026-06-03T11:00 Europe/London")).backup != nil)
    }

    @Test func timelineAndDirectLookupAgree() throws {
        let rota = try Rota.load(path: fixture("escalation-managers.yaml"))
        let from = date("2026-12-01T00:00:00Z")
        let timeline = rota.timeline(from: from, to: from.addingTimeInterval(60 * 86_400))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let t = from.addingTimeInterval(TimeInterval(Int.random(in: 0..<(60 * 86_400), using: &generator)))
            let uncached = rota.whoUncached(at: t)
            #expect(timeline.who(at: t) == uncached)
            #expect(rota.who(at: t) == uncached)
            #expect(rota.person(line: 0, at: Int(t.timeIntervalSince1970)) == uncached.primary)
        }
    }

    @Test func overridesReplaceAddRemove() throws {
        let rota = try Rota.parse(
            yaml: """
                rota: Overrides
                lines:
                  primary:
                    layers:
                      - name: Base
                        zone: UTC
                        rotation: weekly
                        start: 2026-01-05
                        handoff: "00:00"
                        people: [Ada, Bob]
                      - name: Day
                        zone: UTC
                        rotation: weekly
                        start: 2026-01-05
                        handoff: "00:00"
                        people: [Cy]
                        restrictions:
                          - days: mon-fri
                            from: "09:00"
                            to: "17:00"
                overrides:
                  - line: primary
                    replace: Ada
                    with: Dee
                    from: 2026-01-05T00:00Z
                    to: 2026-01-05T06:00Z
                  - line: primary
                    remove: Cy
                    from: 2026-01-06T10:00Z
                    to: 2026-01-06T11:00Z
                  - line: primary
                    cover: Eve
                    from: 2026-01-07T12:00Z
                    to: 2026-01-07T13:00Z
                """, path: "overrides.yaml")
        #expect(rota.notes.isEmpty)
        func who(_ text: String) -> String? { rota.who(at: date(text)).primary }
        #expect(who("2026-01-05T03:00Z") == "Dee")  // replaced
        #expect(who("2026-01-05T07:00Z") == "Ada")  // override over
        #expect(who("2026-01-05T10:00Z") == "Cy")  // later layer wins
        #expect(who("2026-01-06T10:30Z") == "Ada")  // Cy removed: the layer below shows through
        #expect(who("2026-01-07T12:30Z") == "Eve")  // added over Cy
        #expect(who("2026-01-12T03:00Z") == "Bob")  // next week
        let report = rota.timeline(from: date("2026-01-05T00:00Z"), to: date("2026-01-12T00:00Z")).coverage()
        #expect(report.passed)
        #expect(report.overlaps.first?.winner == "Day")
        #expect(report.overlaps.first?.count == 5)
    }

    /// Defect 24: `add:` put someone on call *in place of* whoever was scheduled; it is now
    /// `cover:`, and `add:` still works with a note that says what it does.
    @Test func addIsTheDeprecatedNameOfCover() throws {
        func load(_ key: String) throws -> Rota {
            try Rota.parse(
                yaml: """
                    rota: Cover
                    lines:
                      primary:
                        layers:
                          - {name: Base, zone: UTC, rotation: weekly, start: 2026-01-05, handoff: "00:00", people: [Ada, Bob]}
                    overrides:
                      - line: primary
                        \(key): Eve
                        from: 2026-01-07T12:00Z
                        to: 2026-01-07T13:00Z
                    """, path: "cover.yaml")
        }
        let cover = try load("cover")
        let add = try load("add")
        #expect(cover.who(at: date("2026-01-07T12:30Z")).primary == "Eve")
        #expect(add.who(at: date("2026-01-07T12:30Z")).primary == "Eve")
        #expect(cover.notes.isEmpty)
        #expect(add.notes == ["cover.yaml:8:5: note: `add:` is deprecated: it puts Eve on call in place of whoever is scheduled (fix: write `cover: Eve`, which means the same)"])
    }

    @Test func gapIsReportedWithTheLineOfTheFile() throws {
        let path = fixture("bad/gap.yaml")
        let rota = try Rota.load(path: path)
        let report = rota.timeline(from: date("2026-01-01T00:00:00Z"), to: date("2026-01-03T00:00:00Z")).coverage()
        #expect(!report.passed)
        #expect(report.gaps.count == 2)
        #expect(report.gaps.first?.from == instant("2026-01-01T16:00:00Z"))
        #expect(report.gaps.first?.to == instant("2026-01-01T18:00:00Z"))
        let error = try #require(report.errors.first)
        #expect(error.code == .gap)
        #expect(error.description.hasPrefix("\(path):4:3: error: line 'primary' has nobody on call from 2026-01-01T16:00:00Z"))
        #expect(error.fix != nil)
    }

    @Test func samePersonOnPrimaryAndBackupFailsTheCheck() throws {
        let rota = try Rota.parse(
            yaml: """
                rota: Thin
                lines:
                  primary:
                    layers:
                      - {name: P, zone: UTC, rotation: daily, start: 2026-01-01, handoff: "00:00", people: [Ada, Bob]}
                  backup:
                    layers:
                      - {name: B, zone: UTC, rotation: daily, start: 2026-01-01, handoff: "12:00", people: [Bob, Cy]}
                """, path: "thin.yaml")
        let report = rota.timeline(from: date("2026-01-02T00:00Z"), to: date("2026-01-03T00:00Z")).coverage()
        #expect(report.gaps.isEmpty)
        #expect(!report.passed)
        #expect(report.doubled.map(\.person) == ["Bob"])
        #expect(report.doubled.first?.from == instant("2026-01-02T00:00Z"))
        #expect(report.doubled.first?.to == instant("2026-01-02T12:00Z"))
        #expect(report.errors.first?.description.hasPrefix("thin.yaml:6:3: error: Bob is on call on primary and backup at once") == true)
    }

    @Test func showDrawsShiftsHandoffsAndGaps() throws {
        let rota = try Rota.load(path: fixture("bad/gap.yaml"))
        let utc = try #require(ZoneRules(identifier: "UTC"))
        let text = rota.timeline(from: date("2026-03-08T00:00Z"), to: date("2026-03-09T00:00Z")).render(zone: utc)
        #expect(text == """
            Gappy — times in UTC

            Sun 2026-03-08
              primary   00:00–08:00  James Carter  [Americas]
                        08:00–16:00  Oliver Hughes  [EMEA]
                        16:00–18:00  — nobody on call —
                        18:00–24:00  Sofia Martinez  [Americas]

            """)
    }

    struct Broken: Sendable, CustomStringConvertible {
        var file: String
        var code: Diagnostic.Code
        var line: Int
        var mentions: String
        var description: String { file }
    }

    @Test(arguments: [
        Broken(file: "bad/unknown-zone.yaml", code: .unknownZone, line: 7, mentions: "Europe/Atlantis"),
        Broken(file: "bad/empty-rotation.yaml", code: .emptyRotation, line: 11, mentions: "nobody in its rotation"),
        Broken(file: "bad/bad-handoff.yaml", code: .badTime, line: 10, mentions: "9.30am"),
        Broken(file: "bad/overlapping-overrides.yaml", code: .overlappingOverrides, line: 18, mentions: "overlaps the one at line 13"),
    ])
    func brokenFilesGiveFileLineErrors(broken: Broken) {
        let path = fixture(broken.file)
        do {
            _ = try Rota.load(path: path)
            Issue.record("\(broken.file) loaded")
        } catch {
            #expect(error.errors.count == 1, "\(error)")
            let first = error.errors[0]
            #expect(first.code == broken.code)
            #expect(first.line == broken.line)
            #expect(first.description.hasPrefix("\(path):\(broken.line):"))
            #expect(first.description.contains(broken.mentions))
            #expect(first.fix?.isEmpty == false)
        }
    }

    @Test func otherMistakes() {
        func error(_ yaml: String) -> Diagnostic? {
            do {
                _ = try Rota.parse(yaml: yaml, path: "x.yaml")
                return nil
            } catch {
                return error.first
            }
        }
        #expect(error("rota: x\nlines:\n  backup:\n    layers: []\n")?.code == .structure)
        #expect(error("rota: x\nlines: [\n")?.code == .syntax)
        let unknownPerson = error(
            """
            rota: x
            lines:
              primary:
                layers:
                  - {name: A, zone: UTC, rotation: daily, start: 2026-01-01, people: [Ada]}
            overrides:
              - {replace: Adda, with: Bob, from: 2026-01-01T00:00Z, to: 2026-01-02T00:00Z}
            """)
        #expect(unknownPerson?.code == .unknownPerson)
        #expect(unknownPerson?.line == 7)
        let badRotation = error("rota: x\nlines:\n  primary:\n    layers:\n      - {name: A, zone: UTC, rotation: fortnightly, start: 2026-01-01, people: [Ada]}\n")
        #expect(badRotation?.code == .badRotation)
    }

    /// Every problem of a rota at once, each at its line: a duplicate key, an unknown key with a
    /// suggestion, a bad zone and a bad rotation in one layer, a layer with nobody, a bad override.
    @Test func everyProblemOfARotaIsReportedAtOnce() {
        let path = fixture("bad/several.yaml")
        do {
            _ = try Rota.load(path: path)
            Issue.record("loaded")
        } catch {
            let found = error.errors.map { "\($0.line):\($0.column) \($0.code)" }
            #expect(found == [
                "12:9 duplicate-key", "5:5 unknown-key", "8:15 unknown-zone", "9:19 bad-rotation", "15:17 empty-rotation",
                "20:5 bad-time", "21:12 structure",
            ], "\(error)")
            #expect(error.description.contains("unknown key 'layer' in line 'primary'; did you mean `layers`?") || error.description.contains("did you mean"))
            #expect(error.errors.allSatisfy { $0.file == path && $0.fix != nil })
        }
    }
}
