import HotlineAudio

/// The G.711 variant a call agreed on in its SDP.
public enum G711Codec: String, Sendable, Hashable {
    /// µ-law, static payload type 0.
    case pcmu = "PCMU"
    /// A-law, static payload type 8.
    case pcma = "PCMA"

    /// The byte that decodes to silence.
    public var silence: UInt8 {
        switch self {
        case .pcmu: 0xFF
        case .pcma: 0xD5
        }
    }

    /// Encodes one sample (a table look-up).
    @inline(__always)
    public func encode(_ sample: Int16) -> UInt8 {
        switch self {
        case .pcmu: G711Tables.muLaw[Int(UInt16(bitPattern: sample))]
        case .pcma: G711Tables.aLaw[Int(UInt16(bitPattern: sample))]
        }
    }

    /// Decodes one byte.
    public func decode(_ byte: UInt8) -> Int16 {
        switch self {
        case .pcmu: G711.decodeMuLaw(byte)
        case .pcma: G711.decodeALaw(byte)
        }
    }
}

/// Every 16-bit sample's G.711 byte, indexed by the sample's bit pattern (64 KiB each).
enum G711Tables {
    static let muLaw: [UInt8] = (0...0xFFFF).map { G711.encodeMuLaw(Int16(bitPattern: UInt16($0))) }
    static let aLaw: [UInt8] = (0...0xFFFF).map { G711.encodeALaw(Int16(bitPattern: UInt16($0))) }
}

/// What a call sends, 20 ms at a time: the prompts queued for it, in order, then the hold audio
/// (looped, while the call waits in a queue), or silence.
///
/// A value type with no I/O; the media clock asks for one frame per tick.
///
/// Events to ignore: stopping a playback that already ended or was never queued.
public struct MediaStream: Sendable {
    /// Samples in one 20 ms frame at 8 kHz.
    public static let frameSamples = 160

    private struct Queued: Sendable {
        var playback: Int
        var samples: [Int16]
        var offset: Int
    }

    private var queue: [Queued] = []
    /// Looped where no prompt is queued; empty: silence.
    private var holdAudio: [Int16] = []
    private var holdOffset = 0

    public init() {}

    /// Whether a prompt is being sent (as opposed to silence).
    public var isPlaying: Bool { !queue.isEmpty }

    /// Queues a playback after those already queued. An empty playback finishes at the next frame.
    public mutating func enqueue(playback: Int, samples: [Int16]) {
        queue.append(Queued(playback: playback, samples: samples, offset: 0))
    }

    /// Drops a playback at once (barge-in): whatever is left of it is never sent. Returns whether it
    /// was queued.
    @discardableResult
    public mutating func stop(playback: Int) -> Bool {
        guard let index = queue.firstIndex(where: { $0.playback == playback }) else { return false }
        queue.remove(at: index)
        return true
    }

    /// Loops `samples` wherever no prompt is queued (a caller waiting in a queue hears hold audio),
    /// from its start; an empty array goes back to silence.
    public mutating func setHold(_ samples: [Int16]) {
        holdAudio = samples
        holdOffset = 0
    }

    /// Whether hold audio is looped between prompts.
    public var isHolding: Bool { !holdAudio.isEmpty }

    /// Drops everything queued (hang-up); the playbacks dropped.
    public mutating func stopAll() -> [Int] {
        defer { queue.removeAll() }
        return queue.map(\.playback)
    }

    /// Writes the next frame (``frameSamples`` bytes) into `frame` in `codec`, silence where no
    /// prompt is left, and returns the playbacks whose last sample it carried.
    public mutating func nextFrame(into frame: UnsafeMutableBufferPointer<UInt8>, codec: G711Codec) -> [Int] {
        var written = 0
        var finished: [Int] = []
        while written < Self.frameSamples, !queue.isEmpty {
            let head = queue[0]
            let count = min(Self.frameSamples - written, head.samples.count - head.offset)
            if count > 0 {
                let offset = written
                head.samples.withUnsafeBufferPointer { samples in
                    for index in 0..<count { frame[offset + index] = codec.encode(samples[head.offset + index]) }
                }
                queue[0].offset += count
                written += count
            }
            if queue[0].offset >= queue[0].samples.count {
                finished.append(queue.removeFirst().playback)
            }
        }
        while written < Self.frameSamples, !holdAudio.isEmpty {
            let count = min(Self.frameSamples - written, holdAudio.count - holdOffset)
            let offset = written
            let start = holdOffset
            holdAudio.withUnsafeBufferPointer { samples in
                for index in 0..<count { frame[offset + index] = codec.encode(samples[start + index]) }
            }
            written += count
            holdOffset = (holdOffset + count) % holdAudio.count
        }
        for index in written..<Self.frameSamples { frame[index] = codec.silence }
        return finished
    }
}
