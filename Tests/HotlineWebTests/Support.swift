import Foundation
import HotlineTestSupport
import HotlineApp
import HotlineRota
import HotlineStore
import HotlineWeb
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func temporaryFolder() throws -> URL {
        try TestFolders.make("web")
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let instant: Mutex<Date>
    init(_ start: Date) { instant = Mutex(start) }
    var now: Date { instant.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A page delivery that remembers what it was given.
final class RecordingDelivery: PageDelivery, Sendable {
    private let pages = Mutex<[PageRecord]>([])
    func deliver(_ page: PageRecord) throws { pages.withLock { $0.append(page) } }
    var delivered: [PageRecord] { pages.withLock { $0 } }
}

/// A real server on 127.0.0.1 (a free port), on a real SQLite file seeded with the sample data,
/// with the demo users. Stops when `stop()` is called, or by itself after two minutes.
final class TestServer: Sendable {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30, a Monday
    let folder: URL
    let line: WebLine
    let clock: TestClock
    let delivery: RecordingDelivery
    let port: Int
    let task: Task<Void, any Error>

    var databasePath: String { folder.appendingPathComponent("web.sqlite").path }

    static func make(folder given: URL? = nil, clock given2: TestClock? = nil, training: TrainingDesks.Files = TrainingDesks.Files()) async throws -> TestServer {
        let folder = try given ?? Repository.temporaryFolder()
        let clock = given2 ?? TestClock(start)
        let delivery = RecordingDelivery()
        let line = try WebServer.openLine(
            databasePath: folder.appendingPathComponent("web.sqlite").path, policyPath: Repository.path(Defaults.policy),
            routing: .files(
                agents: Repository.path(Defaults.routing) + "/agents.yaml", queues: Repository.path(Defaults.routing) + "/queues.yaml"),
            delivery: delivery,
            bcryptCost: 4, clock: { clock.now })
        _ = try WebDemo.prepare(line: line, sampleData: Repository.path(Defaults.sampleData), sla: Repository.path(Defaults.sla))
        let server = WebServer(host: "127.0.0.1", port: 0, line: line, tickInterval: .seconds(3600), stopAfter: .seconds(120), handlesSignals: false, training: training)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run(onListening: { continuation.yield($0); continuation.finish() }) }
        var port = 0
        for await value in stream { port = value }
        #expect(port > 0)
        return TestServer(folder: folder, line: line, clock: clock, delivery: delivery, port: port, task: task)
    }

    private init(folder: URL, line: WebLine, clock: TestClock, delivery: RecordingDelivery, port: Int, task: Task<Void, any Error>) {
        self.folder = folder
        self.line = line
        self.clock = clock
        self.delivery = delivery
        self.port = port
        self.task = task
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    var origin: String { "http://127.0.0.1:\(port)" }

    /// A case of each sample account, to test who sees what.
    func caseNumber(account: String) throws -> String {
        let rows = try line.cases.listCases(CaseStore.CaseFilter(accountID: account, includeClosed: false), at: clock.now)
        guard let number = rows.first?.case.number else { throw WebError("no open case of account \(account) in the sample data") }
        return number
    }
}

/// One HTTP/1.1 exchange over a plain socket, so a test controls every byte (no Origin unless
/// given, invalid UTF-8, huge bodies). Runs on its own thread, never on the test's executor.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: String
    var bodyBytes: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    var setCookies: [String] { headers.filter { $0.0.lowercased() == "set-cookie" }.map(\.1) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(bodyBytes)) }
}

