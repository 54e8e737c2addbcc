import Dispatch
import Foundation
import Synchronization

/// How fast a playback hands frames to ALSA.
public enum PlaybackPacing: Sendable, Hashable {
    /// Never more than the device buffer (~80 ms) ahead of real time, measured on the monotonic
    /// clock. A sound card paces itself; ALSA's `file` and `null` plugins accept everything at
    /// once, so without this a barge-in would find the whole prompt already written. The default.
    case realTime
    /// As fast as the device accepts frames: a card still plays in real time, the `file` plugin
    /// writes the whole prompt at once. For tests and benchmarks of the write path.
    case device
}

/// What happened to one playback.
public struct PlaybackReport: Sendable, Hashable {
    /// How the playback ended.
    public enum Outcome: Sendable, Hashable {
        /// Every frame was written and has played (the device drained).
        case finished
        /// ``AudioPlayback/stop()`` ended it early (barge-in, hang-up); the device dropped the rest.
        case stopped
        /// The device failed and could not be recovered; `framesWritten` were accepted first.
        case failed(AudioError)
    }

    public var outcome: Outcome
    /// Frames ALSA accepted before the playback ended.
    public var framesWritten: Int
    /// Frames the whole playback would have written.
    public var totalFrames: Int
    /// Underruns recovered with `snd_pcm_recover` along the way.
    public var underruns: Int
    /// From the `play` call to the first frames accepted by ALSA (`snd_pcm_writei` returning): the
    /// latency a caller hears, and what `make bench` measures. `nil` if nothing was written.
    public var firstFramesLatency: Duration?
}

/// One playback in progress: stop it (barge-in) or wait for it, from any thread.
public final class AudioPlayback: Sendable {
    private struct State {
        var stopRequested = false
        var report: PlaybackReport?
    }

    private let state = Mutex(State())
    /// Signalled by `stop()` so the playback thread wakes from a pacing wait at once.
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled once the report is set; every waiter passes the signal on.
    private let done = DispatchSemaphore(value: 0)
    /// Frames the whole playback would write.
    public let totalFrames: Int

    init(totalFrames: Int) {
        self.totalFrames = totalFrames
    }

    /// Stops the playback at once and returns its report, after ALSA has dropped what was queued.
    ///
    /// Returns within about one period (20 ms) — the longest a single write blocks on a card. Stopping
    /// a playback that already ended just returns its report (outcome unchanged).
    @discardableResult
    public func stop() -> PlaybackReport {
        let alreadyDone = state.withLock { state -> Bool in
            state.stopRequested = true
            return state.report != nil
        }
        if !alreadyDone { wake.signal() }
        return wait()
    }

    /// Blocks until the playback ends, and returns its report.
    @discardableResult
    public func wait() -> PlaybackReport {
        if let report = self.report { return report }
        done.wait()
        done.signal()
        guard let report = self.report else { preconditionFailure("a playback signalled done without a report") }
        return report
    }

    /// The report, once the playback has ended; `nil` while it plays.
    public var report: PlaybackReport? { state.withLock { $0.report } }

    var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// Sleeps up to `duration`, or less if `stop()` is called. Returns whether a stop was requested.
    func pause(_ duration: Duration) -> Bool {
        let nanos = max(0, Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000))
        _ = wake.wait(timeout: .now() + .nanoseconds(nanos))
        return stopRequested
    }

    func finish(_ report: PlaybackReport) {
        state.withLock { $0.report = report }
        done.signal()
    }
}

/// Plays 16-bit PCM clips on one ALSA device, one playback at a time, each on its own thread.
///
/// The device is opened once, in `init`, so a `play` only prepares the PCM and writes: the path from
/// a play action to the first frames accepted is a thread start and one `snd_pcm_writei`
/// (``PlaybackReport/firstFramesLatency`` measures it). A new `play` stops the one in progress first,
/// as a real IVR does when it moves on. Releasing the player stops its playback.
///
/// Wrong input, by kind:
/// - our own bug: none reachable from the API (a playback that ends without a report is a
///   `preconditionFailure`);
/// - bad input: clips in another format than the device was opened for, a device that does not
///   open, refuses the format or fails mid-playback — each an ``AudioError`` naming the file or
///   device (thrown, or in the report's `.failed` outcome);
/// - events to ignore: `stop()` of a playback that already ended (returns its report unchanged),
///   `stop()` with nothing playing (returns `nil`).
public final class PCMPlayer: Sendable {
    /// The ALSA PCM string it plays on.
    public let device: String
    public let format: PCMFormat
    public let pacing: PlaybackPacing
    /// Frames in one ALSA period (about 20 ms).
    public let periodFrames: Int
    /// Frames in the ALSA buffer (about 80 ms).
    public let bufferFrames: Int

