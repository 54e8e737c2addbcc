import Synchronization

/// One call's outgoing audio, shared between the tasks that queue prompts and the media clock
/// that sends them: a ``MediaStream`` behind a lock, with the tasks waiting for their playbacks.
///
/// Events to ignore: stopping a playback that is not queued (it may have just finished), playing
/// on a closed channel (the call ended: the playback returns `false` at once).
public final class MediaChannel: Sendable {
    private struct State: Sendable {
        var stream = MediaStream()
        var waiting: [Int: CheckedContinuation<Bool, Never>] = [:]
        /// Playbacks stopped before they were queued (a stop can overtake its play).
        var stoppedEarly: Set<Int> = []
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Sends `samples` (8 kHz mono) after what is queued; returns `true` when the last sample went
    /// out, `false` when the playback was stopped or the call ended first.
    public func play(_ samples: [Int16], playback: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            let refused = state.withLock { state -> Bool in
                if state.closed || state.stoppedEarly.remove(playback) != nil { return true }
                state.stream.enqueue(playback: playback, samples: samples)
                state.waiting[playback] = continuation
                return false
            }
            if refused { continuation.resume(returning: false) }
        }
    }

    /// Stops a playback at once (barge-in): the next frame is silence or the next playback.
    public func stop(playback: Int) {
        let continuation = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.stream.stop(playback: playback) { return state.waiting.removeValue(forKey: playback) }
            if state.waiting[playback] == nil { state.stoppedEarly.insert(playback) }
            return nil
        }
        continuation?.resume(returning: false)
    }

    /// Loops `samples` between prompts while the call waits in a queue; `[]` goes back to silence.
    public func hold(_ samples: [Int16]) {
        state.withLock { $0.stream.setHold(samples) }
    }

    /// Whether a prompt is being sent.
    public var isPlaying: Bool { state.withLock { $0.stream.isPlaying } }

    /// The call ended: every waiting playback returns `false`, later ones at once.
    func close() {
        let waiting = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.closed = true
            _ = state.stream.stopAll()
            state.stream.setHold([])
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume(returning: false) }
    }

    /// The media clock's frame (on the libre thread).
    func nextFrame(into frame: UnsafeMutableBufferPointer<UInt8>, codec: G711Codec) {
        let done = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.stream.nextFrame(into: frame, codec: codec).compactMap { state.waiting.removeValue(forKey: $0) }
        }
        for continuation in done { continuation.resume(returning: true) }
    }
}
