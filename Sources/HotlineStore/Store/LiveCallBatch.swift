import Foundation

/// The live-call board's reports waiting for one write (``LiveCallStore/report(_:)``), merged per
/// call: a SIP call reports after every event (several in 0.1 s: a key, the prompt it stops, the
/// next prompt), and one upsert per call and batch writes the same board as all of them.
///
/// Merging a call's reports keeps what applying them in order would leave, and never loses an end:
/// - the transcript lines of every report, in order;
/// - the latest state (`at`, `waiting`, the identity fields); the latest node and case number that
///   were known (the upsert keeps the old ones when a report has none);
/// - a final report (one with an outcome) stays final: a non-final report of the same call coming
///   after it (a driver's bug, or a late event) adds its lines but changes neither the outcome nor
///   the state the call ended in.
///
/// Calls keep the order of their first report in the batch. Pure: no clock, no I/O.
public struct LiveCallBatch: Sendable, Hashable {
    private var order: [String] = []
    private var merged: [String: LiveCallStore.Report] = [:]

    public init() {}

    /// No report waits.
    public var isEmpty: Bool { order.isEmpty }

    /// How many calls have a report waiting.
    public var count: Int { order.count }

    /// Adds a report, merged into the call's report already waiting.
    public mutating func add(_ report: LiveCallStore.Report) {
        guard let earlier = merged[report.id] else {
            order.append(report.id)
            merged[report.id] = report
            return
        }
        merged[report.id] = Self.merge(earlier, report)
    }

    /// One report per call, in the order the calls first reported.
    public var reports: [LiveCallStore.Report] {
        order.compactMap { merged[$0] }
    }

    /// Takes every report waiting, leaving the batch empty.
    public mutating func take() -> [LiveCallStore.Report] {
        defer { self = LiveCallBatch() }
        return reports
    }

    /// `later` applied after `earlier`, as one report.
    static func merge(_ earlier: LiveCallStore.Report, _ later: LiveCallStore.Report) -> LiveCallStore.Report {
        if earlier.outcome != nil && later.outcome == nil {
            // The call ended already: its end stays; only the lines are kept.
            var kept = earlier
            kept.newLines += later.newLines
            kept.caseNumber = earlier.caseNumber ?? later.caseNumber
            return kept
        }
        var result = later
        result.newLines = earlier.newLines + later.newLines
        result.node = later.node ?? earlier.node
        result.caseNumber = later.caseNumber ?? earlier.caseNumber
        return result
    }
}
