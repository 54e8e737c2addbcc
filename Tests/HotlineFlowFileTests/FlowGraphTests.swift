import Foundation
import HotlineCore
import HotlineFlowFile
import HotlineTestSupport
import Testing

@Suite("Drawing flows")
struct FlowGraphTests {
    static func gsc() throws -> LoadedFlow { try FlowFile.load(path: Repository.gsc) }

    /// A small DOT reader: statements of `"a" [attrs];` and `"a" -> "b" [attrs];` in a `digraph { }`.
    struct DOT {
        var name = ""
        var nodes: [String: [String: String]] = [:]
        var edges: [(from: String, to: String, attributes: [String: String])] = []

        init(_ text: String) throws {
            var scanner = Substring(text)
            func skipSpace() { scanner = scanner.drop { $0.isWhitespace } }
            func token() throws -> String {
                skipSpace()
                if scanner.first == "\"" {
                    scanner = scanner.dropFirst()
                    var value = ""
                    while let character = scanner.first, character != "\"" {
                        scanner = scanner.dropFirst()
                        if character == "\\", let escaped = scanner.first {
                            scanner = scanner.dropFirst()
                            value.append(escaped == "n" ? "\n" : escaped)
                        } else {
                            value.append(character)
                        }
                    }
                    guard scanner.first == "\"" else { throw ParseError(message: "unterminated string") }
                    scanner = scanner.dropFirst()
                    return value
                }
                let word = scanner.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "#" }
                guard !word.isEmpty else { throw ParseError(message: "expected a name at \(scanner.prefix(20))") }
                scanner = scanner.dropFirst(word.count)
                return String(word)
            }
            func expect(_ literal: String) throws {
                skipSpace()
                guard scanner.hasPrefix(literal) else { throw ParseError(message: "expected \(literal) at \(scanner.prefix(20))") }
                scanner = scanner.dropFirst(literal.count)
            }
            func attributes() throws -> [String: String] {
                var result: [String: String] = [:]
                skipSpace()
                guard scanner.first == "[" else { return result }
                scanner = scanner.dropFirst()
                while true {
                    skipSpace()
                    if scanner.first == "]" { scanner = scanner.dropFirst(); return result }
                    let key = try token()
                    try expect("=")
                    result[key] = try token()
                    skipSpace()
                    if scanner.first == "," { scanner = scanner.dropFirst() }
                }
            }
            try expect("digraph")
            name = try token()
            try expect("{")
            while true {
                skipSpace()
                if scanner.first == "}" { break }
                let first = try token()
                skipSpace()
                if scanner.hasPrefix("->") {
                    scanner = scanner.dropFirst(2)
                    let second = try token()
                    edges.append((first, second, try attributes()))
                } else if scanner.first == "=" {
                    scanner = scanner.dropFirst()
                    _ = try token()  // graph attribute: rankdir=TB
                } else {
                    let attrs = try attributes()
                    if first != "node" && first != "edge" { nodes[first] = attrs }
                }
                try expect(";")
            }
            try expect("}")
            skipSpace()
            guard scanner.isEmpty else { throw ParseError(message: "text after the graph") }
        }
    }

    struct ParseError: Error { var message: String }

    @Test func dotDrawsEveryNodeWithItsTypeShapeAndEveryEdgeWithItsLabel() throws {
        let loaded = try Self.gsc()
        let dot = try DOT(FlowGraph.dot(loaded))
        #expect(dot.name == "gsc")
        #expect(Set(dot.nodes.keys) == Set(loaded.flow.order + ["__start"]))
        #expect(dot.nodes["main_menu"]?["shape"] == "hexagon")
        #expect(dot.nodes["cc_case_number"]?["shape"] == "parallelogram")
        #expect(dot.nodes["customer_care"]?["shape"] == "diamond")
        #expect(dot.nodes["goodbye"]?["shape"] == "doublecircle")
        #expect(dot.nodes["operator"]?["shape"] == "cds")
        #expect(dot.nodes["cc_escalate"]?["label"] == "cc_escalate\naction: record_escalation")
        for edge in dot.edges {
            #expect(dot.nodes[edge.from] != nil && dot.nodes[edge.to] != nil, "edge to an undeclared node: \(edge.from) -> \(edge.to)")
        }
        func labels(_ from: String) -> [String] { dot.edges.filter { $0.from == from }.compactMap { $0.attributes["label"] } }
        #expect(labels("main_menu") == ["1", "2", "3", "4", "0", "say: customer_care", "say: technical_support", "say: new_case", "say: security", "say: operator", "exhausted", "*: repeat"])
        #expect(labels("cc_escalated") == ["within escalation-desk", "else"])
        #expect(labels("cc_page") == ["paged", "nobody", "error"])
        #expect(dot.edges.contains { $0.from == "main_menu" && $0.to == "main_menu" && $0.attributes["label"] == "*: repeat" })
        #expect(dot.edges.first { $0.from == "cc_menu" && $0.attributes["label"] == "exhausted" }?.attributes["style"] == "dashed")
        #expect(dot.edges.contains { $0.from == "__start" && $0.to == "answer" })
    }

    @Test func dotQuotesAwkwardNames() throws {
        let text = """
            flow: "odd \\"name\\""
            start: a
            nodes:
              a:
                type: branch
                when:
                  - if: {variable: x, equals: 'say "hi"'}
                    to: b
                else: b
              b: {type: hangup}
            """
        let dot = try DOT(FlowGraph.dot(try FlowFile.load(text: text, path: "odd.yaml")))
        #expect(dot.name == "odd \"name\"")
        #expect(dot.edges.first { $0.from == "a" }?.attributes["label"] == "x = say \"hi\"")
    }

    @Test(.enabled(if: Built.onPath("dot") != nil, "graphviz (dot) is not installed: apt-get install graphviz"))
    func graphvizAcceptsTheDot() throws {
        let dotProgram = try #require(Built.onPath("dot"))
        let result = try runProcess(dotProgram, ["-Tsvg"], input: FlowGraph.dot(try Self.gsc()))
        #expect(result.status == 0, "dot failed: \(result.error)")
        #expect(result.output.contains("<svg"))
        #expect(result.output.contains("cc_escalate"))
        #expect(result.error.isEmpty, "dot warned: \(result.error)")
    }

    /// `flow graph` on a chain of 20,000 nodes took two minutes (60,000: over ten), where `flow
    /// check` takes seconds: each node's edges were looked up in the list of all edges. Both
    /// formats of a 30,000-node chain now draw every node and edge, in order.
    @Test func aVeryLargeFlowIsDrawnWithEveryEdge() throws {
        let count = 30_000
        var text = "flow: long\nstart: n0\nnodes:\n"
        for index in 0..<count {
            text += "  n\(index): {type: play, prompts: p, next: \(index == count - 1 ? "bye" : "n\(index + 1)")}\n"
        }
        text += "  bye: {type: hangup}\n"
        let loaded = try FlowFile.load(text: text, path: "long.yaml")
        let dot = FlowGraph.dot(loaded).split(separator: "\n")
        #expect(dot.filter { $0.contains(" -> ") }.count == count + 1)  // with `__start -> n0`
        #expect(dot.contains("    \"n29998\" -> \"n29999\" [label=\"next\"];"))
        let mermaid = FlowGraph.mermaid(loaded).split(separator: "\n")
        #expect(mermaid.filter { $0.contains(" -->") }.count == count + 1)  // with `start_ --> n0`
        #expect(mermaid.contains("    n29999_n29999 -->|\"next\"| n30000_bye"))
    }

    @Test func mermaidIsAFlowchartWithEveryNodeShapeClassAndLabelledEdge() throws {
        let loaded = try Self.gsc()
        let text = FlowGraph.mermaid(loaded)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "flowchart TD")
        // Node declarations: `id` then a shape opener, a quoted label, the matching closer.
        let shapes: [(String, String)] = [("(((", ")))"), ("{{", "}}"), ("[[", "]]"), ("([", "])"), ("[/", "/]"), ("((", "))"), ("(", ")"), ("{", "}")]
        var declared: [String: String] = [:]
        for line in lines.dropFirst() where !line.hasPrefix("%%") && !line.hasPrefix("classDef") && !line.hasPrefix("class ") && !line.contains("-->") && !line.contains("-.->") && !line.contains("==>") {
            let id = String(line.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            let rest = line.dropFirst(id.count)
            let shape = try #require(shapes.first { rest.hasPrefix($0.0 + "\"") && rest.hasSuffix("\"" + $0.1) }, "bad node line: \(line)")
            declared[id] = shape.0
        }
        #expect(declared.count == loaded.flow.nodes.count + 1)
        // Edges: `a -->|"label"| b` between declared nodes; labels never contain a raw quote.
        let edgePattern = /^(\w+) (-->|-\.->|==>)\|"([^"]*)"\| (\w+)$/
        var edgeCount = 0
        for line in lines where line.contains("-->") || line.contains("-.->") || line.contains("==>") {
            if line.hasPrefix("start_ --> ") { continue }
            let match = try #require(line.wholeMatch(of: edgePattern), "bad edge line: \(line)")
            #expect(declared[String(match.1)] != nil && declared[String(match.4)] != nil, "edge between undeclared nodes: \(line)")
            edgeCount += 1
        }
        let repeats = loaded.flow.orderedNodes.reduce(0) { count, node in
            guard case .menu(let menu) = node.kind else { return count }
            return count + menu.options.filter { $0.target == .repeatMenu }.count + menu.intents.filter { $0.target == .repeatMenu }.count
        }
        #expect(repeats == 3)
        #expect(edgeCount == loaded.edges.count - 1 + repeats)  // every edge but `start`, plus a loop per `repeat`
        #expect(lines.contains { $0.hasPrefix("n2_main_menu{{\"main_menu<br/>menu: gsc.main-menu\"}}") })
        #expect(lines.contains("n2_main_menu ==>|\"say: customer_care\"| n3_customer_care"))
        #expect(lines.contains { $0.hasPrefix("class ") && $0.hasSuffix(" hangup") && $0.contains("goodbye") })
        #expect(lines.contains { $0.hasPrefix("classDef menu ") })
    }
}
