import Foundation
import HotlineDiagnostics
import Testing

@Suite("YAML reading helper")
struct YAMLReaderTests {
    @Test(arguments: [
        ("5s", 5000), ("500ms", 500), ("2m", 120_000), ("1.5s", 1500), ("3", 3000), ("0.25", 250), ("1h", 3_600_000),
        (" 7s ", 7000), ("0", 0),
    ])
    func durationsParse(text: String, milliseconds: Int64) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: ["", "s", "5 seconds", "-2s", "5x", "1e3", "fives", "5s5", "ms"])
    func badDurationsAreRejected(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func durationsFormatBack() {
        #expect(DurationText.format(.seconds(5)) == "5s")
        #expect(DurationText.format(.milliseconds(1500)) == "1500ms")
        #expect(DurationText.format(.seconds(120)) == "2m")
    }

    @Test func suggestionsFindTyposButNotStrangers() {
        #expect(Suggestions.closest(to: "greting", in: ["greeting", "options"]) == "greeting")
        #expect(Suggestions.closest(to: "max_failure", in: ["max_failures", "max_timeouts"]) == "max_failures")
        #expect(Suggestions.closest(to: "optoins", in: ["options", "say"]) == "options")  // transposition
        #expect(Suggestions.closest(to: "Options", in: ["options"]) == "options")
        #expect(Suggestions.closest(to: "banana", in: ["greeting", "options"]) == nil)
        #expect(Suggestions.closest(to: "x", in: [String]()) == nil)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("ab", "ba") == 1)
    }

    @Test func fieldsReportUnknownKeysWithSuggestionAndMissingRequiredKeys() {
        let file = YAMLFile(path: "scenario.yaml", text: """
            name: escalation
            calr: "+14085550100"
            steps: 3
            """)
        let root = try! #require(file.root)
        let fields = try! #require(file.fields(of: root, in: "the scenario", allowed: ["name", "caller", "steps", "gap"]))
        #expect(fields.string("name", required: true) == "escalation")
        #expect(fields.int("steps", in: 1...10) == 3)
        #expect(fields.string("caller", required: true) == nil)
        #expect(fields.duration("gap") == nil)
        #expect(fields.keys == ["name", "steps"])
        let messages = file.errors.map(\.description)
        #expect(messages == [
            "scenario.yaml:2:1: error: unknown key 'calr' in the scenario; did you mean `caller`? (fix: rename it to the suggested key)",
            "scenario.yaml:1:1: error: the scenario is missing `caller` (fix: add `caller: …`)",
        ])
    }

    @Test func typedAccessorsReportWrongTypesAtTheValue() {
        let file = YAMLFile(path: "f.yaml", text: """
            count: many
            flag: maybe
            wait: soon
            list: {a: 1}
            name: [a, b]
            range: 200
            """)
        let fields = try! #require(file.fields(of: file.root!, in: "the test", allowed: ["count", "flag", "wait", "list", "name", "range"]))
        #expect(fields.int("count") == nil)
        #expect(fields.bool("flag") == nil)
        #expect(fields.duration("wait") == nil)
        #expect(fields.strings("list") == nil)
        #expect(fields.string("name") == nil)
        #expect(fields.int("range", in: 1...100) == nil)
        #expect(file.errors.map { "\($0.line):\($0.column)" } == ["1:8", "2:7", "3:7", "4:7", "5:7", "6:8"])
        #expect(file.errors[0].message.contains("whole number"))
        #expect(file.errors[5].message.contains("between 1 and 100"))
    }

    @Test func choicesAndOneOfSeveralKinds() {
        let file = YAMLFile(path: "c.yaml", text: """
            steps:
              - {press: "1", format: dott}
              - {say: hello, press: "2"}
              - {wait: 3}
            """)
        let top = file.fields(of: file.root!, in: "the file", allowed: ["steps"])!
        let steps = file.list(top.value("steps")!, in: "`steps`")!
        let kinds = steps.map { step -> String? in
            let fields = file.fields(of: step, in: "a step", allowed: ["press", "say", "wait", "format"])!
            _ = fields.choice("format", from: ["dot", "mermaid"])
            return fields.exactlyOne(of: ["press", "say"])
        }
        #expect(kinds == ["press", nil, nil])
        #expect(file.errors.map(\.description) == [
            "c.yaml:2:26: error: `format` in a step is 'dott'; did you mean 'dot'? (fix: use one of dot, mermaid)",
            "c.yaml:3:18: error: a step has `say` and `press`; it can only be one of them (fix: split it into separate entries)",
            "c.yaml:4:5: error: a step needs one of `press`, `say` (fix: add one of them)",
        ])
    }

    @Test func duplicateKeysAreAllReportedAtTheirSecondOccurrenceAndReadingGoesOn() {
        let file = YAMLFile(path: "d.yaml", text: """
            a: 1
            b:
              x: 1
              y: 2
              x: 3
            c: {p: 1, q: 2, p: 3}
            a: 4
            """)
        #expect(file.errors.map(\.description) == [
            "d.yaml:5:3: error: duplicate key 'x': it is already set at line 3 (fix: each key may appear once in a mapping; merge the two or remove one)",
            "d.yaml:6:17: error: duplicate key 'p': it is already set at line 6 (fix: each key may appear once in a mapping; merge the two or remove one)",
            "d.yaml:7:1: error: duplicate key 'a': it is already set at line 1 (fix: each key may appear once in a mapping; merge the two or remove one)",
        ])
        // The document is still usable; the first value of each key wins and the repeats are skipped.
        let root = try! #require(file.root)
        let top = try! #require(file.fields(of: root, in: "the document", allowed: ["a", "b", "c"]))
        #expect(top.keys == ["a", "b", "c"])
        #expect(top.string("a") == "1")
        let b = try! #require(file.fields(of: top.value("b")!, in: "b", allowed: ["x", "y"]))
        #expect(b.string("x") == "1")
        #expect(file.errors.count == 3)  // reading the skipped keys reported nothing more
    }

    @Test func syntaxErrorsHaveLineAndColumn() {
        let file = YAMLFile(path: "s.yaml", text: "a: [1, 2\nb: 3\n")
        #expect(file.root == nil)
        #expect(file.errors.count == 1)
        #expect(file.errors[0].line == 2)
        #expect(file.errors[0].message.hasPrefix("YAML syntax:"))
        #expect(file.errors[0].message.contains("line 1, column 4"))
    }

    @Test func emptyAndMissingFilesAreErrorsNotCrashes() {
        #expect(YAMLFile(path: "e.yaml", text: "").errors.first?.message == "the file is empty")
        let missing = YAMLFile(path: "/nonexistent/flow.yaml")
        #expect(missing.root == nil)
        #expect(missing.errors.first?.description.hasPrefix("/nonexistent/flow.yaml:1:1: error: no such file") == true)
    }

    @Test func pathsAreNormalised() {
        #expect(normalizedPath("Fixtures/flows/../../Prompts/en-US/catalog.yaml") == "Prompts/en-US/catalog.yaml")
        #expect(normalizedPath("/a/b/./../c") == "/a/c")
        #expect(normalizedPath("../x") == "../x")
    }
}
