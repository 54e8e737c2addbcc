import HotlineCore
import HotlineDiagnostics

/// The kinds of problem the agents, queues and staffing-plan files have beyond the common ones (see
/// ``Diagnostic/Code``); reported as ``Diagnostic``s like every other file's. They carry only file
/// positions, names from the file and the fix, never a caller's phone number or case data.
extension Diagnostic.Code {
    /// A skill the agents file does not declare.
    public static let unknownSkill = Self("unknown-skill")
    /// A team that is not Customer Care, GSC, GEC or PSIRT.
    public static let unknownTeam = Self("unknown-team")
    /// A level that is not L0 … L3.
    public static let unknownLevel = Self("unknown-level")
    /// A queue strategy that does not exist.
    public static let unknownStrategy = Self("unknown-strategy")
    /// A plan names a queue the queues file lacks.
    public static let unknownQueue = Self("unknown-queue")
    /// A plan names an agent the agents file lacks.
    public static let unknownAgent = Self("unknown-agent")
    /// A skill, agent id or queue name declared twice.
    public static let duplicate = Self("duplicate")
    /// A tier that can never take a call.
    public static let impossibleTier = Self("impossible-tier")
    /// A queue nobody can serve.
    public static let unservedQueue = Self("unserved-queue")
}

/// A problem with a request to the router at run time (not in a file), such as an unknown queue name.
public struct RouterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var fix: String?
    public init(message: String, fix: String?) {
        self.message = message
        self.fix = fix
    }
    public var description: String { "error: \(message)" + (fix.map { " (fix: \($0))" } ?? "") }
}
