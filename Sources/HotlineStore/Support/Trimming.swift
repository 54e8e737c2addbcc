import Foundation

// Every value the call path reads back from the database (case numbers, caller IDs, priorities,
// levels, statuses) is parsed as if typed, which trims it first; Foundation's `trimmingCharacters`
// bridges through NSString and cost thousands of instructions per value. Almost no value has
// anything to trim: when its first and last bytes are ASCII other than white space, it is
// returned as it is; anything else goes to Foundation, so the result is always Foundation's.

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, without its cost when there is nothing to trim.
    var trimmingWhitespace: String {
        if let first = utf8.first, let last = utf8.last, Self.isPlainASCII(first), Self.isPlainASCII(last) { return self }
        return trimmingCharacters(in: .whitespaces)
    }

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without its cost when there is nothing to trim.
    var trimmingWhitespaceAndNewlines: String {
        if let first = utf8.first, let last = utf8.last, Self.isPlainASCII(first), Self.isPlainASCII(last) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An ASCII byte that is neither white space nor a control character (so no trim set holds it).
    private static func isPlainASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
