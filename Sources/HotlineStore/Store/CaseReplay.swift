import Foundation

/// A case's state rebuilt from its feed alone (pure): what the feed says happened, in order.
///
/// The store keeps the case row and its feed in step inside each transaction; a test replays every
/// case and compares, so the feed is a complete history.
public struct CaseReplay: Sendable, Hashable {
    public var priority: Priority?
    public var level: SupportLevel?
    public var status: CaseStatus?
    public var openedAt: Date?
    public var firstResponseAt: Date?
    public var closedAt: Date?
    public var escalations: Int = 0
    public var comments: Int = 0
    public var problemReports: [String] = []

    public init(entries: [FeedEntry]) {
        for entry in entries {
            apply(entry)
        }
    }

    public mutating func apply(_ entry: FeedEntry) {
        if let priority = entry.priority { self.priority = priority }
        if let level = entry.level { self.level = level }
        if let status = entry.status { self.status = status }
        switch entry.kind {
        case .opened:
            openedAt = entry.at
        case .comment:
            comments += 1
            if entry.authorRole == .support && firstResponseAt == nil { firstResponseAt = entry.at }
        case .escalation:
            escalations += 1
        case .problemReport:
            if let ref = entry.ref { problemReports.append(ref) }
        case .close:
            closedAt = entry.at
        case .priority, .level, .status:
            break
        }
    }
}

extension CaseStore {
    /// Replays every case's feed and returns the numbers of cases whose stored state differs
    /// from it (priority, level, status, first response, closing time). Empty when all is well.
    public func verifyFeeds() throws -> [String] {
        let cases = try listCases(at: Date(timeIntervalSince1970: 0))
        var mismatches: [String] = []
        for (supportCase, _) in cases {
            let replay = try replay(caseNumber: supportCase.number)
            if replay.priority != supportCase.priority || replay.level != supportCase.level || replay.status != supportCase.status
                || replay.firstResponseAt != supportCase.firstResponseAt || replay.closedAt != supportCase.closedAt
                || replay.openedAt != supportCase.createdAt
            {
                mismatches.append(supportCase.number)
            }
        }
        return mismatches
    }
}
