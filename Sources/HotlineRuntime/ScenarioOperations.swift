import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

extension Scenario {
    /// Something done on the line before the call, through the same library operation another
    /// channel uses (`before:` in a scenario file): a web escalation (Escalate Now) of a case, so
    /// a scenario can compare it with what the phone does.
    public struct Operation: Sendable {
        public var kind: Kind
        public var location: SourceLocation

        public enum Kind: Sendable, Hashable {
            /// Escalate Now: an escalation of `caseNumber` on `channel`, by `by`, paging as the phone does.
            case escalate(caseNumber: String, reason: String, channel: EscalationChannel, by: String)
        }

        public init(_ kind: Kind, at location: SourceLocation) {
            self.kind = kind
            self.location = location
        }

        /// How the operation reads in a failure (`before: escalate 00345678 (web)`).
        public var summary: String {
            switch kind {
            case .escalate(let caseNumber, _, let channel, _): "before: escalate \(caseNumber) (\(channel.rawValue))"
            }
        }
    }
}

/// Does a scenario's `before:` operations on the scenario's systems (the case store and the pager
/// of its throwaway database): what the web's Escalate Now does.
public protocol ScenarioOperations: Sendable {
    func perform(_ operation: Scenario.Operation.Kind, at now: Date) throws
}

extension ScenarioFile {
    static let operationKeys = ["escalate"]

    /// `before:` — a list of operations, each `- escalate: {case: "00345678", channel: web, reason: …, by: …}`.
    static func readOperations(_ node: Yams.Node, file: YAMLFile) -> [Scenario.Operation] {
        guard let items = node.sequence else {
            file.error("`before` must be a list", at: node, fix: "write each operation on its own line starting with '- ', e.g. `- escalate: {case: \"00345678\", channel: web}`")
            return []
        }
        var operations: [Scenario.Operation] = []
        for item in items {
            let location = file.location(of: item)
            guard let fields = file.fields(of: item, in: "a `before` operation", allowed: operationKeys) else { continue }
            guard fields.keys.count == 1, let value = fields.value("escalate") else {
                if fields.keys.isEmpty, item.mapping?.isEmpty == false { continue }  // its unknown key was reported
                file.error("an operation does one thing; write `- escalate: {…}`", at: item, fix: "one operation per line")
                continue
            }
            guard let escalate = file.fields(of: value, in: "an escalate operation", allowed: ["case", "channel", "reason", "by"]) else { continue }
            guard let caseNumber = escalate.string("case", required: true, fix: "add `case: \"00345678\"` (the case to escalate)") else { continue }
            let channelText = escalate.string("channel") ?? "web"
            guard let channel = EscalationChannel(rawValue: channelText) else {
                file.error(
                    "'\(channelText)' is not an escalation channel", at: escalate.value("channel"),
                    fix: "write one of \(EscalationChannel.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            let reason = escalate.string("reason") ?? "Escalate Now from the scenario"
            if reason.trimmingCharacters(in: .whitespaces).isEmpty {
                file.error("the reason is empty", at: escalate.value("reason"), fix: "write why the case is escalated, or leave `reason` out")
                continue
            }
            let by = escalate.string("by") ?? "Case Center"
            operations.append(Scenario.Operation(.escalate(caseNumber: caseNumber, reason: reason, channel: channel, by: by), at: location))
        }
        return operations
    }
}

/// A `before:` operation that the scenario's systems cannot do.
struct ScenarioOperationError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
