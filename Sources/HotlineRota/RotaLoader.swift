import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

extension Rota {
    /// Reads a rota file. Every problem is a ``Diagnostic`` naming the file, line and value.
    ///
    /// ```yaml
    /// rota: Escalation Managers
    /// lines:
    ///   primary:
    ///     layers:                      # later layers win where two have someone on call
    ///       - name: EMEA
    ///         zone: Europe/London      # IANA zone: handoffs and windows are local to it
    ///         rotation: weekly         # hourly | daily | weekly | 12h | 3d | 2w
    ///         start: 2026-01-05        # local date of the first shift
    ///         handoff: "09:00"         # local time shifts change hands
    ///         people: [Oliver Hughes, Amara Nwosu]
    ///         restrictions:            # optional: on call only in these windows
    ///           - days: mon-fri        # every day | weekdays | weekends | [mon, wed] | mon-fri
    ///             from: "08:00"
    ///             to: "17:00"          # before `from`: ends the next day; 24:00 is midnight
    ///   backup:
    ///     layers: [ … ]
    /// overrides:
    ///   - line: primary
    ///     replace: Oliver Hughes       # or `cover: NAME` (on call instead of whoever is) / `remove: NAME`
    ///     with: Amara Nwosu
    ///     from: 2026-12-24T08:00 Europe/London
    ///     to: 2026-12-27T08:00 Europe/London
    ///     reason: annual leave
    /// contacts:                        # optional: the SIP phone each person is rung on when paged
    ///   Oliver Hughes: sip:oliver@192.0.2.10:5060
    /// phones:                          # optional: the number a page's call dials, + and the country code
    ///   Oliver Hughes: "+44 20 7946 0100"
    /// ```
    ///
    /// Every problem in the file is reported at once (a `Diagnostics` of file:line:column errors).
    public static func load(path: String) throws(Diagnostics) -> Rota {
        try read(YAMLFile(path: path))
    }

    /// Parses rota YAML; `path` is only used in error messages.
    public static func parse(yaml text: String, path: String) throws(Diagnostics) -> Rota {
        try read(YAMLFile(path: path, text: text))
    }

    static func read(_ file: YAMLFile) throws(Diagnostics) -> Rota {
        let reader = Reader(file: file)
        let rota = reader.rota(file.root)
        try file.throwIfErrors()
        guard let rota else {
            throw Diagnostics(
                file.errors.isEmpty
                    ? [Diagnostic(.structure, file: file.path, line: 1, column: 1, message: "the rota could not be read", fix: "start with `rota: NAME` and `lines:`")]
                    : file.errors)
        }
        return rota
    }
}

/// Walks the YAML tree of a rota file.
///
/// Helpers throw the first problem of one item (a line, a layer, a restriction, an override, a key);
/// the item's caller records it with `file.attempt` and goes on, so every item's problem is reported.
private final class Reader {
    let file: YAMLFile
    var path: String { file.path }
    var people: [String] = []
    var personIndex: [String: Int] = [:]
    /// Deprecations met on the way (`Rota.notes`).
    var notes: [String] = []
    /// Zones already built (each costs a walk over its transitions).
    var zones: [String: ZoneRules] = [:]

    init(file: YAMLFile) { self.file = file }

    /// Thrown to stop reading an item whose problems are already recorded (records nothing more).
    static let alreadyRecorded = Diagnostics([])

    func fail(_ code: Diagnostic.Code, _ node: Yams.Node?, _ message: String, fix: String?) -> Diagnostic {
        file.problem(code, at: node, message, fix: fix)
    }

    func person(_ name: String) -> Int {
        if let index = personIndex[name] { return index }
        people.append(name)
        personIndex[name] = people.count - 1
        return people.count - 1
    }

