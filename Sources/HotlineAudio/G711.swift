/// ITU-T G.711 companding: the 8-bit µ-law (North America, Japan) and A-law (elsewhere) encodings
/// telephony prompts are often stored in, expanded to linear 16-bit samples.
public enum G711 {
    /// The linear value of one µ-law byte (ITU-T G.711, as in `sox` and the reference C code).
    @inlinable
    public static func decodeMuLaw(_ byte: UInt8) -> Int16 {
        let u = ~byte
        var t = (Int32(u & 0x0F) << 3) + 0x84
        t <<= Int32((u & 0x70) >> 4)
        return Int16((u & 0x80) != 0 ? (0x84 - t) : (t - 0x84))
    }

    /// The linear value of one A-law byte (ITU-T G.711, even bits inverted).
    @inlinable
    public static func decodeALaw(_ byte: UInt8) -> Int16 {
        let a = byte ^ 0x55
        var t = Int32(a & 0x0F) << 4
        let segment = Int32((a & 0x70) >> 4)
        switch segment {
        case 0:
            t += 8
        case 1:
            t += 0x108
        default:
            t += 0x108
            t <<= segment - 1
        }
        return Int16((a & 0x80) != 0 ? t : -t)
    }

    /// All 256 µ-law values, for decoding a whole prompt with one table look-up per byte.
    public static let muLawTable: [Int16] = (0...255).map { decodeMuLaw(UInt8($0)) }
    /// All 256 A-law values.
    public static let aLawTable: [Int16] = (0...255).map { decodeALaw(UInt8($0)) }

    /// The µ-law byte for a linear sample (ITU-T G.711 with the usual bias of 0x84 and clipping at
    /// 32,635): what an RTP stream with payload type 0 (PCMU) carries.
    @inlinable
    public static func encodeMuLaw(_ sample: Int16) -> UInt8 {
        var magnitude = Int32(sample)
        let sign: Int32 = magnitude < 0 ? 0x80 : 0
        if magnitude < 0 { magnitude = -magnitude }
        magnitude = min(magnitude, 32_635) + 0x84
        var exponent: Int32 = 7
        var mask: Int32 = 0x4000
        while exponent > 0 && magnitude & mask == 0 {
            exponent -= 1
            mask >>= 1
        }
        let mantissa = (magnitude >> (exponent + 3)) & 0x0F
        return ~UInt8(truncatingIfNeeded: sign | exponent << 4 | mantissa)
    }

    /// The A-law byte for a linear sample (ITU-T G.711, even bits inverted): RTP payload type 8 (PCMA).
    @inlinable
    public static func encodeALaw(_ sample: Int16) -> UInt8 {
        var value = Int32(sample) >> 3
        let mask: Int32
        if value >= 0 {
            mask = 0xD5
        } else {
            mask = 0x55
            value = -value - 1
        }
        var segment: Int32 = 0
        var end: Int32 = 0x1F
        while segment < 8 && value > end {
            segment += 1
            end = end << 1 | 1
        }
        if segment >= 8 { return UInt8(truncatingIfNeeded: 0x7F ^ mask) }
        var byte = segment << 4
        byte |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F
        return UInt8(truncatingIfNeeded: byte ^ mask)
    }
}
