import Foundation
import HotlineCore
import HotlineDiagnostics
import Yams

/// Where a SIP line sends a flow's named destinations (`hotline serve --sip --destinations FILE`),
/// as a PBX's dialplan maps an extension to a trunk: a flow says `transfer` `to: operator`, and this
/// file says that on SIP, `operator` is `sip:operator@pbx.example.com`. The flow stays the same on
/// the terminal, the web and SIP.
///
/// ```yaml
/// destinations:
///   operator: sip:operator@192.0.2.10:5060     # a flow's `to: operator`
///   night-service: sip:night@pbx.example.com
/// ```
///
/// Only the URIs written here are dialled, never anything a caller sends. Bad input (a URI that is
/// not `sip:[user@]host[:port]`, a name that is itself a URI, a duplicate name) is a ``Diagnostic``
/// naming the file, line and value with the fix; every problem is reported at once. A name no flow
/// transfer or queue uses is refused by ``check(against:flow:)`` with the nearest such name.
public struct SIPDestinations: Sendable, Hashable {
    /// Each destination name's SIP URI.
    public var contacts: [String: SIPContact]
    /// Where each name was written, for errors.
    public var locations: [String: SourceLocation]

    public init(contacts: [String: SIPContact] = [:], locations: [String: SourceLocation] = [:]) {
        self.contacts = contacts
        self.locations = locations
    }

    /// The URI for `name`, or `nil` when the file does not map it.
    public subscript(name: String) -> SIPContact? { contacts[name] }

    /// Reads and checks a destinations file.
    public static func load(path: String) throws(Diagnostics) -> SIPDestinations {
        let (destinations, problems) = read(path: path)
        if !problems.isEmpty { throw Diagnostics(problems).inFileOrder }
        return destinations
    }

    /// Reads and checks a destinations file, and that each name is one a call can be transferred
    /// to (``check(against:flow:)``): every bad entry of the file is said in one run, in file
    /// order — a bad URI and a misspelt name together, not the second after the first is fixed.
    public static func load(path: String, known: [String], flow: String) throws(Diagnostics) -> SIPDestinations {
        let (destinations, problems) = read(path: path)
        let all = problems + destinations.check(against: known, flow: flow)
        if !all.isEmpty { throw Diagnostics(all).inFileOrder }
        return destinations
    }

    /// The entries of the file that read, and the problems with the others.
    static func read(path: String) -> (SIPDestinations, [Diagnostic]) {
        let file = YAMLFile(path: path)
        var destinations = SIPDestinations()
        if let root = file.root, let top = file.mapping(of: root, in: "a destinations file", expecting: "a mapping with `destinations`") {
            var listed = false
            for (key, value) in top {
                guard key.string == "destinations" else {
                    let text = key.string ?? ""
                    file.error(
                        "unknown key '\(text)' in a destinations file", at: key,
                        fix: Suggestions.fix(for: text, in: ["destinations"], what: "a destinations file's keys"), code: .unknownKey)
                    continue
                }
                listed = true
                guard let entries = file.mapping(of: value, in: "`destinations`", expecting: "a mapping of names to sip: URIs") else { continue }
                for (nameNode, uriNode) in entries {
                    let name = nameNode.string ?? ""
                    guard !name.isEmpty, !name.lowercased().hasPrefix("sip:"), !name.contains("${") else {
                        file.error(
                            "the destination name '\(name)' is not a name", at: nameNode,
                            fix: "write the name a flow's `transfer` uses (`operator: sip:operator@192.0.2.10`); a flow's sip: URIs need no mapping",
                            code: .badValue)
                        continue
                    }
                    guard let text = file.scalar(uriNode, in: "destination '\(name)'") else { continue }
                    do throws(SIPContact.ParseError) {
                        destinations.contacts[name] = try SIPContact(parsing: text)
                        destinations.locations[name] = file.location(of: nameNode)
                    } catch {
                        file.error(
                            "destination '\(name)': the URI '\(text)': \(error.message)", at: uriNode,
                            fix: "write where a SIP line sends '\(name)' as sip:[user@]host[:port], e.g. sip:\(name)@192.0.2.10:5060", code: .badValue)
                    }
                }
            }
            if !listed {
                file.error("no `destinations:`", at: root, fix: "write `destinations:` with one `name: sip:user@host` line per destination")
            }
        }
        return (destinations, file.errors)
    }

    /// The names no flow transfer or queue uses (a typo would leave the real name unmapped): one
    /// error each, with the nearest known name.
    /// - Parameters:
    ///   - known: the names a call can be transferred to by name: the flow's transfer destinations
    ///     and the queues' names.
    ///   - flow: the flow's file, named in the fix.
    public func check(against known: [String], flow: String) -> [Diagnostic] {
        let candidates = Array(Set(known)).sorted()
        return contacts.keys.sorted().compactMap { name in
            guard !candidates.contains(name) else { return nil }
            let location = locations[name]
            return Diagnostic(
                .badValue, at: location, file: location?.file ?? "", message: "destination '\(name)' is not a transfer destination of the flow \(flow), nor a queue",
                fix: candidates.isEmpty
                    ? "the flow transfers to no name: remove the line" : Suggestions.fix(for: name, in: candidates, what: "the names it transfers to"))
        }
    }
}
