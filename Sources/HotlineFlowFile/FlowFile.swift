import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// Reads call-flow files (YAML) into ``Flow``s.
///
/// ```swift
/// let loaded = try FlowFile.load(path: "Fixtures/flows/gsc.yaml")     // parse errors only
/// let checked = try FlowFile.loadChecked(path: "Fixtures/flows/gsc.yaml") // + every FlowChecker check
/// var machine = CallStateMachine(flow: loaded.flow, …)
/// ```
///
/// `load` reports everything that makes a file unreadable or a flow unsafe to walk: YAML syntax,
/// unknown or duplicate keys, wrong value types, bad durations/hours/time zones, unknown node types,
/// actions, calendars and targets, option keys off the keypad, missing action arguments, action
/// outcomes with nowhere to go. ``FlowChecker`` adds the whole-graph checks (reachability, ways out,
/// loops without input, prompts missing from the catalog). All problems are collected, not just the first.
public enum FlowFile {
    /// Reads a flow file. `prompts` overrides the catalog the flow names (`--prompts`).
    /// Throws every problem found, each as `file:line:column: error: …`.
    public static func load(path: String, prompts: String? = nil) throws(Diagnostics) -> LoadedFlow {
        let (loaded, errors) = read(path: path, prompts: prompts)
        guard let loaded, errors.isEmpty else { throw Diagnostics(errors) }
        return loaded
    }

    /// Reads a flow from text, as if from `path` (tests, generated flows).
    public static func load(text: String, path: String, prompts: String? = nil) throws(Diagnostics) -> LoadedFlow {
        let (loaded, errors) = read(file: YAMLFile(path: path, text: text), prompts: prompts)
        guard let loaded, errors.isEmpty else { throw Diagnostics(errors) }
        return loaded
    }

    /// Reads a flow and runs every ``FlowChecker`` check; throws unless the flow is clean.
    public static func loadChecked(path: String, prompts: String? = nil) throws(Diagnostics) -> LoadedFlow {
        let (loaded, errors) = read(path: path, prompts: prompts)
        guard let loaded, errors.isEmpty else { throw Diagnostics(errors) }
        let problems = FlowChecker.check(loaded)
        guard problems.isEmpty else { throw Diagnostics(problems) }
        return loaded
    }

    /// Reads a flow, returning what could be read (nil when nothing usable) and every problem found.
    public static func read(path: String, prompts: String? = nil) -> (flow: LoadedFlow?, errors: [Diagnostic]) {
        read(file: YAMLFile(path: path), prompts: prompts)
    }

    static func read(file: YAMLFile, prompts: String?) -> (flow: LoadedFlow?, errors: [Diagnostic]) {
        guard let root = file.root else { return (nil, file.errors) }
        var reader = FlowReader(file: file)
        let loaded = reader.read(root: root, promptsOverride: prompts)
        return (loaded, reader.errors)
    }

    /// The node types, as written after `type:`.
    public static let nodeTypes = ["menu", "collect", "play", "branch", "action", "transfer", "hangup"]
}

/// Reads one flow file; problems go to the `YAMLFile`.
struct FlowReader {
    let file: YAMLFile
    var edges: [FlowEdge] = []
    var promptUses: [PromptUse] = []
    var variableUses: [VariableUse] = []
    var catalogErrors: [Diagnostic] = []
    var defaults = Defaults()
    var calendarNames: [String] = []

    var errors: [Diagnostic] { file.errors + catalogErrors }

    init(file: YAMLFile) { self.file = file }

    /// Values applied to menus and collects that do not set their own.
    struct Defaults {
        var firstDigitTimeout: Duration = .seconds(5)
        var interDigitTimeout: Duration = .seconds(3)
        var maxFailures = 3
        var maxTimeouts = 3
        var maxAttempts = 3
        var invalidPrompt: PromptSequence = .none
        var noInputPrompt: PromptSequence = .none
        var bargeIn = true
    }

