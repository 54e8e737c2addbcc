import Foundation
import HotlineCore
import HotlineFlowFile
import Yams

extension PromptUse {
    /// The keys of a flow file's nodes (and `defaults`) whose values are prompt sequences.
    static let promptKeys: Set<String> = [
        "prompts", "prompt", "greeting", "short_greeting", "invalid_prompt", "no_input_prompt", "rejected_prompt",
    ]

    /// Every prompt a flow file names, read straight from its YAML, each with the `file:line:column`
    /// of the reference itself.
    ///
    /// A sequence is an id, a list of ids, or `{digits: variable}` (a read-back, which uses every
    /// digit prompt). Only `nodes` and `defaults` are read; the rest of the flow is `hotline flow
    /// check`'s business. Errors are YAML errors, said as `file:line:column`.
    public static func uses(inFlowFile path: String) throws(FlowFileError) -> [PromptUse] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FlowFileError(file: path, line: 0, column: 0, message: "cannot read the flow: \(error.localizedDescription)", fix: "check the path")
        }
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw FlowFileError(file: path, line: 1, column: 1, message: "YAML: \(error)", fix: "check indentation and quoting (`hotline flow check` says more)")
        }
        guard let mapping = root?.mapping else {
            throw FlowFileError(file: path, line: 1, column: 1, message: "a flow file is a mapping with `nodes`", fix: nil)
        }
        var result: [PromptUse] = []
        func collect(_ node: Yams.Node, owner: String) {
            switch node {
            case .scalar(let scalar):
                guard !scalar.string.isEmpty else { return }
                result.append(PromptUse(id: scalar.string, node: owner, location: location(path, node)))
            case .sequence(let items):
                for item in items { collect(item, owner: owner) }
            case .mapping(let fields):
                for (key, _) in fields where key.string == "digits" {
                    for id in PromptSegment.digitPromptIDs {
                        result.append(PromptUse(id: id, node: owner, location: location(path, key)))
                    }
                }
            case .alias:
                break
            }
        }
        func scan(_ fields: Yams.Node.Mapping, owner: String) {
            for (key, value) in fields {
                guard let name = key.string, promptKeys.contains(name) else { continue }
                collect(value, owner: owner)
            }
        }
        for (key, value) in mapping {
            switch key.string {
            case "defaults":
                if let fields = value.mapping { scan(fields, owner: "defaults") }
            case "nodes":
                for (id, node) in value.mapping ?? [:] {
                    if let fields = node.mapping { scan(fields, owner: id.string ?? "?") }
                }
            default:
                break
            }
        }
        return result
    }

    /// The prompt catalog a flow file names (its top-level `prompts:`), resolved against the flow
    /// file's folder; `nil` when it names none.
    public static func catalogPath(inFlowFile path: String) throws(FlowFileError) -> String? {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw FlowFileError(file: path, line: 1, column: 1, message: "cannot read the flow: \(error)", fix: "check the path and the YAML")
        }
        guard let reference = root?.mapping?["prompts"]?.string, !reference.isEmpty else { return nil }
        if reference.hasPrefix("/") { return reference }
        let folder = (path as NSString).deletingLastPathComponent
        let joined = folder.isEmpty ? reference : (folder as NSString).appendingPathComponent(reference)
        let absolute = URL(fileURLWithPath: joined).standardizedFileURL.path
        // Said relative to the working folder when it lies inside it, as users typed the flow's path.
        let here = FileManager.default.currentDirectoryPath + "/"
        return absolute.hasPrefix(here) ? String(absolute.dropFirst(here.count)) : absolute
    }

    private static func location(_ file: String, _ node: Yams.Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }
}
