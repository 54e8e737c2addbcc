import Foundation
import HotlineCore

extension CaseStore {
    /// A write load for reliability tests and benchmarks: `count` writes over `caseNumbers`, each
    /// one of escalate (status → escalated), set status back to `open`, or a support comment —
    /// every one its own transaction and one feed entry. Because escalations flip the status back and forth, a
    /// half-recorded change (a feed entry without its case update, or the reverse) shows up in
    /// `verifyFeeds()`. `progress` is called after each committed write with the number written.
    public func runWriteLoad(caseNumbers: [String], count: Int, label: String, at now: Date, progress: (Int) -> Void = { _ in }) throws {
        guard !caseNumbers.isEmpty else { throw StoreError(.invalidValue, "the write load needs at least one case", fix: "pass open case numbers") }
        let engineer = Author("load \(label)", role: .support)
        let numbers = try caseNumbers.map { text throws(StoreError) in try CaseNumber(parsing: text) }
        for index in 0..<count {
            let number = numbers[index % numbers.count]
            let planned = now.addingTimeInterval(Double(index) / 1000)
            // The decision is taken inside the transaction, so concurrent loads never race on it.
            try write { db in
                // Never before the feed's last entry (another load may have written later times).
                let lifecycle = try Self.lifecycle(number.text, db)
                let at = max(planned, lifecycle.lastEntryAt)
                if index % 3 == 2 {
                    _ = try Self.comment(number, text: "\(label) #\(index)", by: engineer, at: at, db)
                } else if lifecycle.status == .escalated {
                    _ = try Self.setStatus(number, to: .open, note: "\(label) #\(index)", by: engineer, at: at, db)
                } else {
                    _ = try Self.escalate(number, reason: "\(label) #\(index)", channel: index % 2 == 0 ? .phone : .web, by: engineer, at: at, db)
                }
            }
            progress(index + 1)
        }
    }
}
