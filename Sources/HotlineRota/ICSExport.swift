import Foundation
import HotlineCore

/// Writes a rota's shifts as an RFC 5545 calendar: one `VEVENT` per shift, times in UTC (`…Z`, exact
/// whatever the reader's zone), CRLF line ends, lines folded at 75 octets without splitting a UTF-8
/// character, text values escaped. Built from the same timeline as `who`, so the two agree at every
/// instant.
public enum ICSExport {
    /// The calendar for every line of a timeline. `stamp` is the `DTSTAMP` (the export's time).
    public static func calendar(_ timeline: RotaTimeline, stamp: Date) -> String {
        var out = TextBuffer(capacity: 400 * (timeline.lines.map(\.persons.count).reduce(0, +) + 1))
        func emit(_ line: String) {
            fold(line, into: &out)
            out.bytes += [13, 10]
        }
        emit("BEGIN:VCALENDAR")
        emit("VERSION:2.0")
        emit("PRODID:-//Hotline//Hotline Rota//EN")
        emit("CALSCALE:GREGORIAN")
        emit("METHOD:PUBLISH")
        emit("X-WR-CALNAME:" + escape(timeline.rota.name))
        let rotaName = timeline.rota.name
        let stampLine = "DTSTAMP:" + basic(Int(stamp.timeIntervalSince1970))
        for index in timeline.lines.indices {
            let line = timeline.lines[index].line
            let role = line == "primary" || line == "backup" ? line : "\(line) line"
            let slug = String((rotaName + "-" + line).lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
            let category = "CATEGORIES:" + escape(line)
            // Per person and source, the text that does not change from shift to shift.
            var fixed: [String: (summary: String, uidTail: String)] = [:]
            var descriptions: [String: String] = [:]
            for shift in timeline.shifts(line: index) {
                let person = fixed[shift.person] ?? {
                    let hash = shift.person.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
                    let made = ("SUMMARY:" + escape("\(shift.person) (\(role) on call)"), "-\(slug)-\(hash)@hotline")
                    fixed[shift.person] = made
                    return made
                }()
                let key = shift.person + "\u{0}" + shift.source
                let description = descriptions[key] ?? {
                    let made = "DESCRIPTION:" + escape("\(rotaName): \(shift.person) is \(role) on call, set by \(shift.source == "override" ? "an override" : "layer \(shift.source)").")
                    descriptions[key] = made
                    return made
                }()
                let start = basic(shift.start)
                emit("BEGIN:VEVENT")
                emit("UID:" + start + person.uidTail)
                emit(stampLine)
                emit("DTSTART:" + start)
                emit("DTEND:" + basic(shift.end))
                emit(person.summary)
                emit(description)
                emit(category)
                emit("TRANSP:TRANSPARENT")
                emit("END:VEVENT")
            }
        }
        emit("END:VCALENDAR")
        return out.string
    }

    /// `20261225T030000Z`.
    static func basic(_ seconds: Int) -> String {
        let day = CivilTime.floorDiv(seconds, CivilTime.secondsPerDay)
        let rest = seconds - day * CivilTime.secondsPerDay
        let (y, m, d) = CivilTime.date(ofDay: day)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(y, 4)
        digits(m, 2)
        digits(d, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(rest / 3600, 2)
        digits(rest % 3600 / 60, 2)
        digits(rest % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 5545 §3.3.11 TEXT escaping.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            return text
        }
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
        var out = TextBuffer(capacity: line.utf8.count + 8)
        fold(line, into: &out)
        return out.string
    }

    static func fold(_ line: String, into out: inout TextBuffer) {
        let bytes = line.utf8
        guard bytes.count > 75 else {
            out.bytes.append(contentsOf: bytes)
            return
        }
        var octets = 0
        var limit = 75
        for byte in bytes {
            // Break only before the first byte of a character, when the whole character would not fit.
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0
            if length > 0 && octets + length > limit {
                out.bytes += [13, 10, 32]
                octets = 0
                limit = 74  // the leading space counts
            }
            out.bytes.append(byte)
            octets += 1
        }
    }
}
