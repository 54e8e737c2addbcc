/// Durations as written in every Hotline file: the one parser, with a bound.
///
/// `500ms`, `5s`, `1.5s`, `2m`, `1h`, `2d`, compounds such as `1h30m` or `2d 4h`, and a bare number
/// in the format's own unit (seconds in flows and scenarios, minutes in the SLA table). A value
/// longer than the format allows is refused with its own message rather than trapping on the
/// conversion (`99999999999999999999s` once crashed the flow reader).
public enum DurationText {
    /// The unit of a bare number.
    public enum Unit: Sendable {
        case seconds
        case minutes

        var milliseconds: Double {
            switch self {
            case .seconds: 1000
            case .minutes: 60_000
            }
        }
    }

    /// Why a text is not an acceptable duration.
    public enum Problem: Error, Sendable, Hashable {
        /// Not a duration at all.
        case malformed
        /// A duration longer than the format allows.
        case tooLong(maximum: Duration)
    }

    /// The longest timer or wait a flow or scenario may set: one day.
    public static let day: Duration = .seconds(86_400)

    /// Reads `text`; durations longer than `maximum` are `.tooLong`.
    public static func read(_ text: String, bare: Unit = .seconds, maximum: Duration = day) -> Result<Duration, Problem> {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        let scalars = Array(text.lowercased().unicodeScalars)
        var index = 0
        var total = 0.0
        var parts = 0
        var sawBare = false
        func skipSpaces() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 } }
        skipSpaces()
        guard index < scalars.count else { return .failure(.malformed) }
        while index < scalars.count {
            var number = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) || scalars[index] == "." {
                number.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !number.isEmpty, let value = Double(number), value.isFinite else { return .failure(.malformed) }
            skipSpaces()
            var unit = ""
            while index < scalars.count, ("a"..."z").contains(scalars[index]) {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            skipSpaces()
            let scale: Double
            if unit.isEmpty {
                guard parts == 0, index == scalars.count else { return .failure(.malformed) }
                scale = bare.milliseconds
                sawBare = true
            } else {
                guard let found = units.first(where: { $0.suffix == unit }) else { return .failure(.malformed) }
                scale = found.milliseconds
            }
            guard !sawBare || parts == 0 else { return .failure(.malformed) }
            total += value * scale
            parts += 1
        }
        let limit = Double(maximum.components.seconds) * 1000 + Double(maximum.components.attoseconds) / 1e15
        guard total.isFinite, total <= limit else { return .failure(.tooLong(maximum: maximum)) }
        return .success(.milliseconds(Int64(total.rounded())))
    }

    /// The duration, or nil when it is malformed or longer than `maximum`.
    public static func parse(_ text: String, bare: Unit = .seconds, maximum: Duration = day) -> Duration? {
        try? read(text, bare: bare, maximum: maximum).get()
    }

    /// The message and fix for a problem with `text`, given as the value of `what` ("`silence` in a step").
    public static func explain(_ problem: Problem, text: String, what: String) -> (message: String, fix: String) {
        switch problem {
        case .malformed:
            ("\(what) is not a duration: '\(text)'", "write a duration such as 5s, 500ms, 1.5s, 2m or 1h30m")
        case .tooLong(let maximum):
            ("\(what) is '\(text)', longer than the \(format(maximum)) allowed", "write a duration of at most \(format(maximum))")
        }
    }

    /// `5s`, `500ms`, `2m`, `1h`, `1d`: the shortest way to write a duration back.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 86_400_000 == 0, milliseconds > 0 { return "\(milliseconds / 86_400_000)d" }
        if milliseconds % 3_600_000 == 0, milliseconds > 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0, milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
