import Foundation

/// The instants Hotline accepts from people and files (`--at`, a scenario's `at`, a rota override):
/// 1990-01-01T00:00:00Z … 2069-12-31T23:59:59Z, the years `ZoneRules` has daylight-saving tables
/// for. Outside it local times would be read with a guessed offset, and dates computed from them
/// (a response due, a rota's shifts) could leave what the database and `Date` arithmetic hold, so
/// such a time is refused with a clear message instead.
public enum SupportedInstants {
    public static let range: ClosedRange<Date> =
        Date(timeIntervalSince1970: TimeInterval(ZoneRules.coveredFrom))...Date(timeIntervalSince1970: TimeInterval(ZoneRules.coveredTo - 1))

    /// `1990-01-01T00:00:00Z to 2069-12-31T23:59:59Z`, for messages.
    public static var description: String {
        "\(InstantParser.utcString(range.lowerBound)) to \(InstantParser.utcString(range.upperBound))"
    }
}
