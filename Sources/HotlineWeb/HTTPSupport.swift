import Foundation
import HotlineApp
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Each request's context: Hummingbird's core storage, plus the peer's address (failed sign-ins
/// are counted per address).
public struct WebContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String
    /// The browser phone's WebSocket, when this request upgrades to one.
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Forms and API bodies are small; a larger body is refused with 413 before it is read whole.
    public var maxUploadSize: Int { 256 * 1024 }
}

/// A response decided early (sign-in needed, not found, CSRF refused), thrown out of a handler.
struct EarlyResponse: HTTPResponseError {
    let response: Response
    var status: HTTPResponse.Status { response.status }
    func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

enum HTTP {
    static let sessionCookie = "hotline_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Every refusal's body: a code (`not-found`, `bad-input`, …) and what to do.
    struct Problem: JSONShape {
        var error: String
        var message: String

        static let schemaName = "Problem"
        static var enums: [String: [String]] { [:] }
        static var example: Self { Self(error: "not-found", message: "no such case or page") }
    }

    static func problem(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        (try? json(Problem(error: code, message: message), status: status)) ?? Response(status: status)
    }

    /// The session cookie: HttpOnly, SameSite=Lax, for the whole site.
    static func sessionCookieHeader(_ id: String, maxAge: Int) -> String {
        "\(sessionCookie)=\(id); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax"
    }

    /// Security headers on every response.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    /// `application/x-www-form-urlencoded` fields. Each value is percent-decoded to bytes and must
    /// be UTF-8; the names of fields that are not come back in `invalid` (so the CSRF token can
    /// still be checked before the input is refused). A repeated field keeps its first value.
    static func form(_ buffer: ByteBuffer) -> (fields: [String: String], invalid: [String]) {
        let bytes = Array(buffer.readableBytesView)
        var fields: [String: String] = [:]
        var invalid: [String] = []
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else {
                invalid.append("?")
                continue
            }
            guard let value = decode(parts.count > 1 ? parts[1] : []) else {
                invalid.append(name)
                continue
            }
            if fields[name] == nil { fields[name] = value }
        }
        return (fields, invalid)
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else { return nil }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Compares secrets in time independent of where they differ.
    static func sameSecret(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// Adds the security headers to every response, errors included.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = HTTP.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
