import Foundation
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
            return rota.who(at: instant).lines[line].person
        case .person(let name):
            return name
        }
    }

    /// Reads a policy file and the rota it names (or `rota`, when given).
    public static func load(path: String, rota given: Rota? = nil) throws(RotaFileError) -> EscalationPolicy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RotaFileError(.unreadable, file: path, line: 0, column: 0, message: "cannot read the escalation policy", fix: "check the path, or run from the repository root (default Fixtures/rota/escalation-policy.yaml)")
        }
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw RotaFileError.yamlSyntax(file: path, error: error)
        }
        func fail(_ code: RotaFileError.Code, _ node: Yams.Node?, _ message: String, _ fix: String?) -> RotaFileError {
            RotaFileError(code, file: path, node: node, message: message, fix: fix)
        }
        guard let mapping = root?.mapping else {
            throw fail(.structure, root, "an escalation policy is a mapping with `policy`, `rota`, `repeat` and `levels`", nil)
        }
        var name = "escalation policy"
        var rotaNode: Yams.Node?
        var repeatCount = 0
        var levelNodes: Yams.Node.Sequence?
        var levelsKey: Yams.Node?
        for (key, value) in mapping {
            switch key.string ?? "" {
            case "policy": name = value.string ?? name
            case "description": break
            case "rota": rotaNode = value
            case "repeat":
                guard let count = value.scalar.flatMap({ Int($0.string) }), (0...10).contains(count) else {
                    throw fail(.structure, value, "repeat '\(value.string ?? "")' is not a count from 0 to 10", "write how many extra rounds, e.g. repeat: 1")
                }
                repeatCount = count
            case "levels":
                levelsKey = key
                guard let sequence = value.sequence, !sequence.isEmpty else {
                    throw fail(.structure, value, "`levels` must be a non-empty list", "start each level with `- name:`")
                }
                levelNodes = sequence
            default:
                throw fail(.structure, key, "unknown key '\(key.string ?? "")' in the escalation policy", "use policy, description, rota, repeat and levels")
            }
        }
        let rota: Rota
        if let given {
            rota = given
        } else {
            guard let rotaNode, let relative = rotaNode.string else {
                throw fail(.structure, root, "the policy names no rota", "add `rota: escalation-managers.yaml` (relative to the policy file)")
            }
            let folder = (path as NSString).deletingLastPathComponent
            rota = try Rota.load(path: relative.hasPrefix("/") ? relative : (folder as NSString).appendingPathComponent(relative))
        }
        guard let levelNodes else {
            throw fail(.structure, levelsKey ?? root, "the policy has no `levels`", "add levels, level 1 first")
        }
        var levels: [Level] = []
        for node in levelNodes {
            guard let fields = node.mapping else {
                throw fail(.structure, node, "a level is a mapping with `name`, `line` or `person`, and `ack-timeout`", nil)
            }
            var levelName = "level \(levels.count + 1)"
            var target: Target?
            var timeout: Int?
            for (key, value) in fields {
                switch key.string ?? "" {
                case "name": levelName = value.string ?? levelName
                case "line":
                    let lineName = value.string ?? ""
                    guard let index = rota.lineIndex(named: lineName) else {
                        throw fail(.structure, value, "level \(levels.count + 1) pages line '\(lineName)', which rota '\(rota.name)' does not have", "use one of: \(rota.lines.map(\.name).joined(separator: ", "))")
                    }
                    target = .line(index)
                case "person":
                    guard let person = value.string, !person.isEmpty else {
                        throw fail(.structure, value, "`person` must name someone", nil)
                    }
                    target = .person(person)
                case "ack-timeout":
                    guard let seconds = value.string.flatMap(Self.duration), seconds > 0 else {
                        throw fail(.badTime, value, "ack-timeout '\(value.string ?? "")' is not a duration", "write e.g. 10m, 90s or 1h")
                    }
                    timeout = seconds
                default:
                    throw fail(.structure, key, "unknown key '\(key.string ?? "")' in a level", "use name, line or person, and ack-timeout")
                }
            }
            guard let target else {
                throw fail(.structure, node, "level \(levels.count + 1) says nobody to page", "add `line: primary` or `person: NAME`")
            }
            guard let timeout else {
                throw fail(.structure, node, "level \(levels.count + 1) has no `ack-timeout`", "add e.g. `ack-timeout: 10m`")
            }
            levels.append(Level(name: levelName, target: target, ackTimeout: timeout, location: RotaSourceLocation(file: path, node: node)))
        }
        return EscalationPolicy(name: name, path: path, rota: rota, levels: levels, repeatCount: repeatCount)
    }

    /// `90s`, `10m`, `1h`, `1h30m`.
    static func duration(_ text: String) -> Int? {
        var total = 0
        var number = ""
        for character in text {
            if character.isASCII && character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            number = ""
        }
        return number.isEmpty && total > 0 ? total : nil
    }
}
