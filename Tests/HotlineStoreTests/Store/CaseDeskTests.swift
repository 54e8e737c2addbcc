import Foundation
import GRDB
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

@Suite("Case desk")
struct CaseDeskTests {
    let support = CaseStore.Author("Sam Ortiz", role: .support)

    @Test func aPhoneEscalationIsOnTheFeedAndEscalatesTheCase() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let at = seedTime.addingTimeInterval(120)
        let receipt = try store.recordEscalation(caseNumber: "00345678", reason: "Caller asked for an Escalation Manager", channel: .phone, by: "IVR", at: at)
        #expect(receipt.caseNumber == "00345678")
        #expect(receipt.escalationID.hasPrefix("ESC-"))
        let last = try #require(try store.feed(caseNumber: "00345678").last)
        #expect(last.kind == .escalation)
        #expect(last.channel == "phone")
        #expect(last.body == "Caller asked for an Escalation Manager")
        #expect(last.at == at)
        #expect(last.escalationID == receipt.escalationID)
        #expect(try store.supportCase("00345678").status == .escalated)
        let facts = CaseFactChecker(store: store)
        #expect(try facts.check(.caseStatus(caseNumber: "00345678", status: "escalated")).holds)
        #expect(try facts.check(.caseFeed(caseNumber: "00345678", kind: "escalation", channel: "phone")).holds)
        #expect(try !facts.check(.caseFeed(caseNumber: "00345679", kind: "escalation", channel: nil)).holds)
    }

    @Test func pagesAreLeftToTheRotasChecker() throws {
        let folder = TemporaryFolder()
        let facts = CaseFactChecker(store: try seededStore(in: folder))
        #expect(try facts.checkIfKnown(.pageSent(to: nil, caseNumber: "00345678", level: 1)) == nil)
        let answer = try facts.check(.pageSent(to: nil, caseNumber: "00345678", level: 1))
        #expect(!answer.holds)
        #expect(answer.observed.contains("rota"))
        let missing = try facts.check(.caseStatus(caseNumber: "0034567A", status: "open"))
        #expect(!missing.holds && missing.observed.contains("does not exist"))
        let status = try facts.check(.caseStatus(caseNumber: "00345678", status: "escalated"))
        #expect(!status.holds && status.observed == "case 00345678 has status open")
    }

    @Test func aClosedCaseCannotBeEscalated() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let before = try store.feed(caseNumber: "00500001").count
        #expect(throws: CaseDeskError.caseClosed(caseNumber: "00500001")) {
            try store.recordEscalation(caseNumber: "00500001", reason: "x", channel: .phone, by: "IVR", at: seedTime)
        }
        #expect(throws: CaseDeskError.caseNotFound(caseNumber: "00000001")) {
            try store.recordEscalation(caseNumber: "00000001", reason: "x", channel: .phone, by: "IVR", at: seedTime)
        }
        #expect(try store.feed(caseNumber: "00500001").count == before)
    }

    @Test func openingACasePinsTheSLAPolicyAndComputesTheDueTime() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let summary = try store.openCase(accountID: "100001", priority: "P1", skill: "vpn", summary: "Opened from the phone", callerID: "+1 408 555 0100", at: seedTime)
        #expect(summary.priority == "P1")
        #expect(summary.status == "new")
        #expect(summary.level == "L0")
        let opened = try store.supportCase(summary.number)
        #expect(opened.number.count == 8)
        #expect(opened.contactName == "Dana Whitfield")
        #expect(opened.slaPolicy == "gsc-response-targets v1 platinum")
        #expect(opened.responseDueAt == seedTime.addingTimeInterval(15 * 60))
        #expect(try CaseFactChecker(store: store).check(.caseOpened(accountID: "100001", priority: "P1")).holds)
        #expect(try !CaseFactChecker(store: store).check(.caseOpened(accountID: "100002", priority: nil)).holds)

        // A new SLA table does not move the pinned case; new cases pin the new one.
        var faster = SLATable.standard
        faster = SLATable(name: faster.name, version: 2, warningPercent: 75, targets: [.gold: [.p1: 20, .p2: 45, .p3: 300], .platinum: [.p1: 10, .p2: 30, .p3: 120]], addOnNotes: [:])
        try store.install(faster)
        #expect(try store.supportCase(summary.number).responseDueAt == seedTime.addingTimeInterval(15 * 60))
        try store.changePriority(caseNumber: summary.number, to: .p2, by: support, at: seedTime)
        #expect(try store.supportCase(summary.number).responseDueAt == seedTime.addingTimeInterval(60 * 60))
        let newer = try store.openCase(CaseStore.NewCase(accountID: "100001", priority: .p1, skill: "vpn", summary: "after"), by: support, at: seedTime)
        #expect(newer.slaPolicy == "gsc-response-targets v2 platinum")
        #expect(newer.responseDueAt == seedTime.addingTimeInterval(10 * 60))

        // Same name and version with other numbers is refused.
        let conflicting = SLATable(name: faster.name, version: 2, warningPercent: 75, targets: [.gold: [.p1: 1, .p2: 2, .p3: 3], .platinum: [.p1: 1, .p2: 2, .p3: 3]], addOnNotes: [:])
        #expect { try store.install(conflicting) } throws: { ($0 as? StoreError)?.code == .slaConflict }
    }

    @Test func changingPriorityRecomputesTheDueTimeFromCreation() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        // 00610017: Gulf (Gold) P3, opened 7 h before the seed time, no response: warning at 87.5 %.
        let before = try store.supportCase("00610017")
        #expect(before.sla(at: seedTime).state == .warning)
        try store.changePriority(caseNumber: "00610017", to: .p1, by: CaseStore.Author("Omar Haddad", role: .customer), at: seedTime)
        let after = try store.supportCase("00610017")
        #expect(after.priority == .p1)
        #expect(after.responseDueAt == before.createdAt.addingTimeInterval(30 * 60))
        #expect(after.sla(at: seedTime).state == .breached)
        #expect(try store.feed(caseNumber: "00610017").last?.body == "P3 → P1")
        #expect(throws: CaseDeskError.unchanged(caseNumber: "00610017", what: "priority P1")) {
            try store.changePriority(caseNumber: "00610017", to: .p1, by: support, at: seedTime)
        }
    }

    @Test func theLevelChainEndsAtL3WithAProblemReport() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        // 00412345 is at L1.
        #expect(throws: CaseDeskError.problemReportNeedsL3(caseNumber: "00412345", level: "L1")) {
            try store.openProblemReport(caseNumber: "00412345", summary: "x", by: support, at: seedTime)
        }
        #expect(try store.escalateLevel(caseNumber: "00412345", reason: "needs L2", by: support, at: seedTime).level == .l2)
        #expect(try store.escalateLevel(caseNumber: "00412345", reason: "", by: support, at: seedTime).level == .l3)
        #expect(throws: CaseDeskError.levelAtTop(caseNumber: "00412345")) {
            try store.escalateLevel(caseNumber: "00412345", reason: "", by: support, at: seedTime)
        }
        let report = try store.openProblemReport(caseNumber: "00412345", summary: "Host checker regression", by: support, at: seedTime)
        // The sample data already holds PR-1001 and PR-1002.
        #expect(report.id == "PR-1003")
        #expect(try store.problemReports(caseNumber: "00412345").map(\.id) == ["PR-1003"])
        let feed = try store.feed(caseNumber: "00412345")
        #expect(feed.suffix(3).map(\.kind) == [.level, .level, .problemReport])
        #expect(feed.last?.ref == "PR-1003")
        #expect(try store.verifyFeeds().isEmpty)
    }

    @Test func everyCaseCanBeReplayedFromItsFeed() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        try store.comment(caseNumber: "00345678", text: "Looking now", by: support, at: seedTime)
        try store.setStatus(caseNumber: "00345679", to: .pendingCustomer, by: support, at: seedTime)
        try store.close(caseNumber: "00610013", note: "duplicate", by: support, at: seedTime)
        try store.escalate(caseNumber: "00610007", reason: "no answer", channel: .web, by: CaseStore.Author("Bruce", role: .customer), at: seedTime)
        #expect(try store.verifyFeeds().isEmpty)
        let replay = try store.replay(caseNumber: "00345678")
        #expect(replay.firstResponseAt == seedTime)
        #expect(replay.priority == .p1)
        #expect(replay.level == .l2)
        #expect(try store.supportCase("00345678").firstResponseAt == seedTime)
        #expect(try store.supportCase("00610013").closedAt == seedTime)
    }

    @Test func theFeedIsAppendOnly() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        #expect(throws: (any Error).self) {
            try store.database.writer.write { db in try db.execute(sql: "UPDATE case_feed SET body = 'rewritten'") }
        }
        #expect(throws: (any Error).self) {
            try store.database.writer.write { db in try db.execute(sql: "DELETE FROM case_feed WHERE case_number = '00345678'") }
        }
        #expect(try store.feed(caseNumber: "00345678").count == 2)
    }

    @Test(arguments: [
        "It's \"broken\"; DROP TABLE support_case; --",
        "line one\nline two\r\n\ttabbed",
        "Ünïcödé — “quotes” ‘single’ 日本語 عمر 🚨",
        "' OR '1'='1",
        "%_\\ backslash and percent",
        "  leading and trailing spaces  ",
    ])
    func textRoundTripsExactly(_ text: String) throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        try store.comment(caseNumber: "00345678", text: text, by: support, at: seedTime)
        let opened = try store.openCase(CaseStore.NewCase(accountID: "100002", priority: .p3, skill: "vpn", summary: text), by: support, at: seedTime)
        try store.escalate(caseNumber: opened.number, reason: text, channel: .web, by: support, at: seedTime)
        #expect(try store.feed(caseNumber: "00345678").last?.body == text)
        #expect(try store.supportCase(opened.number).summary == text)
        #expect(try store.feed(caseNumber: opened.number).map(\.body) == [text, text])
        #expect(try store.listCases(at: seedTime).count == 31)
    }

    @Test func callRecordsAreKept() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let record = CallRecord(
            callerID: "(408) 555-0100", dialled: "18447517629", startedAt: seedTime, endedAt: seedTime.addingTimeInterval(95),
            path: ["welcome", "main-menu", "customer-care", "escalate"], outcome: "completed", caseNumber: "00345678", queue: "customer-care", agent: "Kim",
            waitedSeconds: 12.5)
        try store.recordCall(record)
        var expected = record
        expected.callerID = "+14085550100"
        #expect(try store.callRecords() == [expected])
    }

    @Test func aSIPCallsRecordKeepsItsCallID() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let record = CallRecord(
            callerID: "+14085550100", dialled: "+1-844-751-7629", startedAt: seedTime, endedAt: seedTime.addingTimeInterval(3),
            path: ["answer", "welcome"], outcome: "caller-hung-up", sipCallID: "a84b4c76e66710@pc33.example.com")
        try store.recordCall(record)
        try store.recordCall(CallRecord(callerID: "+14085550100", dialled: nil, startedAt: seedTime, endedAt: seedTime, path: [], outcome: "completed"))
        #expect(try store.callRecords().map(\.sipCallID) == ["a84b4c76e66710@pc33.example.com", nil])
    }

    /// A SIP call redirected (302) or hung up while it rang was never answered: its record keeps
    /// no answer time; one answered after it rang keeps when.
    @Test func aCallsAnswerTimeIsKeptAndAnUnansweredCallHasNone() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let redirected = CallRecord(
            callerID: "+14085550100", dialled: "+1-844-751-7629", startedAt: seedTime, answeredAt: nil, endedAt: seedTime.addingTimeInterval(0.2),
            path: ["identify", "route", "priority_desk"], outcome: "redirected", sipCallID: "moved-1")
        let rang = CallRecord(
            callerID: "+14085550100", dialled: "+1-844-751-7629", startedAt: seedTime, answeredAt: seedTime.addingTimeInterval(0.5),
            endedAt: seedTime.addingTimeInterval(10.5), path: ["identify", "welcome"], outcome: "completed", sipCallID: "rang-1")
        try store.recordCall(redirected)
        try store.recordCall(rang)
        #expect(try store.callRecords() == [redirected, rang])
        #expect(try store.latestCallRecords(limit: 2).map(\.record.answeredAt) == [seedTime.addingTimeInterval(0.5), nil])
        #expect(rang.answeredSeconds == 10 && redirected.answeredSeconds == 0)
    }

    /// Every change of a case reads its latest feed time; that must be one index seek, whatever the
    /// length of the case's feed (it read every entry of the case, so a long feed slowed every call).
    @Test func theLatestFeedTimeOfACaseIsAnIndexSeek() throws {
        let folder = TemporaryFolder()
        let database = try HotlineDatabase.open(path: folder.path("plan.sqlite"))
        let plan = try database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT at FROM case_feed WHERE case_number = ? ORDER BY at DESC LIMIT 1", arguments: ["00345678"])
                .map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("case_feed_case_at") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "no sort of the case's entries: \(plan)")
    }

    @Test func otherTargetsAddTheirTablesToTheSameFile() throws {
        let folder = TemporaryFolder()
        let path = folder.path("shared.sqlite")
        // Named as the web's first migration, one of `migrationsOfOtherTargets`.
        let registration: HotlineDatabase.MigrationRegistration = { migrator in
            migrator.registerMigration("web-v1") { db in
                try db.execute(sql: "CREATE TABLE rota_page (id INTEGER PRIMARY KEY, case_number TEXT NOT NULL REFERENCES support_case(number))")
            }
        }
        let database = try HotlineDatabase.open(path: path, extraMigrations: [registration])
        #expect(
            try database.appliedMigrations() == [
                "store-v1", "pages-v1", "pages-v2", "call-record-sip-v1", "case-feed-at-v1", "checks-v2", "call-record-channel-v1", "pages-v3-simulated",
                "call-record-answered-v1", "web-v1",
            ])
        // Opening without the extra migration leaves the other table alone.
        let plain = try HotlineDatabase.open(path: path)
        #expect(try plain.writer.read { db in try db.tableExists("rota_page") })
        #expect(try HotlineDatabase.openForReading(path: path).writer.read { db in try db.tableExists("rota_page") })
        // Foreign keys are on.
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "INSERT INTO rota_page (case_number) VALUES ('00000000')") }
        }
        let mode = try database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAndUntouched() throws {
        let folder = TemporaryFolder()
        let path = folder.path("notes.sqlite")
        let original = Data("These are my notes, not a database.\n".utf8) + Data((0..<4096).map { UInt8($0 % 251) })
        try original.write(to: URL(fileURLWithPath: path))
        #expect {
            try CaseStore.open(path: path)
        } throws: { ($0 as? StoreError)?.code == .notADatabase }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}

