import Foundation
import HotlineDiagnostics
import HotlineRota
import Testing

/// Handoffs across the 2026 daylight-saving changes: 09:00 stays 09:00 local, no gap, no double shift.
@Suite struct RotaDSTTests {
    struct Change: Sendable, CustomStringConvertible {
        var zone: String
        var date: String
        /// Length of the day of the change, in hours (23 forward, 25 back, 24 none).
        var dayHours: Int
        var description: String { "\(zone) \(date)" }
    }

    static let changes: [Change] = [
        Change(zone: "America/New_York", date: "2026-03-08", dayHours: 23),
        Change(zone: "America/New_York", date: "2026-11-01", dayHours: 25),
        Change(zone: "Europe/London", date: "2026-03-29", dayHours: 23),
        Change(zone: "Europe/London", date: "2026-10-25", dayHours: 25),
        Change(zone: "Australia/Sydney", date: "2026-04-05", dayHours: 25),
        Change(zone: "Australia/Sydney", date: "2026-10-04", dayHours: 23),
        Change(zone: "Asia/Kolkata", date: "2026-03-08", dayHours: 24),
    ]

    @Test(arguments: changes)
    func nineOClockHandoffStaysNineOClock(change: Change) throws {
        let rota = try dailyRota(zone: change.zone, handoff: "09:00")
        let from = date("\(change.date)T00:00 \(change.zone)").addingTimeInterval(-3 * 86_400)
        let timeline = rota.timeline(from: from, to: from.addingTimeInterval(7 * 86_400))
        let shifts = timeline.shifts(line: 0)
        #expect(shifts.count == 8)  // partial first, six whole days, partial last
        for (earlier, later) in zip(shifts, shifts.dropFirst()) {
            #expect(earlier.end == later.start, "no gap and no double shift between \(earlier.person) and \(later.person)")
            #expect(earlier.person != later.person)
            let clock = localClock(later.start, change.zone)
            #expect(clock.hour == 9 && clock.minute == 0, "handoff at \(clock) local")
        }
        // The shift that starts at 09:00 the day before the change lasts as long as that local day.
        let before = instant("\(change.date)T09:00 \(change.zone)") - 86_400
        let across = try #require(shifts.first { abs($0.start - before) < 2 * 3600 })
        #expect(across.end - across.start == change.dayHours * 3600)
        // `who` agrees with the timeline at every quarter hour.
        var t = Int(from.timeIntervalSince1970)
        while t < Int(from.timeIntervalSince1970) + 7 * 86_400 {
            let shift = try #require(shifts.first { $0.start <= t && t < $0.end })
            #expect(rota.who(at: Date(timeIntervalSince1970: TimeInterval(t))).primary == shift.person)
            #expect(rota.whoUncached(at: Date(timeIntervalSince1970: TimeInterval(t))).primary == shift.person)
            t += 900
        }
    }

    @Test func kolkataHalfHourOffset() throws {
        let rota = try dailyRota(zone: "Asia/Kolkata", handoff: "09:00")
        let timeline = rota.timeline(from: date("2026-06-01T00:00:00Z"), to: date("2026-06-04T00:00:00Z"))
        let starts = timeline.shifts(line: 0).dropFirst().map(\.start)
        #expect(starts == [instant("2026-06-01T03:30:00Z"), instant("2026-06-02T03:30:00Z"), instant("2026-06-03T03:30:00Z")])
    }

    @Test func ambiguousHandoffStartsAtFirstOccurrence() throws {
        // 01:30 happens twice in New York on 2026-11-01.
        let rota = try dailyRota(zone: "America/New_York", handoff: "01:30")
        let shifts = rota.timeline(from: date("2026-10-31T00:00:00Z"), to: date("2026-11-03T00:00:00Z")).shifts(line: 0)
        let onTheDay = try #require(shifts.first { $0.start == instant("2026-11-01T05:30:00Z") })
        #expect(onTheDay.end == instant("2026-11-02T06:30:00Z"))  // 25 hours, ending at 01:30 EST
        #expect(shifts.first { $0.end == onTheDay.start } != nil)  // the previous shift ends exactly there
    }

    @Test func windowEndingAtAmbiguousTimeEndsAtLastOccurrence() throws {
        let rota = try dailyRota(
            zone: "America/New_York", handoff: "20:00",
            restrictions: """
                        restrictions:
                          - days: every day
                            from: "20:00"
                            to: "01:30"
                """)
        let shifts = rota.timeline(from: date("2026-10-31T12:00:00Z"), to: date("2026-11-01T12:00:00Z")).shifts(line: 0)
        #expect(shifts.count == 1)
        #expect(shifts.first?.start == instant("2026-11-01T00:00:00Z"))  // 20:00 EDT
        #expect(shifts.first?.end == instant("2026-11-01T06:30:00Z"))  // the second 01:30 (EST)
    }

    @Test func skippedHandoffTimeHandsOffAtTheJump() throws {
        let rota = try dailyRota(zone: "America/New_York", handoff: "02:30")
        let shifts = rota.timeline(from: date("2026-03-07T00:00:00Z"), to: date("2026-03-10T00:00:00Z")).shifts(line: 0)
        let onTheDay = try #require(shifts.first { $0.start == instant("2026-03-08T07:00:00Z") })  // 03:00 EDT
        #expect(onTheDay.end == instant("2026-03-09T06:30:00Z"))  // 02:30 EDT next day
        #expect(shifts.contains { $0.end == onTheDay.start })
    }

    @Test func weeklyRestrictedLayersAcrossEveryChangeOf2026And2027() throws {
        // The reference follow-the-sun rota: no gap anywhere in two years of DST changes.
        let rota = try Rota.load(path: fixture("escalation-managers.yaml"))
        let report = rota.timeline(from: date("2026-01-01T00:00:00Z"), to: date("2028-01-01T00:00:00Z")).coverage()
        #expect(report.gaps.isEmpty, "\(report.errors.map(\.description))")
        #expect(report.passed)
    }

    @Test func hourlyRotationCountsRealHours() throws {
        let rota = try Rota.parse(
            yaml: """
                rota: Hourly
                lines:
                  primary:
                    layers:
                      - name: H
                        zone: Europe/London
                        rotation: 12h
                        start: 2026-03-28
                        handoff: "08:00"
                        people: [Ada, Bob]
                """, path: "hourly.yaml")
        let shifts = rota.timeline(from: date("2026-03-28T08:00:00Z"), to: date("2026-03-31T08:00:00Z")).shifts(line: 0)
        #expect(shifts.allSatisfy { $0.end - $0.start == 12 * 3600 })
        #expect(shifts.count == 6)
    }
}
