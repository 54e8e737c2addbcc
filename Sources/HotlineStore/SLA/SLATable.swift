import Foundation
import HotlineDiagnostics
import Yams

/// Response targets by contract tier and priority, as data (`Fixtures/sla.yaml`).
///
/// A table has a `name` and a `version`. When a case is opened, the policy for its account's tier
/// is *pinned* on the case (stored in the database under `name`, `version`, `tier`), so editing the
/// file later never moves the due time of an existing case. Change a target → bump `version`.
///
/// File format:
/// ```yaml
/// name: gsc-response-targets
/// version: 1
/// calendar: 24x7            # targets run in calendar time, around the clock
/// warning_percent: 75       # a case is "warning" once this much of its target is used
/// tiers:
///   gold:     { P1: 30m, P2: 1h, P3: 8h }
///   platinum: { P1: 15m, P2: 1h, P3: 4h }
/// add_ons:
///   csm: { label: CSM, note: Platinum + designated SME during business hours }
/// ```
public struct SLATable: Sendable, Hashable {
    public var name: String
    public var version: Int
    /// Only `24x7` (calendar time) is supported: the seed's targets are calendar time.
    public var calendar: String
    public var warningPercent: Int
    public var policies: [Tier: SLAPolicy]
    /// What each add-on adds, for Case Detail.
    public var addOnNotes: [AddOn: String]

    public init(name: String, version: Int, calendar: String = "24x7", warningPercent: Int, targets: [Tier: [Priority: Int]], addOnNotes: [AddOn: String]) {
        self.name = name
        self.version = version
        self.calendar = calendar
        self.warningPercent = warningPercent
        self.addOnNotes = addOnNotes
        var policies: [Tier: SLAPolicy] = [:]
        for (tier, minutes) in targets {
            policies[tier] = SLAPolicy(name: name, version: version, tier: tier, targetMinutes: minutes, warningPercent: warningPercent)
        }
        self.policies = policies
    }

    /// The seed's table, built in: what a database that was migrated but never loaded a table uses.
    /// A test checks it is identical to `Fixtures/sla.yaml`.
    public static let standard = SLATable(
        name: "gsc-response-targets",
        version: 1,
        warningPercent: 75,
        targets: [
            .gold: [.p1: 30, .p2: 60, .p3: 8 * 60],
            .platinum: [.p1: 15, .p2: 60, .p3: 4 * 60],
        ],
        addOnNotes: [
            .csmLite: "Platinum + designated SME during business hours",
            .csm: "Platinum + designated SME during business hours",
            .residentEngineer: "Platinum + dedicated SME during business hours",
        ]
    )

