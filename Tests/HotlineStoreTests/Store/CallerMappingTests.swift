import Foundation
import HotlineCore
import HotlineStore
import HotlineTestSupport
import Testing

@Suite("Caller mapping")
struct CallerMappingTests {
    @Test(arguments: ["+1 408 555 0100", "408-555-0100", "14085550100", "(408) 555-0142"])
    func danaIsKnownByEitherNumberInAnyForm(_ callerID: String) throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let identity = try #require(try store.identify(callerID: callerID, at: seedTime))
        #expect(identity.contactName == "Dana Whitfield")
        #expect(identity.accountID == "100001")
        #expect(identity.accountName == "Acme Networks")
        #expect(identity.tier == "platinum")
        // Open cases, newest first: 00345678 was opened 12 minutes ago, 00345679 3 hours ago, 00610018 2 days ago.
        #expect(identity.openCases == ["00345678", "00345679", "00610018"])
    }

    @Test func raviIsGoldAtGlobex() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let identity = try #require(try store.identify(callerID: "+1 212 555 0199", at: seedTime))
        #expect(identity.contactName == "Ravi Menon")
        #expect(identity.accountID == "100002")
        #expect(identity.tier == "gold")
        #expect(identity.openCases.contains("00412345"))
        #expect(identity.openCases.contains("00999999"))
        #expect(!identity.openCases.contains("00610019"))  // closed
    }

    @Test(arguments: ["+1 650 555 0000", "anonymous", "", "12345"])
    func unknownCallersAreNil(_ callerID: String) throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        #expect(try store.identify(callerID: callerID, at: seedTime) == nil)
    }

    @Test func aCallerNeverLearnsThatAnotherAccountsCaseExists() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let dana = "+14085550100"
        guard case .found(let own) = try store.lookUpCase(number: "00345678", accountID: "100001", callerID: dana, at: seedTime) else {
            Issue.record("Dana's own case must be found")
            return
        }
        #expect(own == CaseSummary(number: "00345678", accountID: "100001", priority: "P1", status: "open", level: "L2", skill: "vpn"))
        let otherAccount = try store.lookUpCase(number: "00999999", accountID: "100001", callerID: dana, at: seedTime)
        let missing = try store.lookUpCase(number: "00999998", accountID: "100001", callerID: dana, at: seedTime)
        guard case .notFound = otherAccount, case .notFound = missing else {
            Issue.record("another account's case and a missing case must both be notFound, got \(otherAccount) and \(missing)")
            return
        }
    }

    @Test func repeatedFailuresFromOneCallerIDLockAcrossCallsUntilTheWindowPasses() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let caller = "408-555-0100"
        for attempt in 0..<LookupRateLimit.maxFailures {
            let at = seedTime.addingTimeInterval(Double(attempt) * 60)
            guard case .notFound = try store.lookUpCase(number: "0000000\(attempt)", accountID: "100001", callerID: caller, at: at) else {
                Issue.record("attempt \(attempt) should be notFound")
                return
            }
        }
        // Locked now — even for the right number, and even written in another form.
        guard case .locked = try store.lookUpCase(number: "00345678", accountID: "100001", callerID: "+1 408 555 0100", at: seedTime.addingTimeInterval(5 * 60))
        else {
            Issue.record("the sixth try must be locked")
            return
        }
        // Another caller ID is not affected.
        guard case .found = try store.lookUpCase(number: "00345678", accountID: "100001", callerID: "+14085550142", at: seedTime.addingTimeInterval(5 * 60)) else {
            Issue.record("another caller ID must not be locked")
            return
        }
        // Once the first failure is older than the window, one more try is allowed.
        let later = seedTime.addingTimeInterval(LookupRateLimit.window + 1)
        guard case .found = try store.lookUpCase(number: "00345678", accountID: "100001", callerID: caller, at: later) else {
            Issue.record("the lock must lift when failures age out of the window")
            return
        }
    }

    @Test func unknownCallersCanIdentifyWithAnAccountNumberAndAreRateLimited() throws {
        let folder = TemporaryFolder()
        let store = try seededStore(in: folder)
        let caller = "+16505550000"
        guard case .found(let identity) = try store.identify(accountNumber: "100002", callerID: caller, at: seedTime) else {
            Issue.record("account 100002 exists")
            return
        }
        #expect(identity.accountName == "Globex Bank")
        #expect(identity.contactName == "")
        for wrong in ["999999", "12", "ABCDEF", "100099", "000000"] {
            guard case .notFound = try store.identify(accountNumber: wrong, callerID: caller, at: seedTime) else {
                Issue.record("\(wrong) is not an account")
                return
            }
        }
        guard case .locked = try store.identify(accountNumber: "100002", callerID: caller, at: seedTime) else {
            Issue.record("five wrong account numbers lock the caller")
            return
        }
    }
}
