import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineStore
import Synchronization

/// What the web server runs on: the line's database (case store, pages, web users), the escalation
/// policy and its rota, and the clock. Every page and API call goes through this, and through the
/// same library code the `hotline cases` and `hotline pages` commands use.
public struct WebLine: Sendable {
    /// The line's systems, wired once (`LineWiring`) and shared by the pages, the API and every
    /// browser phone of this server: one case store, one pager, one router.
    public let systems: LineSystems
    public let database: HotlineDatabase
    public let cases: CaseStore
    public let users: WebStore
    public let desk: EscalationDesk
    public let policy: EscalationPolicy
    /// The outermost layer reads the wall clock; tests pass a fixed one.
    public let clock: @Sendable () -> Date
    public let events: EventLog
    /// The sample data seeded when the line was opened (`nil`: the database had accounts).
    public var seeded: SeedSummary?
    /// The line's live-call board: the calls of every phone on this database (browser phones of
    /// this server, `hotline call` in other processes, SIP) while they run; the console follows it.
    public let board: StoreLiveCallBoard?

    public var paging: PagingService { desk.paging }

    /// - Parameter events: the desk's live updates; the systems' pages must be delivered to it too.
    public init(systems: LineSystems, events: EventLog, bcryptCost: UInt8 = 10, clock: @escaping @Sendable () -> Date) {
        self.systems = systems
        self.database = systems.database
        self.cases = systems.store
        self.users = WebStore(database: systems.database, bcryptCost: bcryptCost)
        self.policy = systems.paging.policy
        self.events = events
        self.desk = EscalationDesk(systems: systems)
        self.clock = clock
        self.board = try? StoreLiveCallBoard(database: systems.database, now: clock)
    }

    /// One beat of the line's clock: acknowledgement timeouts due now climb to the next level
    /// (what `hotline pages tick` does), undelivered pages are retried, and a change in the pages
    /// (from this server or another process on the same file) is announced to open desks.
    @discardableResult
    public func tick() throws -> [PageRecord] {
        let sent = try paging.tick(at: clock())
        _ = try paging.deliverPending()
        let pages = try paging.store.pages()
        let fingerprint = pages.map { "\($0.id):\($0.state.rawValue):\($0.acknowledgedBy ?? "")" }.joined(separator: ",")
        events.noteFingerprint(fingerprint)
        if let board { try board.store.expire(at: clock(), liveness: ProcessIdentity.liveness(host:processID:)) }
        events.note("queues", DeskCalls(line: self).queuesFingerprint())
        try followBoard()
        return sent
    }

    /// Tells open consoles when a call on the board started, moved or ended (in this process or
    /// another one on the same file). Cheap (one read): the server does it every half second.
    public func followBoard() throws {
        guard let board else { return }
        events.note("calls", try board.store.fingerprint())
    }
}

/// The desk's live updates: a numbered list of what changed, kept in memory (the last 500). A
/// browser that reconnects sends the last id it saw and gets what it missed; ids carry the server
/// start, so after a restart a browser is told to reload everything.
public final class EventLog: PageDelivery, Sendable {
    public struct Event: Sendable, Hashable {
        public var id: Int
        public var name: String
        public var data: String
        public var eventID: String
    }

    struct State {
        var next = 1
        var events: [Event] = []
        var fingerprint: String?
        var watched: [String: String] = [:]
    }

    /// Identifies this run of the server in event ids (`EPOCH-SEQ`).
    public let epoch: String
    private let state = Mutex(State())

    public init() {
        var generator = SystemRandomNumberGenerator()
        epoch = String(generator.next() as UInt32, radix: 36)
    }

    public func append(_ name: String, _ data: String) {
        state.withLock { state in
            let id = state.next
            state.next += 1
            state.events.append(Event(id: id, name: name, data: data, eventID: "\(epoch)-\(id)"))
            if state.events.count > 500 { state.events.removeFirst(state.events.count - 500) }
        }
    }

    /// A page was delivered: the desk shows it.
    public func deliver(_ page: PageRecord) throws {
        append("page", "\(page.id) \(page.caseNumber) level \(page.level) \(page.person) \(page.state.rawValue)")
    }

    func noteFingerprint(_ text: String) {
        let changed = state.withLock { state -> Bool in
            defer { state.fingerprint = text }
            return state.fingerprint != nil && state.fingerprint != text
        }
        if changed { append("pages", "changed") }
    }

    /// Announces `name` ("calls", "queues") when its fingerprint changed since the last look.
    func note(_ name: String, _ fingerprint: String) {
        let changed = state.withLock { state -> Bool in
            defer { state.watched[name] = fingerprint }
            return state.watched[name] != fingerprint
        }
        if changed { append(name, "changed") }
    }

    /// Events after `lastEventID` (`nil`: none yet). An id of another run, or one older than
    /// what is kept, gets a `reload` event first.
    public func events(after lastEventID: String?) -> [Event] {
        state.withLock { state in
            guard let lastEventID else { return [] }
            let parts = lastEventID.split(separator: "-")
            guard parts.count == 2, parts[0] == epoch, let seen = Int(parts[1]) else {
                return [Event(id: 0, name: "reload", data: "server restarted", eventID: "\(epoch)-\(state.next - 1)")]
            }
            if let first = state.events.first, seen < first.id - 1 {
                return [Event(id: 0, name: "reload", data: "missed too much", eventID: "\(epoch)-\(state.next - 1)")]
            }
            return state.events.filter { $0.id > seen }
        }
    }

    /// A `Last-Event-ID` (or `?last=`) as the stream may use and echo it: an id as this log writes
    /// them (`EPOCH-SEQ`, letters, digits and one dash, at most 40 characters); anything else —
    /// garbage, or a line break that would write events of its own into the stream — becomes an
    /// id of no run, which gets a `reload`.
    public static func acceptedID(_ given: String?) -> String? {
        guard let given else { return nil }
        let parts = given.split(separator: "-", omittingEmptySubsequences: false)
        let valid =
            given.count <= 40 && parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && parts[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
        return valid ? given : "unknown-0"
    }

    /// The id of the latest event, to start a stream from.
    public var latestID: String { state.withLock { "\(epoch)-\($0.next - 1)" } }
}