enum Client {
    static func send(port: Int, method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try exchange(port: port, method: method, path: path, headers: headers, body: body) })
            }
            thread.start()
        }
    }

    static func exchange(port: Int, method: String, path: String, headers: [(String, String)], body: [UInt8]) throws -> HTTPResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebError("socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw WebError("cannot connect to 127.0.0.1:\(port)") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may answer (413) before reading everything
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return try parse(received)
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw WebError("no HTTP response (\(bytes.count) bytes)")
        }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(bytes[(end + 4)...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            var out: [UInt8] = []
            var index = 0
            while index < body.count {
                guard let lineEnd = (index..<body.count - 1).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }) else { break }
                let size = Int(String(decoding: body[index..<lineEnd], as: UTF8.self), radix: 16) ?? 0
                if size == 0 { break }
                out.append(contentsOf: body[(lineEnd + 2)..<min(body.count, lineEnd + 2 + size)])
                index = lineEnd + 2 + size + 2
            }
            body = out
        }
        return HTTPResponse(status: status, headers: headers, body: String(decoding: body, as: UTF8.self), bodyBytes: body)
    }
}

/// A browser: keeps its session cookie and CSRF token, sends `Origin` on POSTs.
final class Browser: Sendable {
    let port: Int
    let origin: String
    private let state = Mutex<(cookie: String?, csrf: String?)>((nil, nil))

    init(_ server: TestServer) { (port, origin) = (server.port, server.origin) }
    /// A browser of a server started otherwise (``LineServer``) on 127.0.0.1.
    init(port: Int) { (self.port, origin) = (port, "http://127.0.0.1:\(port)") }

    var cookie: String? { state.withLock { $0.cookie } }
    var csrf: String? { state.withLock { $0.csrf } }
    func setCookie(_ value: String?) { state.withLock { $0.cookie = value } }

    static func formBody(_ fields: [(String, String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Array(
            fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&").utf8)
    }

    @discardableResult
    func signIn(_ email: String, _ password: String) async throws -> HTTPResponse {
        let response = try await post("/login", form: [("email", email), ("password", password)], csrf: false)
        if let cookie = response.setCookies.first(where: { $0.hasPrefix("hotline_session=") }) {
            let value = String(cookie.split(separator: ";")[0].dropFirst("hotline_session=".count))
            setCookie(value.isEmpty ? nil : value)
        }
        if cookie != nil {
            let me = try await get("/api/me")
            state.withLock { $0.csrf = (me.json as? [String: Any])?["csrf_token"] as? String }
        }
        return response
    }

    func headers(origin: String?) -> [(String, String)] {
        var headers: [(String, String)] = []
        if let cookie { headers.append(("Cookie", "hotline_session=\(cookie)")) }
        if let origin { headers.append(("Origin", origin)) }
        return headers
    }

    func get(_ path: String, headers extra: [(String, String)] = []) async throws -> HTTPResponse {
        try await Client.send(port: port, method: "GET", path: path, headers: headers(origin: nil) + extra)
    }

    /// A form POST with the CSRF field (unless `csrf: false`) and this site's Origin (unless `origin` says otherwise).
    func post(_ path: String, form: [(String, String)], csrf: Bool = true, origin: String? = "") async throws -> HTTPResponse {
        var fields = form
        if csrf, let token = self.csrf { fields.append(("csrf", token)) }
        return try await post(path, raw: Browser.formBody(fields), origin: origin)
    }

    func post(_ path: String, raw: [UInt8], origin: String? = "", type: String = "application/x-www-form-urlencoded") async throws -> HTTPResponse {
        let originHeader = origin == "" ? self.origin : origin
        return try await Client.send(
            port: port, method: "POST", path: path, headers: headers(origin: originHeader) + [("Content-Type", type)], body: raw)
    }

    /// A JSON API POST with X-CSRF-Token (unless `csrf: false`).
    func api(_ path: String, json: [String: String], csrf: Bool = true, origin: String? = "") async throws -> HTTPResponse {
        let body = try JSONSerialization.data(withJSONObject: json)
        let originHeader = origin == "" ? self.origin : origin
        var headers = headers(origin: originHeader) + [("Content-Type", "application/json")]
        if csrf, let token = self.csrf { headers.append(("X-CSRF-Token", token)) }
        return try await Client.send(port: port, method: "POST", path: path, headers: headers, body: Array(body))
    }
}
