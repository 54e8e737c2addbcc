import Foundation

/// How every `--json` of `hotline` is written: pretty-printed, keys sorted and in snake_case
/// (`case_number`, like the web API), dates in ISO 8601.
public enum JSONOutput {
    /// The JSON text of `value`. Infinite and NaN numbers are written as the strings `inf`,
    /// `-inf` and `nan` rather than failing.
    public static func text(_ value: some Encodable, escapeSlashes: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapeSlashes ? [.prettyPrinted, .sortedKeys] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Small text helpers the views share.
public enum TextColumns {
    /// `text` padded with spaces to `width` (never cut).
    public static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// One line of at most `width` characters: line breaks shown as ` ⏎ `, a cut marked `…`.
    public static func clip(_ text: String, _ width: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ⏎ ")
        return line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }

    /// Rows as columns two spaces apart, each as wide as its widest cell.
    public static func table(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        var widths = first.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[min($0, widths.count - 1)], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
    }
}
