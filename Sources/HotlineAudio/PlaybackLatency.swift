import HotlineFlowFile

/// The audio path's timing points, for `make bench`: how long opening a device takes, and how long
/// from a play action to the first frames ALSA accepts (the ≤ 5 ms target).
///
/// Run it on ALSA's `file` plugin (`file:'/tmp/x.raw',raw`) for numbers that do not depend on a
/// sound card. Each run stops its playback as soon as the first frames are in, so a run costs
/// well under a millisecond of playing.
public enum PlaybackLatency {
    /// One measured play action.
    public struct Sample: Sendable, Hashable {
        /// `play` called → first `snd_pcm_writei` returned (``PlaybackReport/firstFramesLatency``).
        public var firstFrames: Duration
    }

    /// The result of ``measure(catalog:prompts:device:runs:preload:)``.
    public struct Result: Sendable, Hashable {
        /// Opening and configuring the device (hw/sw params), once.
        public var open: Duration
        public var samples: [Sample]
    }

    /// Opens `device`, then plays `prompts` `runs` times, stopping each playback at once.
    /// With `preload`, WAVs are decoded before the first run (as a live call does); without, the
    /// first run includes reading them.
    public static func measure(
        catalog: PromptCatalog, prompts: [String], device: String, runs: Int, preload: Bool = true
    ) throws(AudioError) -> Result {
        let clock = ContinuousClock()
        let opening = clock.now
        let player = try PromptPlayer(catalog: catalog, device: device)
        let open = clock.now - opening
        if preload { try player.preload(prompts) }
        var samples: [Sample] = []
        for _ in 0..<max(runs, 0) {
            let report = try player.play(prompts).stop()
            if case .failed(let error) = report.outcome { throw error }
            samples.append(Sample(firstFrames: report.firstFramesLatency ?? .zero))
        }
        return Result(open: open, samples: samples)
    }
}
