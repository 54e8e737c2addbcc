import Foundation
import HotlineTestSupport
import HotlineApp
import HotlineAudio
import HotlineTraining
import Synchronization
import Testing

/// The persona's lines spoken through the prompts' pipeline (real espeak-ng and sox processes) and
/// played through real libasound, with its `file` plugin as the speaker.
@Suite struct PersonaVoiceTests {
    static func folder() throws -> String {
        try TestFolders.make("voice").path
    }

    static func samples(_ path: String) throws -> [Int16] {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        return stride(from: 0, to: data.count - 1, by: 2).map { Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8) }
    }

    @Test func aLineIsGeneratedOnceDeterministicallyCachedByItsTextAndPlayedSampleForSample() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/speaker.raw"
        let voice = try PersonaVoice.open(device: "file:'\(out)',raw", cache: folder + "/cache")
        let line = "Our P1 has had no response for forty minutes."
        let file = try voice.wav(for: line)
        #expect(file.hasPrefix(folder + "/cache/") && file.hasSuffix(".wav"))
        let first = try Data(contentsOf: URL(fileURLWithPath: file))
        // Cached: the same text is the same file, not generated again (its bytes and date stay).
        let made = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        #expect(try voice.wav(for: line) == file)
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date == made)
        // Deterministic: generated again from scratch, the same bytes.
        try FileManager.default.removeItem(atPath: file)
        #expect(try Data(contentsOf: URL(fileURLWithPath: try voice.wav(for: line))) == first)
        #expect(voice.file(for: "Another line.") != file)

        let report = try voice.speak(line)
        #expect(report.outcome == .finished)
        let expected = try WAVAudio.read(path: file).samples
        #expect(!expected.isEmpty)
        #expect(try Self.samples(out) == expected)
    }

    @Test func theDeskSpeaksEveryCallerLineItShows() throws {
        let persona = try Repo.persona("p1-past-target")
        let line = try TrainingLine(persona: persona, trainee: "test", root: Repo.root)
        let spoken = SpokenLines()
        let typed = InputLines(["ask name", "end"])
        let console = TrainingConsole(
            readLine: { typed.next() }, write: { _ in }, clock: { persona.at }, speak: { spoken.append($0) })
        console.take(line)
        let callerLines = line.call.timeline.filter { $0.who == .caller }.map(\.text)
        #expect(callerLines.count >= 3)
        #expect(spoken.all == callerLines)
    }

    @Test func missingEspeakOrSoxIsAClearError() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            _ = try PersonaVoice.open(device: "null", cache: folder, searchPath: folder)
        } throws: { error in
            let text = "\(error)"
            return text.contains("espeak-ng") && text.contains("make prompts") && text.contains("apt-get install espeak-ng sox")
        }
    }
}

final class SpokenLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

final class InputLines: Sendable {
    private let lines: Mutex<[String]>
    init(_ lines: [String]) { self.lines = Mutex(lines) }
    func next() -> String? { lines.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
}
