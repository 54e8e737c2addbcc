/// Text that came from people or files, made safe to print on a terminal.
///
/// Comments, reasons and names are stored exactly as given — escape sequences included — but a
/// terminal must never receive them raw: `ESC [ 2 J` clears the engineer's screen, an OSC
/// sequence retitles the window or writes a hyperlink, `BEL` rings, a lone `CR` overwrites what
/// was printed before. Every control character (C0, DEL, C1) and every bidirectional override is
/// shown as its Swift escape instead, `\u{1B}`, so the reader sees that it is there and what it is.
/// A tab is kept. Line breaks are the caller's business: split on `"\n"` first to keep lines.
public enum TerminalText {
    /// `text` with every control character written as `\u{XX}`.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 (but a tab), DEL, C1, and the bidirectional embeddings, overrides and isolates (which
    /// reorder what follows them on the line).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
