import HotlineApp
import Testing

/// `hotline call --set`: every assignment is checked, and each refusal names the option and the fix.
@Suite struct CallVariableAssignmentsTests {
    @Test func goodAssignmentsAreTheCallsVariables() throws {
        let variables = try CallVariableAssignments.parse(["page.id=PG-000001", "page.to=Oliver Hughes", "case.number= 00345678", "note=a=b"])
        #expect(variables == ["page.id": "PG-000001", "page.to": "Oliver Hughes", "case.number": "00345678", "note": "a=b"])
    }

    @Test(arguments: [
        ("case.number=", "--set case.number= has an empty value (fix: give the value, e.g. --set case.number=00345678, or leave --set case.number out)"),
        ("page.to=", "--set page.to= has an empty value"),
        ("=x", "--set takes NAME=VALUE (got '=x') (fix:"),
        ("foo", "--set takes NAME=VALUE (got 'foo') (fix:"),
        ("1x=2", "'1x' is not a variable name (fix:"),
        ("case number=00345678", "'case number' is not a variable name"),
        ("case.number=００３４５６７８", "--set case.number: case number '００３４５６７８' contains characters that are not digits 0-9: '０' (U+FF10), '３' (U+FF13)"),
        ("case.number=0034567", "--set case.number: case number '0034567' has 7 digits, not 8 (fix:"),
        ("caller.account=10000A", "--set caller.account: account number '10000A' contains characters that are not digits 0-9: 'A' (U+0041)"),
    ])
    func badAssignmentsAreRefusedNamingTheOptionAndTheFix(_ assignment: String, _ expected: String) {
        #expect {
            try CallVariableAssignments.parse([assignment])
        } throws: { error in
            "\(error)".contains(expected) && "\(error)".contains("fix:")
        }
    }

    @Test func aVariableSetTwiceIsRefused() {
        #expect {
            try CallVariableAssignments.parse(["case.number=00345678", "case.number=00412345"])
        } throws: { error in
            "\(error)" == "--set case.number is given twice (fix: set each variable once)"
        }
    }
}
