import HotlineCore
import Synchronization

/// Performs a call state machine's playback actions on a ``PromptPlayer``: the piece of a live-call
/// driver that makes `CallAction.play` heard and turns its end into `promptFinished`.
///
/// ```swift
/// case .play(let playback):
///     try audio.perform(playback) { id, report in driver.send { $0.promptFinished(id, at: clock.now()) } }
/// case .stopPlayback(let id):
///     audio.stop(playbackID: id)     // barge-in or hang-up: drops the rest at once
/// ```
///
/// `finished` is called on the playback thread when a playback ends by itself (`.finished`) or the
/// device fails mid-prompt (`.failed` — the call goes on; the report says what happened). A stopped
/// playback reports nothing, as `CallAction.stopPlayback` promises.
public final class CallPromptPlayer: Sendable {
    public let player: PromptPlayer
    private let current = Mutex<(id: Int, playback: AudioPlayback)?>(nil)

    public init(player: PromptPlayer) {
        self.player = player
    }

    /// Starts `playback.prompts` (read-backs are already digit prompts) and returns at once. Throws
    /// before anything plays if a prompt is unknown or its WAV invalid.
    public func perform(_ playback: Playback, finished: @escaping @Sendable (Int, PlaybackReport) -> Void) throws(AudioError) {
        let id = playback.id
        let started = try player.play(playback.prompts) { report in
            switch report.outcome {
            case .finished, .failed:
                finished(id, report)
            case .stopped:
                break
            }
        }
        current.withLock { $0 = (id, started) }
    }

    /// Stops playback `id` at once if it is the one playing, and returns its report; `nil` for an
    /// older or unknown playback (an event to ignore).
    @discardableResult
    public func stop(playbackID id: Int) -> PlaybackReport? {
        let playing = current.withLock { current -> AudioPlayback? in
            guard let current, current.id == id else { return nil }
            return current.playback
        }
        return playing?.stop()
    }
}
