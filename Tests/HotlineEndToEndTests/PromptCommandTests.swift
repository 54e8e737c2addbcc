import Foundation
import HotlineAudio
import HotlineTestSupport
import Testing

/// `hotline prompts …` and `hotline play` as a user runs them, on real WAVs and ALSA's file plugin.
@Suite struct PromptCommandTests {
    static let digit4 = Repository.path("Prompts/en-US/digit.4.wav")

    @Test func promptsCheckFailsOnAMissingPrompt() throws {
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.digit4, toPath: folder + "/hello.wav")
        try "language: en-US\nprompts:\n  hello: {text: \"Hello.\"}\n".write(toFile: folder + "/catalog.yaml", atomically: true, encoding: .utf8)
        try "flow: t\nstart: a\nnodes:\n  a: {type: play, prompts: [hello, missing.prompt], next: b}\n  b: {type: hangup}\n".write(
            toFile: folder + "/flow.yaml", atomically: true, encoding: .utf8)
        let failing = try runProcess(try hotline(), ["prompts", "check", "--flow", "flow.yaml", "--catalog", "catalog.yaml"], in: folder)
        #expect(failing.status == 1)
        #expect(failing.combined.contains("flow.yaml:4:"), "\(failing.combined)")
        #expect(failing.combined.contains("'missing.prompt', which is not in the catalog"))
        let passing = try runProcess(try hotline(), ["prompts", "check", "--catalog", "catalog.yaml"], in: folder)
        #expect(passing.status == 0, "\(passing.combined)")
        #expect(passing.output.contains("ok: 1 prompts checked"))
    }

    @Test func playWritesTheFileToTheDeviceAndRejectsACorruptWAV() throws {
        let folder = try Built.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let played = try runProcess(try hotline(), ["play", Self.digit4, "--device", "file:'\(folder)/out.raw',raw"])
        #expect(played.status == 0, "\(played.combined)")
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/out.raw")))
        let samples = stride(from: 0, to: raw.count - 1, by: 2).map { Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8) }
        #expect(samples == (try WAVAudio.read(path: Self.digit4)).samples)

        try Data(try Data(contentsOf: URL(fileURLWithPath: Self.digit4)).prefix(60)).write(to: URL(fileURLWithPath: folder + "/cut.wav"))
        let corrupt = try runProcess(try hotline(), ["play", folder + "/cut.wav", "--device", "file:'\(folder)/out2.raw',raw"])
        #expect(corrupt.status == 2)
        #expect(corrupt.error.contains("\(folder)/cut.wav: error: truncated"))
    }

    @Test func promptsPlayFallsBackToTheTranscriptWithAuto() throws {
        let result = try runProcess(try hotline(), ["prompts", "play", "digit.4", "digit.2", "--device", "no_such_pcm_hotline", "--audio", "auto"])
        #expect(result.status == 0)
        #expect(result.output.contains("four two"))
        #expect(result.error.contains("audio: ALSA device 'no_such_pcm_hotline' cannot be opened"))
        let strict = try runProcess(try hotline(), ["prompts", "play", "digit.4", "--device", "no_such_pcm_hotline"])
        #expect(strict.status == 2)
        #expect(strict.error.contains("devices ALSA knows"))
    }

    /// An unknown prompt id is a wrong value (status 2, `error: …`, the closest id), not a usage
    /// error showing the root command's usage ("Usage: hotline <subcommand>").
    @Test func anUnknownPromptIdIsAnErrorWithTheClosestId() throws {
        let result = try runProcess(try hotline(), ["prompts", "play", "gsc.welcom", "--audio", "off"])
        #expect(result.status == 2, "\(result.combined)")
        #expect(result.error == "error: no prompt 'gsc.welcom' in Prompts/en-US/catalog.yaml (fix: did you mean 'gsc.welcome'? `hotline prompts list` shows them)\n")
        #expect(result.output.isEmpty)
    }

    @Test func promptsListJSON() throws {
        let result = try runProcess(try hotline(), ["prompts", "list", "--json"])
        #expect(result.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
        let digit = try #require(rows?.first { $0["id"] as? String == "digit.0" })
        #expect(digit["transcript"] as? String == "zero")
        #expect((digit["duration_seconds"] as? Double ?? 0) > 0.2)
    }
}
