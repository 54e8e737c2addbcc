import Foundation
import HotlineAudio
import HotlineCore
import Testing

@Suite struct G711Tests {
    // Reference values from `sox -e u-law` / `-e a-law` decoding each byte.
    @Test(arguments: [(0, -32124), (1, -31100), (127, 0), (128, 32124), (255, 0), (213, 716), (85, -716), (170, 5372), (42, -5372), (15, -16764), (240, 120)])
    func muLaw(code: Int, linear: Int) {
        #expect(G711.decodeMuLaw(UInt8(code)) == Int16(linear))
    }

    @Test(arguments: [(0, -5504), (1, -5248), (127, -848), (128, 5504), (255, 848), (213, 8), (85, -8), (170, 32256), (42, -32256), (15, -6784), (240, 688)])
    func aLaw(code: Int, linear: Int) {
        #expect(G711.decodeALaw(UInt8(code)) == Int16(linear))
    }

    @Test func tablesAreOddSymmetric() {
        for code in 0..<128 {
            #expect(G711.muLawTable[code] == -G711.muLawTable[code + 128] || G711.muLawTable[code] == 0)
            #expect(G711.aLawTable[code] == -G711.aLawTable[code + 128])
        }
    }
}

@Suite struct WAVReaderTests {
    @Test func pcm16DecodesEverySample() throws {
        let samples = testSignal(frames: 1234)
        let audio = try WAVAudio.decode(WAVBuilder.pcm16(samples).bytes, file: "t.wav")
        #expect(audio.samples == samples)
        #expect(audio.format == WAVFormat(encoding: .pcm16, sampleRate: 8000, channels: 1, frameCount: 1234))
        #expect(audio.format.duration == .nanoseconds(154_250_000))
        #expect(audio.format.isTelephony)
    }

    @Test func stereoAndOtherRatesAreReadButAreNotTelephony() throws {
        let audio = try WAVAudio.decode(WAVBuilder.pcm16(testSignal(frames: 200), sampleRate: 16000, channels: 2).bytes, file: "s.wav")
        #expect(audio.format.frameCount == 100)
        #expect(audio.format.channels == 2)
        #expect(!audio.format.isTelephony)
        #expect(audio.format.summary == "16000 Hz stereo pcm-s16le")
    }

    @Test func muLawAndALawDecodeTo16Bit() throws {
        let codes: [UInt8] = Array(0...255)
        let mu = try WAVAudio.decode(WAVBuilder.g711(codes, muLaw: true).bytes, file: "mu.wav")
        #expect(mu.format.encoding == .muLaw)
        #expect(mu.samples == codes.map(G711.decodeMuLaw))
        let a = try WAVAudio.decode(WAVBuilder.g711(codes, muLaw: false).bytes, file: "a.wav")
        #expect(a.format.encoding == .aLaw)
        #expect(a.samples == codes.map(G711.decodeALaw))
        #expect(a.format.duration == .nanoseconds(32_000_000))
    }

    @Test func eightBitPCMPlaysButIsNotATelephonyPrompt() throws {
        var builder = WAVBuilder(bitsPerSample: 8)
        builder.payload = [0, 128, 255, 64]
        let audio = try WAVAudio.decode(builder.bytes, file: "u8.wav")
        #expect(audio.format.encoding == .pcm8)
        #expect(audio.samples == [-32768, 0, 32512, -16384])
        #expect(!audio.format.isTelephony)
    }

    @Test func skipsOtherChunksAndPadding() throws {
        var builder = WAVBuilder.pcm16([1, -2, 3])
        builder.extraChunks = [("LIST", Array("INFOabc".utf8)), ("fact", [4, 0, 0, 0])]
        let audio = try WAVAudio.decode(builder.bytes, file: "x.wav")
        #expect(audio.samples == [1, -2, 3])
    }

