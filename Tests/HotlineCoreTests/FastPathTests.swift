import Foundation
import HotlineCore
import HotlineTestSupport
import Testing

/// The speed-ups of issue 16 change no answer: each fast path against the way it was done before.
@Suite struct FastPathTests {
    /// Business hours by the zone's offset table give what Foundation's `Calendar` gives, across
    /// both daylight-saving changes of 2026 in Los Angeles and London, every 7½ minutes.
    @Test func businessHoursMatchFoundationsCalendar() throws {
        for identifier in ["America/Los_Angeles", "Europe/London", "Asia/Kolkata", "UTC"] {
            let zone = try #require(TimeZone(identifier: identifier))
            let hours = BusinessCalendar(
                name: "desk", timeZone: zone,
                weekly: [2: [.init(open: 8 * 60, close: 17 * 60 + 30)], 3: [.init(open: 0, close: 24 * 60)], 7: [.init(open: 90, close: 150)]],
                holidays: [LocalDate(year: 2026, month: 3, day: 9), LocalDate(year: 2026, month: 11, day: 2)])
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for window in [("2026-03-05T00:00:00Z", "2026-04-02T00:00:00Z"), ("2026-10-22T00:00:00Z", "2026-11-05T00:00:00Z")] {
                let from = try #require(ISO8601DateFormatter().date(from: window.0))
                let to = try #require(ISO8601DateFormatter().date(from: window.1))
                var instant = from
                while instant < to {
                    let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: instant)
                    let holiday = hours.holidays.contains(LocalDate(year: parts.year!, month: parts.month!, day: parts.day!))
                    let minute = parts.hour! * 60 + parts.minute!
                    let expected = !holiday && (hours.weekly[parts.weekday!] ?? []).contains { $0.open <= minute && minute < $0.close }
                    #expect(hours.isOpen(at: instant) == expected, "\(identifier) at \(instant)")
                    instant = instant.addingTimeInterval(450)
                }
            }
        }
    }

    /// A calendar whose zone is changed after it was made uses the new zone.
    @Test func changingTheZoneChangesTheHours() throws {
        var hours = BusinessCalendar.weekdays(name: "desk", timeZone: try #require(TimeZone(identifier: "UTC")), open: 9, close: 17)
        let mondayTenUTC = try #require(ISO8601DateFormatter().date(from: "2026-12-07T10:00:00Z"))
        #expect(hours.isOpen(at: mondayTenUTC))
        hours.timeZone = try #require(TimeZone(identifier: "America/Los_Angeles"))
        #expect(!hours.isOpen(at: mondayTenUTC))  // 02:00 in Los Angeles.
    }

    /// Branch conditions compare without case as Foundation's `caseInsensitiveCompare` does.
    @Test func conditionsIgnoreCaseAsFoundationDoes() {
        let pairs: [(String, String)] = [
            ("platinum", "Platinum"), ("TRUE", "true"), ("L3", "l3"), ("", ""), ("a", ""), ("", "a"), ("abc", "abd"),
            ("abc", "ab"), ("Straße", "STRASSE"), ("Élan", "élan"), ("x1", "X1 "), ("café", "CAFÉ"), ("a@", "A`"),
        ]
        for (left, right) in pairs {
            let condition = Condition.equals(variable: "v", value: right)
            let expected = left.caseInsensitiveCompare(right) == .orderedSame
            #expect(condition.holds(variables: ["v": left], lastResult: nil, calendars: [:], at: TestFlows.t0) == expected, "\(left) vs \(right)")
            #expect(Condition.notEquals(variable: "v", value: right).holds(variables: ["v": left], lastResult: nil, calendars: [:], at: TestFlows.t0) == !expected)
            #expect(Condition.oneOf(variable: "v", values: ["zzz", right]).holds(variables: ["v": left], lastResult: nil, calendars: [:], at: TestFlows.t0) == expected)
        }
    }

    /// The buffer form of every event appends exactly what the array form returns, after what the
    /// buffer already held.
    @Test func theActionBufferGetsWhatTheArrayFormReturns() {
        var byArray = CallStateMachine(flow: TestFlows.escalation)
        var byBuffer = CallStateMachine(flow: TestFlows.escalation)
        let earlier = CallAction.hangUp(outcome: "earlier")
        var buffer: [CallAction] = [earlier]
        func step(_ expected: [CallAction], _ event: (inout CallStateMachine, inout [CallAction]) -> Void) {
            event(&byBuffer, &buffer)
            #expect(buffer.first == earlier)
            #expect(Array(buffer.dropFirst()) == expected)
            buffer = [earlier]
        }
        let t0 = TestFlows.t0
        step(byArray.answered(callerID: "+14085550100", dialled: nil, at: t0)) { $0.answered(callerID: "+14085550100", dialled: nil, at: t0, into: &$1) }
        step(byArray.promptFinished(1, at: t0)) { $0.promptFinished(1, at: t0, into: &$1) }
        step(byArray.timerFired(CallTimer(id: 2, kind: .noInput), at: t0)) { $0.timerFired(CallTimer(id: 2, kind: .noInput), at: t0, into: &$1) }
        step(byArray.utteranceReceived("nothing anyone asks for", at: t0)) { $0.utteranceReceived("nothing anyone asks for", at: t0, into: &$1) }
        step(byArray.digitReceived("1", at: t0)) { $0.digitReceived("1", at: t0, into: &$1) }
        step(byArray.promptFinished(5, at: t0)) { $0.promptFinished(5, at: t0, into: &$1) }
        for key in "00345678" {
            step(byArray.digitReceived(key, at: t0)) { $0.digitReceived(key, at: t0, into: &$1) }
        }
        guard case .action(let request) = byArray.wakeUp else {
            Issue.record("the case number should be validating, the call waits for \(String(describing: byArray.wakeUp))")
            return
        }
        let valid = ActionResult(outcome: "valid", variables: ["case.priority": "P1"])
        step(byArray.actionCompleted(request, result: valid, at: t0)) { $0.actionCompleted(request, result: valid, at: t0, into: &$1) }
        step(byArray.hungUp(at: t0)) { $0.hungUp(at: t0, into: &$1) }
        #expect(byArray.end == .callerHungUp)
        #expect(byBuffer.end == byArray.end)
        #expect(byBuffer.trail == byArray.trail)
        #expect(byBuffer.variables == byArray.variables)
    }

    /// An action's arguments and an integration's variables, kept as a list (`NamedValues`), read
    /// and write as the dictionaries they replaced: 2,000 random sets and removals of a few names,
    /// compared with a `Dictionary` after each.
    @Test func namedValuesBehaveAsADictionary() {
        var random = SplitMix64(seed: 16)
        let names = ["case", "account", "reason", "case.number", "channel"]
        var values: NamedValues = [:]
        var dictionary: [String: String] = [:]
        for step in 0..<2_000 {
            let name = names.randomElement(using: &random)!
            let value: String? = Int.random(in: 0..<4, using: &random) == 0 ? nil : "v\(step)"
            values[name] = value
            dictionary[name] = value
            #expect(values[name] == dictionary[name])
            #expect(values.dictionary == dictionary)
            #expect(values.count == dictionary.count)
            #expect(values == NamedValues(dictionary))
        }
        #expect(Set(values.map(\.0)) == Set(dictionary.keys))
        // A literal that names one twice keeps the later value, as a result applied in order does.
        let repeated: NamedValues = ["case": "1", "reason": "r", "case": "2"]
        #expect(repeated["case"] == "2")
        #expect(repeated == ["reason": "r", "case": "2"])
        #expect(repeated != ["reason": "r", "case": "1"])
    }
}
