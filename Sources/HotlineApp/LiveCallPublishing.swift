import Foundation
import HotlineCore
import HotlineRuntime
import HotlineStore
import Synchronization

/// The live-call board of a line's database (``LiveCallStore``) as the board a ``LiveCall``
/// reports to: each report is one statement in the line's SQLite file, tagged with this process,
/// so a `hotline serve` on the same file shows the call on its console.
///
/// Reports are written together: those that come within ``delay`` of each other (of one call or
/// of many: a SIP line under load reports hundreds of times a second) go in one transaction, and a
/// call's reports in that time are merged into one upsert (``LiveCallBatch``: every transcript line
/// kept, the latest state, an end never lost); a call's last report (its outcome) is written at
/// once, with everything before it, so a call that ended is on the board as ended when its driver
/// returns.
///
/// A board that cannot write says so once (through `onError`) and never stops the call.
public final class StoreLiveCallBoard: LiveCallBoard {
    public let store: LiveCallStore
    public let host: String
    public let processID: Int32
    /// The longest a report waits for others to share its transaction.
    public let delay: Duration
    /// The wall clock each report is stamped with (``LiveCallStore/Row/reportedAt``), read by the
    /// outermost layer.
    private let now: @Sendable () -> Date
    private let onError: @Sendable (String) -> Void
    private let complained = Mutex(false)
    private let waiting = Mutex<(batch: LiveCallBatch, scheduled: Bool)>((LiveCallBatch(), false))
    /// Held while a batch is taken and written, so batches reach the file in the order they were taken.
    private let writing = Mutex(())

    /// - Parameter now: the wall clock (the outermost layer's), stamped on each report so a watcher
    ///   can move a call's time on between its reports.
    public init(
        database: HotlineDatabase, host: String = ProcessIdentity.host, processID: Int32 = ProcessIdentity.processID,
        delay: Duration = .milliseconds(100), now: @escaping @Sendable () -> Date,
        onError: @escaping @Sendable (String) -> Void = { message in FileHandle.standardError.write(Data("warning: \(message)\n".utf8)) }
    ) throws {
        self.store = try LiveCallStore(database: database)
        self.host = host
        self.processID = processID
        self.delay = delay
        self.now = now
        self.onError = onError
    }

    /// A listing for one call of this process, on this board.
    public func listing(channel: CallChannel, sipCallID: String? = nil) -> LiveCallListing {
        LiveCallListing(board: self, channel: channel, sipCallID: sipCallID)
    }

    public func report(_ update: LiveCallUpdate) {
        let report = LiveCallStore.Report(
            id: update.id, channel: update.channel, callerID: update.callerID, dialled: update.dialled, sipCallID: update.sipCallID, host: host,
            processID: processID, startedAt: update.startedAt, at: update.at, node: update.node, waiting: update.waiting, newLines: update.newLines,
            outcome: update.outcome, caseNumber: update.caseNumber, pace: update.pace, reportedAt: now())
        let final = update.outcome != nil
        let schedule = waiting.withLock { waiting -> Bool in
            waiting.batch.add(report)
            guard !final, !waiting.scheduled else { return false }
            waiting.scheduled = true
            return true
        }
        if final {
            flush()
        } else if schedule {
            let (seconds, attoseconds) = delay.components
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))) {
                [weak self] in self?.flush()
            }
        }
    }

    /// Writes every report waiting (one per call), in one transaction.
    public func flush() {
        writing.withLock { _ in
            let reports = waiting.withLock { waiting -> [LiveCallStore.Report] in
                waiting.scheduled = false
                return waiting.batch.take()
            }
            write(reports)
        }
    }

    private func write(_ reports: [LiveCallStore.Report]) {
        do {
            try store.report(reports)
        } catch {
            let first = complained.withLock { complained in
                defer { complained = true }
                return !complained
            }
            if first { onError("the call is not shown on the live-call board (the console): \(error)") }
        }
    }
}

/// Which process writes a board row: the host name and the process id. Read at the outermost
/// layer, like the clock; tests pass their own.
public enum ProcessIdentity {
    public static var host: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static var processID: Int32 { getpid() }

    /// Whether a process of this host is still running (another host's: unknown; its rows expire
    /// when they stop moving).
    public static func liveness(host: String, processID: Int32) -> LiveCallStore.Liveness {
        guard host == Self.host else { return .unknown }
        return kill(processID, 0) == 0 || errno == EPERM ? .running : .gone
    }
}
