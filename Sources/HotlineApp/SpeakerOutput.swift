import Foundation
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import HotlineRuntime
import Synchronization

/// A live call's prompts through ALSA: each playback plays its prompts back to back on the
/// device, in real time, and a barge-in stops it at once (`snd_pcm_drop`).
public final class SpeakerOutput: PromptOutput {
    private let player: PromptPlayer
    /// The playback on the device now.
    private let current = Mutex<Int?>(nil)
    /// Called once if the device fails mid-call; the call goes on as transcript only.
    private let onFailure: @Sendable (String) -> Void
    private let failed = Mutex(false)

    public init(player: PromptPlayer, onFailure: @escaping @Sendable (String) -> Void) {
        self.player = player
        self.onFailure = onFailure
    }

    public func play(_ prompts: [String], playback: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            current.withLock { $0 = playback }
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
        let isCurrent = current.withLock { $0 == playback }
        if isCurrent { _ = player.stop() }
    }

    private func reportFailure(_ error: AudioError) {
        let first = failed.withLock { failed in
            defer { failed = true }
            return !failed
        }
        if first { onFailure("audio: \(error.message)") }
    }
}

/// Resolves `--audio` and `--device` into where a live call's prompts go.
public enum PromptOutputs {
    /// The output, and a one-line notice when `--audio auto` fell back to the transcript.
    /// Transcript-only calls still take each prompt's real length, on the call's clock.
    public static func make(
        mode: AudioMode, device: String, catalog: PromptCatalog, clock: any CallClock,
        onFailure: @escaping @Sendable (String) -> Void
    ) throws -> (output: any PromptOutput, notice: String?) {
        switch try AudioOutput.resolve(mode: mode, device: device) {
        case .device(let pcm):
            let player = PromptPlayer(catalog: catalog, output: pcm)
            try player.preload()
            return (SpeakerOutput(player: player, onFailure: onFailure), nil)
        case .transcriptOnly(let notice):
            return (SilentPromptOutput(lengths: WAVPromptLengths(catalog: catalog), clock: clock), notice)
        }
    }
}