    private let pcm: PCMBox
    private let current = Mutex<AudioPlayback?>(nil)

    /// Opens `device` for `format`. Errors name the device, say why, and list the devices ALSA knows.
    public init(device: String = "default", format: PCMFormat = .telephony, pacing: PlaybackPacing = .realTime) throws(AudioError) {
        let pcm = PCMBox(try ALSAPCM(device: device, format: format))
        self.pcm = pcm
        self.device = device
        self.format = format
        self.pacing = pacing
        self.periodFrames = pcm.periodFrames
        self.bufferFrames = pcm.bufferFrames
    }

    /// Starts playing `clips` back to back and returns as soon as the first period is with ALSA.
    ///
    /// The first period (~20 ms) is written on the calling thread, so the time to the first frames
    /// does not depend on a new thread being scheduled; the rest plays on a dedicated thread.
    ///
    /// - Parameters:
    ///   - clips: decoded audio, all in the player's ``format`` (else an ``AudioError/Code/notTelephony``
    ///     error naming the first clip that is not).
    ///   - requested: when the play action happened, for ``PlaybackReport/firstFramesLatency``
    ///     (default: now).
    ///   - onFinished: called once on the playback thread when it ends, however it ends
    ///     (``PlaybackReport/Outcome``); a driver turns `.finished` into its prompt-finished event
    ///     and ignores `.stopped`.
    /// - Throws: a format error before anything plays, or the device error if ALSA refuses the first
    ///   write (then `onFinished` is not called).
    public func play(
        _ clips: [WAVAudio], requested: ContinuousClock.Instant = .now, onFinished: (@Sendable (PlaybackReport) -> Void)? = nil
    ) throws(AudioError) -> AudioPlayback {
        for clip in clips where clip.format.sampleRate != format.sampleRate || clip.format.channels != format.channels {
            throw AudioError(
                .notTelephony, subject: clip.file,
                message: "is \(clip.format.summary); this player plays \(format.sampleRate) Hz with \(format.channels) channel(s)",
                fix: "re-encode it with `sox IN.wav -r \(format.sampleRate) -c \(format.channels) -b 16 -e signed-integer OUT.wav`"
            )
        }
        let playback = AudioPlayback(totalFrames: clips.reduce(0) { $0 + $1.format.frameCount })
        let previous = current.withLock { current in
            defer { current = playback }
            return current
        }
        previous?.stop()
        let job = PlaybackJob(pcm: pcm, clips: clips, playback: playback, pacing: pacing, requested: requested, onFinished: onFinished)
        var progress = PlaybackProgress(totalFrames: playback.totalFrames)
        do {
            try job.start(&progress)
        } catch {
            pcm.withDevice { $0.drop() }
            progress.report.outcome = .failed(error)
            playback.finish(progress.report)
            throw error
        }
        let started = progress
        let thread = Thread { job.run(from: started) }
        thread.name = "hotline.audio.playback"
        thread.qualityOfService = .userInteractive
        thread.start()
        return playback
    }

    deinit {
        current.withLock { $0 }?.stop()
    }

    /// Stops the playback in progress (barge-in) and returns its report; `nil` if none is playing.
    @discardableResult
    public func stop() -> PlaybackReport? {
        let playing = current.withLock { $0 }
        guard let playing, playing.report == nil else { return nil }
        return playing.stop()
    }
}

/// The open PCM, shared with playback threads. `ALSAPCM` is not thread-safe, so it is reachable
/// only under the lock. Only one thread uses it at a time anyway (`PCMPlayer.play` stops and waits
/// for the previous playback before starting the next), so the lock is never waited for: it makes
/// that rule one the compiler checks, at the price of an uncontended lock per 20 ms period.
private final class PCMBox: Sendable {
    private let device: Mutex<ALSAPCM>
    let format: PCMFormat
    let periodFrames: Int
    let bufferFrames: Int

    init(_ pcm: sending ALSAPCM) {
        format = pcm.format
        periodFrames = pcm.periodFrames
        bufferFrames = pcm.bufferFrames
        device = Mutex(pcm)
    }

