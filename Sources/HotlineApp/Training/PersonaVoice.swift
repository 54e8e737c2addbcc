import Foundation
import HotlineAudio

/// The persona's lines as WAV files: each line is generated with the prompts' espeak-ng + sox
/// pipeline (``PromptGenerator``: same voice, rate, 8 kHz mono 16-bit, repeatable dithering) and
/// cached by a hash of voice, rate and text under a cache folder outside the repository. The
/// terminal desk plays them (``PersonaVoice``); the web desk serves them to the browser.
public struct PersonaLines: Sendable {
    public let generator: PromptGenerator
    /// Where generated lines are kept (`<hash>.wav`); made when needed.
    public let cache: String

    public init(generator: PromptGenerator, cache: String) {
        self.generator = generator
        self.cache = cache
    }

    /// Finds espeak-ng and sox; the error says what to install.
    public static func open(cache: String = defaultCache(), searchPath: String? = nil) throws(AudioError) -> PersonaLines {
        PersonaLines(generator: try PromptGenerator(searchPath: searchPath), cache: cache)
    }

    /// `$XDG_CACHE_HOME/hotline/persona-lines`, else `~/.cache/hotline/persona-lines`.
    public static func defaultCache(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("hotline/persona-lines")
    }

    /// The cache file of a line: a 64-bit FNV-1a hash of voice, rate and text (the same line in
    /// the same voice is generated once).
    public func file(for text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(generator.voice)|\(generator.wordsPerMinute)|\(text)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return (cache as NSString).appendingPathComponent(String(repeating: "0", count: 16 - hex.count) + hex + ".wav")
    }

    /// The line's WAV, generated unless it is cached already.
    public func wav(for text: String) throws(AudioError) -> String {
        let file = file(for: text)
        if (try? WAVHeader.read(path: file))?.isTelephony == true { return file }
        try generator.generate(text: text, id: "persona line '\(text.prefix(40))'", file: file)
        return file
    }
}

/// The persona's lines spoken at the terminal desk (`hotline train --device NAME`): ``PersonaLines``
/// played through ALSA.
public struct PersonaVoice: Sendable {
    public let lines: PersonaLines
    public var generator: PromptGenerator { lines.generator }
    public var cache: String { lines.cache }
    public let player: PCMPlayer

    public init(generator: PromptGenerator, cache: String, player: PCMPlayer) {
        self.lines = PersonaLines(generator: generator, cache: cache)
        self.player = player
    }

    /// Opens `device` and finds espeak-ng and sox; each error says what to install or pick.
    public static func open(device: String, cache: String = defaultCache(), searchPath: String? = nil) throws(AudioError) -> PersonaVoice {
        let generator = try PromptGenerator(searchPath: searchPath)
        return PersonaVoice(generator: generator, cache: cache, player: try PCMPlayer(device: device, pacing: .realTime))
    }

    /// `$XDG_CACHE_HOME/hotline/persona-lines`, else `~/.cache/hotline/persona-lines`.
    public static func defaultCache(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        PersonaLines.defaultCache(environment: environment)
    }

    /// The cache file of a line (see ``PersonaLines/file(for:)``).
    public func file(for text: String) -> String { lines.file(for: text) }

    /// The line's WAV, generated unless it is cached already.
    public func wav(for text: String) throws(AudioError) -> String { try lines.wav(for: text) }

    /// Speaks one line and waits until it has played.
    @discardableResult
    public func speak(_ text: String) throws(AudioError) -> PlaybackReport {
        let audio = try WAVAudio.read(path: try wav(for: text))
        return try player.play([audio]).wait()
    }
}
