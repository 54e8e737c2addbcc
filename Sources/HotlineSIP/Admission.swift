import Foundation

/// The limits that keep an open SIP port safe (scanners hit every open 5060).
public struct SIPLimits: Sendable, Hashable {
    /// Calls up at once; an INVITE beyond gets `486 Busy Here` (or `503` while the line shuts down).
    public var maxCalls: Int
    /// INVITEs and OPTIONS one address may send in a burst before it is limited.
    public var floodBurst: Int
    /// INVITEs and OPTIONS per second one address may keep sending after its burst.
    public var floodRate: Double
    /// The largest SIP message accepted, in bytes.
    public var maxMessageBytes: Int
    /// The most header lines a SIP message may have.
    public var maxHeaders: Int

    public init(maxCalls: Int = 100, floodBurst: Int = 200, floodRate: Double = 100, maxMessageBytes: Int = 8192, maxHeaders: Int = 64) {
        self.maxCalls = maxCalls
        self.floodBurst = floodBurst
        self.floodRate = floodRate
        self.maxMessageBytes = maxMessageBytes
        self.maxHeaders = maxHeaders
    }
}

/// Decides what to do with each new request before the SIP stack sees it: the size and header
/// bounds, the per-address flood limit, the line's number and the concurrent-call limit.
///
/// A value type with no I/O: time is an argument (seconds on any monotonic clock).
///
/// Three kinds of input: a well-formed request within the limits (`.pass`); bad or hostile input
/// from the network (answered with a status, or dropped when it is an ACK or too big to answer);
/// nothing here is our own bug.
public struct SIPAdmission: Sendable {
    /// What to do with a request.
    public enum Decision: Sendable, Hashable {
        /// Hand it to the SIP stack.
        case pass
        /// Answer it with this status (and no dialog).
        case reject(status: UInt16, reason: String, retryAfter: UInt32?)
        /// Drop it without an answer (an ACK, or a message too big to trust).
        case drop
    }

    /// A request as seen before the stack handles it.
    public struct Request: Sendable, Hashable {
        public var method: String
        /// The source address (without port): the flood limit's key.
        public var source: String
        /// The Request-URI's user part (the number dialled).
        public var dialled: String
        /// Whether the request is inside a dialog (a To tag): re-INVITE, BYE, INFO.
        public var inDialog: Bool
        public var bytes: Int
        public var headers: Int

        public init(method: String, source: String, dialled: String, inDialog: Bool, bytes: Int, headers: Int) {
            self.method = method
            self.source = source
            self.dialled = dialled
            self.inDialog = inDialog
            self.bytes = bytes
            self.headers = headers
        }
    }

    public let limits: SIPLimits
    /// The line's number in E.164 (`+18447517629`); `nil` answers any number (`--any-number`).
    public let lineNumber: String?
    /// Tokens left per source address, and when they were counted.
    private var buckets: [String: (tokens: Double, at: Double)] = [:]
    /// Once set, new calls get 503: the line is shutting down.
    public private(set) var closing = false

    public init(limits: SIPLimits, lineNumber: String?) {
        self.limits = limits
        self.lineNumber = lineNumber
    }

    /// The decision for `request` with `activeCalls` up, at `now` seconds.
    public mutating func admit(_ request: Request, activeCalls: Int, at now: Double) -> Decision {
        let method = request.method.uppercased()
        guard request.bytes <= limits.maxMessageBytes, request.headers <= limits.maxHeaders else {
            return method == "ACK" ? .drop : .reject(status: 513, reason: "Message Too Large", retryAfter: nil)
        }
        switch method {
        case "INVITE" where !request.inDialog, "OPTIONS":
            guard take(from: request.source, at: now) else {
                return .reject(status: 503, reason: "Service Unavailable", retryAfter: 5)
            }
        default:
            return .pass
        }
        if method == "OPTIONS" { return .pass }
        if let lineNumber, !Self.sameNumber(request.dialled, lineNumber) {
            return .reject(status: 404, reason: "Not Found", retryAfter: nil)
        }
        if closing { return .reject(status: 503, reason: "Service Unavailable", retryAfter: 30) }
        if activeCalls >= limits.maxCalls { return .reject(status: 486, reason: "Busy Here", retryAfter: nil) }
        return .pass
    }

    /// New calls are refused from now on (Ctrl-C: the calls up are ending).
    public mutating func close() { closing = true }

    /// Whether a dialled user part is the line's number: the same digits, with or without `+`, the
    /// country code 1 of a 10-digit North American number, or punctuation.
    public static func sameNumber(_ dialled: String, _ line: String) -> Bool {
        let digits = { (text: String) -> String in String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init)) }
        let a = digits(dialled)
        let b = digits(line)
        guard !a.isEmpty else { return false }
        if a == b { return true }
        return (a.count == 10 && "1" + a == b) || (b.count == 10 && "1" + b == a)
    }

    private mutating func take(from source: String, at now: Double) -> Bool {
        if buckets.count > 10_000 {
            // Forget addresses that have been quiet long enough to have a full bucket again.
            let full = Double(limits.floodBurst) / max(limits.floodRate, 0.001)
            buckets = buckets.filter { now - $0.value.at < full }
        }
        var bucket = buckets[source] ?? (Double(limits.floodBurst), now)
        bucket.tokens = min(Double(limits.floodBurst), bucket.tokens + (now - bucket.at) * limits.floodRate)
        bucket.at = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        buckets[source] = bucket
        return allowed
    }
}
