import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import Yams

/// Reads scenario files (YAML), one scenario per file, reporting every problem as
/// `file:line:column: error: …`.
///
/// ```yaml
/// name: Escalation by voice, after hours
/// caller: "+1 408 555 0100"
/// at: 2026-12-05T03:00:00
/// zone: America/Los_Angeles
/// steps:
///   - expect: gsc.main-menu              # a prompt id; or {prompt: …}, {heard: text}, {heard_regex: …}
///   - press: "1"                         # or {keys: "0034#", gap: 300ms, during_prompt: true}
///   - say: I'd like an escalation manager
///   - silence: 6s
///   - expect: {case: "00345678", status: escalated}
///   - expect: {action: record_escalation, times: 1}   # counted: exactly once in the whole call
///   - expect_not: {page: {case: "00345678"}}          # negative: it did not happen
///   - expect: {end: completed}
/// ```
///
/// A scenario must expect something: a file whose steps only act (or `steps: []`) tests nothing
/// and is refused.
public enum ScenarioFile {
    static let topKeys = ["name", "caller", "at", "zone", "flow", "rota", "agents", "database", "variables", "before", "steps", "description", "failing_transfers"]
    static let expectKeys = [
        "prompt", "heard", "heard_regex", "node", "action", "outcome", "queue", "agent", "transfer", "end", "variable",
        "equals", "case", "status", "feed", "channel", "page", "case_opened", "times",
    ]
    /// What `times:` can count: things the transcript shows each time they happen.
    static let countable = ["prompt", "heard", "heard_regex", "node", "action", "queue", "transfer"]

    /// Every scenario file under `paths` (a folder means every `.yaml`/`.yml` in it, recursively), sorted.
    public static func files(in paths: [String]) throws(Diagnostics) -> [String] {
        var files: [String] = []
        var problems: [Diagnostic] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                problems.append(Diagnostic(file: path, line: 0, column: 0, message: "no such file or folder", fix: "give a scenario file or a folder of them"))
                continue
            }
            if isFolder.boolValue {
                let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                    .map { (path as NSString).appendingPathComponent($0) }
                // A folder without scenarios ran nothing and passed ("0 passed, 0 failed", exit 0).
                if found.isEmpty {
                    problems.append(
                        Diagnostic(file: path, line: 0, column: 0, message: "the folder holds no scenario files (.yaml or .yml)", fix: "give the folder of your scenarios, or their files"))
                }
                files += found.sorted()
            } else {
                files.append(path)
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return files
    }

