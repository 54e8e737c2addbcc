import Foundation
import HotlineCore
import HotlineDiagnostics

/// A flow read from a file, with what checks and diagrams need beyond the ``Flow`` itself: where
/// each edge and prompt was written, and the prompt catalog the flow names.
public struct LoadedFlow: Sendable {
    /// The flow file's path, as given.
    public var path: String
    /// The flow, ready for ``CallStateMachine``.
    public var flow: Flow
    /// The prompt catalog: the one the flow names (`prompts:`), or the one given to the loader instead.
    public var catalog: PromptCatalog?
    /// The catalog's path resolved against the flow file's folder (or as given to the loader).
    public var catalogPath: String?
    /// Every edge, in file order, with the location of its target.
    public var edges: [FlowEdge]
    /// Every prompt id the flow plays, with where it was written.
    public var promptUses: [PromptUse]
    /// Every variable the flow reads (conditions, `${…}` arguments, read-backs) or sets (collect
    /// `into`, `set` actions), with where it was written.
    public var variableUses: [VariableUse]

    public init(
        path: String, flow: Flow, catalog: PromptCatalog?, catalogPath: String?, edges: [FlowEdge], promptUses: [PromptUse],
        variableUses: [VariableUse] = []
    ) {
        self.path = path
        self.flow = flow
        self.catalog = catalog
        self.catalogPath = catalogPath
        self.edges = edges
        self.promptUses = promptUses
        self.variableUses = variableUses
    }

    /// The edges leaving one node, in file order. Reads every edge: for all the nodes, use
    /// ``edgesByNode()`` once.
    public func edges(from node: String) -> [FlowEdge] { edges.filter { $0.from == node } }

    /// The edges leaving each node, in file order, found in one pass over the edges.
    public func edgesByNode() -> [String: [FlowEdge]] { Dictionary(grouping: edges, by: \.from) }
}

/// One way from a node to another, as written in the file.
public struct FlowEdge: Sendable, Hashable {
    /// What makes a call take an edge; diagrams draw each kind differently.
    public enum Kind: Sendable, Hashable {
        /// A menu's DTMF option (label: the keys).
        case key
        /// A menu's spoken intent (label: `say: intent`).
        case intent
        /// A collect node's accepted digits, a play node's `next`.
        case next
        /// A menu's or collect node's limits are exhausted.
        case exhausted
        /// A branch rule (label: the condition).
        case condition
        /// A branch's `else`.
        case otherwise
        /// An action outcome (label: the outcome, or `default`).
        case outcome
        /// The flow's `start`.
        case start
        /// A transfer's `on_failure`: the transfer did not go through.
        case failure
    }

    /// The node the edge leaves (empty for `start`).
    public var from: String
    public var kind: Kind
    public var label: String
    public var target: String
    /// Where the target was written.
    public var location: SourceLocation

    public init(from: String, kind: Kind, label: String, target: String, location: SourceLocation) {
        self.from = from
        self.kind = kind
        self.label = label
        self.target = target
        self.location = location
    }

    /// Whether taking the edge waits for the caller (a key, a phrase, or silence running out).
    public var waitsForCaller: Bool {
        switch kind {
        case .key, .intent, .exhausted: true
        case .next, .condition, .otherwise, .outcome, .start, .failure: false
        }
    }
}

/// A prompt id the flow plays, and where.
public struct PromptUse: Sendable, Hashable {
    public var id: String
    /// The node that plays it, or nil for `defaults`.
    public var node: String?
    public var location: SourceLocation
    /// True for the `digit.N` prompts a `{digits: variable}` read-back needs.
    public var isDigitReadBack: Bool

    public init(id: String, node: String?, location: SourceLocation, isDigitReadBack: Bool = false) {
        self.id = id
        self.node = node
        self.location = location
        self.isDigitReadBack = isDigitReadBack
    }
}

/// A variable named in a flow, and where.
public struct VariableUse: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// Read by a condition, an action argument (`${…}`) or a read-back (`{digits: …}`).
        case read
        /// Set by a collect node (`into`) or a `set` action.
        case set
    }
    public var name: String
    /// The node it appears in (nil for conditions, which name their node in errors by rule).
    public var node: String?
    public var location: SourceLocation
    public var role: Role

    public init(name: String, node: String?, location: SourceLocation, role: Role) {
        self.name = name
        self.node = node
        self.location = location
        self.role = role
    }
}
