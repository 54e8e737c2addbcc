/// An exam: `count` personas drawn from the available ones, the same for the same seed.
public enum Exam {
    /// Draws `count` distinct personas (all of them when there are fewer), in drawn order.
    public static func draw(from personas: [String], count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix64(seed: seed)
        var pool = personas.sorted()
        var drawn: [String] = []
        while drawn.count < max(0, count), !pool.isEmpty {
            let index = Int(generator.next() % UInt64(pool.count))
            drawn.append(pool.remove(at: index))
        }
        return drawn
    }
}

/// A small seeded generator (SplitMix64), so a draw never depends on the platform's random source.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
