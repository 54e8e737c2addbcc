import HotlineFlowFile
public struct LoadedFlow: Sendable { public var flow: HotlineCore.Flow; public var catalog: PromptCatalog? }
enum FlowFileShim { struct E: Error {}; static func load(path: String) throws -> LoadedFlow { throw E() } }
import HotlineCore
