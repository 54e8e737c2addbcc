import Foundation
import HotlineCore
import Synchronization

/// An on-call rota: named lines (`primary`, `backup`, …), each made of layers that rotate people
/// through shifts in their own time zone, plus time-boxed overrides.
///
/// Precedence: within a line, a layer listed later wins over the layers above it wherever both have
/// someone on call (as in PagerDuty). Overrides win over every layer.
///
/// Pure and immutable: every question takes the instant as an argument. Times inside the engine are
/// whole seconds since 1970 (`Int`); `Date` appears only at the API's edge.
public struct Rota: Sendable {
    /// The rota's display name.
    public var name: String
    /// The file it was read from (for error messages).
    public var path: String
    /// Every person named anywhere in the rota; people are referred to by their index here.
    public var people: [String] {
        didSet { cache = LookupCache() }
    }
    /// Lines in file order; `primary` is always present and first.
    public var lines: [Line] {
        didSet { cache = LookupCache() }
    }
    /// Overrides sorted by line, then start.
    public var overrides: [Override] {
        didSet { cache = LookupCache() }
    }
    /// Resolved 90-day chunks for `who(at:)`: a memo of pure results, rebuilt when the rota changes.
    var cache = LookupCache()
    /// Things the file says in a way that still works but will not for ever (a deprecated key),
    /// as `file:line:column: note: …`; `rota check` prints them.
    public var notes: [String] = []
    /// The SIP phone each person is rung on when paged (`contacts:` in the file); people without one
    /// are paged on the other channels only. Pages never ring a URI that is not here.
    public var contacts: [String: SIPContact] = [:]
    /// The phone number each person is called on when paged (`phones:` in the file), as written
    /// (`+1 415 555 0199`): the number a page's outbound call dials (`hotline demo` shows it).
    public var phones: [String: String] = [:]

    public init(name: String, path: String, people: [String], lines: [Line], overrides: [Override]) {
        self.name = name
        self.path = path
        self.people = people
        self.lines = lines
        self.overrides = overrides.sorted { ($0.line, $0.from) < ($1.line, $1.from) }
    }

    /// One line of on-call duty (`primary`, `backup`): at each instant at most one person.
    public struct Line: Sendable {
        public var name: String
        /// Lowest precedence first.
        public var layers: [Layer]
        public var location: RotaSourceLocation
        public init(name: String, layers: [Layer], location: RotaSourceLocation) {
            self.name = name
            self.layers = layers
            self.location = location
        }
    }

    /// How long each person's turn lasts.
    public enum Rotation: Sendable, Hashable, CustomStringConvertible {
        /// Whole local days: the handoff stays at the same wall-clock time across DST changes.
        case days(Int)
        /// Elapsed hours (or minutes) from the first handoff: a 12-hour shift is 12 real hours even
        /// on the night the clocks change.
        case seconds(Int)

        public var description: String {
            switch self {
            case .days(1): "daily"
            case .days(7): "weekly"
            case .days(let n) where n % 7 == 0: "every \(n / 7) weeks"
            case .days(let n): "every \(n) days"
            case .seconds(3600): "hourly"
            case .seconds(let s) where s % 3600 == 0: "every \(s / 3600) hours"
            case .seconds(let s): "every \(s / 60) minutes"
            }
        }
    }

    /// A window of the week in which a restricted layer is on call, in the layer's zone.
    public struct Restriction: Sendable, Hashable {
        /// Bit `w` set when the window opens on weekday `w` (0 = Sunday).
        public var weekdays: UInt8
        public var from: TimeOfDay
        /// When `to <= from` the window ends the next day.
        public var to: TimeOfDay
        public init(weekdays: UInt8, from: TimeOfDay, to: TimeOfDay) {
            self.weekdays = weekdays
            self.from = from
            self.to = to
        }
    }

    /// A rotation of people in one time zone, optionally restricted to windows of the week.
    public struct Layer: Sendable {
        public var name: String
        public var zone: ZoneRules
        /// Indexes into `Rota.people`, in rotation order.
        public var people: [Int]
        public var rotation: Rotation
        /// Local date (day number) of the first shift, which begins at `handoff` local time.
        public var startDay: Int
        public var handoff: TimeOfDay
        /// Empty: on call around the clock.
        public var restrictions: [Restriction]
        public var location: RotaSourceLocation

        public init(
            name: String, zone: ZoneRules, people: [Int], rotation: Rotation, startDay: Int, handoff: TimeOfDay,
            restrictions: [Restriction], location: RotaSourceLocation
        ) {
            precondition(!people.isEmpty, "a layer needs people; the loader rejects empty rotations")
            self.name = name
            self.zone = zone
            self.people = people
            self.rotation = rotation
            self.startDay = startDay
            self.handoff = handoff
            self.restrictions = restrictions
            self.location = location
        }
    }

    /// A time-boxed change to a line.
    public struct Override: Sendable {
        /// What changes during the period.
        public enum Kind: Sendable, Hashable {
            /// This person covers the line for the whole period, in place of whoever was scheduled
            /// (gaps included): `cover: NAME` in the file (`add:` is its old, misleading name).
            case add(person: Int)
            /// Wherever `person` is scheduled during the period, `with` is on call instead.
            case replace(person: Int, with: Int)
            /// `person` is off during the period; the line falls to the next layer below, or a gap.
            case remove(person: Int)
        }
        /// Index into `Rota.lines`.
        public var line: Int
        public var kind: Kind
        /// Instants, seconds since 1970; `from ..< to`.
        public var from: Int
        public var to: Int
        public var reason: String?
        public var location: RotaSourceLocation

        public init(line: Int, kind: Kind, from: Int, to: Int, reason: String?, location: RotaSourceLocation) {
            self.line = line
            self.kind = kind
            self.from = from
            self.to = to
            self.reason = reason
            self.location = location
        }
    }

    /// The index of a line by name.
    public func lineIndex(named name: String) -> Int? { lines.firstIndex { $0.name == name } }
}

/// Who is on call at one instant, line by line.
public struct OnCall: Sendable, Hashable {
    /// `(line, person)` in the rota's line order; `person` is `nil` in a gap.
    public var lines: [(line: String, person: String?)]

    public init(lines: [(line: String, person: String?)]) { self.lines = lines }

    public subscript(line: String) -> String? {
        lines.first { $0.line == line }?.person ?? nil
    }
    public var primary: String? { self["primary"] }
    public var backup: String? { self["backup"] }

    public static func == (lhs: OnCall, rhs: OnCall) -> Bool {
        lhs.lines.map(\.line) == rhs.lines.map(\.line) && lhs.lines.map(\.person) == rhs.lines.map(\.person)
    }
    public func hash(into hasher: inout Hasher) {
        for entry in lines {
            hasher.combine(entry.line)
            hasher.combine(entry.person)
        }
    }
}

/// Chunks of resolved timeline, computed on first use and kept, so repeated `who(at:)` lookups are a
/// dictionary hit and a binary search. Only pure results are stored; the mutex makes it shareable.
final class LookupCache: Sendable {
    static let chunk = 90 * 86_400
    private let chunks = Mutex<[Int: [LineTimeline]]>([:])

    func lines(chunk index: Int, build: () -> [LineTimeline]) -> [LineTimeline] {
        if let found = chunks.withLock({ $0[index] }) { return found }
        let built = build()
        chunks.withLock { chunks in
            if chunks.count > 64 { chunks.removeAll() }  // bound memory on scans across decades
            chunks[index] = built
        }
        return built
    }
}