    /// The pairs of a mapping whose keys are among `keys`; an unknown key is recorded (with "did you
    /// mean") and skipped, so the rest of the mapping is still read.
    func mapping(_ node: Yams.Node?, _ what: String, keys: Set<String>) throws -> [(key: String, keyNode: Yams.Node, value: Yams.Node)] {
        guard let node, let mapping = node.mapping else {
            throw fail(.structure, node, "\(what) must be a mapping", fix: "write it as `key: value` lines indented under it")
        }
        var result: [(key: String, keyNode: Yams.Node, value: Yams.Node)] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard keys.contains(name) else {
                let hint = Suggestions.closest(to: name, in: keys.sorted())
                file.record(
                    fail(
                        .unknownKey, key, "unknown key '\(name)' in \(what)" + (hint.map { "; did you mean `\($0)`?" } ?? ""),
                        fix: "use one of: \(keys.sorted().joined(separator: ", "))"))
                continue
            }
            result.append((name, key, value))
        }
        return result
    }

    func scalar(_ node: Yams.Node, _ what: String) throws -> String {
        guard let text = node.scalar?.string, !text.isEmpty else {
            throw fail(.structure, node, "\(what) must be a single value", fix: "write one value after the colon")
        }
        return text
    }

    /// The rota, or nil when a problem (already recorded) makes it unusable.
    func rota(_ root: Yams.Node?) -> Rota? {
        guard let root else { return nil }  // unreadable, empty or not YAML: already recorded
        return file.attempt { () throws -> Rota in try rota(root) }
    }

    func rota(_ root: Yams.Node) throws -> Rota {
        var name = "rota"
        var lines: [Rota.Line] = []
        var overridesNode: Yams.Node?
        var contactsNode: Yams.Node?
        var phonesNode: Yams.Node?
        var linesKey: Yams.Node?
        var unreadLines: Set<String> = []  // lines with a problem already recorded
        for entry in try mapping(root, "a rota file", keys: ["rota", "description", "lines", "overrides", "contacts", "phones"]) {
            switch entry.key {
            case "rota": name = try scalar(entry.value, "`rota`")
            case "description": break
            case "lines":
                linesKey = entry.keyNode
                for lineEntry in try mapping(entry.value, "`lines`", keys: Set(entry.value.mapping?.keys.compactMap(\.string) ?? [])) {
                    if let read = file.attempt({ () throws -> Rota.Line in try line(name: lineEntry.key, keyNode: lineEntry.keyNode, lineEntry.value) }) {
                        lines.append(read)
                    } else {
                        unreadLines.insert(lineEntry.key)
                    }
                }
            case "contacts": contactsNode = entry.value
            case "phones": phonesNode = entry.value
            default: overridesNode = entry.value
            }
        }
        if let primary = lines.firstIndex(where: { $0.name == "primary" }) {
            lines.insert(lines.remove(at: primary), at: 0)
        } else if !unreadLines.contains("primary") {
            throw fail(.structure, linesKey ?? root, "the rota has no `primary` line", fix: "add `primary:` with its layers under `lines:`")
        }
        var overrides: [Rota.Override] = []
        if let overridesNode {
            guard let sequence = overridesNode.sequence else {
                throw fail(.structure, overridesNode, "`overrides` must be a list", fix: "start each override with `- line: primary`")
            }
            for item in sequence {
                if let read = file.attempt({ () throws -> Rota.Override? in try override(item, lines: lines, unreadLines: unreadLines) }), let read {
                    overrides.append(read)
                }
            }
        }
        checkOverlaps(overrides, lines: lines)
        let contacts = contactsNode.flatMap { node in file.attempt { () throws -> [String: SIPContact] in try self.contacts(node) } } ?? [:]
        let phones = phonesNode.flatMap { node in file.attempt { () throws -> [String: String] in try self.phones(node) } } ?? [:]
        guard unreadLines.isEmpty else { throw Self.alreadyRecorded }
        var rota = Rota(name: name, path: path, people: people, lines: lines, overrides: overrides)
        rota.notes = notes
        rota.contacts = contacts
        rota.phones = phones
        return rota
    }

    /// `contacts:`: person → SIP URI. Each person must be named in the rota's layers or overrides.
    func contacts(_ node: Yams.Node) throws -> [String: SIPContact] {
        guard let mapping = node.mapping else {
            throw fail(.structure, node, "`contacts` must be a mapping of person to SIP URI", fix: "write `Oliver Hughes: sip:oliver@192.0.2.10:5060` lines under it")
        }
        var contacts: [String: SIPContact] = [:]
        for (key, value) in mapping {
            let person = key.string ?? ""
            guard personIndex[person] != nil else {
                file.record(
                    fail(
                        .unknownPerson, key, "contact for '\(person)', who is not in the rota",
                        fix: Suggestions.fix(for: person, in: people, what: "the rota's people")))
                continue
            }
            guard let text = value.scalar?.string else {
                file.record(fail(.structure, value, "the contact of \(person) must be one SIP URI", fix: "write `\(person): sip:user@host:port`"))
                continue
            }
            do {
                contacts[person] = try SIPContact(parsing: text)
            } catch {
                file.record(fail(.badValue, value, "the contact of \(person), '\(text)': \(error.message)", fix: "write a SIP URI such as sip:oliver@192.0.2.10:5060"))
            }
        }
        return contacts
    }

    /// `phones:`: person → phone number in international form (`+`, the country code, 8 to 15
    /// digits in all; spaces, dots and hyphens between them). Each person must be in the rota.
    func phones(_ node: Yams.Node) throws -> [String: String] {
        guard let mapping = node.mapping else {
            throw fail(.structure, node, "`phones` must be a mapping of person to phone number", fix: "write `Oliver Hughes: \"+44 20 7946 0100\"` lines under it")
        }
        var phones: [String: String] = [:]
        for (key, value) in mapping {
            let person = key.string ?? ""
            guard personIndex[person] != nil else {
                file.record(
                    fail(
                        .unknownPerson, key, "phone number for '\(person)', who is not in the rota",
                        fix: Suggestions.fix(for: person, in: people, what: "the rota's people")))
                continue
            }
            guard let text = value.scalar?.string.trimmingCharacters(in: .whitespaces) else {
                file.record(fail(.structure, value, "the phone number of \(person) must be one number", fix: "write `\(person): \"+1 415 555 0100\"`"))
                continue
            }
            guard Self.isInternationalNumber(text) else {
                file.record(
                    fail(
                        .badValue, value, "the phone number of \(person), '\(text.prefix(40))', is not a number in international form",
                        fix: "write + and the country code, then the number: 8 to 15 digits, e.g. \"+1 415 555 0100\""))
                continue
            }
            phones[person] = text
        }
        return phones
    }

    /// `+`, a digit, then digits, spaces, dots and hyphens: 8 to 15 digits in all (E.164's most).
    static func isInternationalNumber(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 1, scalars[0] == "+", ("0"..."9").contains(scalars[1]) else { return false }
        var digits = 0
        for scalar in scalars.dropFirst() {
            if ("0"..."9").contains(scalar) {
                digits += 1
            } else if scalar != " " && scalar != "-" && scalar != "." {
                return false
            }
        }
        return (8...15).contains(digits)
    }

    func line(name: String, keyNode: Yams.Node, _ node: Yams.Node) throws -> Rota.Line {
        var layers: [Rota.Layer] = []
        var sawLayers = false
        var badLayers = false
        for entry in try mapping(node, "line '\(name)'", keys: ["layers", "description"]) where entry.key == "layers" {
            sawLayers = true
            guard let sequence = entry.value.sequence, !sequence.isEmpty else {
                throw fail(.structure, entry.value, "`layers` of line '\(name)' must be a non-empty list", fix: "add at least one layer starting with `- name:`")
            }
            for item in sequence {
                if let read = file.attempt({ () throws -> Rota.Layer in try layer(item, line: name) }) { layers.append(read) } else { badLayers = true }
            }
        }
        if badLayers { throw Self.alreadyRecorded }
        guard sawLayers else {
            throw fail(.structure, keyNode, "line '\(name)' has no `layers`", fix: "add `layers:` with at least one layer")
        }
        return Rota.Line(name: name, layers: layers, location: RotaSourceLocation(file: path, node: keyNode))
    }

    func layer(_ node: Yams.Node, line: String) throws -> Rota.Layer {
        var name: String?
        var zone: ZoneRules?
        var peopleNode: Yams.Node?
        var people: [Int] = []
        var rotation: Rota.Rotation?
        var startDay: Int?
        var handoff: TimeOfDay?
        var restrictions: [Rota.Restriction] = []
        var badRestriction = false
        let entries = try mapping(node, "a layer of line '\(line)'", keys: ["name", "zone", "people", "rotation", "start", "handoff", "restrictions"])
        for entry in entries {
            _ = file.attempt { () throws in
                switch entry.key {
                case "name": name = try scalar(entry.value, "`name`")
                case "zone":
                    let text = try scalar(entry.value, "`zone`")
                    guard let rules = zones[text] ?? ZoneRules(identifier: text) else {
                        throw fail(.unknownZone, entry.value, "unknown time zone '\(text)'", fix: "use an IANA zone name such as Europe/London, America/New_York or Australia/Sydney")
                    }
                    zone = rules
                    zones[text] = rules
                case "people":
                    peopleNode = entry.value
                    guard let sequence = entry.value.sequence else {
                        throw fail(.structure, entry.value, "`people` must be a list of names", fix: "write `people: [Ada Lovelace, Alan Turing]`")
                    }
                    for item in sequence { people.append(person(try scalar(item, "a person"))) }
                case "rotation":
                    let text = try scalar(entry.value, "`rotation`")
                    guard let parsed = Self.rotation(text) else {
                        throw fail(.badRotation, entry.value, "rotation '\(text)' is not a rotation length", fix: "use hourly, daily, weekly, or a length such as 12h, 3d or 2w")
                    }
                    rotation = parsed
                case "start":
                    let text = try scalar(entry.value, "`start`")
                    guard let date = Self.localDate(text) else {
                        throw fail(.badTime, entry.value, "start '\(text)' is not a date", fix: "write the local date of the first shift as YYYY-MM-DD, e.g. 2026-01-05")
                    }
                    startDay = date
                case "handoff":
                    let text = try scalar(entry.value, "`handoff`")
                    guard let time = TimeOfDay(text) else {
                        throw fail(.badTime, entry.value, "handoff time '\(text)' does not parse", fix: "write a 24-hour local time HH:MM in quotes, e.g. handoff: \"09:00\"")
                    }
                    handoff = time
                default:
                    guard let sequence = entry.value.sequence else {
                        throw fail(.structure, entry.value, "`restrictions` must be a list", fix: "start each window with `- days: mon-fri`")
                    }
                    for item in sequence {
                        if let read = file.attempt({ () throws -> Rota.Restriction in try restriction(item) }) { restrictions.append(read) } else { badRestriction = true }
                    }
                }
            }
        }
        // A key that was there but could not be read is already reported: do not call it missing.
        let present = Set(entries.map(\.key))
        if badRestriction { throw Self.alreadyRecorded }
        let layerName = name ?? "layer \(line)"
        func missing(_ key: String, _ example: String) -> any Error {
            guard !present.contains(key) else { return Self.alreadyRecorded }
            return fail(.structure, node, "layer '\(layerName)' of line '\(line)' has no `\(key)`", fix: "add `\(key): \(example)`")
        }
        guard let zone else { throw missing("zone", "Europe/London") }
        guard let rotation else { throw missing("rotation", "weekly") }
        guard let startDay else { throw missing("start", "2026-01-05") }
        guard let peopleNode else { throw missing("people", "[Ada Lovelace, Alan Turing]") }
        guard !people.isEmpty else {
            throw fail(.emptyRotation, peopleNode, "layer '\(layerName)' of line '\(line)' has nobody in its rotation", fix: "list at least one person under `people`, or delete the layer")
        }
        return Rota.Layer(
            name: layerName, zone: zone, people: people, rotation: rotation, startDay: startDay,
            handoff: handoff ?? TimeOfDay(hour: 9, minute: 0), restrictions: restrictions,
            location: RotaSourceLocation(file: path, node: node))
    }

    func restriction(_ node: Yams.Node) throws -> Rota.Restriction {
        var weekdays: UInt8 = 0x7F
        var from: TimeOfDay?
        var to: TimeOfDay?
        for entry in try mapping(node, "a restriction", keys: ["days", "from", "to"]) {
            switch entry.key {
            case "days":
                let items: [Yams.Node] = entry.value.sequence.map { Array($0) } ?? [entry.value]
                weekdays = 0
                for item in items {
                    let text = try scalar(item, "`days`")
                    guard let bits = Self.weekdays(text) else {
                        throw fail(.structure, item, "'\(text)' is not a set of weekdays", fix: "use every day, weekdays, weekends, mon-fri, or a list such as [mon, wed, fri]")
                    }
                    weekdays |= bits
                }
            case "from":
                let text = try scalar(entry.value, "`from`")
                guard let time = TimeOfDay(text) else {
                    throw fail(.badTime, entry.value, "window start '\(text)' does not parse", fix: "write a 24-hour local time HH:MM in quotes, e.g. from: \"08:00\"")
                }
                from = time
            default:
                let text = try scalar(entry.value, "`to`")
                guard let time = TimeOfDay(text, allowEndOfDay: true) else {
                    throw fail(.badTime, entry.value, "window end '\(text)' does not parse", fix: "write a 24-hour local time HH:MM in quotes (24:00 for midnight), e.g. to: \"17:00\"")
                }
                to = time
            }
        }
        guard let from, let to else {
            throw fail(.structure, node, "a restriction needs `from` and `to`", fix: "add from: \"08:00\" and to: \"17:00\"")
        }
        return Rota.Restriction(weekdays: weekdays, from: from, to: to)
    }

    /// An override, or nil when it names a line whose own problems are already reported.
    func override(_ node: Yams.Node, lines: [Rota.Line], unreadLines: Set<String>) throws -> Rota.Override? {
        var lineName = "primary"
        var lineNode: Yams.Node?
        var kindNode: Yams.Node?
        var add: String?
        var replace: String?
        var with: String?
        var remove: String?
        var from: Int?
        var to: Int?
        var reason: String?
        for entry in try mapping(node, "an override", keys: ["line", "cover", "add", "replace", "with", "remove", "from", "to", "reason"]) {
            switch entry.key {
            case "line":
                lineName = try scalar(entry.value, "`line`")
                lineNode = entry.value
            case "cover":
                add = try scalar(entry.value, "`cover`")
                kindNode = entry.value
            case "add":
                // The old name of `cover`: it never added anyone beside the person scheduled.
                add = try scalar(entry.value, "`add`")
                kindNode = entry.value
                notes.append(
                    "\(path):\(entry.keyNode.mark?.line ?? 0):\(entry.keyNode.mark?.column ?? 0): note: `add:` is deprecated: it puts \(add ?? "") on call in place of whoever is scheduled (fix: write `cover: \(add ?? "")`, which means the same)")
            case "replace":
                replace = try scalar(entry.value, "`replace`")
                kindNode = entry.value
            case "with": with = try scalar(entry.value, "`with`")
            case "remove":
                remove = try scalar(entry.value, "`remove`")
                kindNode = entry.value
            case "reason": reason = try scalar(entry.value, "`reason`")
            default:
                let text = try scalar(entry.value, "`\(entry.key)`")
                let instant: Date
                do {
                    instant = try InstantParser.parse(text)
                } catch {
                    throw fail(.badTime, entry.value, "override \(entry.key) '\(text)' does not parse: \(error)", fix: "write e.g. 2026-12-24T08:00 Europe/London or 2026-12-24T08:00:00+00:00")
                }
                if entry.key == "from" { from = Int(instant.timeIntervalSince1970) } else { to = Int(instant.timeIntervalSince1970) }
            }
        }
        guard let from, let to else {
            throw fail(.structure, node, "an override needs `from` and `to`", fix: "add from: and to: times, e.g. 2026-12-24T08:00 Europe/London")
        }
        guard from < to else {
            throw fail(.badTime, node, "override ends before it starts", fix: "make `to` later than `from`")
        }
        guard let line = lines.firstIndex(where: { $0.name == lineName }) else {
            if unreadLines.contains(lineName) { return nil }
            throw fail(.structure, lineNode ?? node, "override names line '\(lineName)', which the rota does not have", fix: "use one of: \((lines.map(\.name) + unreadLines.sorted()).joined(separator: ", "))")
        }
        let kinds = [add, replace, remove].compactMap { $0 }
        guard kinds.count == 1 else {
            throw fail(.structure, kindNode ?? node, "an override needs exactly one of `cover`, `replace` (with `with`) or `remove`", fix: "e.g. `replace: Oliver Hughes` and `with: Amara Nwosu`")
        }
        let scheduled = Set(lines[line].layers.flatMap(\.people))
        func scheduledPerson(_ name: String) throws -> Int {
            guard let index = personIndex[name], scheduled.contains(index) else {
                let names = scheduled.sorted().map { people[$0] }.joined(separator: ", ")
                throw fail(.unknownPerson, kindNode, "nobody named '\(name)' is on the \(lines[line].name) line", fix: "use a name from its layers: \(names)")
            }
            return index
        }
        let kind: Rota.Override.Kind
        if let add {
            kind = .add(person: person(add))
        } else if let replace {
            guard let with else {
                throw fail(.structure, node, "`replace: \(replace)` needs `with:` naming who takes over", fix: "add `with: NAME`")
            }
            kind = .replace(person: try scheduledPerson(replace), with: person(with))
        } else {
            kind = .remove(person: try scheduledPerson(remove ?? ""))
        }
        return Rota.Override(line: line, kind: kind, from: from, to: to, reason: reason, location: RotaSourceLocation(file: path, node: node))
    }

    /// Records every pair of overrides on one line whose periods overlap.
    func checkOverlaps(_ overrides: [Rota.Override], lines: [Rota.Line]) {
        let sorted = overrides.sorted { ($0.line, $0.from) < ($1.line, $1.from) }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.line == later.line && later.from < earlier.to {
            let first = min(earlier.location.line, later.location.line)
            let second = max(earlier.location.line, later.location.line)
            let location = earlier.location.line == second ? earlier.location : later.location
            file.record(Diagnostic(
                .overlappingOverrides, file: path, line: location.line, column: location.column,
                message: "this override on line '\(lines[later.line].name)' overlaps the one at line \(first) (\(InstantParser.utcString(later.from)) is before \(InstantParser.utcString(earlier.to)))",
                fix: "make the periods follow each other, or merge them into one override (line \(first) and line \(second))"))
        }
    }

    static func rotation(_ text: String) -> Rota.Rotation? {
        switch text.lowercased() {
        case "hourly": return .seconds(3600)
        case "daily": return .days(1)
        case "weekly": return .days(7)
        default:
            guard text.count >= 2, let unit = text.last, let count = Int(text.dropLast()), count > 0, count <= 10_000 else { return nil }
            switch unit {
            case "m": return count >= 15 ? .seconds(count * 60) : nil
            case "h": return .seconds(count * 3600)
            case "d": return .days(count)
            case "w": return .days(count * 7)
            default: return nil
            }
        }
    }

    static func localDate(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
        else { return nil }
        let number = CivilTime.dayNumber(year: year, month: month, day: day)
        return CivilTime.date(ofDay: number) == (year, month, day) ? number : nil
    }

    static func weekdays(_ text: String) -> UInt8? {
        let lowered = text.lowercased().trimmingCharacters(in: .whitespaces)
        switch lowered {
        case "every day", "everyday", "daily", "all": return 0x7F
        case "weekdays": return 0b0111110
        case "weekends": return 0b1000001
        default: break
        }
        func day(_ name: Substring) -> Int? {
            let short = name.prefix(3)
            guard let index = CivilTime.weekdayNames.firstIndex(of: String(short)),
                name.count == 3 || CivilTime.weekdayLongNames[index].lowercased() == name
            else { return nil }
            return index
        }
        let range = lowered.split(separator: "-")
        if range.count == 2, let first = day(range[0]), let last = day(range[1]) {
            var bits: UInt8 = 0
            var current = first
            while true {
                bits |= 1 << UInt8(current)
                if current == last { break }
                current = (current + 1) % 7
            }
            return bits
        }
        if range.count == 1, let single = day(range[0]) { return 1 << UInt8(single) }
        return nil
    }
}