    static let topKeys = ["flow", "number", "start", "prompts", "defaults", "calendars", "nodes"]
    static let defaultKeys = [
        "first_digit_timeout", "inter_digit_timeout", "max_failures", "max_timeouts", "max_attempts",
        "invalid_prompt", "no_input_prompt", "barge_in",
    ]
    static let nodeKeys: [String: [String]] = [
        "menu": [
            "greeting", "short_greeting", "options", "say", "first_digit_timeout", "inter_digit_timeout",
            "max_failures", "max_timeouts", "invalid_prompt", "no_input_prompt", "on_exhausted", "barge_in",
        ],
        "collect": [
            "prompt", "into", "min_length", "max_length", "terminator", "first_digit_timeout", "inter_digit_timeout",
            "max_attempts", "invalid_prompt", "no_input_prompt", "validate", "rejected_prompt", "next", "on_exhausted",
            "barge_in",
        ],
        "play": ["prompts", "next"],
        "branch": ["when", "else"],
        "action": ["action", "with", "prompt", "next"],
        "transfer": ["to", "prompt", "method", "on_failure"],
        "hangup": ["prompt", "outcome"],
    ]

    mutating func read(root: Yams.Node, promptsOverride: String?) -> LoadedFlow? {
        guard let top = file.fields(of: root, in: "the flow file", allowed: Self.topKeys) else { return nil }
        let name = top.string("flow", required: true, fix: "name the flow: `flow: gsc`")
        let number = top.string("number")
        let start = top.string("start", required: true, fix: "name the first node: `start: answer`")
        let catalogName = top.string("prompts")

        if let node = top.value("defaults"), let fields = file.fields(of: node, in: "`defaults`", allowed: Self.defaultKeys) {
            readDefaults(fields)
        }
        var calendars: [String: BusinessCalendar] = [:]
        if let node = top.value("calendars"), let entries = file.mapping(of: node, in: "`calendars`", expecting: "a mapping of calendar name to `{zone, hours, holidays}`") {
            calendarNames = entries.compactMap { $0.key.string }
            for (key, value) in entries {
                let calendarName = key.string ?? ""
                if let calendar = CalendarReader(file: file).read(name: calendarName, node: value) {
                    calendars[calendarName] = calendar
                }
            }
        }

        var nodes: [HotlineCore.Node] = []
        var nodeIDs: [String] = []
        if let nodesNode = top.value("nodes", required: true, fix: "add `nodes:` with at least the start node"),
            let entries = file.mapping(of: nodesNode, in: "`nodes`", expecting: "a mapping of node id to node")
        {
            if entries.isEmpty { file.error("`nodes` is empty", at: nodesNode, fix: "add at least the start node") }
            nodeIDs = entries.compactMap { $0.key.string }
            for (key, value) in entries {
                guard let id = key.string, !id.isEmpty else {
                    file.error("a node id must be a name", at: key, fix: "write `node_name:` followed by the node")
                    continue
                }
                if id == "repeat" {
                    file.error("'repeat' cannot be a node id: it means 'repeat the menu' in options", at: key, fix: "rename the node")
                }
                if let kind = readNode(id: id, node: value) {
                    nodes.append(HotlineCore.Node(id: id, kind: kind, location: file.location(of: key)))
                }
            }
        }

        // YAML reads an unquoted `#` as the start of a comment, so `#: node` silently vanishes.
        for (index, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("#:") || trimmed.hasPrefix("# :") {
                file.error("this line is a comment to YAML: an unquoted # starts a comment, so this option is ignored",
                           at: SourceLocation(file: file.path, line: index + 1, column: line.count - trimmed.count + 1),
                           fix: "quote the key: \"#\": node")
            }
        }

        // Targets can only be checked once every node id is known.
        let known = Set(nodeIDs)
        if let start, let startNode = top.value("start") {
            edges.insert(FlowEdge(from: "", kind: .start, label: "start", target: start, location: file.location(of: startNode)), at: 0)
        }
        for edge in edges where !known.contains(edge.target) {
            let hint = Suggestions.closest(to: edge.target, in: nodeIDs)
            let place: String
            switch edge.kind {
            case .start: place = "`start`"
            case .key: place = "option '\(edge.label)' of node '\(edge.from)'"
            case .intent: place = "`\(edge.label)` of node '\(edge.from)'"
            case .exhausted: place = "`on_exhausted` of node '\(edge.from)'"
            case .next: place = "`next` of node '\(edge.from)'"
            case .condition: place = "the rule `\(edge.label)` of node '\(edge.from)'"
            case .otherwise: place = "`else` of node '\(edge.from)'"
            case .outcome: place = "outcome '\(edge.label)' of node '\(edge.from)'"
            case .failure: place = "`on_failure` of node '\(edge.from)'"
            }
            file.error(
                "unknown target '\(edge.target)' in \(place)" + (hint.map { "; did you mean '\($0)'?" } ?? ""),
                at: edge.location,
                fix: hint.map { "change it to '\($0)'" } ?? "add a node named '\(edge.target)' or point to an existing node"
            )
        }

        // The catalog: the one given instead, or the one the flow names (relative to the flow file).
        var catalog: PromptCatalog?
        var catalogPath: String?
        if let promptsOverride {
            catalogPath = promptsOverride
        } else if let catalogName, !catalogName.isEmpty {
            catalogPath = normalizedPath(catalogName.hasPrefix("/") ? catalogName : ((file.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(catalogName))
        }
        if let catalogPath {
            do {
                catalog = try PromptCatalog.load(path: catalogPath)
            } catch {
                // An unreadable catalog is said at the flow's `prompts:`; problems inside it at their own lines.
                if promptsOverride == nil, let at = top.value("prompts"), let first = error.first, first.code == .unreadable {
                    // The path as resolved, since it is relative to the flow file, not to where one stands.
                    let looked = URL(fileURLWithPath: catalogPath).standardizedFileURL.path
                    file.error("cannot use the prompt catalog '\(catalogName ?? "")' (looked for \(looked)): \(first.message)", at: at,
                               fix: "`prompts:` is relative to the flow file's folder; correct it, or give the catalog with --prompts FILE")
                } else {
                    catalogErrors.append(contentsOf: error.errors)
                }
            }
        }

        guard let name, let start else { return nil }
        let flow = Flow(name: name, number: number, start: start, nodes: nodes, calendars: calendars, promptCatalog: catalogName)
        return LoadedFlow(
            path: file.path, flow: flow, catalog: catalog, catalogPath: catalogPath, edges: edges, promptUses: promptUses,
            variableUses: variableUses
        )
    }

    // MARK: - Defaults

    mutating func readDefaults(_ fields: YAMLFields) {
        if let value = fields.duration("first_digit_timeout") { defaults.firstDigitTimeout = value }
        if let value = fields.duration("inter_digit_timeout") { defaults.interDigitTimeout = value }
        if let value = fields.int("max_failures", in: 1...100) { defaults.maxFailures = value }
        if let value = fields.int("max_timeouts", in: 1...100) { defaults.maxTimeouts = value }
        if let value = fields.int("max_attempts", in: 1...100) { defaults.maxAttempts = value }
        if let value = prompts(fields, "invalid_prompt", node: nil) { defaults.invalidPrompt = value }
        if let value = prompts(fields, "no_input_prompt", node: nil) { defaults.noInputPrompt = value }
        if let value = fields.bool("barge_in") { defaults.bargeIn = value }
    }

    // MARK: - Nodes

    mutating func readNode(id: String, node: Yams.Node) -> HotlineCore.Node.Kind? {
        guard let mapping = file.mapping(of: node, in: "node '\(id)'", expecting: "a mapping with `type:` and the node's keys") else {
            return nil
        }
        guard let typePair = mapping.first(where: { $0.key.string == "type" }) else {
            file.error("node '\(id)' has no `type`", at: node, fix: "add `type:` with one of \(FlowFile.nodeTypes.joined(separator: ", "))")
            return nil
        }
        let type = typePair.value.string ?? ""
        guard let allowed = Self.nodeKeys[type] else {
            let hint = Suggestions.closest(to: type, in: FlowFile.nodeTypes)
            file.error("unknown node type '\(type)' in node '\(id)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: typePair.value,
                       fix: "use one of \(FlowFile.nodeTypes.joined(separator: ", "))")
            return nil
        }
        guard let fields = file.fields(of: node, in: "\(type) node '\(id)'", allowed: ["type"] + allowed) else { return nil }
        switch type {
        case "menu": return readMenu(id: id, fields).map(HotlineCore.Node.Kind.menu)
        case "collect": return readCollect(id: id, fields).map(HotlineCore.Node.Kind.collect)
        case "play": return readPlay(id: id, fields).map(HotlineCore.Node.Kind.play)
        case "branch": return readBranch(id: id, fields).map(HotlineCore.Node.Kind.branch)
        case "action": return readAction(id: id, fields).map(HotlineCore.Node.Kind.action)
        case "transfer": return readTransfer(id: id, fields).map(HotlineCore.Node.Kind.transfer)
        case "hangup": return readHangup(id: id, fields).map(HotlineCore.Node.Kind.hangup)
        default: return nil
        }
    }

    /// Reads a node id at `key` and records the edge to it.
    mutating func target(_ fields: YAMLFields, _ key: String, from id: String, kind: FlowEdge.Kind, label: String, required: Bool = true) -> String? {
        guard let node = fields.value(key, required: required, fix: "add `\(key): <node id>`") else { return nil }
        return target(node, from: id, kind: kind, label: label, context: "`\(key)` in \(fields.context)")
    }

    mutating func target(_ node: Yams.Node, from id: String, kind: FlowEdge.Kind, label: String, context: String) -> String? {
        guard let text = file.scalar(node, in: context) else { return nil }
        guard !text.isEmpty else {
            file.error("\(context) is empty", at: node, fix: "write the id of the node to go to")
            return nil
        }
        edges.append(FlowEdge(from: id, kind: kind, label: label, target: text, location: file.location(of: node)))
        return text
    }

    mutating func readMenu(id: String, _ fields: YAMLFields) -> Menu? {
        let greeting = prompts(fields, "greeting", node: id, required: true)
        let shortGreeting = prompts(fields, "short_greeting", node: id)

        var options: [Menu.Option] = []
        if let node = fields.value("options"), let entries = file.mapping(of: node, in: "`options` in \(fields.context)", expecting: "a mapping of key to node id or `repeat`") {
            // A key written twice (`1:` and `"1":` too) is refused by the YAML reader already.
            for (keyNode, value) in entries {
                let key = keyNode.string ?? ""
                if key.isEmpty || !key.allSatisfy({ Keypad.keys.contains($0) }) {
                    file.error("option key '\(key)' in \(fields.context) is not a keypad key", at: keyNode,
                               fix: "use digits 0–9, `*` or `#` (quote them: \"1\", \"*\")")
                    continue
                }
                if value.string == "repeat" {
                    options.append(Menu.Option(key: key, target: .repeatMenu))
                } else if let target = target(value, from: id, kind: .key, label: key, context: "option '\(key)' in \(fields.context)") {
                    options.append(Menu.Option(key: key, target: .node(target)))
                }
            }
        }

        var intents: [Menu.Intent] = []
        if let node = fields.value("say"), let entries = file.mapping(of: node, in: "`say` in \(fields.context)", expecting: "a mapping of intent name to `{phrases, to}`") {
            var phraseOwners: [String: (intent: String, line: Int)] = [:]
            for (nameNode, value) in entries {
                let name = nameNode.string ?? ""
                let context = "intent '\(name)' of \(fields.context)"
                guard let intent = file.fields(of: value, in: context, allowed: ["phrases", "to"]) else { continue }
                var phrases: [String] = []
                for (phrase, phraseNode) in intent.strings("phrases", required: true) ?? [] {
                    let words = IntentMatcher.normalizedWords(phrase).joined(separator: " ")
                    guard !words.isEmpty else {
                        file.error("phrase '\(phrase)' in \(context) has no words", at: phraseNode, fix: "write the words a caller would say")
                        continue
                    }
                    if let owner = phraseOwners[words] {
                        let same = owner.intent == name
                        file.error(
                            "phrase '\(phrase)' is \(same ? "listed twice in intent '\(name)'" : "in two intents of \(fields.context): '\(owner.intent)' (line \(owner.line)) and '\(name)'")",
                            at: phraseNode, fix: same ? "remove the repeat" : "keep the phrase in one intent only, so what the caller says is not ambiguous")
                        continue
                    }
                    phraseOwners[words] = (name, phraseNode.mark?.line ?? 0)
                    phrases.append(phrase)
                }
                if let to = intent.value("to", required: true, fix: "add `to: <node id>` (or `to: repeat`)") {
                    if to.string == "repeat" {
                        intents.append(Menu.Intent(name: name, phrases: phrases, target: .repeatMenu))
                    } else if let target = target(to, from: id, kind: .intent, label: "say: \(name)", context: "`to` in \(context)") {
                        intents.append(Menu.Intent(name: name, phrases: phrases, target: .node(target)))
                    }
                }
            }
        }
        if !fields.has("options") && !fields.has("say") {
            file.error("\(fields.context) has neither `options` nor `say`: the caller cannot choose anything", at: fields.node,
                       fix: "add `options:` (keys) and/or `say:` (phrases)")
        }

        let firstDigit = fields.duration("first_digit_timeout") ?? defaults.firstDigitTimeout
        let interDigit = fields.duration("inter_digit_timeout") ?? defaults.interDigitTimeout
        let maxFailures = fields.int("max_failures", in: 1...100) ?? defaults.maxFailures
        let maxTimeouts = fields.int("max_timeouts", in: 1...100) ?? defaults.maxTimeouts
        let invalid = prompts(fields, "invalid_prompt", node: id) ?? defaults.invalidPrompt
        let noInput = prompts(fields, "no_input_prompt", node: id) ?? defaults.noInputPrompt
        let exhausted = target(fields, "on_exhausted", from: id, kind: .exhausted, label: "exhausted")
        let bargeIn = fields.bool("barge_in") ?? defaults.bargeIn
        guard let greeting, let exhausted else { return nil }
        return Menu(
            greeting: greeting, shortGreeting: shortGreeting, options: options, intents: intents,
            firstDigitTimeout: firstDigit, interDigitTimeout: interDigit, maxFailures: maxFailures, maxTimeouts: maxTimeouts,
            invalidPrompt: invalid, noInputPrompt: noInput, onExhausted: exhausted, bargeIn: bargeIn
        )
    }

    static let validations = ActionKind.allCases.filter { $0.acceptingOutcome != nil }

    mutating func readCollect(id: String, _ fields: YAMLFields) -> Collect? {
        let prompt = prompts(fields, "prompt", node: id, required: true)
        let variable = fields.string("into", required: true, fix: "name the variable the digits go into: `into: case.number`")
        if let variable {
            variableUses.append(VariableUse(name: variable, node: id, location: file.location(of: fields.value("into")), role: .set))
        }
        let minLength = fields.int("min_length", in: 1...64) ?? 1
        let maxLength = fields.int("max_length", in: 1...64) ?? max(16, minLength)
        if minLength > maxLength, let node = fields.value("min_length") {
            file.error("min_length \(minLength) is greater than max_length \(maxLength) in \(fields.context)", at: node,
                       fix: "make min_length at most max_length")
        }
        var terminator: Character? = "#"
        if let node = fields.value("terminator") {
            let text = node.string ?? ""
            switch text {
            case "#": terminator = "#"
            case "*": terminator = "*"
            case "none", "", "~", "null": terminator = nil
            default:
                file.error("terminator '\(text)' in \(fields.context) must be \"#\", \"*\" or none", at: node, fix: "write terminator: \"#\"")
            }
        }
        var validation: ActionKind?
        if let node = fields.value("validate"), let text = file.scalar(node, in: "`validate` in \(fields.context)") {
            let names = Self.validations.map(\.rawValue)
            if let kind = ActionKind(rawValue: text), kind.acceptingOutcome != nil {
                validation = kind
            } else {
                let hint = Suggestions.closest(to: text, in: names)
                file.error("unknown validation '\(text)' in \(fields.context)" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: node,
                           fix: "use one of \(names.joined(separator: ", "))")
            }
        }
        let firstDigit = fields.duration("first_digit_timeout") ?? defaults.firstDigitTimeout
        let interDigit = fields.duration("inter_digit_timeout") ?? defaults.interDigitTimeout
        let maxAttempts = fields.int("max_attempts", in: 1...100) ?? defaults.maxAttempts
        let invalid = prompts(fields, "invalid_prompt", node: id) ?? defaults.invalidPrompt
        let noInput = prompts(fields, "no_input_prompt", node: id) ?? defaults.noInputPrompt
        let rejected = prompts(fields, "rejected_prompt", node: id) ?? .none
        if fields.has("rejected_prompt") && validation == nil, let key = fields.keyNode("rejected_prompt") {
            file.error("`rejected_prompt` in \(fields.context) is never played: the node has no `validate`", at: key,
                       fix: "add `validate:` or remove `rejected_prompt`")
        }
        let next = target(fields, "next", from: id, kind: .next, label: "collected")
        let exhausted = target(fields, "on_exhausted", from: id, kind: .exhausted, label: "exhausted")
        let bargeIn = fields.bool("barge_in") ?? defaults.bargeIn
        guard let prompt, let variable, let next, let exhausted else { return nil }
        return Collect(
            prompt: prompt, variable: variable, minLength: minLength, maxLength: max(minLength, maxLength), terminator: terminator,
            firstDigitTimeout: firstDigit, interDigitTimeout: interDigit, maxAttempts: maxAttempts, invalidPrompt: invalid,
            noInputPrompt: noInput, validation: validation, rejectedPrompt: rejected, next: next, onExhausted: exhausted,
            bargeIn: bargeIn
        )
    }

    mutating func readPlay(id: String, _ fields: YAMLFields) -> Play? {
        let sequence = prompts(fields, "prompts", node: id, required: true)
        let next = target(fields, "next", from: id, kind: .next, label: "next")
        guard let sequence, let next else { return nil }
        return Play(prompts: sequence, next: next)
    }

    mutating func readBranch(id: String, _ fields: YAMLFields) -> Branch? {
        var rules: [Branch.Rule] = []
        if let node = fields.value("when", required: true, fix: "add `when:` with a list of `{if: condition, to: node}`") {
            if case .sequence(let items) = node {
                for (index, item) in items.enumerated() {
                    let context = "rule \(index + 1) of \(fields.context)"
                    guard let rule = file.fields(of: item, in: context, allowed: ["if", "to"]) else { continue }
                    let condition = rule.value("if", required: true, fix: "add `if:` with a condition").flatMap { readCondition($0, in: context) }
                    let label = condition.map { $0.summary.isEmpty ? "case \(index + 1)" : $0.summary } ?? "case \(index + 1)"
                    let to = target(rule, "to", from: id, kind: .condition, label: label)
                    if let condition, let to { rules.append(Branch.Rule(condition: condition, target: to)) }
                }
            } else {
                file.error("`when` in \(fields.context) must be a list of `{if: condition, to: node}`, not \(YAMLFile.describe(node))", at: node,
                           fix: "write each rule as a list item starting with `- if:`")
            }
        }
        let otherwise = target(fields, "else", from: id, kind: .otherwise, label: "else")
        guard let otherwise else { return nil }
        return Branch(rules: rules, otherwise: otherwise)
    }

    static let conditionKeys = ["variable", "equals", "not_equals", "in", "set", "within_hours", "last_result", "all", "any", "not"]

    /// Every outcome any integration can produce, for checking `last_result`.
    static let knownOutcomes: [String] = {
        var result: [String] = []
        for kind in ActionKind.allCases { for outcome in kind.outcomes where !result.contains(outcome) { result.append(outcome) } }
        return result + ["error"]
    }()

    mutating func readCondition(_ node: Yams.Node, in context: String) -> Condition? {
        guard let fields = file.fields(of: node, in: "the condition of \(context)", allowed: Self.conditionKeys) else { return nil }
        let forms = ["variable", "within_hours", "last_result", "all", "any", "not"].filter(fields.has)
        guard forms.count == 1, let form = forms.first else {
            file.error(
                forms.isEmpty ? "the condition of \(context) is empty" : "the condition of \(context) mixes \(forms.map { "`\($0)`" }.joined(separator: " and "))",
                at: node, fix: "write one of {variable: V, equals: X}, {within_hours: calendar}, {last_result: R}, {all: [..]}, {any: [..]}, {not: condition}")
            return nil
        }
        let tests = ["equals", "not_equals", "in", "set"].filter(fields.has)
        if form != "variable", let stray = tests.first, let key = fields.keyNode(stray) {
            file.error("`\(stray)` in the condition of \(context) needs `variable:`", at: key, fix: "add `variable: <name>`")
            return nil
        }
        switch form {
        case "variable":
            guard let variable = fields.string("variable", required: true), let at = fields.value("variable") else { return nil }
            variableUses.append(VariableUse(name: variable, node: nil, location: file.location(of: at), role: .read))
            guard tests.count == 1, let test = tests.first else {
                file.error("the condition on '\(variable)' in \(context) needs exactly one of `equals`, `not_equals`, `in`, `set`", at: node,
                           fix: "for example {variable: \(variable), equals: \"true\"}")
                return nil
            }
            switch test {
            case "equals": return fields.string("equals").map { .equals(variable: variable, value: $0) }
            case "not_equals": return fields.string("not_equals").map { .notEquals(variable: variable, value: $0) }
            case "in": return fields.strings("in", required: true).map { .oneOf(variable: variable, values: $0.map(\.text)) }
            default:
                guard let set = fields.bool("set") else { return nil }
                return set ? .isSet(variable: variable) : .not(.isSet(variable: variable))
            }
        case "within_hours":
            guard let name = fields.string("within_hours", required: true), let at = fields.value("within_hours") else { return nil }
            if !calendarNames.contains(name) {
                let hint = Suggestions.closest(to: name, in: calendarNames)
                file.error("unknown calendar '\(name)' in \(context)" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: at,
                           fix: calendarNames.isEmpty ? "define it under `calendars:`" : "use one of \(calendarNames.joined(separator: ", ")) or define it under `calendars:`")
            }
            return .withinHours(calendar: name)
        case "last_result":
            guard let result = fields.string("last_result", required: true), let at = fields.value("last_result") else { return nil }
            if !Self.knownOutcomes.contains(result) {
                let hint = Suggestions.closest(to: result, in: Self.knownOutcomes)
                file.error("'\(result)' is not an outcome any action produces, in \(context)" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: at,
                           fix: "use one of \(Self.knownOutcomes.joined(separator: ", "))")
            }
            return .lastResult(result)
        case "all", "any":
            guard let list = fields.value(form), case .sequence(let items) = list, !items.isEmpty else {
                file.error("`\(form)` in the condition of \(context) must be a non-empty list of conditions", at: fields.value(form) ?? node,
                           fix: "write `\(form): [{…}, {…}]`")
                return nil
            }
            let conditions = items.compactMap { readCondition($0, in: context) }
            guard conditions.count == items.count else { return nil }
            return form == "all" ? .all(conditions) : .any(conditions)
        default:
            guard let inner = fields.value("not").flatMap({ readCondition($0, in: context) }) else { return nil }
            return .not(inner)
        }
    }

    mutating func readAction(id: String, _ fields: YAMLFields) -> Action? {
        let names = ActionKind.allCases.map(\.rawValue)
        var kind: ActionKind?
        if let text = fields.string("action", required: true, fix: "add `action:` with one of \(names.joined(separator: ", "))"), let at = fields.value("action") {
            kind = ActionKind(rawValue: text)
            if kind == nil {
                let hint = Suggestions.closest(to: text, in: names)
                file.error("unknown action '\(text)' in \(fields.context)" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: at,
                           fix: "use one of \(names.joined(separator: ", "))")
            }
        }
        var arguments: [String: String] = [:]
        if let node = fields.value("with"), let entries = file.mapping(of: node, in: "`with` in \(fields.context)", expecting: "a mapping of argument name to value") {
            for (key, value) in entries {
                let name = key.string ?? ""
                guard let text = file.scalar(value, in: "argument '\(name)' of \(fields.context)") else { continue }
                if let open = text.range(of: "${"), text[open.upperBound...].firstIndex(of: "}") == nil {
                    file.error("argument '\(name)' of \(fields.context) has an unclosed `${`", at: value, fix: "write ${variable.name}")
                }
                for reference in Template.references(in: text) where reference.isEmpty || reference.contains(" ") {
                    file.error("argument '\(name)' of \(fields.context) refers to a bad variable name '${\(reference)}'", at: value,
                               fix: "write ${variable.name} with no spaces")
                }
                arguments[name] = text
                for reference in Template.references(in: text) where !reference.isEmpty {
                    variableUses.append(VariableUse(name: reference, node: id, location: file.location(of: value), role: .read))
                }
                if kind == .setVariables {
                    variableUses.append(VariableUse(name: name, node: id, location: file.location(of: key), role: .set))
                }
            }
        }
        if let kind {
            let missing = kind.requiredArguments.filter { arguments[$0] == nil }
            if !missing.isEmpty {
                file.error("action '\(kind.rawValue)' in \(fields.context) needs argument\(missing.count == 1 ? "" : "s") \(missing.map { "`\($0)`" }.joined(separator: ", "))",
                           at: fields.keyNode("with") ?? fields.node,
                           fix: "add under `with:` " + missing.map { "\($0): …" }.joined(separator: ", "))
            }
        }
        let prompt = prompts(fields, "prompt", node: id) ?? .none

        var next: [Action.Next] = []
        if let node = fields.value("next", required: true, fix: "add `next:` with a node id, or a mapping of outcome to node id") {
            switch node {
            case .scalar:
                if let target = target(node, from: id, kind: .outcome, label: "default", context: "`next` in \(fields.context)") {
                    next.append(Action.Next(outcome: "default", target: target))
                }
            case .mapping:
                let outcomes = (kind?.outcomes ?? []) + ["error", "default"]
                for (key, value) in file.mapping(of: node, in: "`next` in \(fields.context)") ?? [] {
                    let outcome = key.string ?? ""
                    if let kind, !outcomes.contains(outcome) {
                        let hint = Suggestions.closest(to: outcome, in: outcomes)
                        file.error("action '\(kind.rawValue)' has no outcome '\(outcome)' (in \(fields.context))" + (hint.map { "; did you mean '\($0)'?" } ?? ""), at: key,
                                   fix: "its outcomes are \(outcomes.joined(separator: ", "))")
                        continue
                    }
                    if let target = target(value, from: id, kind: .outcome, label: outcome, context: "outcome '\(outcome)' of \(fields.context)") {
                        next.append(Action.Next(outcome: outcome, target: target))
                    }
                }
                if let kind, !next.contains(where: { $0.outcome == "default" }) {
                    let covered = Set(next.map(\.outcome))
                    let missing = (kind.outcomes + ["error"]).filter { !covered.contains($0) }
                    if !missing.isEmpty {
                        file.error("outcome\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")) of action '\(kind.rawValue)' in \(fields.context) lead\(missing.count == 1 ? "s" : "") nowhere",
                                   at: node, fix: "add " + missing.map { "`\($0): <node>`" }.joined(separator: ", ") + " under `next:`, or a `default:`")
                    }
                }
            case .sequence, .alias:
                file.error("`next` in \(fields.context) must be a node id or a mapping of outcome to node id, not \(YAMLFile.describe(node))", at: node,
                           fix: "write `next: node` or `next: {outcome: node, default: node}`")
            }
        }
        guard let kind, fields.has("next") else { return nil }
        return Action(kind: kind, arguments: arguments, prompt: prompt, next: next)
    }

