import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// Who is paged, in what order, and how long each gets to acknowledge.
///
/// ```yaml
/// policy: Escalation Managers
/// rota: escalation-managers.yaml    # relative to this file
/// repeat: 1                         # extra rounds through the levels before giving up
/// levels:
///   - name: Escalation Manager on call
///     line: primary                 # a line of the rota…
///     ack-timeout: 10m
///   - name: Head of Global Support
///     person: Ingrid Larsen         # …or a fixed person
///     ack-timeout: 15m
/// ```
public struct EscalationPolicy: Sendable {
    /// Whom a level pages.
    public enum Target: Sendable, Hashable {
        /// Whoever is on call on this rota line (index into `rota.lines`) at the time of the page.
        case line(Int)
        /// Always this person.
        case person(String)
    }

    /// One step of the policy (level 1 is the first).
    public struct Level: Sendable {
        public var name: String
        public var target: Target
        /// Seconds the paged person has to acknowledge before the next level is paged.
        public var ackTimeout: Int
        public var location: RotaSourceLocation
        public init(name: String, target: Target, ackTimeout: Int, location: RotaSourceLocation) {
            precondition(ackTimeout > 0, "the loader rejects zero timeouts")
            self.name = name
            self.target = target
            self.ackTimeout = ackTimeout
            self.location = location
        }
    }

    public var name: String
    public var path: String
    public var rota: Rota
    public var levels: [Level]
    /// How many more times to run through every level after the first round.
    public var repeatCount: Int

    public init(name: String, path: String, rota: Rota, levels: [Level], repeatCount: Int) {
        precondition(!levels.isEmpty, "the loader rejects a policy without levels")
        self.name = name
        self.path = path
        self.rota = rota
        self.levels = levels
        self.repeatCount = repeatCount
    }

    /// The person a level (1-based) pages at an instant; `nil` when its rota line has a gap.
    public func person(level: Int, at instant: Date) -> String? {
        switch levels[level - 1].target {
        case .line(let line):
            // One line's person, not every line's (`who(at:)` builds the whole `OnCall`).
            return rota.person(line: line, at: Int(instant.timeIntervalSince1970.rounded(.down)))
        case .person(let name):
            return name
        }
    }

    /// Reads a policy file and the rota it names (or `rota`, when given). Every problem in the policy
    /// (and in the rota it names) is reported at once.
    public static func load(path: String, rota given: Rota? = nil) throws(Diagnostics) -> EscalationPolicy {
        let file = YAMLFile(path: path)
        guard let root = file.root,
            let top = file.fields(of: root, in: "the escalation policy", allowed: ["policy", "description", "rota", "repeat", "levels"])
        else { throw Diagnostics(file.errors) }
        let name = top.string("policy") ?? "escalation policy"
        let repeatCount = top.int("repeat", in: 0...10) ?? 0
        var rota = given
        if given == nil {
            if let relative = top.string("rota", required: true, fix: "add `rota: escalation-managers.yaml` (relative to the policy file)") {
                let folder = (path as NSString).deletingLastPathComponent
                do {
                    rota = try Rota.load(path: relative.hasPrefix("/") ? relative : (folder as NSString).appendingPathComponent(relative))
                } catch {
                    file.record(error.errors)
                }
            }
        }
        var levels: [Level] = []
        if let levelsNode = top.value("levels", required: true, fix: "add levels, level 1 first"),
            let items = file.list(levelsNode, in: "`levels`")
        {
            if items.isEmpty || levelsNode.scalar != nil {
                file.error("`levels` must be a non-empty list", at: levelsNode, fix: "start each level with `- name:`")
            }
            for (index, node) in items.enumerated() where levelsNode.scalar == nil {
                let number = index + 1
                guard let fields = file.fields(of: node, in: "level \(number)", allowed: ["name", "line", "person", "ack-timeout"]) else { continue }
                let levelName = fields.string("name") ?? "level \(number)"
                var target: Target?
                if let lineNode = fields.value("line"), let lineName = file.scalar(lineNode, in: "`line` in level \(number)") {
                    if let rota {
                        if let line = rota.lineIndex(named: lineName) {
                            target = .line(line)
                        } else {
                            let lines = rota.lines.map(\.name)
                            file.error(
                                "level \(number) pages line '\(lineName)', which rota '\(rota.name)' does not have", at: lineNode,
                                fix: Suggestions.fix(for: lineName, in: lines, what: "its lines"), code: .unknownName)
                        }
                    }
                } else if let person = fields.string("person") {
                    if person.isEmpty {
                        file.error("`person` must name someone", at: fields.value("person"), fix: "write `person: NAME`")
                    } else {
                        target = .person(person)
                    }
                } else if !fields.has("line") && !fields.has("person") {
                    file.error("level \(number) says nobody to page", at: node, fix: "add `line: primary` or `person: NAME`")
                }
                let timeout = fields.duration("ack-timeout", required: true, maximum: DurationText.day)
                if timeout == .zero {
                    file.error("`ack-timeout` in level \(number) is zero", at: fields.value("ack-timeout"), fix: "give at least a few minutes, e.g. 10m", code: .badDuration)
                }
                guard let target, let timeout, timeout > .zero else { continue }
                levels.append(
                    Level(
                        name: levelName, target: target, ackTimeout: Int(timeout.components.seconds),
                        location: RotaSourceLocation(file: path, node: node)))
            }
        }
        try file.throwIfErrors()
        guard let rota else { throw Diagnostics(file.errors) }
        return EscalationPolicy(name: name, path: path, rota: rota, levels: levels, repeatCount: repeatCount)
    }
}
