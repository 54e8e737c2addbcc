import ArgumentParser
import Foundation
import HotlineApp
import HotlineAudio
import HotlineCore

/// `hotline play FILE.wav`: any WAV (8/16-bit PCM, µ-law or A-law, any rate and channels) through ALSA.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a WAV file (8- or 16-bit PCM, G.711 µ-law or A-law, any rate) through ALSA.",
        discussion: "Ctrl-C stops it at once. Pick a sound card with --device (`aplay -L` lists them)."
    )

    @Argument(help: "The WAV file.")
    var file: String

    @Option(help: "The ALSA PCM to play on (e.g. default, plughw:0,0, or file:'/tmp/out.raw',raw).")
    var device = "default"

    @Flag(help: "Print frames written, underruns and the time from the play action to the first frames ALSA accepted.")
    var stats = false

    func run() throws {
        let audio = try WAVAudio.read(path: file)
        print("\(file): \(audio.format.summary), \(String(format: "%.2f", audio.format.duration.timeInterval)) s")
        try PlayCommand.perform(
            audio: .alsa, device: device, stats: stats,
            format: PCMFormat(sampleRate: audio.format.sampleRate, channels: audio.format.channels)
        ) { output in
            try output.play([audio])
        }
    }

    /// Plays through `PlaybackRun` and prints what happened; a device that cannot be opened is an
    /// error (2), a playback that fails part way a failure (1), Ctrl-C 130.
    static func perform(
        audio mode: AudioMode, device: String, stats: Bool = false, format: PCMFormat, start: (PCMPlayer) throws -> AudioPlayback
    ) throws {
        let result: PlaybackRun.Result
        do {
            result = try PlaybackRun.perform(audio: mode, device: device, format: format, start: start)
        } catch let error as AudioError {
            Exit.fail(error.description)
        }
        switch result {
        case .transcriptOnly(let notice):
            if let notice { Exit.standardError(notice) }
        case .played(let report, let statistics):
            if stats { print(statistics) }
            switch report.outcome {
            case .finished:
                break
            case .stopped:
                print("stopped after \(report.framesWritten) of \(report.totalFrames) frames")
                throw ExitCode(Exit.interrupted)  // as a shell reports Ctrl-C
            case .failed(let error):
                Exit.fail(error.description, status: Exit.failed)
            }
        }
    }
}