    mutating func readTransfer(id: String, _ fields: YAMLFields) -> Transfer? {
        let destination = fields.string("to", required: true, fix: "add `to:` with the destination (operator, agent, a number)")
        let prompt = prompts(fields, "prompt", node: id) ?? .none
        let method = fields.choice("method", from: TransferMethod.allCases.map(\.rawValue)).flatMap(TransferMethod.init(rawValue:))
        let onFailure = target(fields, "on_failure", from: id, kind: .failure, label: "failure", required: false)
        guard let destination, !fields.has("method") || method != nil else { return nil }
        return Transfer(destination: destination, prompt: prompt, method: method ?? .refer, onFailure: onFailure)
    }

    mutating func readHangup(id: String, _ fields: YAMLFields) -> Hangup? {
        let prompt = prompts(fields, "prompt", node: id) ?? .none
        let outcome = fields.string("outcome") ?? "completed"
        return Hangup(prompt: prompt, outcome: outcome.isEmpty ? "completed" : outcome)
    }

    // MARK: - Prompts

    /// A prompt spec: a prompt id, or a list of prompt ids and `{digits: variable}`.
    mutating func prompts(_ fields: YAMLFields, _ key: String, node id: String?, required: Bool = false) -> PromptSequence? {
        guard let node = fields.value(key, required: required, fix: "add `\(key):` with a prompt id from the catalog") else { return nil }
        let context = "`\(key)` in \(fields.context)"
        guard let items = file.list(node, in: context) else { return nil }
        var segments: [PromptSegment] = []
        for item in items {
            switch item {
            case .scalar(let scalar):
                let text = scalar.string
                if text.isEmpty || text.contains(where: \.isWhitespace) {
                    file.error("'\(text)' in \(context) is not a prompt id", at: item, fix: "write a prompt id from the catalog, such as system.goodbye")
                    continue
                }
                segments.append(.prompt(text))
                promptUses.append(PromptUse(id: text, node: id, location: file.location(of: item)))
            case .mapping:
                guard let digits = file.fields(of: item, in: "a read-back in \(context)", allowed: ["digits"]),
                    let variable = digits.string("digits", required: true, fix: "write {digits: variable.name}")
                else { continue }
                segments.append(.digits(variable: variable))
                variableUses.append(VariableUse(name: variable, node: id, location: file.location(of: digits.value("digits")), role: .read))
                for prompt in PromptSegment.digitPromptIDs {
                    promptUses.append(PromptUse(id: prompt, node: id, location: file.location(of: item), isDigitReadBack: true))
                }
            case .sequence, .alias:
                file.error("an item of \(context) must be a prompt id or {digits: variable}, not \(YAMLFile.describe(item))", at: item,
                           fix: "flatten the list")
            }
        }
        if segments.isEmpty && required && items.isEmpty {
            file.error("\(context) is empty", at: node, fix: "give at least one prompt id")
            return nil
        }
        return PromptSequence(segments)
    }
}
