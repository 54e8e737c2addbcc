import Foundation
import HotlineCore

/// A half-open interval of instants (seconds since 1970) with whoever holds it.
@usableFromInline
struct Held: Sendable {
    @usableFromInline var start: Int
    @usableFromInline var end: Int
    @usableFromInline var person: Int
}

extension Rota.Layer {
    /// The instant shift `k` begins (shift 0 is the first).
    @inline(__always)
    func shiftStart(_ k: Int) -> Int {
        switch rotation {
        case .days(let days):
            return zone.instant(local: (startDay + k * days) * CivilTime.secondsPerDay + handoff.seconds, .first)
        case .seconds(let length):
            return zone.instant(local: startDay * CivilTime.secondsPerDay + handoff.seconds, .first) + k * length
        }
    }

    /// The shifts overlapping `from ..< to`, clipped to it.
    func shifts(from: Int, to: Int) -> [Held] {
        guard from < to else { return [] }
        let first = shiftStart(0)
        guard first < to else { return [] }
        // Jump close to the shift holding `from`, then step.
        var k: Int
        switch rotation {
        case .days(let days):
            let localDay = CivilTime.floorDiv(zone.local(max(from, first)) - handoff.seconds, CivilTime.secondsPerDay)
            k = max(0, CivilTime.floorDiv(localDay - startDay, days) - 1)
        case .seconds(let length):
            k = max(0, CivilTime.floorDiv(max(from, first) - first, length) - 1)
        }
        while shiftStart(k + 1) <= from { k += 1 }
        var result: [Held] = []
        var start = shiftStart(k)
        while start < to {
            let end = shiftStart(k + 1)
            if end > from {
                result.append(Held(start: max(start, from), end: min(end, to), person: people[k % people.count]))
            }
            k += 1
            start = end
        }
        return result
    }

    /// The restriction windows overlapping `from ..< to`, merged where they touch, clipped to it.
    func windows(from: Int, to: Int) -> [Held] {
        let firstDay = CivilTime.floorDiv(zone.local(from), CivilTime.secondsPerDay) - 2
        let lastDay = CivilTime.floorDiv(zone.local(to), CivilTime.secondsPerDay) + 1
        var raw: [Held] = []
        if firstDay <= lastDay {
            for day in firstDay...lastDay {
                let weekdayBit = UInt8(1) << UInt8(CivilTime.weekday(ofDay: day))
                for restriction in restrictions where restriction.weekdays & weekdayBit != 0 {
                    let opens = zone.instant(local: day * CivilTime.secondsPerDay + restriction.from.seconds, .first)
                    let closeDay = restriction.to <= restriction.from ? day + 1 : day
                    let closes = zone.instant(local: closeDay * CivilTime.secondsPerDay + restriction.to.seconds, .last)
                    if closes > from && opens < to && opens < closes {
                        raw.append(Held(start: max(opens, from), end: min(closes, to), person: -1))
                    }
                }
            }
        }
        raw.sort { $0.start < $1.start }
        var merged: [Held] = []
        for window in raw {
            if let last = merged.last, window.start <= last.end {
                merged[merged.count - 1].end = max(last.end, window.end)
            } else {
                merged.append(window)
            }
        }
        return merged
    }

    /// Who this layer has on call during `from ..< to`: shifts clipped to the restriction windows.
    func onCall(from: Int, to: Int) -> [Held] {
        let shifts = shifts(from: from, to: to)
        if restrictions.isEmpty { return shifts }
        let windows = windows(from: from, to: to)
        var result: [Held] = []
        var s = 0
        var w = 0
        while s < shifts.count && w < windows.count {
            let start = max(shifts[s].start, windows[w].start)
            let end = min(shifts[s].end, windows[w].end)
            if start < end { result.append(Held(start: start, end: end, person: shifts[s].person)) }
            if shifts[s].end <= windows[w].end { s += 1 } else { w += 1 }
        }
        return result
    }
}

/// Who is on call on one line, as a sorted run of segments: `starts[i] ..< starts[i + 1]` is held by
/// `persons[i]` (−1: nobody). Adjacent segments always differ in person.
public struct LineTimeline: Sendable {
    public let line: String
    /// Boundaries, seconds since 1970; one more than `persons`.
    public let starts: [Int]
    /// Index into `Rota.people`, or −1 for a gap.
    public let persons: [Int32]
    /// Which layer set the person (index into the line's layers), −1 for an override, −2 for a gap.
    public let sources: [Int16]

