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
}
