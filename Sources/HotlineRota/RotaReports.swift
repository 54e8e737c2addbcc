import Foundation
import HotlineCore
import HotlineDiagnostics

/// One person's continuous turn on one line.
public struct Shift: Sendable, Hashable {
    public var line: String
    public var person: String
    /// Seconds since 1970, `start ..< end`, clipped to the timeline's range.
    public var start: Int
    public var end: Int
    /// The layer that put them there, or `override`.
    public var source: String

    public var startDate: Date { Date(timeIntervalSince1970: TimeInterval(start)) }
    public var endDate: Date { Date(timeIntervalSince1970: TimeInterval(end)) }
}

/// What `rota check` finds over a range: gaps (failures), overlaps resolved by precedence, and the
/// hours each person carries.
public struct CoverageReport: Sendable {
    /// An interval in which a line has nobody on call.
    public struct Gap: Sendable, Hashable {
        public var line: String
        public var from: Int
        public var to: Int
        public var location: RotaSourceLocation
    }
    /// Two or more layers of a line with someone on call at once; precedence picks `winner`.
    public struct Overlap: Sendable, Hashable {
        public var line: String
        public var layers: [String]
        public var winner: String
        /// How many separate intervals, and their total length in seconds.
        public var count: Int
        public var seconds: Int
    }
    /// On-call time of one person on one line.
    public struct Load: Sendable, Hashable {
        public var line: String
        public var person: String
        public var shifts: Int
        public var seconds: Int
    }
    /// The same person on two lines at once (e.g. primary and backup): nobody to escalate to.
    public struct Doubled: Sendable, Hashable {
        public var person: String
        public var lines: [String]
        public var from: Int
        public var to: Int
        /// The later of the two lines, in the rota file.
        public var location: RotaSourceLocation
    }

    public var from: Int
    public var to: Int
    public var gaps: [Gap]
    public var overlaps: [Overlap]
    public var load: [Load]
    public var doubled: [Doubled]

    /// `true` when every line is covered around the clock and nobody holds two lines at once.
    public var passed: Bool { gaps.isEmpty && doubled.isEmpty }

    /// The failures, as file:line errors that say what to fix.
    public var errors: [Diagnostic] {
        gaps.map { gap in
            Diagnostic(
                .gap, file: gap.location.file, line: gap.location.line, column: gap.location.column,
                message: "line '\(gap.line)' has nobody on call from \(InstantParser.utcString(gap.from)) to \(InstantParser.utcString(gap.to)) (\(Self.duration(gap.to - gap.from)))",
                fix: "widen a layer's restriction window, add a layer that covers it, or add an override")
        }
            + doubled.map { doubled in
                Diagnostic(
                    .doubleBooked, file: doubled.location.file, line: doubled.location.line, column: doubled.location.column,
                    message: "\(doubled.person) is on call on \(doubled.lines.joined(separator: " and ")) at once from \(InstantParser.utcString(doubled.from)) to \(InstantParser.utcString(doubled.to))",
                    fix: "give the lines different people at that time, so an escalation has somewhere to go")
            }
    }

    /// `3h 05m`, `2d 4h`.
    public static func duration(_ seconds: Int) -> String {
        let minutes = seconds / 60
        if minutes >= 48 * 60 { return "\(minutes / 1440)d \(minutes % 1440 / 60)h" }
        return "\(minutes / 60)h \(CivilTime.pad(minutes % 60, 2))m"
    }
}

extension RotaTimeline {
    /// The shifts of one line (merged where the same person continues), gaps left out.
    public func shifts(line index: Int) -> [Shift] {
        let line = lines[index]
        var result: [Shift] = []
        for segment in line.persons.indices where line.persons[segment] >= 0 {
            let source = line.sources[segment]
            result.append(
                Shift(
                    line: line.line, person: rota.people[Int(line.persons[segment])], start: line.starts[segment],
                    end: line.starts[segment + 1],
                    source: source >= 0 ? rota.lines[index].layers[Int(source)].name : "override"))
        }
        return result
    }

    /// Every line's shifts, line by line.
    public var allShifts: [Shift] { lines.indices.flatMap { shifts(line: $0) } }

