import Foundation
import HotlineCore
import HotlineDiagnostics

/// Draws a flow as a diagram: Graphviz DOT or Mermaid `flowchart`.
///
/// Each node type has its own shape (and, in Mermaid, a class): menu = hexagon, collect =
/// parallelogram, play = rounded box / note, branch = diamond, action = subroutine box, transfer =
/// stadium, hangup = double circle. Edges carry the key (`1`, `*`), the intent (`say: new_case`),
/// the outcome, the condition or `else`; exhausted limits are dashed. A menu's `repeat` options
/// are drawn as a loop back to the menu.
public enum FlowGraph {
    /// A Graphviz DOT digraph (`dot -Tsvg` draws it).
    public static func dot(_ loaded: LoadedFlow) -> String {
        let flow = loaded.flow
        var out = "digraph \(quoteDOT(flow.name)) {\n"
        out += "    rankdir=TB;\n"
        out += "    node [fontname=\"Helvetica\", fontsize=10];\n"
        out += "    edge [fontname=\"Helvetica\", fontsize=9];\n"
        var startName = "__start"
        while flow.nodes[startName] != nil { startName += "_" }  // never a node's own name
        out += "    \(quoteDOT(startName)) [shape=circle, label=\"start\", style=filled, fillcolor=black, fontcolor=white, width=0.4];\n"
        for node in flow.orderedNodes {
            let style = dotStyle(node.kind)
            out += "    \(quoteDOT(node.id)) [label=\(quoteDOT(label(node).joined(separator: "\n"))), \(style)];\n"
        }
        out += "    \(quoteDOT(startName)) -> \(quoteDOT(flow.start));\n"
        let written = loaded.edgesByNode()
        for node in flow.orderedNodes {
            for edge in edges(of: node, written: written[node.id] ?? [], in: loaded) {
                var attributes = ["label=\(quoteDOT(edge.label))"]
                switch edge.kind {
                case .exhausted, .failure: attributes.append("style=dashed, color=firebrick, fontcolor=firebrick")
                case .intent: attributes.append("style=bold, color=darkgreen, fontcolor=darkgreen")
                case .otherwise: attributes.append("style=dotted")
                case .key, .next, .condition, .outcome, .start: break
                }
                out += "    \(quoteDOT(edge.from)) -> \(quoteDOT(edge.target)) [\(attributes.joined(separator: ", "))];\n"
            }
        }
        out += "}\n"
        return out
    }

    /// A Mermaid flowchart (renders in GitHub Markdown, mermaid.live, `mmdc`).
    public static func mermaid(_ loaded: LoadedFlow) -> String {
        let flow = loaded.flow
        var ids: [String: String] = [:]
        for (index, id) in flow.order.enumerated() { ids[id] = mermaidID(id, index) }
        func ref(_ id: String) -> String { ids[id] ?? mermaidID(id, -1) }

        var out = "flowchart TD\n"
        out += "    %% \(flow.name): \(flow.nodes.count) nodes\n"
        out += "    start_((\"start\"))\n"
        for node in flow.orderedNodes {
            let (open, close) = mermaidShape(node.kind)
            out += "    \(ref(node.id))\(open)\"\(escapeMermaid(label(node).joined(separator: "<br/>")))\"\(close)\n"
        }
        out += "    start_ --> \(ref(flow.start))\n"
        let written = loaded.edgesByNode()
        for node in flow.orderedNodes {
            for edge in edges(of: node, written: written[node.id] ?? [], in: loaded) {
                let arrow: String
                switch edge.kind {
                case .exhausted, .otherwise, .failure: arrow = "-.->"
                case .intent: arrow = "==>"
                case .key, .next, .condition, .outcome, .start: arrow = "-->"
                }
                out += "    \(ref(edge.from)) \(arrow)|\"\(escapeMermaid(edge.label))\"| \(ref(edge.target))\n"
            }
        }
        let classes: [(String, String)] = [
            ("menu", "fill:#dbeafe,stroke:#1d4ed8"), ("collect", "fill:#fef3c7,stroke:#b45309"),
            ("play", "fill:#f3f4f6,stroke:#4b5563"), ("branch", "fill:#ede9fe,stroke:#6d28d9"),
            ("action", "fill:#dcfce7,stroke:#15803d"), ("transfer", "fill:#fee2e2,stroke:#b91c1c"),
            ("hangup", "fill:#e5e7eb,stroke:#111827"),
        ]
        let ordered = flow.orderedNodes
        for (name, style) in classes {
            out += "    classDef \(name) \(style)\n"
            let members = ordered.filter { $0.typeName == name }.map { ref($0.id) }
            if !members.isEmpty { out += "    class \(members.joined(separator: ",")) \(name)\n" }
        }
        return out
    }

