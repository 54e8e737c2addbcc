import Foundation
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import Synchronization
import Testing

/// Playback through real libasound, with its `file` plugin as the speaker.
@Suite struct PlaybackTests {
    @Test func pcmPromptWritesExactlyItsSamples() throws {
        let folder = try TemporaryFolder()
        let samples = testSignal(frames: 4321)
        try WAVBuilder.pcm16(samples).write(to: folder.file("hello.wav"))
        let catalog = try folder.catalog([("hello", "Hello.")])
        let player = try PromptPlayer(catalog: catalog, device: folder.alsaFileDevice("out.raw"), pacing: .device)
        let report = try player.play(["hello"]).wait()
        #expect(report.outcome == .finished)
        #expect(report.framesWritten == 4321)
        #expect(report.totalFrames == 4321)
        #expect(report.firstFramesLatency != nil)
        #expect(try folder.samples(in: "out.raw") == samples)
    }

    @Test func muLawPromptWritesTheDecodedSamples() throws {
        let folder = try TemporaryFolder()
        let codes = (0..<2000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try WAVBuilder.g711(codes, muLaw: true).write(to: folder.file("mu.wav"))
        let catalog = try folder.catalog([("mu", "Mu.")])
        let player = try PromptPlayer(catalog: catalog, device: folder.alsaFileDevice("out.raw"), pacing: .device)
        #expect(try player.play(["mu"]).wait().outcome == .finished)
        #expect(try folder.samples(in: "out.raw") == codes.map(G711.decodeMuLaw))
    }

    @Test func promptListIsPlayedBackToBackAndReadBackUsesDigitPrompts() throws {
        let folder = try TemporaryFolder()
        var expected: [Int16] = []
        for (index, id) in ["digit.4", "digit.2", "digit.pound", "intro"].enumerated() {
            let samples = testSignal(frames: 500 + 37 * index, seed: index)
            try WAVBuilder.pcm16(samples).write(to: folder.file("\(id).wav"))
        }
        let catalog = try folder.catalog([("digit.4", "four"), ("digit.2", "two"), ("digit.pound", "pound"), ("intro", "Your case is")])
        let ids = ["intro"] + PromptPlayer.readBack("42#")
        #expect(ids == ["intro", "digit.4", "digit.2", "digit.pound"])
        for id in ids {
            expected += try WAVAudio.read(path: folder.file("\(id).wav")).samples
        }
        let player = try PromptPlayer(catalog: catalog, device: folder.alsaFileDevice("out.raw"), pacing: .device)
        let report = try player.play(ids).wait()
        #expect(report.framesWritten == expected.count)
        #expect(try folder.samples(in: "out.raw") == expected)
    }

    @Test func bargeInStopsPromptlyAndWritesOnlyAPrefix() throws {
        let folder = try TemporaryFolder()
        let samples = testSignal(frames: 8000 * 30)  // thirty seconds
        try WAVBuilder.pcm16(samples).write(to: folder.file("long.wav"))
        let catalog = try folder.catalog([("long", "A long prompt.")])
        let player = try PromptPlayer(catalog: catalog, device: folder.alsaFileDevice("out.raw"))
        let finished = Finished()
        // `play` writes the first period before it returns: the prompt is playing when the key comes,
        // without waiting for it on a clock.
        let playback = try player.play(["long"]) { finished.record($0) }
        let report = playback.stop()
        #expect(report.outcome == .stopped)
        #expect(report.framesWritten > 0)
        // Paced in real time: the start of a thirty-second prompt, not all of it.
        #expect(report.framesWritten < samples.count / 2)
        // The playback thread ends: the callback — the last thing it does — reports the stop, and
        // nothing more reached the device than ALSA accepted before the drop.
        #expect(finished.reports.map(\.outcome) == [.stopped])
        let written = try folder.samples(in: "out.raw")
        // The file plugin flushes on `snd_pcm_drop`: exactly what ALSA accepted, a prefix of the prompt.
        #expect(written.count == report.framesWritten)
        #expect(written == Array(samples.prefix(written.count)))
        // Stopping again, or through the player, changes nothing.
        #expect(playback.stop() == report)
        #expect(player.stop() == nil)
    }

    @Test func newPlaybackStopsThePreviousOne() throws {
        let folder = try TemporaryFolder()
        try WAVBuilder.pcm16(testSignal(frames: 16000)).write(to: folder.file("a.wav"))
        try WAVBuilder.pcm16(testSignal(frames: 400, seed: 9)).write(to: folder.file("b.wav"))
        let catalog = try folder.catalog([("a", "A."), ("b", "B.")])
        let player = try PromptPlayer(catalog: catalog, device: folder.alsaFileDevice("out.raw"))
        let first = try player.play(["a"])
        let second = try player.play(["b"])
        #expect(first.report?.outcome == .stopped)
        #expect(second.wait().outcome == .finished)
    }

    @Test func releasingThePlayerStopsItsPlayback() throws {
        let folder = try TemporaryFolder()
        try WAVBuilder.pcm16(testSignal(frames: 8000 * 3)).write(to: folder.file("long.wav"))
        let catalog = try folder.catalog([("long", "Long.")])
        var player: PromptPlayer? = try PromptPlayer(catalog: catalog, device: folder.alsaFileDevice("out.raw"))
        let playback = try #require(try player?.play(["long"]))
        player = nil
        #expect(playback.report?.outcome == .stopped)
    }

    @Test func unknownPromptAndWrongFormatFailBeforePlaying() throws {
        let folder = try TemporaryFolder()
        try WAVBuilder.pcm16(testSignal(frames: 100), sampleRate: 16000).write(to: folder.file("wide.wav"))
        let catalog = try folder.catalog([("wide", "Wideband.")])
        let player = try PromptPlayer(catalog: catalog, device: folder.alsaFileDevice("out.raw"), pacing: .device)
        do {
            _ = try player.play(["nope"])
            Issue.record("an unknown prompt played")
        } catch {
            #expect(error.code == .unknownPrompt)
            #expect(error.message.contains("'nope'"))
        }
        do {
            _ = try player.play(["wide"])
            Issue.record("a 16 kHz prompt played")
        } catch {
            #expect(error.code == .notTelephony)
            #expect(error.subject == folder.file("wide.wav"))
        }
        #expect(folder.size(of: "out.raw") <= 0)
    }

    @Test func missingDeviceSaysSoAndListsTheDevicesALSAKnows() {
        do {
            _ = try PCMPlayer(device: "no_such_pcm_hotline")
            Issue.record("a missing device opened")
        } catch {
            #expect(error.code == .deviceUnavailable)
            #expect(error.subject == "ALSA device 'no_such_pcm_hotline'")
            #expect(error.message.contains("cannot be opened"))
            #expect(error.message.contains("devices ALSA knows: "))
            #expect(error.message.contains("null"))
            #expect(error.fix?.contains("--device") == true)
        }
        #expect(ALSADeviceHint.playbackDevices().contains { $0.name == "null" })
    }

    @Test func audioModeResolution() throws {
        let folder = try TemporaryFolder()
        switch try AudioOutput.resolve(mode: .auto, device: "no_such_pcm_hotline") {
        case .device:
            Issue.record("a missing device resolved to playback")
        case .transcriptOnly(let notice):
            let line = try #require(notice)
            #expect(!line.contains("\n"))
            #expect(line.hasPrefix("audio: ALSA device 'no_such_pcm_hotline' cannot be opened"))
            #expect(line.contains("showing the transcript only"))
        }
        #expect(throws: AudioError.self) { try AudioOutput.resolve(mode: .alsa, device: "no_such_pcm_hotline") }
        switch try AudioOutput.resolve(mode: .off, device: "no_such_pcm_hotline") {
        case .device: Issue.record("--audio off opened a device")
        case .transcriptOnly(let notice): #expect(notice == nil)
        }
        switch try AudioOutput.resolve(mode: .auto, device: folder.alsaFileDevice("out.raw")) {
        case .device(let player):
            #expect(player.format == .telephony)
            #expect(player.periodFrames > 0 && player.periodFrames <= 320)
        case .transcriptOnly(let notice): Issue.record("the file device did not open: \(notice ?? "")")
        }
    }

    @Test func nonTelephonyFormatsPlayThroughTheirOwnPlayer() throws {
        let folder = try TemporaryFolder()
        let samples = testSignal(frames: 2000)  // 1000 stereo frames at 16 kHz
        try WAVBuilder.pcm16(samples, sampleRate: 16000, channels: 2).write(to: folder.file("s.wav"))
        let audio = try WAVAudio.read(path: folder.file("s.wav"))
        let player = try PCMPlayer(device: folder.alsaFileDevice("out.raw"), format: PCMFormat(sampleRate: 16000, channels: 2), pacing: .device)
        let report = try player.play([audio]).wait()
        #expect(report.framesWritten == 1000)
        #expect(try folder.samples(in: "out.raw") == samples)
    }
}

/// Collects the reports a playback's `onFinished` delivers.
final class Finished: Sendable {
    private let collected = Mutex<[PlaybackReport]>([])
    private let arrived = DispatchSemaphore(value: 0)
    func record(_ report: PlaybackReport) {
        collected.withLock { $0.append(report) }
        arrived.signal()
    }
    /// The reports so far, after waiting (up to ten seconds) for at least one.
    var reports: [PlaybackReport] {
        if arrived.wait(timeout: .now() + .seconds(10)) == .success { arrived.signal() }
        return collected.withLock { $0 }
    }
}

@Suite struct PlaybackLatencyTests {
    @Test func measuresEveryRunAndPlaysOnlyTheStartOfEach() throws {
        let folder = try TemporaryFolder()
        try WAVBuilder.pcm16(testSignal(frames: 8000)).write(to: folder.file("one.wav"))
        let catalog = try folder.catalog([("one", "One second.")])
        let result = try PlaybackLatency.measure(catalog: catalog, prompts: ["one"], device: folder.alsaFileDevice("out.raw"), runs: 5)
        #expect(result.samples.count == 5)
        #expect(result.samples.allSatisfy { $0.firstFrames > .zero })
        #expect(result.open > .zero)
        // Five runs, each stopped once its first frames were in: far less than five whole prompts.
        let written = try folder.samples(in: "out.raw").count
        #expect(written > 0 && written < 5 * 8000)
    }
}