    /// Checks coverage over the timeline's range.
    public func coverage() -> CoverageReport {
        var gaps: [CoverageReport.Gap] = []
        var overlaps: [CoverageReport.Overlap] = []
        var load: [CoverageReport.Load] = []
        for (index, line) in lines.enumerated() {
            for segment in line.persons.indices where line.persons[segment] < 0 {
                gaps.append(.init(line: line.line, from: line.starts[segment], to: line.starts[segment + 1], location: rota.lines[index].location))
            }
            var perPerson: [Int32: (shifts: Int, seconds: Int)] = [:]
            for segment in line.persons.indices where line.persons[segment] >= 0 {
                perPerson[line.persons[segment], default: (0, 0)].shifts += 1
                perPerson[line.persons[segment], default: (0, 0)].seconds += line.starts[segment + 1] - line.starts[segment]
            }
            // Everyone in the line's layers appears, even with no hours, so unfairness shows.
            for person in Set(rota.lines[index].layers.flatMap(\.people)) where perPerson[Int32(person)] == nil {
                perPerson[Int32(person)] = (0, 0)
            }
            load += perPerson.map { .init(line: line.line, person: rota.people[Int($0.key)], shifts: $0.value.shifts, seconds: $0.value.seconds) }
                .sorted { ($0.seconds, $1.person) > ($1.seconds, $0.person) }
            overlaps += overlapsOf(line: index)
        }
        return CoverageReport(from: from, to: to, gaps: gaps, overlaps: overlaps, load: load, doubled: doubledPeople())
    }

    private func overlapsOf(line index: Int) -> [CoverageReport.Overlap] {
        let layers = rota.layerIntervals(line: index, from: from, to: to)
        guard layers.count > 1 else { return [] }
        var events: [(at: Int, layer: Int, opens: Bool)] = []
        for (layer, intervals) in layers.enumerated() {
            for held in intervals {
                events.append((held.start, layer, true))
                events.append((held.end, layer, false))
            }
        }
        events.sort { ($0.at, $0.opens ? 1 : 0) < ($1.at, $1.opens ? 1 : 0) }
        var open = Set<Int>()
        var tally: [[Int]: (count: Int, seconds: Int)] = [:]
        var previousAt = from
        var previousKey: [Int]?
        for event in events {
            if open.count >= 2 && event.at > previousAt {
                let key = open.sorted()
                let isNewRun = previousKey != key
                tally[key, default: (0, 0)].seconds += event.at - previousAt
                if isNewRun { tally[key, default: (0, 0)].count += 1 }
                previousKey = key
            } else if event.at > previousAt {
                previousKey = nil
            }
            previousAt = event.at
            if event.opens { open.insert(event.layer) } else { open.remove(event.layer) }
        }
        let names = rota.lines[index].layers.map(\.name)
        return tally.map { key, value in
            CoverageReport.Overlap(line: lines[index].line, layers: key.map { names[$0] }, winner: names[key.max()!], count: value.count, seconds: value.seconds)
        }.sorted { $0.layers.joined() < $1.layers.joined() }
    }

    private func doubledPeople() -> [CoverageReport.Doubled] {
        guard lines.count > 1 else { return [] }
        var result: [CoverageReport.Doubled] = []
        for a in lines.indices {
            for b in lines.indices where b > a {
                var i = 0
                var j = 0
                let x = lines[a]
                let y = lines[b]
                while i < x.persons.count && j < y.persons.count {
                    let start = max(x.starts[i], y.starts[j])
                    let end = min(x.starts[i + 1], y.starts[j + 1])
                    if start < end && x.persons[i] >= 0 && x.persons[i] == y.persons[j] {
                        result.append(.init(person: rota.people[Int(x.persons[i])], lines: [x.line, y.line], from: start, to: end, location: rota.lines[b].location))
                    }
                    if x.starts[i + 1] <= y.starts[j + 1] { i += 1 } else { j += 1 }
                }
            }
        }
        return result
    }

