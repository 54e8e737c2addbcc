import Foundation
import HotlineFlowFile

/// Regenerates prompt WAVs from catalog transcripts with espeak-ng and sox (`make prompts`).
///
/// Each prompt is `espeak-ng --stdout -v VOICE -s WPM TEXT | sox -R -t wav - -r 8000 -c 1 -b 16
/// -e signed-integer -t wav OUT` followed by ``trimEffects``, run as real processes. `sox -R` makes dithering repeatable, so the
/// same catalog, voice and tool versions give the same bytes; the WAVs are committed, and users
/// and CI need neither tool. Each file is written to a temporary name and renamed into place, then
/// read back and checked.
public struct PromptGenerator: Sendable {
    /// The espeak-ng voice (`espeak-ng --voices` lists them).
    public var voice: String
    /// Speaking rate in words a minute.
    public var wordsPerMinute: Int
    public var espeakPath: String
    public var soxPath: String

    /// sox effects that cut espeak-ng's leading and trailing silence (about 0.4 s a prompt) down to
    /// 50 ms before and 150 ms after, so a digit read-back sounds like one, not like a dictation.
    public static let trimEffects = ["silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse", "pad", "0.05", "0.15"]

    public static let defaultVoice = "en-us"
    public static let defaultWordsPerMinute = 150

    /// Finds espeak-ng and sox on `PATH`; errors say how to install them.
    public init(voice: String = defaultVoice, wordsPerMinute: Int = defaultWordsPerMinute, searchPath: String? = nil) throws(AudioError) {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        func locate(_ tool: String) throws(AudioError) -> String {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(tool)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            throw AudioError(.generatorFailed, subject: tool, message: "not found on PATH", fix: "run `make prompts` (it installs espeak-ng and sox) or `apt-get install espeak-ng sox`")
        }
        self.voice = voice
        self.wordsPerMinute = wordsPerMinute
        self.espeakPath = try locate("espeak-ng")
        self.soxPath = try locate("sox")
    }

    /// Generates one prompt's WAV from its transcript and returns what it holds.
    @discardableResult
    public func generate(_ entry: PromptCatalog.Entry) throws(AudioError) -> WAVFormat {
        try generate(text: entry.text, id: entry.id, file: entry.file)
    }

    /// Generates `text` into the WAV `file` (written whole or not at all); `id` names it in errors.
    /// Training's spoken persona lines use it as the prompts do.
    @discardableResult
    public func generate(text: String, id: String, file: String) throws(AudioError) -> WAVFormat {
        let entry = (id: id, text: text, file: file)
        let folder = (entry.file as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw AudioError(.generatorFailed, subject: folder, message: "cannot create the folder: \(error.localizedDescription)", fix: nil)
        }
        let temporary = entry.file + ".partial"
        defer { try? FileManager.default.removeItem(atPath: temporary) }

        let speak = Process()
        speak.executableURL = URL(fileURLWithPath: espeakPath)
        speak.arguments = ["--stdout", "-v", voice, "-s", String(wordsPerMinute), entry.text]
        let convert = Process()
        convert.executableURL = URL(fileURLWithPath: soxPath)
        convert.arguments = ["-R", "-t", "wav", "-", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "wav", temporary] + PromptGenerator.trimEffects
        let audio = Pipe()
        let speakErrors = Pipe()
        let convertErrors = Pipe()
        speak.standardOutput = audio
        speak.standardError = speakErrors
        convert.standardInput = audio
        convert.standardError = convertErrors
        convert.standardOutput = FileHandle.nullDevice
        do {
            try convert.run()
            try speak.run()
        } catch {
            throw AudioError(.generatorFailed, subject: entry.id, message: "cannot start espeak-ng/sox: \(error.localizedDescription)", fix: "reinstall them: `apt-get install --reinstall espeak-ng sox`")
        }
        let speakMessage = String(decoding: speakErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let convertMessage = String(decoding: convertErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        speak.waitUntilExit()
        convert.waitUntilExit()
        guard speak.terminationStatus == 0 else {
            throw AudioError(.generatorFailed, subject: entry.id, message: "espeak-ng exited with \(speak.terminationStatus): \(speakMessage.trimmingCharacters(in: .whitespacesAndNewlines))", fix: "check the voice '\(voice)' exists (`espeak-ng --voices`)")
        }
        guard convert.terminationStatus == 0 else {
            throw AudioError(.generatorFailed, subject: entry.id, message: "sox exited with \(convert.terminationStatus): \(convertMessage.trimmingCharacters(in: .whitespacesAndNewlines))", fix: nil)
        }
        let format = try WAVHeader.read(path: temporary)
        guard format.isTelephony, format.encoding == .pcm16, format.frameCount > 0 else {
            throw AudioError(.generatorFailed, subject: entry.id, message: "sox wrote \(format.summary) with \(format.frameCount) frames, expected 8000 Hz mono 16-bit audio", fix: nil)
        }
        do {
            if FileManager.default.fileExists(atPath: entry.file) {
                try FileManager.default.removeItem(atPath: entry.file)
            }
            try FileManager.default.moveItem(atPath: temporary, toPath: entry.file)
        } catch {
            throw AudioError(.generatorFailed, subject: entry.file, message: "cannot write: \(error.localizedDescription)", fix: nil)
        }
        return format
    }
}
