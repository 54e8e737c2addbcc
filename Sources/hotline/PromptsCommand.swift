import ArgumentParser
import Foundation
import HotlineApp
import HotlineAudio
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile

/// `hotline prompts …`: the prompt library.
struct PromptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "List, check, play and regenerate the prompt library.",
        subcommands: [List.self, Check.self, Play.self, Generate.self]
    )

    static let defaultCatalog = "Prompts/en-US/catalog.yaml"

    static func loadCatalog(_ path: String) throws -> PromptCatalog {
        try PromptCatalog.load(path: path)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every prompt: id, file, transcript and duration.")

        @Option(help: "The prompt catalog.")
        var catalog = PromptsCommand.defaultCatalog

        @Flag(help: "One JSON array, for scripts.")
        var json = false

        func run() throws {
            let listings = PromptListing.list(try PromptsCommand.loadCatalog(catalog))
            if json {
                print(try PromptViews.json(listings))
            } else {
                for line in PromptViews.list(listings) { print(line) }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every prompt a flow uses: in the catalog, with a transcript, a valid 8 kHz mono WAV.",
            discussion: "Without --flow, checks every catalog entry. Exits 1 if anything is wrong."
        )

        @Option(help: "The prompt catalog (default: the one the flow names, else \(PromptsCommand.defaultCatalog)).")
        var catalog: String?

        @Option(help: "A flow file whose prompts to check (default: every catalog entry).")
        var flow: String?

        func run() throws {
            var uses: [PromptUse]?
            var chosen = catalog
            if let flow {
                let loaded = try FlowFile.load(path: flow, prompts: catalog)
                uses = loaded.promptUses
                if chosen == nil { chosen = loaded.catalogPath }
            }
            let catalogPath = chosen ?? PromptsCommand.defaultCatalog
            let library = try PromptsCommand.loadCatalog(catalogPath)
            let result = PromptCheck.run(catalog: library, uses: uses)
            for problem in result.problems {
                print(problem.description)
            }
            if result.passed {
                print("ok: \(result.checked.count) prompts checked against \(catalogPath)")
            } else {
                print("\(result.problems.count) problem(s) in \(result.checked.count) prompts")
                throw ExitCode(Exit.failed)
            }
        }
    }

    struct Play: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Play one or more prompts by id through ALSA.")

        @Argument(help: "Prompt ids, played back to back (e.g. gsc.welcome digit.4 digit.2).")
        var ids: [String]

        @Option(help: "The prompt catalog.")
        var catalog = PromptsCommand.defaultCatalog

        @Option(help: "The ALSA PCM to play on (`aplay -L` lists them; e.g. plughw:0,0).")
        var device = "default"

        @Option(help: "auto: play if the device opens, else print the transcript; alsa: fail without a device; off: transcript only.")
        var audio: AudioModeArgument = .alsa

        @Flag(help: "Print frames written, underruns and the time to the first frames ALSA accepted.")
        var stats = false

        func run() throws {
            let library = try PromptsCommand.loadCatalog(catalog)
            for id in ids where library[id] == nil { throw PromptsCommand.unknown(id, in: library) }
            print(library.transcript(of: ids))
            try PlayCommand.perform(audio: audio.mode, device: device, stats: stats, format: .telephony) { output in
                let player = PromptPlayer(catalog: library, output: output)
                return try player.play(ids)
            }
        }
    }

    /// A prompt id the catalog does not have: an error about the value (status 2), with the
    /// closest id; it was a usage error that showed the root command's usage.
    static func unknown(_ id: String, in library: PromptCatalog) -> CommandError {
        let guess = Suggestions.closest(to: id, in: library.entries.map(\.id)).map { "did you mean '\($0)'? " } ?? ""
        return CommandError("no prompt '\(id)' in \(library.path) (fix: \(guess)`hotline prompts list` shows them)")
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate prompt WAVs from the catalog's transcripts with espeak-ng and sox (`make prompts`).",
            discussion: "Deterministic: the same catalog, voice and tool versions give the same bytes (sox -R)."
        )

        @Option(help: "The prompt catalog.")
        var catalog = PromptsCommand.defaultCatalog

        @Option(help: "The espeak-ng voice.")
        var voice = PromptGenerator.defaultVoice

        @Option(help: "Speaking rate, in words a minute.")
        var wordsPerMinute = PromptGenerator.defaultWordsPerMinute

        @Argument(help: "Only these prompt ids (default: all).")
        var ids: [String] = []

        func run() throws {
            let library = try PromptsCommand.loadCatalog(catalog)
            let generator = try PromptGenerator(voice: voice, wordsPerMinute: wordsPerMinute)
            let entries = ids.isEmpty ? library.entries : try ids.map { id in
                guard let entry = library[id] else { throw PromptsCommand.unknown(id, in: library) }
                return entry
            }
            for entry in entries {
                let format = try generator.generate(entry)
                print("\(entry.id): \((entry.file as NSString).lastPathComponent) \(String(format: "%.2f", format.duration.timeInterval)) s")
            }
            print("generated \(entries.count) prompts in \((library.path as NSString).deletingLastPathComponent)")
        }
    }
}

/// `--audio auto|alsa|off`.
struct AudioModeArgument: ExpressibleByArgument {
    var mode: AudioMode

    init(_ mode: AudioMode) { self.mode = mode }

    init?(argument: String) {
        guard let mode = AudioMode(rawValue: argument) else { return nil }
        self.mode = mode
    }

    static let auto = AudioModeArgument(.auto)
    static let alsa = AudioModeArgument(.alsa)

    var defaultValueDescription: String { mode.rawValue }
    static var allValueStrings: [String] { AudioMode.allCases.map(\.rawValue) }
}
