import Foundation
import HotlineStore
import Testing

/// The live-call board's batch as a value: a call's reports within one write merge into one
/// upsert; every line is kept, the latest state wins, an end is never lost or undone.
@Suite struct LiveCallBatchTests {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    static func report(
        _ id: String, at seconds: TimeInterval, _ lines: [String], waiting: String, node: String? = nil, outcome: String? = nil, caseNumber: String? = nil
    ) -> LiveCallStore.Report {
        LiveCallStore.Report(
            id: id, channel: "sip", callerID: "+14085550100", dialled: "+1-844-751-7629", sipCallID: "\(id)@sipp", host: "here", processID: 1,
            startedAt: start, at: start.addingTimeInterval(seconds), node: node, waiting: waiting, newLines: lines, outcome: outcome,
            caseNumber: caseNumber)
    }

    @Test func aCallsReportsMergeIntoOneWithEveryLineAndTheLatestState() {
        var batch = LiveCallBatch()
        #expect(batch.isEmpty)
        batch.add(Self.report("a", at: 0, ["[00:00.0] call    answered on +1-844-751-7629"], waiting: "playing at welcome", node: "welcome"))
        batch.add(Self.report("b", at: 0.01, ["[00:00.0] call    ringing on +1-844-751-7629"], waiting: "answering"))
        batch.add(Self.report("a", at: 0.05, ["[00:00.1] press   1", "[00:00.1] stop    prompt cut short"], waiting: "identify_caller at id", node: nil, caseNumber: "00345678"))
        batch.add(Self.report("a", at: 0.08, ["[00:00.1] heard   menu: gsc.main-menu  \"…\""], waiting: "playing at menu", node: "menu"))
        #expect(batch.count == 2)
        let reports = batch.take()
        #expect(batch.isEmpty)
        #expect(reports.map(\.id) == ["a", "b"], "calls keep the order of their first report")
        let a = reports[0]
        #expect(
            a.newLines == [
                "[00:00.0] call    answered on +1-844-751-7629", "[00:00.1] press   1", "[00:00.1] stop    prompt cut short",
                "[00:00.1] heard   menu: gsc.main-menu  \"…\"",
            ])
        #expect(a.waiting == "playing at menu" && a.node == "menu" && a.at == Self.start.addingTimeInterval(0.08))
        #expect(a.caseNumber == "00345678", "a case number once known is kept, as the upsert keeps it")
        #expect(a.outcome == nil)
        #expect(reports[1] == Self.report("b", at: 0.01, ["[00:00.0] call    ringing on +1-844-751-7629"], waiting: "answering"))
    }

    @Test func aNodeUnknownInTheLatestReportKeepsTheOneBefore() {
        var batch = LiveCallBatch()
        batch.add(Self.report("a", at: 0, [], waiting: "playing at welcome", node: "welcome"))
        batch.add(Self.report("a", at: 1, [], waiting: "saving the call record", node: nil))
        #expect(batch.reports.first?.node == "welcome")
        #expect(batch.reports.first?.waiting == "saving the call record")
    }

    @Test func theFinalReportEndsTheMergedOneAndALateNonFinalNeitherLosesNorUndoesIt() {
        var batch = LiveCallBatch()
        batch.add(Self.report("a", at: 0, ["[00:00.0] call    answered on +1-844-751-7629"], waiting: "playing at welcome", node: "welcome"))
        batch.add(Self.report("a", at: 3, ["[00:03.0] end     caller-hung-up"], waiting: "ended: caller-hung-up", outcome: "caller-hung-up"))
        var merged = batch.reports
        #expect(merged.count == 1)
        #expect(merged[0].outcome == "caller-hung-up" && merged[0].waiting == "ended: caller-hung-up")
        #expect(merged[0].newLines == ["[00:00.0] call    answered on +1-844-751-7629", "[00:03.0] end     caller-hung-up"])
        // A non-final report after the end (out of order): its lines are kept, the end stays.
        batch.add(Self.report("a", at: 2, ["[00:02.0] press   5"], waiting: "listening at menu (keys)", node: "menu"))
        merged = batch.reports
        #expect(merged[0].outcome == "caller-hung-up")
        #expect(merged[0].waiting == "ended: caller-hung-up" && merged[0].at == Self.start.addingTimeInterval(3))
        #expect(merged[0].newLines.last == "[00:02.0] press   5")
        // A second final (the record's outcome after a transfer failed) wins: it is the later end.
        batch.add(Self.report("a", at: 4, [], waiting: "ended: transferred", outcome: "transferred"))
        #expect(batch.reports[0].outcome == "transferred")
    }
}
