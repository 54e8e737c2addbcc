import ArgumentParser
import Foundation
import HotlineApp
import HotlineAudio
import HotlineDiagnostics

/// `hotline train`: the trainee takes the calls; scripted customers call in through the real line,
/// and every call is scored against the GSC procedure.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training mode: take a persona's call at the desk (or run a trainee script) and get a scored debrief.",
        subcommands: [Take.self, Report.self],
        defaultSubcommand: Take.self
    )

    struct Take: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "take", abstract: "Take a persona's call (the default).")

        @Option(help: ArgumentHelp("The persona file (Fixtures/training/personas/*.yaml).", valueName: "file"))
        var persona: String?
        @Option(name: .customLong("trainee-script"), help: ArgumentHelp("Desk actions with their moments, instead of typing them.", valueName: "file"))
        var traineeScript: String?
        @Option(name: .customLong("as"), help: ArgumentHelp("The trainee's name.", valueName: "name"))
        var trainee: String = "trainee"
        @Option(help: ArgumentHelp("An exam: this many personas drawn reproducibly (with --seed).", valueName: "n"))
        var exam: Int?
        @Option(help: "The exam's seed.")
        var seed: UInt64 = 1
        @Option(help: ArgumentHelp("The folder an exam draws its personas from (your own personas).", valueName: "folder"))
        var personas: String = TrainingDefaults.personas
        @Option(help: ArgumentHelp("The rubric.", valueName: "file"))
        var rubric: String = TrainingDefaults.rubric
        @Option(help: ArgumentHelp("Where training sessions are stored (SQLite).", valueName: "path"))
        var sessions: String = TrainingDefaults.sessions
        @Flag(help: "Print one JSON object: score, checks (id, passed, …), transcript; an exam prints one object with its seed, score and calls.")
        var json = false
        @Option(help: ArgumentHelp("Also write the debrief as JUnit XML.", valueName: "file"))
        var junit: String?
        @Option(help: ArgumentHelp("Speak the persona's lines at the desk on this ALSA device (espeak-ng + sox, cached).", valueName: "name"))
        var device: String?

        func validate() throws {
            try ArgumentText.requireUTF8()  // the trainee's name is stored
            if (persona == nil) == (exam == nil) { throw ValidationError("give --persona FILE or --exam N") }
            // The name the report groups by: an empty one was stored and shown as ": 1 call(s)".
            if trainee.trimmingCharacters(in: .whitespaces).isEmpty || trainee.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
                throw ValidationError("--as needs the trainee's name (not empty, no control characters), e.g. --as alex")
            }
            if exam != nil && traineeScript != nil { throw ValidationError("--trainee-script goes with one --persona, not an exam") }
            if let exam, exam < 1 { throw ValidationError("--exam takes at least 1 persona") }
            if exam == nil && personas != TrainingDefaults.personas { throw ValidationError("--personas FOLDER goes with --exam N (one persona: --persona FILE)") }
        }

        func run() throws {
            do {
                let files = try persona.map { [$0] } ?? Training.exam(count: exam ?? 1, seed: seed, folder: personas)
                if exam != nil, !json { print("Exam (seed \(seed)): " + files.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }.joined(separator: ", ")) }
                // With --json, stdout carries only the JSON document: the desk talks on stderr.
                let desk = json ? FileHandle.standardError : FileHandle.standardOutput
                var speak: (@Sendable (String) -> Void)?
                if let device {
                    let voice = try PersonaVoice.open(device: device)
                    speak = { text in
                        do { try voice.speak(text) } catch { desk.write(Data("audio: \(error)\n".utf8)) }
                    }
                }
                // The terminal desk reads its lines on a thread of their own, so Ctrl-C ends the call
                // as abandoned (scored and stored) instead of killing it; a second Ctrl-C exits at once.
                let input = traineeScript == nil ? DeskInput() : nil
                defer { input?.cancel() }
                let console = TrainingConsole(
                    readLine: { input?.readLine() },
                    write: { text in desk.write(Data((text.hasSuffix("> ") ? text : text + "\n").utf8)) },
                    clock: { Date() },
                    speak: speak,
                    interrupted: { input?.interrupted ?? false },
                    readWithin: { seconds in input?.read(within: seconds) ?? .ended })
                let request = Training.Request(
                    personas: files, script: traineeScript, trainee: trainee, rubric: rubric, sessions: sessions, json: json, junit: junit,
                    examSeed: exam == nil ? nil : seed)
                // The wall clock is read here, the outermost layer: when each session was taken.
                try Training.take(request, console: console, takenAt: { Date() }, out: { print($0) })
                if input?.interrupted == true {
                    Exit.note("interrupted: the call was ended as abandoned, scored and stored in \(sessions)")
                    throw ExitCode(Exit.interrupted)  // as a shell reports Ctrl-C
                }
            } catch let problems as Diagnostics {
                throw CommandError(problems.description)
            } catch let problem as TrainingError {
                throw CommandError(problem.description)
            } catch let problem as AudioError {
                throw CommandError(problem.description)
            }
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A trainee's progress over time and the checks most often missed (all trainees without --as).")
        @Option(name: .customLong("as"), help: ArgumentHelp("Only this trainee.", valueName: "name"))
        var trainee: String?
        @Option(help: ArgumentHelp("Where training sessions are stored (SQLite).", valueName: "path"))
        var sessions: String = TrainingDefaults.sessions

        func run() throws {
            // Reading only: a missing file is no sessions yet, and is not created.
            guard let stored = try TrainingSessions.openForReading(path: sessions) else {
                print(trainee.map { "No training sessions for \($0) yet." } ?? "No training sessions yet.")
                return
            }
            print(try stored.report(trainee: trainee))
        }
    }
}
