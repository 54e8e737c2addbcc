import HotlineCore
import HotlineDiagnostics

/// The kinds of problem the rota and escalation-policy files have beyond the common ones
/// (see ``Diagnostic/Code``); reported as ``Diagnostic``s like every other file's.
extension Diagnostic.Code {
    /// A time zone that is not an IANA zone name.
    public static let unknownZone = Self("unknown-zone")
    /// A layer with nobody in its rotation.
    public static let emptyRotation = Self("empty-rotation")
    /// A date, time of day or instant that does not parse, or an override that ends before it starts.
    public static let badTime = Self("bad-time")
    /// A rotation length that is not one.
    public static let badRotation = Self("bad-rotation")
    /// Two overrides of one line whose periods overlap.
    public static let overlappingOverrides = Self("overlapping-overrides")
    /// An override names someone who is not on its line.
    public static let unknownPerson = Self("unknown-person")
    /// `rota check`: a line has nobody on call for a while.
    public static let gap = Self("gap")
    /// `rota check`: one person holds two lines at once.
    public static let doubleBooked = Self("double-booked")
}

/// Where in a file something was defined: the same location every file format uses.
public typealias RotaSourceLocation = SourceLocation
