import Foundation
import HotlineTestSupport
import HotlineAudio
import HotlineFlowFile

/// Builds WAV bytes for tests: any format tag, so malformed and unsupported files are easy to make.
struct WAVBuilder {
    var formatTag = 1
    var channels = 1
    var sampleRate = 8000
    var bitsPerSample = 16
    var blockAlign: Int?
    var payload: [UInt8] = []
    /// Chunks written between `fmt ` and `data`.
    var extraChunks: [(String, [UInt8])] = []

    static func pcm16(_ samples: [Int16], sampleRate: Int = 8000, channels: Int = 1) -> WAVBuilder {
        var builder = WAVBuilder(channels: channels, sampleRate: sampleRate)
        builder.payload = samples.flatMap { sample -> [UInt8] in
            let bits = UInt16(bitPattern: sample)
            return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
        }
        return builder
    }

    static func g711(_ codes: [UInt8], muLaw: Bool) -> WAVBuilder {
        WAVBuilder(formatTag: muLaw ? 7 : 6, bitsPerSample: 8, payload: codes)
    }

    var bytes: [UInt8] {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        let align = blockAlign ?? channels * bitsPerSample / 8
        var fmt: [UInt8] = le16(formatTag) + le16(channels) + le32(sampleRate) + le32(sampleRate * align)
        fmt += le16(align) + le16(bitsPerSample)
        var body: [UInt8] = Array("WAVE".utf8)
        body += Array("fmt ".utf8) + le32(fmt.count) + fmt
        for (id, data) in extraChunks {
            body += Array(id.utf8) + le32(data.count) + data + (data.count % 2 == 1 ? [0] : [])
        }
        body += Array("data".utf8) + le32(payload.count) + payload
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// A fresh temporary folder, removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = try TestFolders.make("audio").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// ALSA's `file` plugin writing raw samples to `name` in this folder: an exact record of what
    /// was played.
    func alsaFileDevice(_ name: String) -> String { "file:'\(file(name))',raw" }

    /// The samples a `file` device wrote.
    func samples(in name: String) throws -> [Int16] {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file(name))))
        return stride(from: 0, to: data.count - 1, by: 2).map { Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8) }
    }

    func size(of name: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file(name)))?[.size] as? Int) ?? -1
    }

    /// Writes a catalog with the given prompts, each `id.wav` next to it.
    func catalog(_ prompts: [(id: String, text: String)]) throws -> PromptCatalog {
        var yaml = "language: en-US\nprompts:\n"
        for prompt in prompts {
            yaml += "  \(prompt.id): {text: \"\(prompt.text)\"}\n"
        }
        let path = file("catalog.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try PromptCatalog.load(path: path)
    }
}

/// A deterministic test signal: a sawtooth that uses the full 16-bit range.
func testSignal(frames: Int, seed: Int = 0) -> [Int16] {
    (0..<frames).map { Int16(truncatingIfNeeded: ($0 &* 997 &+ seed &* 31) % 65536 - 32768) }
}

/// The repository root, from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()
