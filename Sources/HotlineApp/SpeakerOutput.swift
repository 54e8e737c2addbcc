import Foundation
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRuntime

/// A live call's prompts through ALSA: each playback plays its prompts back to back on the
/// device, in real time, and a barge-in stops it at once (`snd_pcm_drop`).
public final class SpeakerOutput: PromptOutput, @unchecked Sendable {
    private let player: PromptPlayer
    private let lock = NSLock()
    private var current: Int?
    /// Called once if the device fails mid-call; the call goes on as transcript only.
    private let onFailure: @Sendable (String) -> Void
    private var failed = false

    public init(player: PromptPlayer, onFailure: @escaping @Sendable (String) -> Void) {
        self.player = player
        self.onFailure = onFailure
    }

    public func play(_ prompts: [String], playback: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            lock.withLock { current = playback }
            do throws(AudioError) {
                _ = try player.play(prompts) { report in
                    switch report.outcome {
                    case .finished: continuation.resume(returning: true)
                    case .stopped: continuation.resume(returning: false)
                    case .failed(let error):
                        self.reportFailure(error)
                        continuation.resume(returning: true)
                    }
                }
            } catch {
                reportFailure(error)
                continuation.resume(returning: true)
            }
        }
    }

    public func stop(playback: Int) {
        let isCurrent = lock.withLock { current == playback }
        if isCurrent { _ = player.stop() }
    }

    private func reportFailure(_ error: AudioError) {
        let first = lock.withLock { () -> Bool in
            defer { failed = true }
            return !failed
        }
        if first { onFailure("audio: \(error.message)") }
    }
}

/// Resolves `--audio` and `--device` into where a live call's prompts go.
public enum PromptOutputs {
    /// The output, and a one-line notice when `--audio auto` fell back to the transcript.
    /// Transcript-only calls still take each prompt's real length (`pace` scales it: 0 for no wait).
    public static func make(
        mode: AudioMode, device: String, catalog: PromptCatalog, pace: Double = 1,
        onFailure: @escaping @Sendable (String) -> Void
    ) throws -> (output: any PromptOutput, notice: String?) {
        let lengths = WAVPromptLengths(catalog: catalog)
        let silent = SilentPromptOutput(lengths: lengths, sleep: { duration in
            if pace > 0 { try await Task.sleep(for: duration * pace) }
        })
        switch try AudioOutput.resolve(mode: pace == 0 ? .off : mode, device: device) {
        case .device(let pcm):
            let player = PromptPlayer(catalog: catalog, output: pcm)
            try player.preload()
            return (SpeakerOutput(player: player, onFailure: onFailure), nil)
        case .transcriptOnly(let notice):
            return (silent, notice)
        }
    }
}
