import Foundation

/// How a WAV file stores its samples. Everything is decoded to signed 16-bit for playback.
public enum WAVEncoding: String, Sendable, Hashable {
    /// Linear PCM, 16-bit signed little-endian (format tag 1).
    case pcm16 = "pcm-s16le"
    /// Linear PCM, 8-bit unsigned (format tag 1): old sound effects and voice files. Plays, but is
    /// not a telephony prompt (use 16-bit or G.711 for those).
    case pcm8 = "pcm-u8"
    /// G.711 µ-law, 8 bits a sample (format tag 7).
    case muLaw = "g711-ulaw"
    /// G.711 A-law, 8 bits a sample (format tag 6).
    case aLaw = "g711-alaw"

    /// Bytes one sample of one channel takes in the file.
    public var bytesPerSample: Int {
        switch self {
        case .pcm16: 2
        case .pcm8, .muLaw, .aLaw: 1
        }
    }
}

/// What a WAV file's headers say: enough to know how long it plays and whether it is a
/// telephony prompt, without decoding the samples.
public struct WAVFormat: Sendable, Hashable {
    public var encoding: WAVEncoding
    public var sampleRate: Int
    public var channels: Int
    /// Frames (one sample per channel) in the data chunk.
    public var frameCount: Int

    public init(encoding: WAVEncoding, sampleRate: Int, channels: Int, frameCount: Int) {
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channels = channels
        self.frameCount = frameCount
    }

    /// How long the audio plays, to the nanosecond.
    public var duration: Duration {
        guard sampleRate > 0 else { return .zero }
        let seconds = frameCount / sampleRate
        let rest = frameCount % sampleRate
        return .seconds(seconds) + .nanoseconds(Int64(rest) * 1_000_000_000 / Int64(sampleRate))
    }

    /// Whether this is what a telephone line carries: 8 kHz mono, in 16-bit PCM or G.711.
    public var isTelephony: Bool {
        switch encoding {
        case .pcm16, .muLaw, .aLaw: sampleRate == 8000 && channels == 1
        case .pcm8: false
        }
    }

    /// "8000 Hz mono pcm-s16le" — for listings and error messages.
    public var summary: String {
        let layout = channels == 1 ? "mono" : channels == 2 ? "stereo" : "\(channels) channels"
        return "\(sampleRate) Hz \(layout) \(encoding.rawValue)"
    }
}

/// A decoded WAV file: interleaved signed 16-bit samples, ready for ALSA.
public struct WAVAudio: Sendable {
    /// Where it was read from (for messages).
    public var file: String
    public var format: WAVFormat
    /// Interleaved samples, `format.frameCount * format.channels` of them.
    public var samples: [Int16]

    public init(file: String, format: WAVFormat, samples: [Int16]) {
        self.file = file
        self.format = format
        self.samples = samples
    }

    /// Reads and decodes a WAV file.
    ///
    /// Accepts RIFF/WAVE with 16-bit PCM, G.711 µ-law or A-law, and 8-bit PCM (also as
    /// `WAVE_FORMAT_EXTENSIBLE`);
    /// everything else is an ``AudioError`` naming the file and the problem, never a crash.
    public static func read(path: String) throws(AudioError) -> WAVAudio {
        let bytes = try WAVParser.readBytes(path: path)
        return try decode(bytes, file: path)
    }

    /// Decodes WAV bytes; `file` names them in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(AudioError) -> WAVAudio {
        let parsed = try WAVParser.parse(bytes, file: file)
        let count = parsed.format.frameCount * parsed.format.channels
        let start = parsed.dataOffset
        let samples: [Int16]
        switch parsed.format.encoding {
        case .pcm16:
            samples = [Int16](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    let low = UInt16(bytes[start + 2 * index])
                    let high = UInt16(bytes[start + 2 * index + 1])
                    buffer[index] = Int16(bitPattern: low | high << 8)
                }
                initialized = count
            }
        case .pcm8:
            samples = (0..<count).map { Int16(Int(bytes[start + $0]) - 128) << 8 }
        case .muLaw:
            let table = G711.muLawTable
            samples = (0..<count).map { table[Int(bytes[start + $0])] }
        case .aLaw:
            let table = G711.aLawTable
            samples = (0..<count).map { table[Int(bytes[start + $0])] }
        }
        return WAVAudio(file: file, format: parsed.format, samples: samples)
    }
}

