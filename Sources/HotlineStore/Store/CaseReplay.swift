import Foundation
import HotlineCore

/// A case's state rebuilt from its feed alone: the feed's entries applied, in order, to the same
/// `CaseLifecycle` the store decides changes with — so the rules are written once.
///
/// The store keeps the case row and its feed in step inside each transaction; `verifyFeeds()`
/// replays every case and compares, so the feed is a complete history.
public struct CaseReplay: Sendable, Hashable {
    /// The lifecycle after every entry; `nil` until the `opened` entry.
    public private(set) var lifecycle: CaseLifecycle?
    /// An entry dated before the entry written just before it (by feed id).
    public struct OutOfOrder: Sendable, Hashable {
        public var before: FeedEntry
        public var after: FeedEntry
    }

    /// Entries dated before the entry written just before them.
    public private(set) var outOfOrder: [OutOfOrder] = []
    private var previous: FeedEntry?

    public var priority: Priority? { lifecycle?.priority }
    public var level: SupportLevel? { lifecycle?.level }
    public var status: CaseStatus? { lifecycle?.status }
    public var openedAt: Date? { lifecycle?.openedAt }
    public var firstResponseAt: Date? { lifecycle?.firstResponseAt }
    public var closedAt: Date? { lifecycle?.closedAt }
    public var escalations: Int { lifecycle?.escalations ?? 0 }
    public var comments: Int { lifecycle?.comments ?? 0 }
    public var problemReports: [String] { lifecycle?.problemReports ?? [] }

    public init(entries: [FeedEntry]) {
        for entry in entries {
            apply(entry)
        }
    }

    public mutating func apply(_ entry: FeedEntry) {
        if let previous, entry.at.timeIntervalSince(previous.at) < -CaseLifecycle.tolerance {
            outOfOrder.append(OutOfOrder(before: previous, after: entry))
        }
        previous = entry
        let event = CaseEvent(entry)
        if lifecycle == nil {
            guard entry.kind == .opened else { return }
            lifecycle = CaseLifecycle(number: entry.caseNumber, opened: event)
        }
        lifecycle?.apply(event, id: entry.id)
    }
}

/// Something wrong with a case's feed, found by `CaseStore.feedProblems()` (`hotline db check`).
public struct FeedProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The case row differs from its replayed feed (priority, level, status, times).
        case differsFromFeed
        /// An entry is dated before the entry written before it.
        case outOfOrder(earlierID: Int64, earlierAt: Date, laterID: Int64, laterAt: Date)
    }

    public var caseNumber: String
    public var kind: Kind

    public var description: String {
        switch kind {
        case .differsFromFeed:
            "case \(caseNumber) differs from its replayed feed (fix: restore the database from a backup)"
        case .outOfOrder(let earlierID, let earlierAt, let laterID, let laterAt):
            "case \(caseNumber): feed entry #\(laterID) (\(InstantParser.utcString(laterAt))) is dated before #\(earlierID) (\(InstantParser.utcString(earlierAt))), written before it (fix: the entry was backdated by an older Hotline; the feed is append-only, so note the correction in a comment)"
        }
    }
}

extension CaseStore {
    /// Replays every case's feed and returns the numbers of cases whose stored state differs
    /// from it (priority, level, status, first response, closing time). Empty when all is well.
    public func verifyFeeds() throws -> [String] {
        try feedProblems().compactMap { problem in
            switch problem.kind {
            case .differsFromFeed: problem.caseNumber
            case .outOfOrder: nil
            }
        }
    }

    /// Every case's feed replayed: cases that differ from their feed, and entries out of time order.
    public func feedProblems() throws -> [FeedProblem] {
        let cases = try listCases(at: Date(timeIntervalSince1970: 0))
        var problems: [FeedProblem] = []
        for (supportCase, _) in cases.sorted(by: { $0.case.number < $1.case.number }) {
            let replay = try replay(caseNumber: supportCase.number)
            if replay.priority != supportCase.priority || replay.level != supportCase.level || replay.status != supportCase.status
                || replay.firstResponseAt != supportCase.firstResponseAt || replay.closedAt != supportCase.closedAt
                || replay.openedAt != supportCase.createdAt
            {
                problems.append(FeedProblem(caseNumber: supportCase.number, kind: .differsFromFeed))
            }
            for pair in replay.outOfOrder {
                problems.append(
                    FeedProblem(caseNumber: supportCase.number, kind: .outOfOrder(earlierID: pair.before.id, earlierAt: pair.before.at, laterID: pair.after.id, laterAt: pair.after.at)))
            }
        }
        return problems
    }
}