    /// The index of the segment holding an instant, or `nil` outside the timeline.
    @inlinable
    public func segment(at instant: Int) -> Int? {
        guard let first = starts.first, let last = starts.last, instant >= first, instant < last else { return nil }
        var low = 0
        var high = starts.count - 2
        while low < high {
            let mid = (low + high + 1) >> 1
            if starts[mid] <= instant { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// A rota resolved over a range of instants: the fast path for "who is on call" (a binary search)
/// and what `show`, `check` and the ICS export read.
public struct RotaTimeline: Sendable {
    public let rota: Rota
    /// `from ..< to`, seconds since 1970.
    public let from: Int
    public let to: Int
    /// One per rota line, in the same order.
    public let lines: [LineTimeline]

    /// Who is on call at an instant; outside the range it is worked out directly from the rota.
    public func who(at instant: Date) -> OnCall {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        guard seconds >= from && seconds < to else { return rota.who(at: instant) }
        return OnCall(lines: lines.map { line in
            let index = line.segment(at: seconds)!
            let person = line.persons[index]
            return (line.line, person < 0 ? nil : rota.people[Int(person)])
        })
    }

    /// The person on call on one line (by index), the allocation-free fast path.
    @inlinable
    public func person(line: Int, at seconds: Int) -> String? {
        guard let index = lines[line].segment(at: seconds) else { return rota.person(line: line, at: seconds) }
        let person = lines[line].persons[index]
        return person < 0 ? nil : rota.people[Int(person)]
    }
}

extension Rota {
    /// Resolves every line over `from ..< to`.
    public func timeline(from: Date, to: Date) -> RotaTimeline {
        let start = Int(from.timeIntervalSince1970.rounded(.down))
        let end = max(start + 1, Int(to.timeIntervalSince1970.rounded(.up)))
        return timeline(from: start, to: end)
    }

    func timeline(from: Int, to: Int) -> RotaTimeline {
        RotaTimeline(rota: self, from: from, to: to, lines: lines.indices.map { resolve(line: $0, from: from, to: to) })
    }

    /// Who is on call at one instant. The first lookup in a 90-day stretch resolves the stretch
    /// (well under a millisecond); later ones are a binary search.
    public func who(at instant: Date) -> OnCall {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let resolved = chunk(containing: seconds)
        return OnCall(lines: resolved.map { line in
            let person = line.persons[line.segment(at: seconds)!]
            return (line.line, person < 0 ? nil : people[Int(person)])
        })
    }

    /// The person on call on one line (by index) at an instant: the allocation-free lookup.
    public func person(line: Int, at seconds: Int) -> String? {
        let resolved = chunk(containing: seconds)[line]
        let person = resolved.persons[resolved.segment(at: seconds)!]
        return person < 0 ? nil : people[Int(person)]
    }

    /// Who is on call at one instant, worked out from the layers alone (no cache): the reference
    /// the cached and precomputed lookups are tested against.
    public func whoUncached(at instant: Date) -> OnCall {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        return OnCall(lines: lines.indices.map { index in
            let line = resolve(line: index, from: seconds, to: seconds + 1)
            let person = line.persons[0]
            return (lines[index].name, person < 0 ? nil : people[Int(person)])
        })
    }

    private func chunk(containing seconds: Int) -> [LineTimeline] {
        let index = CivilTime.floorDiv(seconds, LookupCache.chunk)
        return cache.lines(chunk: index) {
            let from = index * LookupCache.chunk
            return lines.indices.map { resolve(line: $0, from: from, to: from + LookupCache.chunk) }
        }
    }

    /// Each layer's on-call intervals over a range (before precedence), for overlap reporting.
    func layerIntervals(line: Int, from: Int, to: Int) -> [[Held]] {
        lines[line].layers.map { $0.onCall(from: from, to: to) }
    }

    /// Applies precedence and overrides to one line over `from ..< to`.
    func resolve(line lineIndex: Int, from: Int, to: Int) -> LineTimeline {
        let layers = layerIntervals(line: lineIndex, from: from, to: to)
        let overrides = self.overrides.filter { $0.line == lineIndex && $0.to > from && $0.from < to }
        var boundaries: [Int] = [from, to]
        for intervals in layers {
            for held in intervals {
                boundaries.append(held.start)
                boundaries.append(held.end)
            }
        }
        for override in overrides {
            if override.from > from && override.from < to { boundaries.append(override.from) }
            if override.to > from && override.to < to { boundaries.append(override.to) }
        }
        boundaries.sort()

        var cursors = [Int](repeating: 0, count: layers.count)
        var overrideCursor = 0
        var starts: [Int] = []
        var persons: [Int32] = []
        var sources: [Int16] = []
        starts.reserveCapacity(boundaries.count)
        var previous = Int.min
        for x in boundaries where x != previous && x < to {
            previous = x
            while overrideCursor < overrides.count && overrides[overrideCursor].to <= x { overrideCursor += 1 }
            let active: Rota.Override? =
                overrideCursor < overrides.count && overrides[overrideCursor].from <= x ? overrides[overrideCursor] : nil
            var removed = -1
            if let active, case .remove(let person) = active.kind { removed = person }

            var person = -1
            var source: Int16 = -2
            var layer = layers.count - 1
            while layer >= 0 {
                while cursors[layer] < layers[layer].count && layers[layer][cursors[layer]].end <= x { cursors[layer] += 1 }
                if cursors[layer] < layers[layer].count {
                    let held = layers[layer][cursors[layer]]
                    if held.start <= x && held.person != removed {
                        person = held.person
                        source = Int16(layer)
                        break
                    }
                }
                layer -= 1
            }
            if let active {
                switch active.kind {
                case .add(let added):
                    person = added
                    source = -1
                case .replace(let old, let new):
                    if person == old {
                        person = new
                        source = -1
                    }
                case .remove:
                    break
                }
            }
            if let last = persons.last, Int(last) == person {
                continue
            }
            starts.append(x)
            persons.append(Int32(person))
            sources.append(source)
        }
        starts.append(to)
        return LineTimeline(line: lines[lineIndex].name, starts: starts, persons: persons, sources: sources)
    }
}
