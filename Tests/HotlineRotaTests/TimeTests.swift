import Foundation
import HotlineCore
import HotlineRota
import Testing

@Suite struct CivilTimeTests {
    @Test func dayNumbersRoundTrip() {
        #expect(CivilTime.dayNumber(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.dayNumber(year: 2026, month: 3, day: 8) == 20_520)
        for day in stride(from: -800_000, to: 800_000, by: 997) {
            let (y, m, d) = CivilTime.date(ofDay: day)
            #expect(CivilTime.dayNumber(year: y, month: m, day: d) == day)
        }
        // 2026-03-08 is a Sunday; 2024-02-29 a Thursday.
        #expect(CivilTime.weekday(ofDay: 20_520) == 0)
        #expect(CivilTime.weekday(ofDay: CivilTime.dayNumber(year: 2024, month: 2, day: 29)) == 4)
    }

    @Test func timeOfDayParsing() {
        #expect(TimeOfDay("09:00")?.seconds == 9 * 3600)
        #expect(TimeOfDay("9:30")?.seconds == 9 * 3600 + 1800)
        #expect(TimeOfDay("24:00") == nil)
        #expect(TimeOfDay("24:00", allowEndOfDay: true)?.seconds == 86_400)
        #expect(TimeOfDay("9.30am") == nil)
        #expect(TimeOfDay("12:60") == nil)
    }
}

@Suite struct ZoneRulesTests {
    @Test(arguments: ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "America/Los_Angeles", "Australia/Lord_Howe"])
    func offsetsAgreeWithFoundation(zone: String) throws {
        let rules = try #require(ZoneRules(identifier: zone))
        let foundation = TimeZone(identifier: zone)!
        var t = instant("2025-01-01T00:00:00Z")
        let end = instant("2028-01-01T00:00:00Z")
        while t < end {
            #expect(rules.offset(at: t) == foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))), "\(zone) at \(t)")
            t += 3 * 3600 + 17 * 60
        }
    }

    @Test func unknownZone() {
        #expect(ZoneRules(identifier: "Europe/Atlantis") == nil)
        #expect(ZoneRules(identifier: "") == nil)
    }

    @Test func ambiguousAndSkippedLocalTimes() throws {
        let newYork = try #require(ZoneRules(identifier: "America/New_York"))
        let day = CivilTime.dayNumber(year: 2026, month: 11, day: 1) * 86_400
        // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        #expect(newYork.instant(local: day + 5400, .first) == instant("2026-11-01T05:30:00Z"))
        #expect(newYork.instant(local: day + 5400, .last) == instant("2026-11-01T06:30:00Z"))
        // 02:30 on 2026-03-08 never happens: the jump at 07:00Z.
        let spring = CivilTime.dayNumber(year: 2026, month: 3, day: 8) * 86_400
        #expect(newYork.instant(local: spring + 9000, .first) == instant("2026-03-08T07:00:00Z"))
        #expect(newYork.instant(local: spring + 9000, .last) == instant("2026-03-08T07:00:00Z"))
        // Kolkata: +05:30 always.
        let kolkata = try #require(ZoneRules(identifier: "Asia/Kolkata"))
        #expect(kolkata.instant(local: spring + 9 * 3600, .first) == instant("2026-03-08T03:30:00Z"))
    }

    @Test func instantParser() throws {
        #expect(instant("2026-12-25T03:00:00-08:00") == instant("2026-12-25T11:00:00Z"))
        #expect(instant("2026-12-25T03:00 Australia/Sydney") == instant("2026-12-24T16:00:00Z"))
        #expect(instant("2026-12-25 03:00 Australia/Sydney") == instant("2026-12-24T16:00:00Z"))
        #expect(instant("2026-06-01T09:00+05:30") == instant("2026-06-01T03:30:00Z"))
        #expect(throws: InstantParser.Failure.unknownZone("Mars/Olympus")) { try InstantParser.parse("2026-12-25T03:00 Mars/Olympus") }
        #expect(throws: InstantParser.Failure.missingZone("2026-12-25T03:00")) { try InstantParser.parse("2026-12-25T03:00") }
        #expect(throws: InstantParser.Failure.malformed("2026-02-30T03:00Z")) { try InstantParser.parse("2026-02-30T03:00Z") }
    }
}