    /// Loads many files on `jobs` threads; results in the files' order. Reading thousands of
    /// scenario files one at a time kept a large suite from starting for seconds.
    public static func loadAll(paths: [String], jobs: Int, finished: @Sendable () -> Void = {}) -> [Result<Scenario, Diagnostics>] {
        let slots = Slots<Result<Scenario, Diagnostics>>(count: paths.count)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, paths.count))) { _ in
            while let index = next.take(below: paths.count) {
                let result: Result<Scenario, Diagnostics>
                do throws(Diagnostics) {
                    result = .success(try load(path: paths[index]))
                } catch {
                    result = .failure(error)
                }
                slots.set(index, result)
                finished()
            }
        }
        return slots.all
    }

    public static func load(path: String) throws(Diagnostics) -> Scenario {
        let file = YAMLFile(path: path)
        guard let root = file.root, let top = file.fields(of: root, in: "a scenario", allowed: topKeys) else {
            throw Diagnostics(file.errors.isEmpty ? [Diagnostic(file: path, line: 1, column: 1, message: "the file is empty", fix: "write a scenario: name, caller, at, steps")] : file.errors).inFileOrder
        }
        let folder = (path as NSString).deletingLastPathComponent
        func relative(_ key: String) -> String? {
            top.string(key).map { normalizedPath($0.hasPrefix("/") ? $0 : (folder as NSString).appendingPathComponent($0)) }
        }
        let name = top.string("name") ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let caller = top.string("caller", required: true, fix: "add `caller: \"+1 408 555 0100\"` (the caller ID)") ?? ""
        var zone: TimeZone?
        if let zoneName = top.string("zone") {
            zone = TimeZone(identifier: zoneName)
            if zone == nil { file.error("'\(zoneName)' is not an IANA time zone", at: top.value("zone"), fix: "write e.g. America/Los_Angeles") }
        }
        var instant = Date(timeIntervalSince1970: 0)
        if let atText = top.string("at", required: true, fix: "add `at: 2026-12-05T03:00:00` and `zone: America/Los_Angeles`") {
            do {
                instant = try InstantParser.parse(atText, defaultZone: zone?.identifier)
            } catch {
                file.error(error.description, at: top.value("at"), fix: "give an offset, a zone after the time, or a `zone:` key")
            }
        }
        var steps: [Scenario.Step] = []
        if let stepsNode = top.value("steps", required: true, fix: "add `steps:` with what the caller does and expects") {
            if let items = stepsNode.sequence {
                for item in items {
                    if let step = readStep(item, file: file) { steps.append(step) }
                }
            } else {
                file.error("`steps` must be a list", at: stepsNode, fix: "write each step on its own line starting with '- '")
            }
            if file.errors.isEmpty, !steps.contains(where: { $0.action.isExpectation }) {
                file.error(
                    "the scenario expects nothing, so it tests nothing" + (steps.isEmpty ? " (`steps` is empty)" : ""), at: stepsNode,
                    fix: "add at least one `expect:` or `expect_not:` step, e.g. `- expect: {end: completed}`")
            }
        }
        var variables: [String: String] = [:]
        if let node = top.value("variables"), let pairs = file.mapping(of: node, in: "`variables`", expecting: "a mapping of variable name to value") {
            // The rules of `hotline call --set` (``CallVariableRule``), said at the key or the value.
            for (key, value) in pairs {
                guard let name = file.scalar(key, in: "a variable name"), let text = file.scalar(value, in: "the value of `\(name)`") else { continue }
                switch CallVariableRule.check(name: name, value: text) {
                case .success(let checked):
                    variables[name] = checked
                case .failure(.notAName):
                    file.error(
                        "'\(TerminalText.escaped(String(name.prefix(40))))' in `variables` is not a variable name", at: key, fix: CallVariableRule.nameFix,
                        code: .badValue)
                case .failure(.emptyValue):
                    file.error(
                        "the variable \(name) has an empty value", at: value,
                        fix: "give the value, e.g. `\(name): \(CallVariableRule.example(name))`, or leave \(name) out", code: .badValue)
                case .failure(.badValue(let problem)):
                    file.error("the variable \(name): \(problem.message)", at: value, fix: problem.fix, code: .badValue)
                }
            }
        }
        let before = top.value("before").map { readOperations($0, file: file) } ?? []
        let database = top.choice("database", from: Scenario.ScenarioDatabase.allCases.map(\.rawValue)).flatMap(Scenario.ScenarioDatabase.init(rawValue:))
        let failing = Set((top.strings("failing_transfers") ?? []).map(\.text))
        // The keys are read in a fixed order, not the file's: the problems are listed by line.
        if !file.errors.isEmpty { throw Diagnostics(file.errors).inFileOrder }
        var scenario = Scenario(
            name: name, file: path, flow: relative("flow"), callerID: caller, at: instant, rota: relative("rota"),
            agents: relative("agents"), variables: variables, steps: steps)
        scenario.before = before
        scenario.database = database ?? .memory
        scenario.failingTransfers = failing
        return scenario
    }

    static func readStep(_ node: Yams.Node, file: YAMLFile) -> Scenario.Step? {
        let location = file.location(of: node)
        guard let fields = file.fields(of: node, in: "a step", allowed: ["expect", "expect_not", "press", "say", "silence", "hangup"]) else { return nil }
        guard fields.keys.count == 1, let verb = fields.keys.first, let value = fields.value(verb) else {
            // A step whose only key was unknown has been reported already.
            if fields.keys.isEmpty, node.mapping?.isEmpty == false { return nil }
            file.error("a step does one thing; this one has \(fields.keys.isEmpty ? "none" : fields.keys.joined(separator: " and "))", at: node, fix: "split it into one step per line")
            return nil
        }
        switch verb {
        case "press":
            var keys = ""
            var gap = Duration.milliseconds(300)
            var during = false
            if let text = value.string {
                keys = text
            } else if let press = file.fields(of: value, in: "a press", allowed: ["keys", "gap", "during_prompt"]) {
                keys = press.string("keys", required: true) ?? ""
                gap = press.duration("gap") ?? gap
                during = press.bool("during_prompt") ?? false
            }
            if let bad = keys.first(where: { !Keypad.keys.contains($0) }) {
                file.error("'\(bad)' is not a key on a phone keypad (in '\(keys)')", at: value, fix: "use only 0-9, * and #")
                return nil
            }
            if keys.isEmpty {
                file.error("press needs at least one key", at: value, fix: "write e.g. press: \"1\"")
                return nil
            }
            return .init(.press(keys: keys, gap: gap, duringPrompt: during), at: location)
        case "say":
            if let text = value.string { return .init(.say(text, duringPrompt: false), at: location) }
            guard let say = file.fields(of: value, in: "a say", allowed: ["text", "during_prompt"]) else { return nil }
            guard let text = say.string("text", required: true) else { return nil }
            return .init(.say(text, duringPrompt: say.bool("during_prompt") ?? false), at: location)
        case "silence":
            guard let text = file.scalar(value, in: "`silence`") else { return nil }
            switch DurationText.read(text) {
            case .success(let duration):
                return .init(.silence(duration), at: location)
            case .failure(let problem):
                let said = DurationText.explain(problem, text: text, what: "`silence`")
                file.error(said.message, at: value, fix: said.fix + ", e.g. silence: 6s", code: .badDuration)
                return nil
            }
        case "hangup":
            return .init(.hangUp, at: location)
        case "expect_not":
            if let times = value.mapping?.first(where: { $0.key.string == "times" }) {
                file.error("`expect_not` with `times` says two things", at: times.key, fix: "write `expect: {…, times: N}` to count, or drop `times`")
                return nil
            }
            guard let inner = readExpectation(value, at: location, file: file) else { return nil }
            return .init(.expectNot(inner.action), at: location)
        default:
            return readExpectation(value, at: location, file: file)
        }
    }

    static func readExpectation(_ value: Yams.Node, at location: SourceLocation, file: YAMLFile) -> Scenario.Step? {
        if let id = value.string { return .init(.expectPrompt(.id(id)), at: location) }
        guard let expect = file.fields(of: value, in: "an expectation", allowed: expectKeys) else { return nil }
        var times: Int?
        if let timesNode = expect.value("times") {
            guard expect.keys.contains(where: { countable.contains($0) }) else {
                file.error("`times` counts only \(countable.joined(separator: ", "))", at: timesNode, fix: "drop `times`, or use `expect_not:` to say it did not happen")
                return nil
            }
            guard let count = expect.int("times", in: 0...1000) else { return nil }
            times = count
        }
        func step(_ action: StepAction) -> Scenario.Step {
            .init(times.map { .expectCount(action, times: $0) } ?? action, at: location)
        }
        if let id = expect.string("prompt") { return step(.expectPrompt(.id(id))) }
        if let text = expect.string("heard") { return step(.expectPrompt(.contains(text))) }
        if let pattern = expect.string("heard_regex") {
            if (try? NSRegularExpression(pattern: pattern)) == nil {
                file.error("'\(pattern)' is not a valid regular expression", at: expect.value("heard_regex"), fix: "check brackets and escapes")
                return nil
            }
            return step(.expectPrompt(.regex(pattern)))
        }
        if let node = expect.string("node") { return step(.expectNode(node)) }
        if let name = expect.string("action") {
            guard let kind = ActionKind(rawValue: name) else {
                let hint = Suggestions.closest(to: name, in: ActionKind.allCases.map(\.rawValue))
                file.error("unknown action '\(name)'" + (hint.map { "; did you mean `\($0)`?" } ?? ""), at: expect.value("action"),
                           fix: "one of: \(ActionKind.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return step(.expectAction(kind, outcome: expect.string("outcome")))
        }
        if let queue = expect.string("queue") { return step(.expectQueue(queue, agent: expect.string("agent"))) }
        if let destination = expect.string("transfer") { return step(.expectTransfer(destination)) }
        if let outcome = expect.string("end") { return step(.expectEnd(outcome)) }
        if let variable = expect.string("variable") {
            return step(.expectVariable(variable, equals: expect.string("equals", required: true) ?? ""))
        }
        if let number = expect.string("case") {
            if let status = expect.string("status") { return step(.expectFact(.caseStatus(caseNumber: number, status: status))) }
            if let kind = expect.string("feed") { return step(.expectFact(.caseFeed(caseNumber: number, kind: kind, channel: expect.string("channel")))) }
            file.error("a case expectation needs `status` or `feed`", at: value, fix: "write e.g. {case: \"00345678\", status: escalated}")
            return nil
        }
        if let pageNode = expect.value("page") {
            guard let page = file.fields(of: pageNode, in: "a page expectation", allowed: ["to", "case", "level"]) else { return nil }
            return step(.expectFact(.pageSent(to: page.string("to"), caseNumber: page.string("case"), level: page.int("level", in: 1...20))))
        }
        if let openedNode = expect.value("case_opened") {
            guard let opened = file.fields(of: openedNode, in: "a case_opened expectation", allowed: ["account", "priority"]) else { return nil }
            return step(.expectFact(.caseOpened(accountID: opened.string("account", required: true) ?? "", priority: opened.string("priority"))))
        }
        file.error("an expectation needs one of: prompt, heard, heard_regex, node, action, queue, transfer, end, variable, case, page, case_opened", at: value, fix: nil)
        return nil
    }
}