/// Reads a WAV file's headers only: format and length.
public enum WAVHeader {
    public static func read(path: String) throws(AudioError) -> WAVFormat {
        try WAVParser.parse(WAVParser.readBytes(path: path), file: path).format
    }
}

/// The RIFF chunk walk. Every size is checked against the bytes actually present before use.
enum WAVParser {
    struct Parsed {
        var format: WAVFormat
        var dataOffset: Int
    }

    /// The largest WAV read (256 MiB, over four hours of 8 kHz 16-bit audio).
    static let maximumSize = 256 << 20

    static func readBytes(path: String) throws(AudioError) -> [UInt8] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AudioError(.unreadable, subject: path, message: "no such file", fix: "check the path; prompt WAVs are regenerated with `make prompts`")
        }
        guard !isFolder.boolValue else {
            throw AudioError(.unreadable, subject: path, message: "is a folder, not a WAV file", fix: "give the path of a .wav file")
        }
        // A device or a pipe (`/dev/zero`) never ends or is not a file at all: say so, do not read it.
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw AudioError(.notWAV, subject: path, message: "is not a WAV file: not a regular file (a device, pipe or socket)", fix: "give the path of a .wav file")
        }
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > maximumSize {
            throw AudioError(.notWAV, subject: path, message: "is not a prompt: \(size >> 20) MiB, more than the \(maximumSize >> 20) MiB a prompt may be", fix: "check that this is the right file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AudioError(.unreadable, subject: path, message: "cannot be read: permission denied", fix: "check the file's permissions")
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw AudioError(.unreadable, subject: path, message: "cannot be read: \(error.localizedDescription)", fix: "check the file and the disk")
        }
    }

    private static func u16(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    private static func tag(_ bytes: [UInt8], _ at: Int) -> String {
        String(decoding: bytes[at..<at + 4].map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    static func parse(_ bytes: [UInt8], file: String) throws(AudioError) -> Parsed {
        let rewrite = "re-encode it, e.g. `sox IN.wav -r 8000 -c 1 -b 16 -e signed-integer OUT.wav`"
        guard bytes.count >= 12 else {
            if bytes.count >= 4, tag(bytes, 0) == "RIFF" {
                throw AudioError(.truncated, subject: file, message: "truncated: \(bytes.count) bytes, shorter than a RIFF header", fix: "regenerate or re-copy the file")
            }
            throw AudioError(.notWAV, subject: file, message: "not a WAV file (\(bytes.count) bytes, no RIFF header)", fix: nil)
        }
        let riff = tag(bytes, 0)
        switch riff {
        case "RIFF":
            break
        case "RIFX", "RF64":
            throw AudioError(.unsupportedEncoding, subject: file, message: "\(riff) WAV files are not supported (only little-endian RIFF)", fix: rewrite)
        default:
            throw AudioError(.notWAV, subject: file, message: "not a WAV file (starts with '\(riff)', expected 'RIFF')", fix: nil)
        }
        guard tag(bytes, 8) == "WAVE" else {
            throw AudioError(.notWAV, subject: file, message: "a RIFF file of type '\(tag(bytes, 8))', not 'WAVE'", fix: nil)
        }
        let riffSize = u32(bytes, 4)
        guard riffSize >= 4 else {
            throw AudioError(.malformed, subject: file, message: "RIFF size \(riffSize) is too small to hold a WAVE file", fix: rewrite)
        }
        // Trailing bytes after the RIFF chunk are ignored (some tools append tags); a RIFF chunk
        // longer than the file means the file was cut short.
        let end = 8 + riffSize
        guard end <= bytes.count else {
            throw AudioError(.truncated, subject: file, message: "truncated: the RIFF header says \(end) bytes, the file has \(bytes.count)", fix: "regenerate or re-copy the file")
        }

        var format: (encoding: WAVEncoding, rate: Int, channels: Int, blockAlign: Int)?
        var data: (offset: Int, size: Int)?
        var offset = 12
        while offset < end {
            guard offset + 8 <= end else {
                throw AudioError(.malformed, subject: file, message: "\(end - offset) stray bytes at offset \(offset), too few for a chunk header", fix: rewrite)
            }
            let id = tag(bytes, offset)
            let size = u32(bytes, offset + 4)
            let body = offset + 8
            guard size <= end - body else {
                if id == "data" {
                    throw AudioError(.truncated, subject: file, message: "truncated: the data chunk says \(size) bytes, only \(end - body) follow", fix: "regenerate or re-copy the file")
                }
                throw AudioError(.malformed, subject: file, message: "chunk '\(id)' at offset \(offset) says \(size) bytes, only \(end - body) follow", fix: rewrite)
            }
            switch id {
            case "fmt ":
                guard format == nil else {
                    throw AudioError(.malformed, subject: file, message: "two 'fmt ' chunks", fix: rewrite)
                }
                format = try parseFormat(bytes, at: body, size: size, file: file)
            case "data":
                guard data == nil else {
                    throw AudioError(.malformed, subject: file, message: "two 'data' chunks", fix: rewrite)
                }
                data = (body, size)
            default:
                break  // LIST, fact, cue, … carry nothing playback needs.
            }
            offset = body + size + (size & 1)  // chunks are padded to even sizes
        }
        guard let format else {
            throw AudioError(.malformed, subject: file, message: "no 'fmt ' chunk, so the encoding is unknown", fix: rewrite)
        }
        guard let data else {
            throw AudioError(.malformed, subject: file, message: "no 'data' chunk", fix: rewrite)
        }
        guard data.size % format.blockAlign == 0 else {
            throw AudioError(.malformed, subject: file, message: "the data chunk's \(data.size) bytes are not a whole number of \(format.blockAlign)-byte frames", fix: rewrite)
        }
        return Parsed(
            format: WAVFormat(encoding: format.encoding, sampleRate: format.rate, channels: format.channels, frameCount: data.size / format.blockAlign),
            dataOffset: data.offset
        )
    }

    private static func parseFormat(_ bytes: [UInt8], at body: Int, size: Int, file: String) throws(AudioError) -> (encoding: WAVEncoding, rate: Int, channels: Int, blockAlign: Int) {
        let rewrite = "re-encode it, e.g. `sox IN.wav -r 8000 -c 1 -b 16 -e signed-integer OUT.wav`"
        guard size >= 16 else {
            throw AudioError(.malformed, subject: file, message: "the 'fmt ' chunk is \(size) bytes, at least 16 are needed", fix: rewrite)
        }
        var formatTag = u16(bytes, body)
        let channels = u16(bytes, body + 2)
        let rate = u32(bytes, body + 4)
        let blockAlign = u16(bytes, body + 12)
        let bits = u16(bytes, body + 14)
        if formatTag == 0xFFFE {
            // WAVE_FORMAT_EXTENSIBLE: the real format tag opens the sub-format GUID.
            guard size >= 40 else {
                throw AudioError(.malformed, subject: file, message: "an extensible 'fmt ' chunk of \(size) bytes, 40 are needed", fix: rewrite)
            }
            formatTag = u16(bytes, body + 24)
        }
        let encoding: WAVEncoding
        switch formatTag {
        case 1:
            switch bits {
            case 16: encoding = .pcm16
            case 8: encoding = .pcm8
            default:
                throw AudioError(.unsupportedEncoding, subject: file, message: "\(bits)-bit PCM is not supported (8- and 16-bit PCM, µ-law and A-law are)", fix: rewrite)
            }
        case 6, 7:
            guard bits == 8 else {
                throw AudioError(.malformed, subject: file, message: "G.711 with \(bits) bits a sample (it is always 8)", fix: rewrite)
            }
            encoding = formatTag == 7 ? .muLaw : .aLaw
        default:
            let names: [Int: String] = [2: "MS ADPCM", 3: "32-bit float", 0x11: "IMA ADPCM", 0x31: "GSM 6.10", 0x55: "MP3"]
            let name = names[formatTag].map { "\($0) (format tag \(formatTag))" } ?? "format tag \(formatTag)"
            throw AudioError(.unsupportedEncoding, subject: file, message: "\(name) is not supported (8- and 16-bit PCM, µ-law and A-law are)", fix: rewrite)
        }
        guard (1...8).contains(channels) else {
            throw AudioError(.malformed, subject: file, message: "\(channels) channels in the 'fmt ' chunk", fix: rewrite)
        }
        guard (1000...384_000).contains(rate) else {
            throw AudioError(.malformed, subject: file, message: "sample rate \(rate) Hz in the 'fmt ' chunk", fix: rewrite)
        }
        guard blockAlign == channels * encoding.bytesPerSample else {
            throw AudioError(.malformed, subject: file, message: "block align \(blockAlign) does not match \(channels) channel(s) of \(bits) bits", fix: rewrite)
        }
        return (encoding, rate, channels, blockAlign)
    }
}
