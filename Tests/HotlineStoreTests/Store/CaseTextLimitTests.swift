import Foundation
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

/// The limits of a case change's text are the case's: every front end reaches them through the
/// store, and a refused change writes nothing.
@Suite("Case text limits")
struct CaseTextLimitTests {
    let support = CaseStore.Author("Sam Ortiz", role: .support)
    let at = seedTime.addingTimeInterval(60)

    @Test func aCommentLongerThanTheLimitIsRefusedAndNothingIsWritten() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let before = try store.feed(caseNumber: "00345678")
        let long = String(repeating: "x", count: CaseText.maxComment + 1)
        #expect(throws: CaseDeskError.textRefused(caseNumber: "00345678", .tooLong(.comment, characters: 10_001, limit: 10_000))) {
            try store.comment(caseNumber: "00345678", text: long, by: support, at: at)
        }
        #expect(try store.feed(caseNumber: "00345678") == before)
        #expect(try store.supportCase("00345678").firstResponseAt == nil)
        // Exactly the limit is kept.
        let kept = try store.comment(caseNumber: "00345678", text: String(repeating: "é", count: CaseText.maxComment), by: support, at: at)
        #expect(kept.body.count == CaseText.maxComment)
    }

    @Test func theMessageNamesTheSizeTheLimitAndTheFix() {
        let error = CaseDeskError.textRefused(caseNumber: "00345678", .tooLong(.comment, characters: 20_000_000, limit: 10_000))
        #expect(
            error.description
                == "case 00345678: the comment is 20000000 characters long; at most 10000 are kept; nothing was recorded "
                + "(fix: shorten it to at most 10000 characters, or split it into several comments)")
        #expect(CaseText.Problem.tooLong(.reason, characters: 2001, limit: 2000).message == "the reason is 2001 characters long; at most 2000 are kept")
    }

    @Test(arguments: [CaseText.Field.reason, .note, .summary])
    func everyReasonNoteAndSummaryHasItsLimit(_ field: CaseText.Field) throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let long = String(repeating: "y", count: CaseText.maxReason + 1)
        let before = try store.feed(caseNumber: "00345678")
        let refusal = CaseDeskError.textRefused(caseNumber: "00345678", .tooLong(field, characters: 2001, limit: 2000))
        switch field {
        case .reason:
            #expect(throws: refusal) { try store.escalate(caseNumber: "00345678", reason: long, channel: .web, by: support, at: at) }
            #expect(throws: refusal) { try store.changePriority(caseNumber: "00345678", to: .p2, note: long, by: support, at: at) }
            #expect(throws: refusal) { try store.escalateLevel(caseNumber: "00345678", reason: long, by: support, at: at) }
        case .note:
            #expect(throws: refusal) { try store.close(caseNumber: "00345678", note: long, by: support, at: at) }
            #expect(throws: refusal) { try store.setStatus(caseNumber: "00345678", to: .pendingCustomer, note: long, by: support, at: at) }
        case .summary:
            #expect(throws: refusal) { try store.openProblemReport(caseNumber: "00345678", summary: long, by: support, at: at) }
            let cases = try store.listCases(at: at).count
            #expect(throws: StoreError.self) {
                try store.openCase(CaseStore.NewCase(accountID: "100001", priority: .p3, skill: "vpn", summary: long), by: support, at: at)
            }
            #expect(try store.listCases(at: at).count == cases)
        case .comment:
            Issue.record("not an argument")
        }
        #expect(try store.feed(caseNumber: "00345678") == before)
        #expect(try store.supportCase("00345678").status == .open)
    }

    @Test func aNULCharacterIsRefused() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        #expect(throws: CaseDeskError.textRefused(caseNumber: "00345678", .containsNUL(.comment))) {
            try store.comment(caseNumber: "00345678", text: "a\u{0}b", by: support, at: at)
        }
    }
}
