import Foundation
import Synchronization

/// A time zone's UTC offsets as a table of transitions, so turning wall-clock time into instants is
/// arithmetic and a lookup, with the daylight-saving rules made explicit:
/// - a local time that happens twice (clocks go back) resolves to its first occurrence for the
///   start of something and its last occurrence for the end;
/// - a local time that never happens (clocks go forward) resolves to the instant of the jump.
///
/// Built once per zone from Foundation's `TimeZone`, covering 1990 … 2069; outside that the nearest
/// known offset is used.
public struct ZoneRules: Sendable {
    public let identifier: String
    /// Instant (seconds since 1970) from which `offsets[i]` applies; `transitions[0]` is `Int.min`.
    @usableFromInline let transitions: [Int]
    @usableFromInline let offsets: [Int]

    /// Which occurrence of an ambiguous local time is wanted.
    public enum Occurrence: Sendable {
        /// The start of a shift or window: the earlier instant.
        case first
        /// The end of a window: the later instant.
        case last
    }

    static let coveredFrom = CivilTime.dayNumber(year: 1990, month: 1, day: 1) * CivilTime.secondsPerDay
    static let coveredTo = CivilTime.dayNumber(year: 2070, month: 1, day: 1) * CivilTime.secondsPerDay

    /// `nil` when the identifier is not an IANA time zone Foundation knows.
    public init?(identifier: String) {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(zone: zone, name: identifier)
    }

    /// `name` is what the zone is called in output (Foundation calls UTC "GMT").
    public init(zone: TimeZone, name: String? = nil) {
        identifier = name ?? zone.identifier
        var transitions = [Int.min]
        var offsets = [zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(Self.coveredFrom)))]
        var cursor = Date(timeIntervalSince1970: TimeInterval(Self.coveredFrom))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < TimeInterval(Self.coveredTo) {
            let instant = Int(next.timeIntervalSince1970.rounded())
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
            if offset != offsets[offsets.count - 1] {
                transitions.append(instant)
                offsets.append(offset)
            }
            guard next > cursor else { break }
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// The rules of a zone, built once per zone identifier in a process and shared after that (a
    /// business calendar is made for every case looked up).
    public static func shared(for zone: TimeZone) -> ZoneRules {
        let key = zone.identifier
        if let known = sharedRules.withLock({ $0[key] }) { return known }
        let rules = ZoneRules(zone: zone)
        sharedRules.withLock { $0[key] = rules }
        return rules
    }

    /// The rules of the zone named `identifier` (its name in output), built once per name in a
    /// process and shared after that (every scenario file's `at:` is read in its zone); `nil` when
    /// the name is not an IANA time zone Foundation knows.
    public static func shared(identifier: String) -> ZoneRules? {
        if let known = sharedRules.withLock({ $0[identifier] }) { return known }
        guard let rules = ZoneRules(identifier: identifier) else { return nil }
        sharedRules.withLock { $0[identifier] = rules }
        return rules
    }

    /// By the name each was built under: every value's `identifier` is its key.
    private static let sharedRules = Mutex<[String: ZoneRules]>([:])

    /// The index of the offset period containing an instant.
    @inlinable
    func period(containing instant: Int) -> Int {
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitions[mid] <= instant { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Seconds east of UTC at an instant.
    @inlinable
    public func offset(at instant: Int) -> Int { offsets[period(containing: instant)] }

    /// The wall-clock reading (local seconds) at an instant.
    @inlinable
    public func local(_ instant: Int) -> Int { instant + offset(at: instant) }

    /// The instant a wall-clock reading happens; see the type's notes for the DST rules.
    public func instant(local: Int, _ occurrence: Occurrence) -> Int {
        // Offsets are within ±18 h, so only periods around `local - 1 day … local + 1 day` can hold it.
        let first = period(containing: local - CivilTime.secondsPerDay)
        let last = period(containing: local + CivilTime.secondsPerDay)
        var found: Int?
        for index in first...last {
            let candidate = local - offsets[index]
            let begins = transitions[index]
            let ends = index + 1 < transitions.count ? transitions[index + 1] : Int.max
            guard begins <= candidate, candidate < ends else { continue }
            switch occurrence {
            case .first:
                return candidate
            case .last:
                found = candidate
            }
        }
        if let found { return found }
        // A local time skipped by a forward jump: the jump itself.
        if last > first {
            for index in (first + 1)...last {
                let jump = transitions[index]
                if local >= jump + offsets[index - 1] && local < jump + offsets[index] { return jump }
            }
        }
        return local - offsets[last]
    }
}
