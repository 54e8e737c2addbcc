import Foundation
import HotlineCore
import HotlineFlowFile
import Synchronization

/// Plays catalog prompts by id: the player the live call uses.
///
/// ```swift
/// let player = try PromptPlayer(catalog: catalog, device: "default")
/// try player.preload()                                   // decode every WAV up front
/// let playback = try player.play(["gsc.welcome", "gsc.main-menu"]) { report in
///     if report.outcome == .finished { /* feed promptFinished(id) to the state machine */ }
/// }
/// // on a key press during the prompt (barge-in), from any thread:
/// let report = playback.stop()                           // report.framesWritten < report.totalFrames
/// ```
///
/// A list of ids plays as one utterance, back to back, on a dedicated thread paced in real time
/// (see ``PlaybackPacing``). A read-back is the digit prompts in sequence:
/// `player.play(PromptPlayer.readBack("0042"))`. Prompts must be 8 kHz mono (16-bit PCM or G.711);
/// `hotline prompts check` finds those that are not.
public final class PromptPlayer: Sendable {
    public let catalog: PromptCatalog
    /// The device the prompts play on.
    public let output: PCMPlayer
    private let cache = Mutex<[String: WAVAudio]>([:])

    /// Opens `device` for 8 kHz mono and plays `catalog`'s prompts on it.
    public convenience init(catalog: PromptCatalog, device: String = "default", pacing: PlaybackPacing = .realTime) throws(AudioError) {
        try self.init(catalog: catalog, output: PCMPlayer(device: device, format: .telephony, pacing: pacing))
    }

    /// Plays `catalog`'s prompts on an already open player (which must be set up for 8 kHz mono).
    public init(catalog: PromptCatalog, output: PCMPlayer) {
        self.catalog = catalog
        self.output = output
    }

    /// The digit prompts that read `value` back, one per keypad character (`*` is "star", `#` is
    /// "pound"); other characters are skipped.
    public static func readBack(_ value: String) -> [String] {
        value.compactMap { PromptSegment.promptID(forKey: $0) }
    }

    /// Reads and decodes prompts ahead of time (all of the catalog's when `ids` is nil) so that a
    /// `play` only writes. Throws for the first prompt that is missing or not a valid WAV.
    public func preload(_ ids: [String]? = nil) throws(AudioError) {
        for id in ids ?? catalog.entries.map(\.id) {
            _ = try audio(for: id)
        }
    }

    /// The decoded audio of one prompt (read once, then cached).
    public func audio(for id: String) throws(AudioError) -> WAVAudio {
        if let cached = cache.withLock({ $0[id] }) { return cached }
        guard let entry = catalog[id] else {
            throw AudioError(
                .unknownPrompt, subject: catalog.path, message: "no prompt '\(id)' in the catalog",
                fix: "add it to the catalog and run `make prompts`, or fix the id (`hotline prompts list` shows them)"
            )
        }
        let audio = try WAVAudio.read(path: entry.file)
        guard audio.format.isTelephony else {
            throw AudioError(
                .notTelephony, subject: entry.file, message: "prompt '\(id)' is \(audio.format.summary), not 8000 Hz mono 16-bit PCM or G.711",
                fix: "regenerate it with `make prompts`"
            )
        }
        cache.withLock { $0[id] = audio }
        return audio
    }

    /// Starts playing `promptIDs` back to back and returns once the first period is with ALSA.
    ///
    /// Stops any playback in progress first. `onFinished` runs on the playback thread when it ends
    /// (finished, stopped or failed). Throws before anything plays if a prompt is unknown or its WAV
    /// is invalid. ``PlaybackReport/firstFramesLatency`` counts from this call, so it includes
    /// reading any WAV not yet preloaded.
    public func play(_ promptIDs: [String], onFinished: (@Sendable (PlaybackReport) -> Void)? = nil) throws(AudioError) -> AudioPlayback {
        let requested = ContinuousClock.now
        var clips: [WAVAudio] = []
        clips.reserveCapacity(promptIDs.count)
        for id in promptIDs {
            clips.append(try audio(for: id))
        }
        return try output.play(clips, requested: requested, onFinished: onFinished)
    }

    /// Stops the playback in progress (barge-in, hang-up); `nil` when nothing plays.
    @discardableResult
    public func stop() -> PlaybackReport? {
        output.stop()
    }
}

/// Prompt lengths from the WAV headers, so a virtual-time call waits exactly as long as the real
/// prompts play.
///
/// A catalog entry whose WAV is missing or invalid is estimated from its transcript (0.4 s a word,
/// a little slower than espeak-ng's 150 words a minute) and listed in ``problems``; an id not in the
/// catalog counts as zero (`hotline flow check` and `hotline prompts check` report those).
public struct WAVPromptLengths: PromptLengths {
    private let lengths: [String: Duration]
    /// WAVs that could not be read, whose lengths are estimates.
    public let problems: [AudioError]

    public init(catalog: PromptCatalog) {
        var lengths: [String: Duration] = [:]
        var problems: [AudioError] = []
        for entry in catalog.entries {
            do {
                lengths[entry.id] = try WAVHeader.read(path: entry.file).duration
            } catch {
                problems.append(error)
                lengths[entry.id] = PromptCatalog.estimatedLength(of: entry.text)
            }
        }
        self.lengths = lengths
        self.problems = problems
    }

    /// The length of one prompt; `nil` if the catalog does not have it.
    public func duration(of id: String) -> Duration? { lengths[id] }

    public func duration(ofPrompts ids: [String]) -> Duration {
        ids.reduce(.zero) { $0 + (lengths[$1] ?? .zero) }
    }
}