/// The case lifecycle's rules as the store applies them: order of the feed, joined escalations,
/// authors.
@Suite("Case lifecycle")
struct CaseLifecycleStoreTests {
    let support = CaseStore.Author("Sam Ortiz", role: .support)

    /// Defect 8: a write dated before the case existed (or before its last feed entry) is
    /// refused with both times and the fix; nothing is written.
    @Test func aChangeDatedBeforeTheCaseIsRefused() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let before = try store.feed(caseNumber: "00345678")
        let created = try store.supportCase("00345678").createdAt
        let march = try InstantParser.parse("2026-03-08T02:30 America/Los_Angeles")
        do {
            _ = try store.escalate(caseNumber: "00345678", reason: "r", channel: .web, by: support, at: march)
            Issue.record("accepted a write dated before the case")
        } catch let error as CaseDeskError {
            guard case .datedBeforeHistory(_, let at, let earliest, _) = error else { Issue.record("\(error)"); return }
            #expect(at == march && earliest == created)
            #expect(error.description.contains(InstantParser.utcString(created)) && error.description.contains("fix:"))
        }
        // Between creation and the last feed entry: refused too.
        let lastAt = try #require(before.last?.at)
        #expect(lastAt > created)
        #expect(throws: CaseDeskError.self) { try store.comment(caseNumber: "00345678", text: "t", by: support, at: lastAt.addingTimeInterval(-1)) }
        #expect(try store.feed(caseNumber: "00345678") == before)
        #expect(try store.supportCase("00345678").status == .open)
        // At the last entry's instant it is accepted (the same instant is not before it).
        #expect(try store.comment(caseNumber: "00345678", text: "t", by: support, at: lastAt).kind == .comment)
    }

    /// Defect 8: `db check` (feedProblems) reports a feed out of time order.
    @Test func anOutOfOrderFeedIsReported() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        #expect(try store.feedProblems().isEmpty)
        // An older Hotline accepted backdated writes: make one by hand.
        try store.database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO case_feed (case_number, at, kind, author, author_role, body) VALUES ('00345678', ?, 'comment', 'x', 'customer', 'late')",
                arguments: [Date(timeIntervalSince1970: 0)])
        }
        let problems = try store.feedProblems()
        #expect(problems.count == 1)
        #expect(problems.first?.caseNumber == "00345678")
        #expect(problems.first?.description.contains("is dated before") == true)
        #expect(try store.verifyFeeds().isEmpty)  // the case still matches its feed
    }

    /// Defect 6 (case side): a second escalation while one is open joins it.
    @Test func aSecondEscalationJoinsTheOpenOne() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let at = seedTime.addingTimeInterval(60)
        let first = try store.escalate(caseNumber: "00345679", reason: "a", channel: .web, by: support, at: at)
        let second = try store.escalate(caseNumber: "00345679", reason: "b", channel: .phone, by: support, at: at.addingTimeInterval(60))
        #expect(first.joinedEscalation == nil)
        #expect(second.joinedEscalation == first.escalationID)
        // De-escalated, then escalated again: a new escalation.
        _ = try store.setStatus(caseNumber: "00345679", to: .open, by: support, at: at.addingTimeInterval(120))
        let third = try store.escalate(caseNumber: "00345679", reason: "c", channel: .web, by: support, at: at.addingTimeInterval(180))
        #expect(third.joinedEscalation == nil && third.escalationID != first.escalationID)
        #expect(try store.replay(caseNumber: "00345679").escalations == 2)
        #expect(try store.verifyFeeds().isEmpty)
    }

    /// Defect 19: an escalation by a caller known only by the account number they typed is
    /// authored by that account, never by nobody.
    @Test func aPhoneEscalationByAnUnknownCallerHasAnAuthor() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        _ = try store.recordEscalation(caseNumber: "00412345", reason: "r", channel: .phone, by: "", at: seedTime.addingTimeInterval(60))
        let entry = try #require(try store.feed(caseNumber: "00412345").last)
        #expect(entry.author == "caller for account 100002 (Globex Bank)")
    }

    @Test func thePureLifecycleDecidesWithoutADatabase() throws {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        var lifecycle = CaseLifecycle(number: "00000001", opened: CaseEvent(at: t0, kind: .opened, authorRole: .customer, body: "s", priority: .p2, level: .l0, status: .new))
        let comment = try lifecycle.comment("hi", role: .support, at: t0.addingTimeInterval(10))
        lifecycle.apply(comment, id: 2)
        #expect(lifecycle.firstResponseAt == t0.addingTimeInterval(10))
        let escalation = try lifecycle.escalate(reason: "r", channel: .web, role: .customer, at: t0.addingTimeInterval(20))
        #expect(escalation.ref == nil)
        lifecycle.apply(escalation, id: 3)
        #expect(lifecycle.openEscalation == "ESC-3")
        #expect(try lifecycle.escalate(reason: "again", channel: .phone, role: .customer, at: t0.addingTimeInterval(30)).ref == "ESC-3")
        #expect(throws: CaseDeskError.self) { try lifecycle.comment("late", role: .support, at: t0.addingTimeInterval(5)) }
        lifecycle.apply(try lifecycle.close(note: "", role: .support, at: t0.addingTimeInterval(40)), id: 4)
        #expect(lifecycle.openEscalation == nil && lifecycle.closedAt == t0.addingTimeInterval(40))
        #expect(throws: CaseDeskError.caseClosed(caseNumber: "00000001")) { try lifecycle.comment("x", role: .support, at: t0.addingTimeInterval(50)) }
    }
}
