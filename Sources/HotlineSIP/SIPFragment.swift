/// The status line a `message/sipfrag` NOTIFY body carries (RFC 3515): `SIP/2.0 503 Service Unavailable`.
public struct SIPFragment: Sendable, Hashable {
    public var status: UInt16
    public var reason: String

    public init(status: UInt16, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// `nil` when the body's first line is not a SIP status line.
    public init?(_ body: String) {
        let line = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].uppercased() == "SIP/2.0", parts[1].count == 3,
            let status = UInt16(parts[1]), (100...699).contains(status)
        else { return nil }
        self.status = status
        self.reason = parts.count > 2 ? String(parts[2]) : ""
    }
}
