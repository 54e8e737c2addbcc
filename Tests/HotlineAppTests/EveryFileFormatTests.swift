import Foundation
import HotlineDiagnostics
import HotlineFlowFile
import HotlineRota
import HotlineRouter
import HotlineRuntime
import HotlineStore
import HotlineTraining
import Testing

/// Every file format is read through the one YAML layer: bad UTF-8, binary content and duplicate
/// keys are said the same way, with the file, line and column, by every loader. (Once only the rota
/// reported duplicate keys and bad UTF-8; the others said "cannot read the file (fix: check the
/// path)" or "The file isn't in the correct format".)
@Suite("One way to read every file format")
struct EveryFileFormatTests {
    /// A format: a reference file to start from, where it goes in a temporary folder, and its loader.
    struct Format: Sendable, CustomStringConvertible {
        var name: String
        /// Relative to the repository root.
        var reference: String
        /// The file's name in the temporary folder (some loaders want a folder).
        var fileName: String
        /// Loads the file at `path` (in `folder`) and returns every problem (none when it loads).
        var load: @Sendable (_ path: String, _ folder: String) -> [Diagnostic]
        var description: String { name }
    }

    static func problems(_ body: () throws -> Void) -> [Diagnostic] {
        do {
            try body()
            return []
        } catch let error as Diagnostics {
            return error.errors
        } catch let error as StoreError {
            return error.diagnostics
        } catch {
            Issue.record("not a diagnostic: \(error)")
            return []
        }
    }

    static let root = Repository.root.path
    static let formats: [Format] = [
        Format(name: "flow", reference: "Fixtures/flows/gsc.yaml", fileName: "flow.yaml") { path, _ in FlowChecker.check(path: path) },
        Format(name: "prompt catalog", reference: "Prompts/en-US/catalog.yaml", fileName: "catalog.yaml") { path, _ in
            problems { _ = try PromptCatalog.load(path: path) }
        },
        Format(name: "scenario", reference: "Fixtures/scenarios/gsc/01-escalation-by-voice-after-hours.yaml", fileName: "s.yaml") { path, _ in
            problems { _ = try ScenarioFile.load(path: path) }
        },
        Format(name: "rota", reference: "Fixtures/rota/escalation-managers.yaml", fileName: "rota.yaml") { path, _ in
            problems { _ = try Rota.load(path: path) }
        },
        Format(name: "escalation policy", reference: "Fixtures/rota/escalation-policy.yaml", fileName: "policy.yaml") { path, _ in
            problems { _ = try EscalationPolicy.load(path: path) }
        },
        Format(name: "agents", reference: "Fixtures/routing/agents.yaml", fileName: "agents.yaml") { path, _ in
            problems { _ = try RoutingFile.load(agents: path, queues: root + "/Fixtures/routing/queues.yaml") }
        },
        Format(name: "queues", reference: "Fixtures/routing/queues.yaml", fileName: "queues.yaml") { path, _ in
            problems { _ = try RoutingFile.load(agents: root + "/Fixtures/routing/agents.yaml", queues: path) }
        },
        Format(name: "staffing plan", reference: "Fixtures/routing/plan.yaml", fileName: "plan.yaml") { path, _ in
            problems { _ = try StaffingPlan.load(path: path) }
        },
        Format(name: "sample data", reference: "Fixtures/data/accounts.yaml", fileName: "accounts.yaml") { _, folder in
            problems { _ = try SampleData.load(folder: folder) }
        },
        Format(name: "SLA table", reference: "Fixtures/sla.yaml", fileName: "sla.yaml") { path, _ in
            problems { _ = try SLATable.load(path: path) }
        },
        Format(name: "training persona", reference: "Fixtures/training/personas/p1-past-target.yaml", fileName: "persona.yaml") { path, _ in
            problems { _ = try Persona.load(path: path) }
        },
        Format(name: "training rubric", reference: "Fixtures/training/rubric.yaml", fileName: "rubric.yaml") { path, _ in
            problems { _ = try Rubric.load(path: path) }
        },
        Format(name: "trainee script", reference: "Fixtures/training/answers/p1-past-target.model.yaml", fileName: "script.yaml") { path, _ in
            problems { _ = try TraineeScript.load(path: path) }
        },
    ]

    /// The reference file's lines, and the index of its first key line (not a comment or blank).
    func reference(_ format: Format) throws -> (lines: [String], firstKey: Int) {
        let text = try String(contentsOfFile: Self.root + "/" + format.reference, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let firstKey = try #require(lines.firstIndex { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        return (lines, firstKey)
    }

    /// Writes `bytes` as the format's file in a fresh folder (next to the rest of the sample data).
    func write(_ bytes: [UInt8], _ format: Format) throws -> (path: String, folder: String) {
        let folder = try Repository.temporaryFolder().path
        for name in ["contacts.yaml", "cases.yaml"] where format.name == "sample data" {
            try FileManager.default.copyItem(atPath: Self.root + "/Fixtures/data/" + name, toPath: folder + "/" + name)
        }
        let path = folder + "/" + format.fileName
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, folder)
    }

    @Test(arguments: formats)
    func theReferenceFileLoadsFromItsOwnPlace(format: Format) {
        let path = Self.root + "/" + format.reference
        let folder = (path as NSString).deletingLastPathComponent
        #expect(format.load(path, folder).isEmpty, "\(format.load(path, folder))")
    }

    @Test(arguments: formats)
    func latin1TextIsNotUTF8AtItsLineAndColumn(format: Format) throws {
        var (lines, firstKey) = try reference(format)
        lines.insert("# Caf\u{FFFF}", at: firstKey)  // placeholder, replaced by a Latin-1 é below
        let bytes = Array(lines.joined(separator: "\n").utf8)
        let marker = Array("\u{FFFF}".utf8)
        let at = try #require((0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        let latin1 = Array(bytes[..<at]) + [0xE9] + Array(bytes[(at + marker.count)...])
        let (path, folder) = try write(latin1, format)
        let problems = format.load(path, folder)
        #expect(problems.count == 1, "\(problems)")
        let problem = try #require(problems.first)
        #expect(problem.code == .notUTF8)
        #expect(problem.file == path)
        #expect((problem.line, problem.column) == (firstKey + 1, 6))
        #expect(problem.description.contains("the file is not UTF-8 text (byte 0xE9 at line \(firstKey + 1), column 6)"))
        #expect(problem.fix == "save the file as UTF-8")
    }

    @Test(arguments: formats)
    func binaryContentIsSaidToBeBinary(format: Format) throws {
        let (lines, _) = try reference(format)
        let (path, folder) = try write(Array(lines.joined(separator: "\n").utf8.prefix(40)) + [0, 0, 7, 0], format)
        let problems = format.load(path, folder)
        #expect(problems.map(\.code) == [.binary], "\(problems)")
        #expect(problems.first?.message.contains("binary") == true)
        #expect(problems.allSatisfy { !$0.description.unicodeScalars.contains { $0.value < 0x20 } })
    }

    @Test(arguments: formats)
    func aDuplicateKeyIsReportedAtItsSecondOccurrence(format: Format) throws {
        var (lines, firstKey) = try reference(format)
        lines.insert(lines[firstKey], at: firstKey + 1)
        let (path, folder) = try write(Array(lines.joined(separator: "\n").utf8), format)
        let problems = format.load(path, folder)
        let duplicate = try #require(problems.first { $0.code == .duplicateKey }, "\(problems)")
        #expect(duplicate.file == path)
        #expect(duplicate.line == firstKey + 2)
        #expect(duplicate.message.contains("it is already set at line \(firstKey + 1)"))
    }
}
