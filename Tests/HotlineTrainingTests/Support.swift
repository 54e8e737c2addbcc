import Foundation
import HotlineApp
import HotlineTraining

/// The repository root, found from this file's path.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    static var personaFiles: [String] { (try? TrainingDefaults.personaFiles(in: path(TrainingDefaults.personas))) ?? [] }
    static var personaIDs: [String] { personaFiles.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } }

    /// Every answer file of a persona other than the model.
    static func carelessScripts() -> [String] {
        let folder = path(TrainingDefaults.answers)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".model.yaml") }.sorted()
    }

    static func persona(_ id: String) throws -> Persona { try Persona.load(path: path("\(TrainingDefaults.personas)/\(id).yaml")) }
    static func rubric() throws -> Rubric { try Rubric.load(path: path(TrainingDefaults.rubric)) }

    /// Runs a persona against a script on the real line.
    static func run(_ persona: Persona, _ script: TraineeScript) throws -> (Debrief, TrainingLine) {
        let line = try TrainingLine(persona: persona, trainee: "test", root: root)
        line.run(script)
        return (line.debrief(rubric: try rubric()), line)
    }
}
