import Foundation
import HotlineTestSupport
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import Testing

@Suite("Checking flows")
struct FlowCheckerTests {
    @Test func theReferenceFlowChecksClean() {
        let report = FlowChecker.report(path: Repository.gsc)
        #expect(report.errors.map(\.description) == [])
        #expect(report.isValid)
        #expect(report.summary.contains("valid"))
        #expect(report.flow?.catalog != nil)  // prompts were checked against the catalog it names
    }

    @Test func theReferenceFlowChecksCleanAgainstAnExplicitCatalogToo() {
        #expect(FlowChecker.check(path: Repository.gsc, prompts: Repository.catalog).isEmpty)
    }

    /// Each bad fixture says what is wrong in its header and lists the exact errors expected as
    /// `# expect: LINE:COLUMN message`; the checker must report exactly those, no more, no fewer.
    @Test(arguments: Repository.badFlowNames)
    func badFixtureReportsExactlyItsProblems(name: String) throws {
        let path = Repository.badFlows + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# What is wrong:"), "\(name) must start with a comment saying what is wrong")
        let expected = text.split(separator: "\n").filter { $0.hasPrefix("# expect: ") }.map { $0.dropFirst("# expect: ".count) }
        #expect(!expected.isEmpty, "\(name) lists no expected errors")
        let problems = FlowChecker.check(path: path)
        #expect(problems.count == expected.count, "\(problems.map(\.description).joined(separator: "\n"))")
        for (problem, expectation) in zip(problems, expected) {
            #expect(problem.file == path)
            let position = "\(problem.line):\(problem.column) "
            let message = problem.message.replacingOccurrences(of: Repository.root.path + "/", with: "")
            #expect(expectation.hasPrefix(position) && message.hasPrefix(expectation.dropFirst(position.count)),
                    "expected \(expectation), got \(problem.line):\(problem.column) \(problem.message)")
            #expect(problem.fix != nil, "every error says how to fix it: \(problem)")
        }
    }

    @Test func thereIsABadFixtureForEveryCheck() {
        let names = Set(Repository.badFlowNames)
        for check in [
            "syntax", "unknown-key", "unknown-target", "duplicate-option", "duplicate-phrase", "duplicate-key", "unreachable",
            "no-way-out", "outcome-nowhere", "missing-argument", "missing-prompt", "spin-loop", "unknown-calendar",
            "unknown-zone", "bad-hours", "min-max", "bad-key", "bad-duration", "unknown-action", "missing-required", "misspelt-variable",
            "steerable-transfer", "late-redirect", "transfer-failure",
        ] {
            #expect(names.contains("\(check).yaml"), "missing Fixtures/flows/bad/\(check).yaml")
        }
    }

    @Test func promptsAreCheckedAgainstACatalogGivenInstead() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let catalog = folder + "/catalog.yaml"
        try "language: en-US\nprompts:\n  hello: {text: Hello}\n  digit.0: zero\n".write(toFile: catalog, atomically: true, encoding: .utf8)
        let flow = folder + "/flow.yaml"
        try """
            flow: p
            start: hi
            nodes:
              hi:
                type: play
                prompts: [hello, {digits: case.number}]
                next: bye
              bye:
                type: hangup
                prompt: goodbye
            """.write(toFile: flow, atomically: true, encoding: .utf8)
        // The flow names no catalog: prompt ids cannot be checked, and that is not an error.
        #expect(FlowChecker.check(path: flow).isEmpty)
        #expect(FlowChecker.report(path: flow).summary.contains("not checked"))
        let problems = FlowChecker.check(path: flow, prompts: catalog)
        #expect(problems.map { "\($0.line):\($0.column)" } == ["6:22", "10:13"])
        #expect(problems[0].message.contains("reading digits back needs prompts 'digit.1'"))
        #expect(!problems[0].message.contains("'digit.0'"))
        #expect(problems[1].message.hasPrefix("prompt 'goodbye' is not in the prompt catalog"))
    }

    /// "valid (1 nodes, 1 edges; …)": one node, and the edge from `start` to it.
    @Test func theSummaryCountsInTheSingular() throws {
        let path = TestFolders.path("one") + ".yaml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "flow: one\nstart: bye\nnodes:\n  bye: {type: hangup}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(FlowChecker.report(path: path).summary == "\(path): valid (1 node, 1 edge; prompt ids not checked: the flow names no catalog (give --prompts))")
    }

    @Test func aMissingCatalogIsReportedAtThePromptsKey() {
        let problems = FlowChecker.check(text: "flow: x\nstart: a\nprompts: nowhere/catalog.yaml\nnodes:\n  a: {type: hangup}\n", path: "x.yaml")
        #expect(problems.count == 1)
        #expect(problems.first?.line == 3)
        #expect(problems.first?.message.contains("cannot use the prompt catalog 'nowhere/catalog.yaml'") == true)
        // Where it was looked for, and a fix that does not contradict itself (it said the path was
        // relative to the flow file, then "(it is relative to the current folder)").
        let folder = FileManager.default.currentDirectoryPath
        #expect(problems.first?.message.contains("(looked for \(folder)/nowhere/catalog.yaml): no such file") == true)
        #expect(problems.first?.fix == "`prompts:` is relative to the flow file's folder; correct it, or give the catalog with --prompts FILE")
    }

    /// A tab in the indentation was "found character that cannot start any token", which does not
    /// say what the character is.
    @Test func aTabInTheIndentationIsNamed() {
        let problems = FlowChecker.check(text: "flow: x\nstart: a\nnodes:\n\ta: {type: hangup}\n", path: "tabs.yaml")
        #expect(problems.count == 1)
        #expect(problems.first.map { "\($0.line):\($0.column)" } == "4:1")
        #expect(problems.first?.message == "YAML syntax: a tab character, where YAML allows only spaces for indentation")
        #expect(problems.first?.fix?.contains("spaces instead of tabs") == true)
    }

    @Test func loopsThroughAMenuAreFineButSelfLoopsWithoutInputAreNot() {
        let menuLoop = """
            flow: ok
            start: menu
            nodes:
              menu:
                type: menu
                greeting: g
                options: {"1": again, "2": bye}
                on_exhausted: bye
              again:
                type: play
                prompts: g
                next: menu
              bye:
                type: hangup
            """
        #expect(FlowChecker.check(text: menuLoop, path: "ok.yaml").isEmpty)
        let selfLoop = """
            flow: spin
            start: check
            nodes:
              check:
                type: branch
                when:
                  - if: {variable: x, equals: "1"}
                    to: bye
                else: check
              bye:
                type: hangup
            """
        let problems = FlowChecker.check(text: selfLoop, path: "spin.yaml")
        #expect(problems.count == 1)
        #expect(problems.first?.message.hasPrefix("loop without caller input: 'check' → 'check'") == true)
        #expect(problems.first?.line == 9)
    }

    /// A chain of ~5,000 nodes once crashed `flow check` (SIGSEGV): the loop search was recursive.
    /// 20,000 play nodes in a line check clean, and the same nodes in a ring are one loop.
    @Test func aVeryLongChainIsCheckedWithoutExhaustingTheStack() {
        let count = 20_000
        func flow(closingAt last: String) -> String {
            var text = "flow: long\nstart: n0\nnodes:\n"
            for index in 0..<count {
                let next = index == count - 1 ? last : "n\(index + 1)"
                text += "  n\(index):\n    type: play\n    prompts: p\n    next: \(next)\n"
            }
            return text + "  bye:\n    type: hangup\n"
        }
        #expect(FlowChecker.check(text: flow(closingAt: "bye"), path: "long.yaml").isEmpty)
        let ring = FlowChecker.check(text: flow(closingAt: "n0"), path: "ring.yaml")
        #expect(ring.contains { $0.message.hasPrefix("loop without caller input: 'n0' → 'n1' → 'n2'") })
        #expect(ring.contains { $0.message.hasPrefix("node 'bye' is unreachable") })
    }

    @Test func unknownNodeIdsInStartAndConditionsAreReported() {
        let text = """
            flow: s
            start: begin
            nodes:
              began:
                type: branch
                when:
                  - if: {last_result: knwon}
                    to: bye
                  - if: {variable: x}
                    to: bye
                else: bye
              bye:
                type: hangup
            """
        let problems = FlowChecker.check(text: text, path: "s.yaml")
        #expect(problems.map(\.description) == [
            "s.yaml:2:8: error: unknown target 'begin' in `start`; did you mean 'began'? (fix: change it to 'began')",
            "s.yaml:7:27: error: 'knwon' is not an outcome any action produces, in rule 1 of branch node 'began'; did you mean 'known'? (fix: use one of known, unknown, locked, valid, invalid, recorded, closed, opened, paged, nobody, acknowledged, answered, overflow, ok, error)",
            "s.yaml:9:13: error: the condition on 'x' in rule 2 of branch node 'began' needs exactly one of `equals`, `not_equals`, `in`, `set` (fix: for example {variable: x, equals: \"true\"})",
        ])
    }

    @Test func graphErrorsAreNotPilesOfNoiseFromNodesThatFailedToRead() {
        // `broken` cannot be read (no greeting); nodes leading to it are not also "without a way out".
        let text = """
            flow: n
            start: a
            nodes:
              a:
                type: play
                prompts: g
                next: broken
              broken:
                type: menu
                options: {"1": a}
                on_exhausted: a
            """
        let problems = FlowChecker.check(text: text, path: "n.yaml")
        #expect(problems.map(\.message) == ["menu node 'broken' is missing `greeting`"])
    }
}

@Suite("Keypad keys YAML treats specially")
struct KeypadQuotingTests {
    @Test func anUnquotedStarKeyGetsAQuotingHint() {
        let text = "flow: k\nstart: m\nnodes:\n  m:\n    type: menu\n    greeting: g\n    options:\n      *: repeat\n    on_exhausted: m\n"
        let problems = FlowChecker.check(text: text, path: "k.yaml")
        #expect(problems.count == 1)
        #expect(problems.first?.line == 8)
        #expect(problems.first?.fix?.contains("write \"*\"") == true)
    }

    @Test func anUnquotedPoundKeyIsReportedInsteadOfSilentlyIgnored() {
        let text = "flow: k\nstart: m\nnodes:\n  m:\n    type: menu\n    greeting: g\n    options:\n      \"1\": bye\n      #: bye\n    on_exhausted: bye\n  bye: {type: hangup}\n"
        let problems = FlowChecker.check(text: text, path: "k.yaml")
        #expect(problems.map(\.description) == [
            "k.yaml:9:7: error: this line is a comment to YAML: an unquoted # starts a comment, so this option is ignored (fix: quote the key: \"#\": node)",
        ])
    }
}
