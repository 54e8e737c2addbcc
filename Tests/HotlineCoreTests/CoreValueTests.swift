import Foundation
import HotlineCore
import Testing

@Suite struct CoreValueTests {
    @Test func intentsMatchWholeWordsInOrder() {
        let intents = [
            Menu.Intent(name: "em", phrases: ["escalation manager"], target: .node("a")),
            Menu.Intent(name: "manager", phrases: ["manager"], target: .node("b")),
        ]
        #expect(IntentMatcher.match("I'd like an escalation manager please", intents: intents)?.name == "em")
        #expect(IntentMatcher.match("my MANAGER", intents: intents)?.name == "manager")
        #expect(IntentMatcher.match("manager escalation", intents: intents)?.name == "manager")
        #expect(IntentMatcher.match("managers", intents: intents) == nil)
        #expect(IntentMatcher.match("", intents: intents) == nil)
        // Non-ASCII text takes the Unicode path and gives the same words.
        #expect(IntentMatcher.normalizedWords("Escalation MANAGER, s’il vous plaît") == ["escalation", "manager", "sil", "vous", "plaît"])
    }

    @Test func templatesSubstituteVariables() {
        #expect(Template.render("case ${case.number} for ${caller.name}!", variables: ["case.number": "001", "caller.name": "Dana"]) == "case 001 for Dana!")
        #expect(Template.render("${missing}x", variables: [:]) == "x")
        #expect(Template.render("unclosed ${x", variables: ["x": "1"]) == "unclosed ${x")
        #expect(Template.render("Señor ${nom} — ¿${caso}? $5 {x}", variables: ["nom": "Müller", "caso": "0042"]) == "Señor Müller — ¿0042? $5 {x}")
        #expect(Template.render("", variables: [:]) == "")
        #expect(Template.references(in: "${a} and ${b.c}") == ["a", "b.c"])
    }

    @Test func businessHoursFollowTheCalendarsZoneAcrossDaylightSaving() {
        let sydney = BusinessCalendar.weekdays(name: "syd", timeZone: TimeZone(identifier: "Australia/Sydney")!, open: 9, close: 17)
        let iso = ISO8601DateFormatter()
        // 09:30 local on Monday 5 October 2026, the day after the change to AEDT (UTC+11).
        #expect(sydney.isOpen(at: iso.date(from: "2026-10-04T22:30:00Z")!))
        // 08:30 local the same day is before opening.
        #expect(!sydney.isOpen(at: iso.date(from: "2026-10-04T21:30:00Z")!))
        // Saturday is closed.
        #expect(!sydney.isOpen(at: iso.date(from: "2026-10-10T01:00:00Z")!))
    }

    @Test func holidaysAreClosed() {
        var calendar = BusinessCalendar.always()
        calendar.holidays = [LocalDate(year: 2026, month: 12, day: 25)]
        #expect(!calendar.isOpen(at: ISO8601DateFormatter().date(from: "2026-12-25T03:00:00Z")!))
        #expect(calendar.isOpen(at: ISO8601DateFormatter().date(from: "2026-12-26T03:00:00Z")!))
        #expect(LocalDate("2026-13-01") == nil)
        #expect(LocalDate("2026-02-03")?.description == "2026-02-03")
    }
}
