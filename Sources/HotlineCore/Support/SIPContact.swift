import Foundation

/// A SIP URI that Hotline may call out to: a page's phone (`contacts:` in the rota) or a transfer's
/// destination (a flow's `transfer`). Only `sip:[user@]host[:port]`, with no parameters or headers,
/// so that nothing a caller sends can steer where the line calls (no `;transport=`, no `?Route=`).
public struct SIPContact: Sendable, Hashable, CustomStringConvertible {
    /// The user part (`oliver`, `+14155550199`), if any.
    public var user: String?
    /// A host name, an IPv4 address, or an IPv6 address in brackets.
    public var host: String
    public var port: UInt16?

    /// Why a text is not a SIP URI Hotline calls.
    public struct ParseError: Error, Sendable, Hashable {
        public var message: String
    }

    public init(user: String?, host: String, port: UInt16?) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// Reads `sip:user@host:port` (user and port optional).
    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("sip:") else {
            throw ParseError(message: trimmed.lowercased().hasPrefix("sips:") ? "sips: (TLS) is not supported" : "it does not start with sip:")
        }
        var rest = Substring(trimmed.dropFirst(4))
        if let at = rest.lastIndex(of: "@") {
            let user = rest[..<at]
            guard !user.isEmpty, user.allSatisfy({ Self.userCharacters.contains($0) }) else {
                throw ParseError(message: "the user part '\(user)' may only hold letters, digits and . _ ~ + -")
            }
            self.user = String(user)
            rest = rest[rest.index(after: at)...]
        } else {
            self.user = nil
        }
        var hostPart = rest
        var port: UInt16?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw ParseError(message: "an IPv6 host has no closing ]") }
            hostPart = rest[...close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = UInt16(after.dropFirst()), number > 0 else {
                    throw ParseError(message: "the port '\(after.dropFirst())' is not a number from 1 to 65535")
                }
                port = number
            }
            guard hostPart.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), hostPart.count > 2 else {
                throw ParseError(message: "the host '\(hostPart)' is not an IPv6 address")
            }
        } else {
            if let colon = rest.firstIndex(of: ":") {
                hostPart = rest[..<colon]
                guard let number = UInt16(rest[rest.index(after: colon)...]), number > 0 else {
                    throw ParseError(message: "the port '\(rest[rest.index(after: colon)...])' is not a number from 1 to 65535")
                }
                port = number
            }
            guard !hostPart.isEmpty else { throw ParseError(message: "it names no host") }
            guard hostPart.allSatisfy({ Self.hostCharacters.contains($0) }), !hostPart.hasPrefix("."), !hostPart.hasPrefix("-") else {
                throw ParseError(message: "the host '\(hostPart)' may only hold letters, digits, . and - (no parameters or headers)")
            }
        }
        self.host = String(hostPart)
        self.port = port
    }

    /// The URI as written back (`sip:oliver@127.0.0.1:5070`).
    public var description: String {
        "sip:" + (user.map { "\($0)@" } ?? "") + host + (port.map { ":\($0)" } ?? "")
    }

    private static let hostCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
    private static let userCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~+-")
}
