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

    /// What `hotline train` asked for.
    public struct Request: Sendable {
        /// Persona files, in the order taken.
        public var personas: [String]
        /// A trainee script (one persona); `nil`: the terminal desk.
        public var script: String?
        public var trainee: String
        public var rubric: String
        public var sessions: String
        public var json: Bool
        public var junit: String?
        /// The exam's seed when the personas are an exam: `json` then prints one document for all.
        public var examSeed: UInt64?

        public init(personas: [String], script: String?, trainee: String, rubric: String, sessions: String, json: Bool, junit: String?, examSeed: UInt64? = nil) {
            self.personas = personas
            self.script = script
            self.trainee = trainee
            self.rubric = rubric
            self.sessions = sessions
            self.json = json
            self.junit = junit
            self.examSeed = examSeed
        }
    }

    /// Takes every persona's call (scripted, or at `console`), prints each debrief with `out`,
    /// stores each session (taken at `takenAt()`) and writes the JUnit file. Bad files throw
    /// their diagnostics; a persona that misses Customer Care throws a ``TrainingError``.
    public static func take(_ request: Request, console: TrainingConsole, takenAt: () -> Date, out: (String) -> Void) throws {
        // The JUnit file is checked before the call, not after the trainee took it (the report was
        // lost with a raw "NSCocoaErrorDomain Code=4" once the call was over).
        if let junit = request.junit, let problem = OutputFile.problem(path: junit) {
            throw outputError(problem)
        }
        // Every file before the sessions database: one that does not load leaves no database behind.
        // Every persona of an exam is read first: a mistake in the third one is said before the
        // trainee takes the first call, not after two calls.
        let rubric = try Rubric.load(path: request.rubric)
        let script = try request.script.map { try TraineeScript.load(path: $0) }
        let personas = try request.personas.map { try Persona.load(path: $0) }
        // What is at the sessions path is looked at now (nothing is created): a folder or another
        // database is said before the call, not after it.
        try TrainingSessions.inspect(path: request.sessions)
        var store: TrainingSessions?
        var debriefs: [Debrief] = []
        for persona in personas {
            let line = try TrainingLine(persona: persona, trainee: request.trainee)
            if let script { line.run(script) } else { console.take(line) }
            let interrupted = script == nil && console.interrupted()
            let debrief = line.debrief(rubric: rubric)
            let sessions = try store ?? TrainingSessions.open(path: request.sessions)
            store = sessions
            try sessions.save(debrief, actions: line.actions, at: takenAt())
            debriefs.append(debrief)
            if !request.json {
                out(DebriefOutput.text(debrief, persona: persona))
            } else if request.examSeed == nil {
                out(DebriefOutput.json(debrief))
            }
            // Ctrl-C: this call is stored as abandoned; an exam's later personas are not taken.
            if interrupted { break }
        }
        if request.json, let seed = request.examSeed { out(DebriefOutput.examJSON(seed: seed, debriefs)) }
        if let junit = request.junit {
            do {
                try DebriefOutput.junit(debriefs).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                throw outputError(OutputFile.problem(writing: junit, error: error), after: "; the sessions are stored")
            }
        }
    }

    /// One of ``OutputFile``'s messages (`MESSAGE (fix: FIX)`) as a ``TrainingError``.
    static func outputError(_ problem: String, after: String = "") -> TrainingError {
        guard let range = problem.range(of: " (fix: ", options: .backwards), problem.hasSuffix(")") else {
            return TrainingError(problem + after, fix: "write the report elsewhere")
        }
        return TrainingError(String(problem[..<range.lowerBound]) + after, fix: String(problem[range.upperBound...].dropLast()))
    }

    /// The persona files an exam of `count` draws with `seed`.
    public static func exam(count: Int, seed: UInt64, folder: String = TrainingDefaults.personas) throws -> [String] {
        let files = try TrainingDefaults.personaFiles(in: folder)
        // More personas than there are is a mistake to say, not an exam quietly shorter than asked.
        guard count <= files.count else {
            throw TrainingError(
                "--exam \(count): there are only \(files.count) personas in \(folder)",
                fix: "ask for at most \(files.count), e.g. --exam \(min(4, files.count))")
        }
        return Exam.draw(from: files, count: count, seed: seed)
    }
}
