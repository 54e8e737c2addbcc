import Foundation
import HotlineCore
import Testing

/// The one parser behind every `--at`, a scenario's `at` and a rota's overrides.
@Suite struct InstantParserTests {
    static let christmas = Date(timeIntervalSince1970: 1_798_196_400)  // 2026-12-25T11:00:00Z

    @Test(arguments: [
        "2026-12-25T03:00:00-08:00", "2026-12-25T11:00:00Z", "2026-12-25T03:00-08:00", "2026-12-25T03:00 America/Los_Angeles",
        "2026-12-25T22:00:00 Australia/Sydney", "2026-12-25 11:00Z", "2026-12-25T03:00:00-0800",
        // RFC 3339 forms refused before: lower-case `t` and `z`, fractional seconds.
        "2026-12-25t11:00:00z", "2026-12-25t03:00:00-08:00", "2026-12-25T11:00:00.000Z", "2026-12-25T03:00:00.0-08:00",
    ])
    func readsAnOffsetOrAnIANAZone(text: String) throws {
        #expect(try InstantParser.parse(text) == Self.christmas)
    }

    /// A scenario's `at:` is read in its zone for every file: the zone's rules are built once per
    /// name and shared, keeping the name they were asked by (Foundation calls UTC "GMT").
    @Test func zoneRulesAreSharedByNameAndKeepIt() throws {
        let first = try #require(ZoneRules.shared(identifier: "America/Los_Angeles"))
        let again = try #require(ZoneRules.shared(identifier: "America/Los_Angeles"))
        #expect(first.identifier == "America/Los_Angeles" && again.identifier == first.identifier)
        #expect(again.instant(local: 1_798_167_600, .first) == first.instant(local: 1_798_167_600, .first))
        #expect(ZoneRules.shared(identifier: "UTC")?.identifier == "UTC")
        #expect(ZoneRules.shared(identifier: "Mars/Olympus") == nil)
        #expect(ZoneRules.shared(identifier: "") == nil)
    }

    @Test func keepsTheFractionOfASecond() throws {
        #expect(try InstantParser.parse("2026-12-25T11:00:00.250Z") == Self.christmas.addingTimeInterval(0.25))
        #expect(try InstantParser.parse("2026-12-25T11:00:00.123456789z").timeIntervalSince(Self.christmas) > 0.123)
    }

    @Test(arguments: [
        ("2026-12-25T03:00 Mars/Olympus", InstantParser.Failure.unknownZone("Mars/Olympus")),
        ("tomorrow", .malformed("tomorrow")),
        ("2026-12-25T03:00", .missingZone("2026-12-25T03:00")),
        ("2026-12-25T11:00:00.Z", .malformed("2026-12-25T11:00:00.Z")),
        ("2026-12-25T11:00:00.12345678901Z", .malformed("2026-12-25T11:00:00.12345678901Z")),
        ("２０２６-12-25T11:00Z", .malformed("２０２６-12-25T11:00Z")),
    ])
    func refusesWhatIsNotATime(text: String, failure: InstantParser.Failure) {
        #expect(throws: failure) { try InstantParser.parse(text) }
    }

    /// A zone written in the wrong case was refused with no hint that only the case was wrong.
    @Test func aZoneInTheWrongCaseIsRefusedWithItsRealName() {
        #expect(throws: InstantParser.Failure.unknownZone("america/los_angeles")) { try InstantParser.parse("2026-12-25T03:00 america/los_angeles") }
        #expect(
            InstantParser.Failure.unknownZone("america/los_angeles").description
                == "'america/los_angeles' is not an IANA time zone (the names are case-sensitive); did you mean 'America/Los_Angeles'?")
        #expect(InstantParser.Failure.unknownZone("Mars/Olympus").description.hasSuffix("use a name such as Europe/London or America/New_York"))
    }

    /// Defect 3: a year like 9999 reached date arithmetic that trapped (a due time in year 10000).
    @Test(arguments: ["9999-12-31T23:59:59Z", "9999-12-31T23:59 Europe/London", "0001-01-01T00:00Z", "1969-12-31T23:59:59Z", "2070-01-01T00:00:00Z"])
    func refusesTimesOutsideTheSupportedRange(text: String) {
        #expect(throws: InstantParser.Failure.outOfRange(text)) { try InstantParser.parse(text) }
        #expect(InstantParser.Failure.outOfRange(text).description.contains("1990-01-01T00:00:00Z to 2069-12-31T23:59:59Z"))
    }

    @Test func theSupportedRangeEndsAreAccepted() throws {
        #expect(try InstantParser.parse("1990-01-01T00:00:00Z") == SupportedInstants.range.lowerBound)
        #expect(try InstantParser.parse("2069-12-31T23:59:59Z") == SupportedInstants.range.upperBound)
    }

    /// Defect 17: a skipped local time resolves to the jump, and says so.
    @Test func aLocalTimeSkippedByTheClocksIsTheJumpWithANote() throws {
        let reading = try InstantParser.read("2026-03-08T02:30 America/Los_Angeles")
        #expect(reading.date == (try InstantParser.parse("2026-03-08T10:00:00Z")))
        #expect(reading.note == "02:30 does not exist on 2026-03-08 in America/Los_Angeles (the clocks go forward); using 03:00, when they do")
    }

    /// Defect 17: a repeated local time resolves to its first occurrence, and says so.
    @Test func aLocalTimeThatHappensTwiceIsTheFirstWithANote() throws {
        let reading = try InstantParser.read("2026-11-01T01:30 America/Los_Angeles")
        #expect(reading.date == (try InstantParser.parse("2026-11-01T08:30:00Z")))
        #expect(reading.note == "01:30 happens twice on 2026-11-01 in America/Los_Angeles (the clocks go back); using the first, 2026-11-01T01:30:00-07:00")
    }

    @Test func anOrdinaryLocalTimeHasNoNoteAndKeepsItsZone() throws {
        let reading = try InstantParser.read("2026-12-25T03:00 America/Los_Angeles")
        #expect(reading.note == nil)
        #expect(reading.zone == "America/Los_Angeles")
        #expect(reading.timeZone?.identifier == "America/Los_Angeles")
        let offset = try InstantParser.read("2026-12-25T03:00-08:00")
        #expect(offset.offset == -8 * 3600)
        #expect(offset.timeZone?.secondsFromGMT() == -8 * 3600)
        #expect(try InstantParser.read("2026-12-25T03:00", defaultZone: "Asia/Tokyo").zone == "Asia/Tokyo")
    }

    @Test func printsUTCAndLocalTimes() {
        #expect(InstantParser.utcString(Self.christmas.addingTimeInterval(0.9)) == "2026-12-25T11:00:00Z")
        #expect(InstantParser.localText(Self.christmas, in: TimeZone(identifier: "America/Los_Angeles")!) == "2026-12-25 03:00 PST")
    }

    @Test func daysStartAtLocalMidnightAcrossTheClockChange() throws {
        let newYork = try #require(ZoneRules(identifier: "America/New_York"))
        let sunday = try #require(newYork.startOfDay("2026-03-08"))
        #expect(sunday == (try InstantParser.parse("2026-03-08T05:00:00Z")))
        // The day the clocks go forward is 23 hours long.
        #expect(newYork.startOfDay(after: sunday, days: 1) == (try InstantParser.parse("2026-03-09T04:00:00Z")))
        #expect(newYork.startOfDay(containing: sunday.addingTimeInterval(3600 * 20)) == sunday)
        #expect(newYork.startOfDay("2026-02-30") == nil)
    }
}
