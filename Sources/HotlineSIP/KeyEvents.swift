import Foundation

/// Where a caller's key press came from.
public enum KeySource: String, Sendable, Hashable {
    /// An RFC 4733 `telephone-event` in the RTP stream.
    case rfc4733
    /// A SIP INFO request with an `application/dtmf-relay` or `application/dtmf` body.
    case sipInfo = "sip-info"
}

/// RFC 4733 key events arriving in RTP: one key per event, whatever the number of packets.
///
/// A sender repeats an event's packets while the key is held (same RTP timestamp, growing
/// duration) and sends its end-of-event packet three times. The key counts once, at its first
/// end-of-event packet.
///
/// A new event is a new timestamp, or any packet of an event in progress after an end (so a capture
/// replayed twice, same timestamps and all, still counts twice).
///
/// Events to ignore: packets of an event not yet ended, repeated end-of-event packets, events that
/// are not keys (codes above 15), payloads shorter than the 4 bytes RFC 4733 defines (bad input from
/// the network: dropped, never a crash).
public struct RTPKeyEvents: Sendable {
    /// The RTP timestamp of the last event whose end was seen.
    private var lastEnded: UInt32?

    public init() {}

    /// An RFC 4733 payload with its packet's RTP timestamp; the key when this packet ends an event
    /// for the first time.
    public mutating func received(payload: some Collection<UInt8>, timestamp: UInt32) -> Character? {
        guard payload.count >= 4 else { return nil }
        let event = payload[payload.startIndex]
        let flags = payload[payload.index(after: payload.startIndex)]
        guard flags & 0x80 != 0 else {
            // An event in progress: whatever ends next is a new key, even on a reused timestamp
            // (a replayed capture pressing the same key twice).
            lastEnded = nil
            return nil
        }
        guard lastEnded != timestamp else { return nil }
        lastEnded = timestamp
        return Self.key(forEvent: event)
    }

    /// The keypad character of an RFC 4733 event code (0–9, 10 `*`, 11 `#`, 12–15 `A`–`D`).
    public static func key(forEvent code: UInt8) -> Character? {
        let keys: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", "B", "C", "D"]
        return code < keys.count ? keys[Int(code)] : nil
    }
}

/// Keys sent in SIP INFO requests.
public enum SIPInfoKey {
    /// The key in an INFO body: `application/dtmf-relay` (`Signal=5`, `Signal=*`, or `Signal=10`/`11`
    /// for `*`/`#`) or `application/dtmf` (the key alone). `nil` for other content types or a body
    /// without a key (bad input: the request is still answered 200, the call goes on).
    public static func key(contentType: String, body: String) -> Character? {
        let type = contentType.lowercased().split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch type {
        case "application/dtmf-relay":
            for line in body.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                let parts = line.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "signal" else { continue }
                return signal(parts[1].trimmingCharacters(in: .whitespaces))
            }
            return nil
        case "application/dtmf":
            return signal(body.trimmingCharacters(in: .whitespacesAndNewlines))
        default:
            return nil
        }
    }

    private static func signal(_ text: String) -> Character? {
        if let code = UInt8(text), code <= 15 { return RTPKeyEvents.key(forEvent: code) }
        guard text.count == 1, let character = text.uppercased().first, "0123456789*#ABCD".contains(character) else { return nil }
        return character
    }
}