    /// Reads a table; errors name the file, line and column.
    public static func load(path: String) throws(StoreError) -> SLATable {
        let root = try YAMLDocument.load(path: path)
        let file = root.file
        var name: String?
        var version: Int?
        var calendar = "24x7"
        var warning = 75
        var targets: [Tier: [Priority: Int]] = [:]
        var notes: [AddOn: String] = [:]
        for (key, value) in try root.withRecorded({ () throws(StoreError) in try root.mapping(root.node, what: "an SLA table") }) {
            _ = root.each { () throws(StoreError) in
                switch key {
                case "name": name = try root.string(value, what: "`name`")
                case "version":
                    let number = try root.int(value, what: "`version`")
                    guard number >= 1 else { throw root.error(value, "`version` must be 1 or more", fix: "bump it whenever a target changes") }
                    version = number
                case "calendar":
                    calendar = try root.string(value, what: "`calendar`")
                    guard calendar == "24x7" else {
                        throw root.error(value, "calendar '\(calendar)' is not supported", fix: "use `24x7`: the seed's response targets run in calendar time")
                    }
                case "warning_percent":
                    warning = try root.int(value, what: "`warning_percent`")
                    guard (1...99).contains(warning) else { throw root.error(value, "`warning_percent` must be between 1 and 99", fix: "75 warns when three quarters of the target is used") }
                case "tiers":
                    for (tierName, tierNode) in try root.mapping(value, what: "`tiers`") {
                        _ = root.each { () throws(StoreError) in
                        let tier: Tier
                        tier = try root.at(tierNode) { () throws(StoreError) in try Tier(parsing: tierName) }
                        var minutes: [Priority: Int] = [:]
                        var unread = false
                        for (priorityName, durationNode) in try root.mapping(tierNode, what: "tier `\(tierName)`") {
                            let read: Void? = root.each { () throws(StoreError) in
                                let priority: Priority
                                priority = try root.at(durationNode) { () throws(StoreError) in try Priority(parsing: priorityName) }
                                minutes[priority] = try root.minutes(durationNode, what: "the \(tier.label) \(priority.rawValue) target")
                            }
                            if read == nil { unread = true }
                        }
                        for priority in Priority.allCases where minutes[priority] == nil && !unread {
                            throw root.error(tierNode, "tier `\(tierName)` has no \(priority.rawValue) target", fix: "add `\(priority.rawValue): 1h` (durations like 15m, 1h, 8h)")
                        }
                        targets[tier] = minutes
                        }
                    }
                case "add_ons":
                    for (addOnName, addOnNode) in try root.mapping(value, what: "`add_ons`") {
                        let addOn: AddOn
                        addOn = try root.at(addOnNode) { () throws(StoreError) in try AddOn(parsing: addOnName) }
                        if let text = addOnNode.string {
                            notes[addOn] = text
                        } else {
                            for (field, fieldNode) in try root.mapping(addOnNode, what: "add-on `\(addOnName)`") {
                                switch field {
                                case "note": notes[addOn] = try root.string(fieldNode, what: "`note`")
                                case "label": _ = try root.string(fieldNode, what: "`label`")
                                default: throw root.error(fieldNode, "unknown key '\(field)' in add-on `\(addOnName)`", fix: "an add-on has `label` and `note`")
                                }
                            }
                        }
                    }
                default:
                    let keys = ["name", "version", "calendar", "warning_percent", "tiers", "add_ons"]
                    let hint = Suggestions.closest(to: key, in: keys)
                    throw root.error(value, "unknown key '\(key)'" + (hint.map { "; did you mean `\($0)`?" } ?? ""), fix: "an SLA table has name, version, calendar, warning_percent, tiers and add_ons")
                }
            }
        }
        let present = Set((root.node.mapping.map { Array($0.keys) } ?? []).compactMap(\.string))
        if (name == nil && !present.contains("name")) || name == "" {
            _ = root.each { () throws(StoreError) in throw StoreError.fixture(file: file, line: 1, column: 1, "the SLA table has no `name`", fix: "add `name: gsc-response-targets`") }
        }
        if version == nil, !present.contains("version") {
            _ = root.each { () throws(StoreError) in throw StoreError.fixture(file: file, line: 1, column: 1, "the SLA table has no `version`", fix: "add `version: 1`") }
        }
        for tier in Tier.allCases where targets[tier] == nil && !present.contains("tiers") {
            _ = root.each { () throws(StoreError) in throw StoreError.fixture(file: file, line: 1, column: 1, "the SLA table has no targets for tier `\(tier.rawValue)`", fix: "add it under `tiers:`") }
        }
        try root.throwIfErrors()
        guard let name, let version, Tier.allCases.allSatisfy({ targets[$0] != nil }) else {
            throw StoreError.fixture([Diagnostic(.structure, file: file, line: 1, column: 1, message: "the SLA table has no targets for every tier", fix: "add every tier under `tiers:`")])
        }
        return SLATable(name: name, version: version, calendar: calendar, warningPercent: warning, targets: targets, addOnNotes: notes)
    }
}

/// The response-target policy of one tier, as pinned on a case.
public struct SLAPolicy: Sendable, Hashable, Codable {
    public var name: String
    public var version: Int
    public var tier: Tier
    public var targetMinutes: [Priority: Int]
    public var warningPercent: Int

    public init(name: String, version: Int, tier: Tier, targetMinutes: [Priority: Int], warningPercent: Int) {
        self.name = name
        self.version = version
        self.tier = tier
        self.targetMinutes = targetMinutes
        self.warningPercent = warningPercent
    }

    /// The policy's key in the database, e.g. `gsc-response-targets v1 platinum`.
    public var key: String { "\(name) v\(version) \(tier.rawValue)" }

    public func target(for priority: Priority) -> Int {
        guard let minutes = targetMinutes[priority] else {
            preconditionFailure("an SLA policy always has a target for every priority (checked when loaded)")
        }
        return minutes
    }
}