    /// The edges to draw for a node: the ones written in the file (`written`, the node's entry of
    /// ``LoadedFlow/edgesByNode()``, made once per diagram: looking them up per node made a
    /// diagram of 20,000 nodes take minutes), plus a loop for each `repeat` option or intent.
    static func edges(of node: HotlineCore.Node, written: [FlowEdge], in loaded: LoadedFlow) -> [FlowEdge] {
        var result = written.filter { loaded.flow.nodes[$0.target] != nil }
        if case .menu(let menu) = node.kind {
            let here = node.location ?? SourceLocation(file: loaded.path, line: 0, column: 0)
            for option in menu.options where option.target == .repeatMenu {
                result.append(FlowEdge(from: node.id, kind: .key, label: "\(option.key): repeat", target: node.id, location: here))
            }
            for intent in menu.intents where intent.target == .repeatMenu {
                result.append(FlowEdge(from: node.id, kind: .intent, label: "say: \(intent.name) (repeat)", target: node.id, location: here))
            }
        }
        return result
    }

    /// The lines of a node's label: its id, then its type and the detail that matters.
    static func label(_ node: HotlineCore.Node) -> [String] {
        switch node.kind {
        case .menu(let menu):
            return [node.id, "menu: \(promptSummary(menu.greeting))"]
        case .collect(let collect):
            var detail = "collect \(collect.minLength == collect.maxLength ? "\(collect.minLength)" : "\(collect.minLength)–\(collect.maxLength)") digits → \(collect.variable)"
            if let validation = collect.validation { detail += " (\(validation.rawValue))" }
            return [node.id, detail]
        case .play(let play):
            return [node.id, "play: \(promptSummary(play.prompts))"]
        case .branch:
            return [node.id, "branch"]
        case .action(let action):
            return [node.id, "action: \(action.kind.rawValue)"]
        case .transfer(let transfer):
            return [node.id, "transfer → \(transfer.destination)"]
        case .hangup(let hangup):
            return [node.id, "hangup (\(hangup.outcome))"]
        }
    }

    static func promptSummary(_ sequence: PromptSequence) -> String {
        sequence.segments.map { segment in
            switch segment {
            case .prompt(let id): id
            case .digits(let variable): "digits(\(variable))"
            }
        }.joined(separator: " + ")
    }

    static func dotStyle(_ kind: HotlineCore.Node.Kind) -> String {
        switch kind {
        case .menu: "shape=hexagon, style=filled, fillcolor=\"#dbeafe\""
        case .collect: "shape=parallelogram, style=filled, fillcolor=\"#fef3c7\""
        case .play: "shape=note, style=filled, fillcolor=\"#f3f4f6\""
        case .branch: "shape=diamond, style=filled, fillcolor=\"#ede9fe\""
        case .action: "shape=box, style=\"rounded,filled\", fillcolor=\"#dcfce7\""
        case .transfer: "shape=cds, style=filled, fillcolor=\"#fee2e2\""
        case .hangup: "shape=doublecircle, style=filled, fillcolor=\"#e5e7eb\""
        }
    }

    static func mermaidShape(_ kind: HotlineCore.Node.Kind) -> (String, String) {
        switch kind {
        case .menu: ("{{", "}}")
        case .collect: ("[/", "/]")
        case .play: ("(", ")")
        case .branch: ("{", "}")
        case .action: ("[[", "]]")
        case .transfer: ("([", "])")
        case .hangup: ("(((", ")))")
        }
    }

    /// A DOT double-quoted string.
    static func quoteDOT(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// Mermaid ids are letters, digits and `_`; the index keeps sanitised ids unique.
    static func mermaidID(_ id: String, _ index: Int) -> String {
        let cleaned = String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return "n\(index < 0 ? "x" : String(index))_\(cleaned)"
    }

    /// Text inside a quoted Mermaid label: quotes and markup characters as entities.
    static func escapeMermaid(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "#quot;")
    }
}
