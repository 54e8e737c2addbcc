import Foundation
import HotlineCore
import HotlineDiagnostics

/// Whole-flow checks: what `hotline flow check` reports beyond what ``FlowFile/load(path:prompts:)``
/// rejects while reading.
///
/// - nodes never reached from `start`;
/// - nodes with no way out (no path from them reaches a `transfer` or `hangup`);
/// - loops that can spin without caller input (a cycle through nodes none of which is a menu or collect);
/// - prompts missing from the prompt catalog (when the flow names one, or one is given).
/// - variables read but never set, when a variable of a near name is set (a typo: `caller.knwon`).
/// - transfer destinations a caller could steer: a `sip:` URI that is not written out in full, or a
///   destination built from what the caller enters or sends (a collect's variable, `call.from`).
/// - redirects (`method: redirect`, a SIP `302`) that are not to a `sip:` URI or a destination name, or that a call can
///   reach after the line has answered it (a 302 only exists before the answer).
///
/// Pure: it reads nothing but the loaded flow (and the catalog already loaded with it).
public enum FlowChecker {
    /// Reads `path` and runs every check; returns every problem (reading and whole-flow), sorted by
    /// position. Empty means the flow is valid.
    public static func check(path: String, prompts: String? = nil) -> [Diagnostic] {
        let (loaded, errors) = FlowFile.read(path: path, prompts: prompts)
        var problems = errors
        if let loaded { problems += check(loaded) }
        return sorted(problems)
    }

    /// Reads `path`, runs every check, and sums up the result for `hotline flow check`.
    public static func report(path: String, prompts: String? = nil) -> FlowCheckReport {
        let (loaded, errors) = FlowFile.read(path: path, prompts: prompts)
        var problems = errors
        if let loaded { problems += check(loaded) }
        return FlowCheckReport(path: path, flow: loaded, errors: sorted(problems))
    }

    /// Checks `text` as if read from `path`.
    public static func check(text: String, path: String, prompts: String? = nil) -> [Diagnostic] {
        let (loaded, errors) = FlowFile.read(file: YAMLFile(path: path, text: text), prompts: prompts)
        var problems = errors
        if let loaded { problems += check(loaded) }
        return sorted(problems)
    }