    /// Runs `body` with the device, holding the lock (a write blocks at most one period).
    func withDevice<Result, Failure: Error>(_ body: (ALSAPCM) throws(Failure) -> sending Result) throws(Failure) -> sending Result {
        try device.withLock { (device) throws(Failure) -> sending Result in try body(device) }
    }
}

/// Where a playback has got to: handed from the calling thread (first period) to the playback thread.
private struct PlaybackProgress: Sendable {
    var clip = 0
    var offset = 0
    var started: ContinuousClock.Instant?
    var report: PlaybackReport

    init(totalFrames: Int) {
        report = PlaybackReport(outcome: .finished, framesWritten: 0, totalFrames: totalFrames, underruns: 0, firstFramesLatency: nil)
    }
}

/// The work of one playback.
private struct PlaybackJob: Sendable {
    let pcm: PCMBox
    let clips: [WAVAudio]
    let playback: AudioPlayback
    let pacing: PlaybackPacing
    let requested: ContinuousClock.Instant
    let onFinished: (@Sendable (PlaybackReport) -> Void)?

    /// Prepares the device and writes the first period (on the caller's thread).
    func start(_ progress: inout PlaybackProgress) throws(AudioError) {
        try pcm.withDevice { device throws(AudioError) in try device.prepare() }
        _ = try writeNext(&progress)
    }

    /// The rest of the playback (on its own thread).
    func run(from progress: PlaybackProgress) {
        var progress = progress
        let report = perform(&progress)
        playback.finish(report)
        onFinished?(report)
    }

    /// Writes the next period; returns false once every clip has been written.
    private func writeNext(_ progress: inout PlaybackProgress) throws(AudioError) -> Bool {
        while progress.clip < clips.count, progress.offset >= clips[progress.clip].format.frameCount {
            progress.clip += 1
            progress.offset = 0
        }
        guard progress.clip < clips.count else { return false }
        let clip = clips[progress.clip]
        let channels = pcm.format.channels
        let offset = progress.offset
        let count = min(pcm.periodFrames, clip.format.frameCount - offset)
        var underruns = progress.report.underruns
        try pcm.withDevice { (device) throws(AudioError) in
            try clip.samples.withUnsafeBufferPointer { (all) throws(AudioError) in
                let slice = UnsafeBufferPointer(rebasing: all[(offset * channels)..<((offset + count) * channels)])
                try device.write(slice, frames: count, underruns: &underruns)
            }
        }
        progress.report.underruns = underruns
        if progress.report.firstFramesLatency == nil {
            let now = ContinuousClock.now
            progress.report.firstFramesLatency = now - requested
            progress.started = now
        }
        progress.offset += count
        progress.report.framesWritten += count
        return true
    }

    private func perform(_ progress: inout PlaybackProgress) -> PlaybackReport {
        let rate = pcm.format.sampleRate
        /// How far ahead of real time the writes may run: the device buffer.
        let lead = pcm.bufferFrames
        func framePeriod(_ frames: Int) -> Duration {
            .nanoseconds(Int64(frames) * 1_000_000_000 / Int64(rate))
        }
        func framesPlayed(since start: ContinuousClock.Instant) -> Int {
            let elapsed = ContinuousClock.now - start
            return Int(elapsed.components.seconds) * rate + Int(elapsed.components.attoseconds / 1_000_000_000) * rate / 1_000_000_000
        }

        do throws(AudioError) {
            while !playback.stopRequested {
                if pacing == .realTime, let started = progress.started {
                    let ahead = progress.report.framesWritten - framesPlayed(since: started)
                    if ahead > lead {
                        _ = playback.pause(framePeriod(ahead - lead))
                        continue
                    }
                }
                guard try writeNext(&progress) else { break }
            }
            if !playback.stopRequested, pacing == .realTime, let started = progress.started {
                // Wait until the last frames are (nearly) heard, interruptibly, then drain the rest.
                while !playback.stopRequested {
                    let left = progress.report.framesWritten - framesPlayed(since: started) - pcm.periodFrames
                    if left <= 0 { break }
                    _ = playback.pause(framePeriod(left))
                }
            }
            if playback.stopRequested {
                pcm.withDevice { $0.drop() }
                progress.report.outcome = .stopped
            } else {
                pcm.withDevice { $0.drain() }
            }
        } catch {
            pcm.withDevice { $0.drop() }
            progress.report.outcome = .failed(error)
        }
        return progress.report
    }
}
