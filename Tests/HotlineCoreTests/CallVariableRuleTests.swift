import HotlineCore
import Testing

/// The one rule `hotline call --set` and a scenario's `variables:` both keep.
@Suite struct CallVariableRuleTests {
    @Test func goodValuesAreKeptAndNumbersTrimmed() {
        #expect(CallVariableRule.check(name: "page.to", value: " Oliver Hughes") == .success(" Oliver Hughes"))
        #expect(CallVariableRule.check(name: "case.number", value: " 00345678 ") == .success("00345678"))
        #expect(CallVariableRule.check(name: "caller.account", value: "100001") == .success("100001"))
    }

    @Test func eachWayOfBeingWrongIsItsProblem() {
        #expect(CallVariableRule.check(name: "1x", value: "a") == .failure(.notAName))
        #expect(CallVariableRule.check(name: "", value: "a") == .failure(.notAName))
        #expect(CallVariableRule.check(name: "page.to", value: "") == .failure(.emptyValue))
        #expect(CallVariableRule.check(name: "case.number", value: "0034567") == .failure(.badValue(NumberFormat.caseNumberProblem("0034567")!)))
        #expect(CallVariableRule.check(name: "caller.account", value: "1000011") == .failure(.badValue(NumberFormat.accountNumberProblem("1000011")!)))
        #expect(NumberFormat.caseNumberProblem("00345678") == nil && NumberFormat.accountNumberProblem("100001") == nil)
    }
}
