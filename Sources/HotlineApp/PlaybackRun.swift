import Foundation
import HotlineAudio
import HotlineCore

/// `hotline play` and `hotline prompts play`: open the output `--audio` asks for, start a
/// playback, stop it on Ctrl-C, and say what happened. The commands only print the result.
public enum PlaybackRun {
    /// What a playback came to.
    public enum Result: Sendable {
        /// No device: the transcript is all there is (with why, when a device was tried).
        case transcriptOnly(notice: String?)
        /// It played (to the end, stopped by Ctrl-C, or failed part way).
        case played(PlaybackReport, statistics: String)
    }

    /// Opens the output and plays; throws when the output cannot be opened (with `mode` alsa) or
    /// the playback cannot start.
    public static func perform(
        audio mode: AudioMode, device: String, format: PCMFormat, start: (PCMPlayer) throws -> AudioPlayback
    ) throws -> Result {
        switch try AudioOutput.resolve(mode: mode, device: device, format: format) {
        case .transcriptOnly(let notice):
            return .transcriptOnly(notice: notice)
        case .device(let player):
            let playback = try start(player)
            signal(SIGINT, SIG_IGN)
            let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            interrupt.setEventHandler { playback.stop() }
            interrupt.resume()
            let report = playback.wait()
            interrupt.cancel()
            return .played(report, statistics: statistics(report, player: player))
        }
    }

    /// `--stats`: frames, underruns, the device's period and buffer, and the first-frames latency.
    static func statistics(_ report: PlaybackReport, player: PCMPlayer) -> String {
        let latency = report.firstFramesLatency.map { String(format: "%.3f ms", $0.timeInterval * 1000) } ?? "none"
        return "frames \(report.framesWritten)/\(report.totalFrames), underruns \(report.underruns), period \(player.periodFrames) frames, buffer \(player.bufferFrames) frames, first frames accepted after \(latency)"
    }
}