    @Test func readsExtensibleFormat() throws {
        // WAVE_FORMAT_EXTENSIBLE with the PCM sub-format, as some editors write.
        var bytes = WAVBuilder.pcm16([5, 6]).bytes
        // Rebuild with a 40-byte fmt chunk.
        let fmt: [UInt8] = [0xFE, 0xFF, 1, 0, 0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0, 22, 0, 16, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
        let data: [UInt8] = Array(bytes[36...])
        var body: [UInt8] = Array("WAVEfmt ".utf8) + [40, 0, 0, 0] + fmt + data
        bytes = Array("RIFF".utf8) + [UInt8(body.count), 0, 0, 0] + body
        body = []
        let audio = try WAVAudio.decode(bytes, file: "ext.wav")
        #expect(audio.samples == [5, 6])
    }

    @Test func realPromptsAreTelephonyWAVs() throws {
        let audio = try WAVAudio.read(path: repositoryRoot + "/Prompts/en-US/digit.4.wav")
        #expect(audio.format.isTelephony)
        #expect(audio.format.encoding == .pcm16)
        #expect(audio.format.frameCount > 1000)
    }

    static let rejected: [(String, [UInt8], AudioError.Code, String)] = {
        let good = WAVBuilder.pcm16(testSignal(frames: 100)).bytes
        var wrongRIFFSize = good
        wrongRIFFSize[4] = 0xFF
        wrongRIFFSize[5] = 0xFF
        var badChunk = good
        badChunk[40] = 0xFF  // data chunk size far past the end, inside the RIFF chunk
        badChunk[4] = UInt8((good.count - 8) & 0xFF)
        var float = WAVBuilder.pcm16([0, 0])
        float.formatTag = 3
        float.bitsPerSample = 32
        var pcm24 = WAVBuilder.pcm16([0, 0, 0])
        pcm24.bitsPerSample = 24
        var badAlign = WAVBuilder.pcm16([0, 0])
        badAlign.blockAlign = 3
        var adpcm = WAVBuilder.pcm16([0, 0])
        adpcm.formatTag = 0x11
        let noData = Array("RIFF".utf8) + [28, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0] + Array(good[20..<36])
        var oddData = WAVBuilder.pcm16([])
        oddData.payload = [1, 2, 3]
        return [
            ("text file", Array("hello, world, this is not audio".utf8), .notWAV, "not a WAV file"),
            ("empty", [], .notWAV, "not a WAV file"),
            ("AIFF", Array("FORM\0\0\0\u{4}AIFF".utf8), .notWAV, "expected 'RIFF'"),
            ("RIFF but not WAVE", Array("RIFF\u{4}\0\0\0AVI ".utf8), .notWAV, "not 'WAVE'"),
            ("truncated", Array(good.prefix(good.count - 50)), .truncated, "truncated"),
            ("header only", Array(good.prefix(8)), .truncated, "truncated"),
            ("RIFF size past the end", wrongRIFFSize, .truncated, "the RIFF header says"),
            ("data chunk size past the end", badChunk, .truncated, "the data chunk says"),
            ("float", float.bytes, .unsupportedEncoding, "32-bit float"),
            ("24-bit", pcm24.bytes, .unsupportedEncoding, "24-bit PCM"),
            ("IMA ADPCM", adpcm.bytes, .unsupportedEncoding, "IMA ADPCM"),
            ("block align", badAlign.bytes, .malformed, "block align 3"),
            ("no data chunk", noData, .malformed, "no 'data' chunk"),
            ("partial frame", oddData.bytes, .malformed, "not a whole number"),
        ]
    }()

    @Test(arguments: 0..<rejected.count)
    func rejectsBadFilesWithAClearError(index: Int) {
        let (name, bytes, code, phrase) = Self.rejected[index]
        do {
            _ = try WAVAudio.decode(bytes, file: "/prompts/\(name).wav")
            Issue.record("\(name): decoded without an error")
        } catch {
            #expect(error.code == code, "\(name): \(error)")
            #expect(error.subject == "/prompts/\(name).wav")
            #expect(error.message.contains(phrase), "\(name): \(error.message)")
        }
    }

    @Test func missingFileAndFolderAreUnreadable() throws {
        let folder = try TemporaryFolder()
        #expect(throws: AudioError.self) { try WAVAudio.read(path: folder.file("nope.wav")) }
        do {
            _ = try WAVHeader.read(path: folder.path)
            Issue.record("a folder was read as a WAV")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.description.contains(folder.path))
        }
    }

    /// `/dev/zero` once said "permission": a device is not a WAV file, and is never read.
    @Test func aDeviceIsNotAWAVFile() {
        do {
            _ = try WAVHeader.read(path: "/dev/zero")
            Issue.record("/dev/zero was read as a WAV")
        } catch {
            #expect(error.code == .notWAV)
            #expect(error.description.contains("not a regular file"))
            #expect(!error.description.contains("permission"))
        }
    }

    /// Random truncations and byte flips of valid files must only ever decode or throw.
    @Test func fuzzedFilesNeverCrash() throws {
        var generator = SplitMix64(seed: 0x5EED)
        var mu = WAVBuilder.g711(Array(0...255), muLaw: true)
        mu.extraChunks = [("LIST", Array("INFOICMTx".utf8))]
        let originals = [
            WAVBuilder.pcm16(testSignal(frames: 300)).bytes,
            mu.bytes,
            try [UInt8](Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Prompts/en-US/digit.1.wav"))),
        ]
        var decoded = 0
        var thrown = 0
        for original in originals {
            for _ in 0..<400 {
                var bytes = original
                switch generator.next() % 3 {
                case 0:
                    bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
                case 1:
                    for _ in 0..<(1 + generator.next() % 4) {
                        // Flip bytes in the headers, where sizes and tags live.
                        let at = Int(generator.next() % UInt64(min(bytes.count, 80)))
                        bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                    }
                default:
                    let at = Int(generator.next() % UInt64(bytes.count))
                    bytes[at] ^= 0xFF
                    bytes = Array(bytes.prefix(bytes.count - Int(generator.next() % 8)))
                }
                do {
                    let audio = try WAVAudio.decode(bytes, file: "fuzz.wav")
                    #expect(audio.samples.count == audio.format.frameCount * audio.format.channels)
                    decoded += 1
                } catch {
                    #expect(error.subject == "fuzz.wav")
                    #expect(!error.message.isEmpty)
                    thrown += 1
                }
            }
        }
        #expect(thrown > 100)
        #expect(decoded + thrown == 1200)
    }
}
