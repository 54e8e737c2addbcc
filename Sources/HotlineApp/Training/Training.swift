import Foundation
import HotlineDiagnostics
import HotlineTraining

/// What `hotline train` runs: a persona's call taken by a scripted trainee or at the terminal
/// desk, scored against the rubric, and stored.
public enum Training {
    /// Reads a persona, naming the file in the error.
    public static func persona(_ path: String) throws -> Persona {
        try Persona.load(path: path)
    }

    /// Runs `persona` against a trainee script; the debrief and the line (its transcript, its actions).
    public static func scripted(persona: Persona, script: TraineeScript, rubric: Rubric, trainee: String, root: String = "") throws -> (Debrief, TrainingLine) {
        let line = try TrainingLine(persona: persona, trainee: trainee, root: root)
        line.run(script)
        return (line.debrief(rubric: rubric), line)
    }

    /// The persona files an exam of `count` draws with `seed`.
    public static func exam(count: Int, seed: UInt64, folder: String = TrainingDefaults.personas) throws -> [String] {
        let files = try TrainingDefaults.personaFiles(in: folder)
        return Exam.draw(from: files, count: count, seed: seed)
    }
}