    /// A readable per-day timeline in a zone: each day, each line's shifts and handoffs.
    public func render(zone: ZoneRules) -> String {
        let firstDay = CivilTime.floorDiv(zone.local(from), CivilTime.secondsPerDay)
        let lastDay = CivilTime.floorDiv(zone.local(to - 1), CivilTime.secondsPerDay)
        let shiftsByLine = lines.indices.map { shifts(line: $0) }
        let width = max(8, lines.map(\.line.utf8.count).max() ?? 0)
        let labels: [[UInt8]] = lines.map { Array($0.line.utf8) + [UInt8](repeating: 32, count: width - $0.line.utf8.count) }
        let blank = [UInt8](repeating: 32, count: width)
        var out = TextBuffer()
        out.append("\(rota.name) — times in \(zone.identifier)\n")
        var cursors = [Int](repeating: 0, count: lines.count)
        for day in firstDay...max(firstDay, lastDay) {
            let dayStart = max(from, zone.instant(local: day * CivilTime.secondsPerDay, .first))
            let dayEnd = min(to, zone.instant(local: (day + 1) * CivilTime.secondsPerDay, .first))
            guard dayStart < dayEnd else { continue }
            let midnight = day * CivilTime.secondsPerDay
            out.append("\n")
            out.append(CivilTime.weekdayShortNames[CivilTime.weekday(ofDay: day)])
            out.append(" ")
            out.appendDate(day)
            out.append("\n")
            for index in lines.indices {
                let shifts = shiftsByLine[index]
                while cursors[index] < shifts.count && shifts[cursors[index]].end <= dayStart { cursors[index] += 1 }
                var k = cursors[index]
                var covered = dayStart
                var first = true
                func lead() {
                    out.append("  ")
                    out.bytes += first ? labels[index] : blank
                    out.append("  ")
                    first = false
                }
                func span(_ from: Int, _ to: Int) {
                    out.appendClock(zone.local(from) - midnight)
                    out.append("–")
                    out.appendClock(zone.local(to) - midnight)
                }
                while k < shifts.count && shifts[k].start < dayEnd {
                    let shift = shifts[k]
                    let start = max(shift.start, dayStart)
                    let end = min(shift.end, dayEnd)
                    if start > covered {
                        lead()
                        span(covered, start)
                        out.append("  — nobody on call —\n")
                    }
                    lead()
                    span(start, end)
                    out.append("  ")
                    out.append(shift.person)
                    out.append("  [")
                    out.append(shift.source)
                    out.append(shift.start >= dayStart ? "]\n" : "] (continues)\n")
                    covered = end
                    k += 1
                }
                if covered < dayEnd {
                    lead()
                    span(covered, dayEnd)
                    out.append("  — nobody on call —\n")
                }
            }
        }
        return out.string
    }
}

/// Text built as UTF-8 bytes: the year-long renderings append tens of thousands of short pieces.
struct TextBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func appendDigits(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// `HH:MM` of seconds after local midnight (`24:00` at the next midnight).
    mutating func appendClock(_ seconds: Int) {
        appendDigits(seconds / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(seconds % 3600 / 60, width: 2)
    }

    /// `YYYY-MM-DD`.
    mutating func appendDate(_ day: Int) {
        let (y, m, d) = CivilTime.date(ofDay: day)
        appendDigits(y, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(m, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(d, width: 2)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// Who holds a line at an instant, with the shift around it: what `rota who` prints.
public struct OnCallDetail: Sendable, Hashable {
    public var line: String
    /// `nil` in a gap.
    public var person: String?
    /// The layer that put them there, `override`, or `nil` in a gap.
    public var source: String?
    /// When this person's (or the gap's) turn began and ends; `nil` when further than the look-around.
    public var since: Date?
    public var until: Date?
}

extension Rota {
    /// Each line's holder at an instant, with when their turn began and ends (looking up to
    /// `lookAround` either side).
    public func detail(at instant: Date, lookAround: TimeInterval = 35 * 86_400) -> [OnCallDetail] {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let span = Int(lookAround)
        let timeline = timeline(from: seconds - span, to: seconds + span)
        return timeline.lines.enumerated().map { index, line in
            let segment = line.segment(at: seconds)!
            let person = line.persons[segment]
            let start = line.starts[segment]
            let end = line.starts[segment + 1]
            let source = line.sources[segment]
            return OnCallDetail(
                line: line.line,
                person: person < 0 ? nil : people[Int(person)],
                source: source >= 0 ? lines[index].layers[Int(source)].name : (source == -1 ? "override" : nil),
                since: start > timeline.from ? Date(timeIntervalSince1970: TimeInterval(start)) : nil,
                until: end < timeline.to ? Date(timeIntervalSince1970: TimeInterval(end)) : nil)
        }
    }
}
