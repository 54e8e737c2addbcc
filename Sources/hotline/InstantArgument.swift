import ArgumentParser
import Foundation
import HotlineCore

/// The one `--at` (and `--from`) of every command: a time read by HotlineCore's `InstantParser`.
///
/// An unreadable time or one outside `SupportedInstants.range` is a usage error naming the option.
/// A local time that a daylight-saving change skips or repeats is resolved by the rule (the jump;
/// the first occurrence) and a `note:` on stderr says which instant was used.
struct InstantArgument: ExpressibleByArgument, Sendable {
    var text: String

    init?(argument: String) { text = argument }

    /// What every `--at` help adds: the forms and the daylight-saving rule.
    static let forms =
        "RFC 3339/ISO 8601 with an offset (2026-12-25T03:00:00-08:00, 2026-12-25T11:00Z) or a local time and an IANA zone ('2026-12-25T03:00 Australia/Sydney'). A local time the clocks skip is the moment they jump; one that happens twice is the first (a note on stderr says so)."

    /// Reads the time; nothing is printed.
    func reading(option: String = "--at", defaultZone: String? = nil) throws -> InstantParser.Reading {
        do {
            return try InstantParser.read(text, defaultZone: defaultZone)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
    }

    /// The instant, with a `note:` on stderr when a local time was skipped or repeated.
    func instant(option: String = "--at", defaultZone: String? = nil) throws -> Date {
        let reading = try reading(option: option, defaultZone: defaultZone)
        if let note = reading.note { Exit.note(note) }
        return reading.date
    }
}

extension Optional where Wrapped == InstantArgument {
    /// The instant given, or now from the system clock (the outermost layer is where it is read).
    func instantOrNow(option: String = "--at") throws -> Date {
        guard let argument = self else { return SystemClock().now() }
        return try argument.instant(option: option)
    }

    /// Checks the time in `validate()`, before any work.
    func validate(option: String = "--at", defaultZone: String? = nil) throws {
        _ = try self?.reading(option: option, defaultZone: defaultZone)
    }
}
