import Foundation

/// Writes a rota's shifts as an RFC 5545 calendar: one `VEVENT` per shift, times in UTC (`…Z`, exact
/// whatever the reader's zone), CRLF line ends, lines folded at 75 octets without splitting a UTF-8
/// character, text values escaped. Built from the same timeline as `who`, so the two agree at every
/// instant.
public enum ICSExport {
    /// The calendar for every line of a timeline. `stamp` is the `DTSTAMP` (the export's time).
    public static func calendar(_ timeline: RotaTimeline, stamp: Date) -> String {
        let stampText = basic(Int(stamp.timeIntervalSince1970))
        var lines: [String] = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Hotline//Hotline Rota//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:\(escape(timeline.rota.name))",
        ]
        for shift in timeline.allShifts {
            let role = shift.line == "primary" || shift.line == "backup" ? shift.line : "\(shift.line) line"
            lines += [
                "BEGIN:VEVENT",
                "UID:\(uid(shift, rota: timeline.rota.name))",
                "DTSTAMP:\(stampText)",
                "DTSTART:\(basic(shift.start))",
                "DTEND:\(basic(shift.end))",
                "SUMMARY:\(escape("\(shift.person) (\(role) on call)"))",
                "DESCRIPTION:\(escape("\(timeline.rota.name): \(shift.person) is \(role) on call, set by \(shift.source == "override" ? "an override" : "layer \(shift.source)")."))",
                "CATEGORIES:\(escape(shift.line))",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261225T030000Z`.
    static func basic(_ seconds: Int) -> String {
        let day = CivilTime.floorDiv(seconds, CivilTime.secondsPerDay)
        let rest = seconds - day * CivilTime.secondsPerDay
        let (y, m, d) = CivilTime.date(ofDay: day)
        return "\(CivilTime.pad(y, 4))\(CivilTime.pad(m, 2))\(CivilTime.pad(d, 2))T"
            + "\(CivilTime.pad(rest / 3600, 2))\(CivilTime.pad(rest % 3600 / 60, 2))\(CivilTime.pad(rest % 60, 2))Z"
    }

    /// Stable across exports of overlapping ranges, so calendar apps update rather than duplicate.
    static func uid(_ shift: Shift, rota: String) -> String {
        let slug = (rota + "-" + shift.line).lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "\(basic(shift.start))-\(String(slug))-\(shift.person.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 })@hotline"
    }

    /// RFC 5545 §3.3.11 TEXT escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": break
            default: out.append(character)
            }
        }
        return out
    }

    /// RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF and a space.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var octets = 0
        var limit = 75
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > limit {
                out += "\r\n "
                octets = 0
                limit = 74  // the leading space counts
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out
    }
}
