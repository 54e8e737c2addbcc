import ArgumentParser
import Foundation
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

    /// Opens the output per `--audio`, starts a playback, stops it on Ctrl-C, and reports it.
    static func perform(
        audio mode: AudioMode, device: String, stats: Bool = false, format: PCMFormat, start: (PCMPlayer) throws -> AudioPlayback
    ) throws {
        let output: AudioOutput
        do {
            output = try AudioOutput.resolve(mode: mode, device: device, format: format)
        } catch {
            Exit.fail(error.description)
        }
        switch output {
        case .transcriptOnly(let notice):
            if let notice { FileHandle.standardError.write(Data("\(notice)\n".utf8)) }
        case .device(let player):
            let playback: AudioPlayback
            do {
                playback = try start(player)
            } catch let error as AudioError {
                Exit.fail(error.description, status: Exit.failed)
            }
            signal(SIGINT, SIG_IGN)
            let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            interrupt.setEventHandler { playback.stop() }
            interrupt.resume()
            let report = playback.wait()
            interrupt.cancel()
            if stats {
                let latency = report.firstFramesLatency.map { String(format: "%.3f ms", $0.timeInterval * 1000) } ?? "none"
                print("frames \(report.framesWritten)/\(report.totalFrames), underruns \(report.underruns), period \(player.periodFrames) frames, buffer \(player.bufferFrames) frames, first frames accepted after \(latency)")
            }
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
