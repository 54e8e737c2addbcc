import Foundation
import HotlineRota
import HotlineTestSupport
import Testing

@Suite struct ICSExportTests {
    struct Event {
        var start: Int
        var end: Int
        var summary: String
    }

    /// A small RFC 5545 reader: unfolds lines and reads each VEVENT's DTSTART, DTEND and SUMMARY.
    static func events(_ text: String) -> [Event] {
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        var events: [Event] = []
        var current: [String: String] = [:]
        for line in unfolded.components(separatedBy: "\r\n") {
            if line == "BEGIN:VEVENT" { current = [:] }
            if line == "END:VEVENT" {
                events.append(Event(start: parse(current["DTSTART"]!), end: parse(current["DTEND"]!), summary: current["SUMMARY"]!))
            }
            if let colon = line.firstIndex(of: ":") { current[String(line[..<colon])] = String(line[line.index(after: colon)...]) }
        }
        return events
    }

    static func parse(_ basic: String) -> Int {
        let c = Array(basic)
        let text = "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T\(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15]))Z"
        return instant(text)
    }

    func export(days: Int) throws -> (String, Rota, RotaTimeline) {
        let rota = try Rota.load(path: fixture("escalation-managers.yaml"))
        let timeline = rota.timeline(from: date("2026-10-01T00:00:00Z"), to: date("2026-10-01T00:00:00Z").addingTimeInterval(TimeInterval(days * 86_400)))
        return (ICSExport.calendar(timeline, stamp: date("2026-09-30T12:00:00Z")), rota, timeline)
    }

    @Test func wellFormed() throws {
        let (text, _, timeline) = try export(days: 60)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let events = Self.events(text)
        #expect(events.count == timeline.allShifts.count)
        #expect(text.components(separatedBy: "DTSTAMP:20260930T120000Z").count - 1 == events.count)
        let uids = lines.filter { $0.hasPrefix("UID:") }
        #expect(Set(uids).count == events.count)
        #expect(events.allSatisfy { $0.summary.contains("(primary on call)") || $0.summary.contains("(backup on call)") || $0.summary.contains("(gec-duty line on call)") })
        #expect(text.contains("O'Brien"))
    }

    @Test func foldsLongLinesWithoutSplittingCharacters() {
        let rota = try! Rota.parse(
            yaml: """
                rota: Équipe d’astreinte — Escalation Managers, Europe du Sud; très longue description
                lines:
                  primary:
                    layers:
                      - {name: A, zone: Europe/Paris, rotation: daily, start: 2026-01-01, people: [Zoë Désirée Lefèvre-Ångström]}
                """, path: "long.yaml")
        let text = ICSExport.calendar(rota.timeline(from: date("2026-01-02T00:00Z"), to: date("2026-01-03T00:00Z")), stamp: date("2026-01-01T00:00Z"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.contains { $0.hasPrefix(" ") })
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("X-WR-CALNAME:Équipe d’astreinte — Escalation Managers\\, Europe du Sud\\; très longue description"))
    }

    @Test func agreesWithWhoAtEveryInstant() throws {
        let (text, rota, _) = try export(days: 60)
        let events = Self.events(text)
        let start = instant("2026-10-01T00:00:00Z")
        // Every five minutes over sixty days, plus every event boundary and the second before it.
        var instants = Array(stride(from: start, to: start + 60 * 86_400, by: 300))
        for event in events {
            instants += [event.start, event.end - 1]
        }
        for t in instants {
            let onCall = rota.who(at: Date(timeIntervalSince1970: TimeInterval(t)))
            let holding = events.filter { $0.start <= t && t < $0.end }
            let primary = holding.first { $0.summary.hasSuffix("(primary on call)") }
            let backup = holding.first { $0.summary.hasSuffix("(backup on call)") }
            #expect(primary?.summary == onCall.primary.map { "\($0) (primary on call)" }, "primary at \(t)")
            #expect(backup?.summary == onCall.backup.map { "\($0) (backup on call)" }, "backup at \(t)")
            #expect(holding.count == onCall.lines.filter { $0.person != nil }.count, "one event per line at \(t)")
        }
    }

    /// Python's `icalendar` (Debian package python3-icalendar) reads the export and agrees with `who`.
    @Test func pythonIcalendarReadsIt() throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python, (try? runProcess(python, ["-c", "import icalendar"]).status) == 0 else {
            print("skipped: python3 with icalendar is not installed (apt-get install python3-icalendar)")
            return
        }
        let (text, rota, _) = try export(days: 30)
        let folder = try temporaryDirectory()
        let path = folder + "/rota.ics"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let script = """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for ev in cal.walk('VEVENT'):
                print(int(ev.decoded('DTSTART').timestamp()), int(ev.decoded('DTEND').timestamp()), str(ev.get('SUMMARY')), sep='\\t')
            """
        let result = try runProcess(python, ["-c", script, path])
        #expect(result.status == 0, "\(result.error)")
        let rows = result.output.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.count == Self.events(text).count)
        for row in rows {
            let start = Int(row[0])!
            let end = Int(row[1])!
            for t in [start, (start + end) / 2, end - 1] {
                let onCall = rota.who(at: Date(timeIntervalSince1970: TimeInterval(t)))
                let expected = onCall.lines.compactMap { line in
                    line.person.map { "\($0) (\(line.line == "primary" || line.line == "backup" ? line.line : "\(line.line) line") on call)" }
                }
                #expect(expected.contains(row[2]), "\(row[2]) at \(t)")
            }
        }
    }
}