    /// The whole-flow checks on a flow that was read (possibly with errors: nodes that could not be
    /// read are treated as dead ends that are already reported, so they cause no extra noise).
    public static func check(_ loaded: LoadedFlow) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let graph = Graph(loaded)
        problems += unreachable(loaded, graph)
        problems += noWayOut(loaded, graph)
        problems += spinningLoops(loaded, graph)
        problems += missingPrompts(loaded)
        problems += misspeltVariables(loaded)
        problems += steerableTransfers(loaded)
        problems += lateRedirects(loaded, graph)
        return sorted(problems)
    }

    static func sorted(_ errors: [Diagnostic]) -> [Diagnostic] {
        Diagnostics(errors).inFileOrder.errors
    }

    /// The flow's nodes and edges as adjacency lists, from the edges as written.
    struct Graph {
        var ids: [String]
        var successors: [String: [FlowEdge]] = [:]
        var predecessors: [String: [String]] = [:]

        init(_ loaded: LoadedFlow) {
            ids = loaded.flow.order
            for edge in loaded.edges where edge.kind != .start {
                successors[edge.from, default: []].append(edge)
                predecessors[edge.target, default: []].append(edge.from)
            }
        }
    }

    static func error(_ loaded: LoadedFlow, at location: SourceLocation?, _ message: String, fix: String?) -> Diagnostic {
        Diagnostic(.check, file: location?.file ?? loaded.path, line: location?.line ?? 1, column: location?.column ?? 1, message: message, fix: fix)
    }

    // MARK: - Reachability

    static func unreachable(_ loaded: LoadedFlow, _ graph: Graph) -> [Diagnostic] {
        let flow = loaded.flow
        guard flow.nodes[flow.start] != nil else { return [] }  // an unknown start is already reported
        var seen: Set<String> = [flow.start]
        var queue = [flow.start]
        while let id = queue.popLast() {
            for edge in graph.successors[id] ?? [] where seen.insert(edge.target).inserted { queue.append(edge.target) }
        }
        return flow.orderedNodes.filter { !seen.contains($0.id) }.map { node in
            let from = (graph.predecessors[node.id] ?? []).filter { $0 != node.id }
            let detail = from.isEmpty ? "nothing leads to it" : "only \(Set(from).sorted().map { "'\($0)'" }.joined(separator: ", ")) lead\(Set(from).count == 1 ? "s" : "") to it, and \(Set(from).count == 1 ? "that is" : "those are") unreachable too"
            return error(loaded, at: node.location, "node '\(node.id)' is unreachable from start '\(flow.start)': \(detail)",
                         fix: "point an option, outcome or `next` at it, or remove it")
        }
    }

    // MARK: - Ways out

    static func noWayOut(_ loaded: LoadedFlow, _ graph: Graph) -> [Diagnostic] {
        let flow = loaded.flow
        // Ends, and nodes that could not be read (already reported), count as ways out.
        var canEnd: Set<String> = []
        for id in graph.ids {
            guard let node = flow.nodes[id] else { canEnd.insert(id); continue }
            switch node.kind {
            case .transfer, .hangup: canEnd.insert(id)
            case .menu, .collect, .play, .branch, .action: break
            }
        }
        for edge in loaded.edges where flow.nodes[edge.target] == nil { canEnd.insert(edge.target) }  // unknown target: reported
        var queue = Array(canEnd)
        while let id = queue.popLast() {
            for predecessor in graph.predecessors[id] ?? [] where canEnd.insert(predecessor).inserted { queue.append(predecessor) }
        }
        return flow.orderedNodes.filter { !canEnd.contains($0.id) }.map { node in
            error(loaded, at: node.location,
                  "node '\(node.id)' has no way out: no path from it reaches a transfer or hangup, so a call there never ends",
                  fix: "give it (or a node it leads to) a path to a `transfer` or `hangup` node, e.g. via `on_exhausted`")
        }
    }

    // MARK: - Loops without input

    /// Cycles among play/branch/action nodes: the call would go round without waiting for the caller.
    static func spinningLoops(_ loaded: LoadedFlow, _ graph: Graph) -> [Diagnostic] {
        let flow = loaded.flow
        func passesThrough(_ id: String) -> Bool {
            switch flow.nodes[id]?.kind {
            case .play, .branch, .action: true
            // A failed transfer goes on without the caller: transfers that fail in a ring spin too.
            case .transfer(let transfer): transfer.onFailure != nil
            case .menu, .collect, .hangup, nil: false
            }
        }
        let candidates = graph.ids.filter(passesThrough)
        let components = stronglyConnectedComponents(candidates) { id in
            (graph.successors[id] ?? []).map(\.target).filter(passesThrough)
        }
        var problems: [Diagnostic] = []
        for component in components {
            let members = Set(component)
            let isLoop = component.count > 1 || (graph.successors[component[0]] ?? []).contains { $0.target == component[0] }
            guard isLoop else { continue }
            // Name the cycle in file order, starting at the first node written.
            let order = graph.ids.filter(members.contains)
            let first = order[0]
            var path = [first]
            var current = first
            var visited: Set<String> = [first]
            while let next = (graph.successors[current] ?? []).map(\.target).first(where: { members.contains($0) && (!visited.contains($0) || $0 == first) }) {
                path.append(next)
                if next == first { break }
                visited.insert(next)
                current = next
            }
            let closing = (graph.successors[current] ?? []).first { $0.target == first }
            problems.append(error(loaded, at: closing?.location ?? flow.nodes[first]?.location,
                                  "loop without caller input: \(path.map { "'\($0)'" }.joined(separator: " → ")) never waits for a key or a phrase, so a call could spin forever",
                                  fix: "break the loop with a menu or collect node, or send one of its edges to a transfer or hangup"))
        }
        return problems
    }

    /// Tarjan's algorithm; components come out in reverse topological order.
    ///
    /// Iterative, with an explicit stack of (node, next successor to try): a flow is a user's file and
    /// a chain of thousands of nodes must not exhaust the thread's stack (it once did, at ~5,000).
    static func stronglyConnectedComponents(_ nodes: [String], successors: (String) -> [String]) -> [[String]] {
        var counter = 0
        var indices: [String: Int] = [:]
        var lowlinks: [String: Int] = [:]
        var stack: [String] = []
        var onStack: Set<String> = []
        var result: [[String]] = []
        // The depth-first path: each node with its successors and how many of them were tried.
        var path: [(node: String, successors: [String], tried: Int)] = []

        func open(_ node: String) {
            indices[node] = counter
            lowlinks[node] = counter
            counter += 1
            stack.append(node)
            onStack.insert(node)
            path.append((node, successors(node), 0))
        }

        for root in nodes where indices[root] == nil {
            open(root)
            while let top = path.last {
                let node = top.node
                if top.tried < top.successors.count {
                    let next = top.successors[top.tried]
                    path[path.count - 1].tried += 1
                    if let nextIndex = indices[next] {
                        if onStack.contains(next), let low = lowlinks[node] { lowlinks[node] = min(low, nextIndex) }
                    } else {
                        open(next)
                    }
                    continue
                }
                // Every successor tried: close the node and pass its lowlink to its parent.
                path.removeLast()
                let low = lowlinks[node] ?? 0
                if let parent = path.last?.node, let parentLow = lowlinks[parent] { lowlinks[parent] = min(parentLow, low) }
                if low == indices[node] {
                    var component: [String] = []
                    while let member = stack.popLast() {
                        onStack.remove(member)
                        component.append(member)
                        if member == node { break }
                    }
                    result.append(component)
                }
            }
        }
        return result
    }

    // MARK: - Variables

    /// The variables each integration sets (from the contracts in `ActionKind`'s documentation), and
    /// the ones every call starts with.
    public static let callVariables = ["call.from", "call.number"]

    /// Transfers Hotline must never let a caller aim (no toll fraud through a crafted URI or number):
    /// a `sip:` destination must be a literal `sip:[user@]host[:port]`, and no destination may take a
    /// variable the caller sets (a collect's `into`) or sends (`call.from`, the caller's number).
    static func steerableTransfers(_ loaded: LoadedFlow) -> [Diagnostic] {
        var fromCaller: [String: String] = ["call.from": "the caller's number as sent"]
        for node in loaded.flow.orderedNodes {
            if case .collect(let collect) = node.kind { fromCaller[collect.variable] = "which the caller enters in node '\(node.id)'" }
        }
        var problems: [Diagnostic] = []
        for node in loaded.flow.orderedNodes {
            guard case .transfer(let transfer) = node.kind else { continue }
            let destination = transfer.destination
            let variables = Self.interpolated(destination)
            if destination.lowercased().hasPrefix("sip") && destination.contains(":") {
                if !variables.isEmpty {
                    problems.append(error(
                        loaded, at: node.location,
                        "transfer destination '\(destination)' in node '\(node.id)' is a SIP URI built from call variables",
                        fix: "write the URI in full (sip:desk@192.0.2.10:5060): the line only transfers to addresses written in its files"))
                    continue
                }
                do {
                    _ = try SIPContact(parsing: destination)
                } catch let problem {
                    problems.append(error(
                        loaded, at: node.location, "transfer destination '\(destination)' in node '\(node.id)': \(problem.message)",
                        fix: "write a SIP URI such as sip:desk@192.0.2.10:5060 (no parameters or headers)"))
                }
                continue
            }
            for variable in variables {
                guard let source = fromCaller[variable] else { continue }
                problems.append(error(
                    loaded, at: node.location,
                    "transfer destination '\(destination)' in node '\(node.id)' takes ${\(variable)}, \(source): a caller could choose where the call goes",
                    fix: "transfer to a literal destination (operator, a number, a sip: URI) or to one an integration sets, such as ${queue.agent}"))
            }
        }
        return problems
    }

    /// Whether entering the node makes a SIP line answer the call: it plays a prompt, waits for
    /// keys, or holds the caller in a queue (hold audio). Branches and silent actions do not.
    static func answersTheCall(_ kind: Node.Kind?) -> Bool {
        switch kind {
        case .menu, .collect, .play: true
        case .action(let action): !action.prompt.isEmpty || action.kind == .enqueue
        case .transfer(let transfer): !transfer.prompt.isEmpty
        case .hangup(let hangup): !hangup.prompt.isEmpty
        case .branch, nil: false
        }
    }

    /// A `302` redirect exists only before the line answers: its destination must be a literal
    /// `sip:` URI (``steerableTransfers(_:)`` checks the URI itself), and no path from `start` may
    /// reach it through a node that answers the call (``answersTheCall(_:)``). Structural: a path
    /// its conditions rule out still counts, so such a flow says `method: refer` instead.
    static func lateRedirects(_ loaded: LoadedFlow, _ graph: Graph) -> [Diagnostic] {
        let flow = loaded.flow
        let redirects = flow.orderedNodes.filter { node in
            if case .transfer(let transfer) = node.kind { return transfer.method == .redirect }
            return false
        }
        guard !redirects.isEmpty else { return [] }
        // Every node reachable after a node that answers, with the first such node that leads there.
        var answeredBy: [String: String] = [:]
        var queue: [String] = []
        var seen: Set<String> = [flow.start]
        var walk = [flow.start]
        while let id = walk.popLast() {
            if answersTheCall(flow.nodes[id]?.kind), answeredBy[id] == nil {
                answeredBy[id] = id
                queue.append(id)
            }
            for edge in graph.successors[id] ?? [] where seen.insert(edge.target).inserted { walk.append(edge.target) }
        }
        while let id = queue.popLast() {
            guard let answerer = answeredBy[id] else { continue }
            for edge in graph.successors[id] ?? [] where answeredBy[edge.target] == nil {
                answeredBy[edge.target] = answerer
                queue.append(edge.target)
            }
        }
        var problems: [Diagnostic] = []
        for node in redirects {
            guard case .transfer(let transfer) = node.kind else { continue }
            // A sip: URI, or a destination name a SIP line maps to one (`serve --destinations`, a queue's `contact:`).
            let destination = transfer.destination
            let isName = !destination.isEmpty && destination.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._+-".contains($0)) }
            if !destination.lowercased().hasPrefix("sip:") && !isName {
                problems.append(error(
                    loaded, at: node.location,
                    "transfer node '\(node.id)' redirects to '\(destination)': a redirect (SIP 302) goes only to a sip: URI or a destination name",
                    fix: "write a SIP URI such as sip:night-desk@192.0.2.10:5060 or a name the line's --destinations file maps, or drop `method: redirect`"))
                continue
            }
            guard let answerer = answeredBy[node.id] else { continue }
            let how = answerer == node.id
                ? "its own `prompt:` answers the call first"
                : "a call can get there after node '\(answerer)' has answered it (a prompt, keys or hold audio)"
            problems.append(error(
                loaded, at: node.location,
                "transfer node '\(node.id)' redirects (SIP 302), but \(how): a 302 only exists before the line answers",
                fix: "reach it only through branch and silent action nodes, without a prompt, or use `method: refer` (a REFER after the answer)"))
        }
        return problems
    }

    /// The names inside `${…}` in a text.
    static func interpolated(_ text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[open.upperBound..<close]).trimmingCharacters(in: .whitespaces))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// A variable read but never set whose name is a small typo of one that is (`caller.knwon`).
    /// Unknown names with no near match are left alone: integrations may set more than they document.
    static func misspeltVariables(_ loaded: LoadedFlow) -> [Diagnostic] {
        var known = Set(callVariables)
        for node in loaded.flow.orderedNodes {
            switch node.kind {
            case .action(let action): known.formUnion(action.kind.setsVariables)
            case .collect(let collect):
                known.insert(collect.variable)
                if let validation = collect.validation { known.formUnion(validation.setsVariables) }
            case .menu, .play, .branch, .transfer, .hangup: break
            }
        }
        known.formUnion(loaded.variableUses.filter { $0.role == .set }.map(\.name))
        let candidates = known.sorted()
        var problems: [Diagnostic] = []
        func namespace(_ name: String) -> (Substring, Substring) {
            let parts = name.split(separator: ".", maxSplits: 1)
            return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
        for use in loaded.variableUses where use.role == .read && !known.contains(use.name) {
            // A typo within a name (`caller.knwon`) or of the namespace (`calle.known`), not another
            // variable that happens to look alike (`case.number` is not `call.number`).
            let (prefix, suffix) = namespace(use.name)
            let near = candidates.filter { candidate in
                let (candidatePrefix, candidateSuffix) = namespace(candidate)
                return candidatePrefix == prefix
                    || (candidateSuffix == suffix && Suggestions.editDistance(String(candidatePrefix), String(prefix)) <= 1)
            }
            guard let hint = Suggestions.closest(to: use.name, in: near) else { continue }
            problems.append(error(loaded, at: use.location,
                                  "variable '\(use.name)' is never set; did you mean '\(hint)'?",
                                  fix: "change it to '\(hint)'"))
        }
        return problems
    }

    // MARK: - Prompts

    static func missingPrompts(_ loaded: LoadedFlow) -> [Diagnostic] {
        guard let catalog = loaded.catalog else { return [] }
        let known = catalog.entries.map(\.id)
        var problems: [Diagnostic] = []
        var readBacks: [SourceLocation: [String]] = [:]
        var readBackOrder: [SourceLocation] = []
        for use in loaded.promptUses where catalog[use.id] == nil {
            if use.isDigitReadBack {
                if readBacks[use.location] == nil { readBackOrder.append(use.location) }
                readBacks[use.location, default: []].append(use.id)
                continue
            }
            let hint = Suggestions.closest(to: use.id, in: known)
            problems.append(error(loaded, at: use.location,
                                  "prompt '\(use.id)' is not in the prompt catalog \(catalog.path)" + (hint.map { "; did you mean '\($0)'?" } ?? ""),
                                  fix: hint.map { "change it to '\($0)'" } ?? "add '\(use.id)' with its `text:` to the catalog, or use an existing prompt id"))
        }
        for location in readBackOrder {
            let missing = readBacks[location] ?? []
            problems.append(error(loaded, at: location,
                                  "reading digits back needs prompt\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")), missing from the prompt catalog \(catalog.path)",
                                  fix: "add the digit.0 … digit.9, digit.star and digit.pound prompts to the catalog"))
        }
        return problems
    }
}

/// The result of checking one flow file.
public struct FlowCheckReport: Sendable {
    public var path: String
    /// What could be read (nil when the file is unreadable or not valid YAML).
    public var flow: LoadedFlow?
    /// Every problem, sorted by position.
    public var errors: [Diagnostic]

    public var isValid: Bool { errors.isEmpty }

    /// The closing line: `FILE: valid (…)` or `FILE: N errors`.
    public var summary: String {
        guard isValid, let flow else {
            return "\(path): \(errors.count) error\(errors.count == 1 ? "" : "s")"
        }
        let prompts = Set(flow.promptUses.map(\.id)).count
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        let catalog = flow.catalog.map { "\(count(prompts, "prompt id")) found in \($0.path)" } ?? "prompt ids not checked: the flow names no catalog (give --prompts)"
        return "\(path): valid (\(count(flow.flow.nodes.count, "node")), \(count(flow.edges.count, "edge")); \(catalog))"
    }
}
