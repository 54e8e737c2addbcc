import Foundation

/// The one seeded random number generator (SplitMix64) every simulator, benchmark and fuzz test
/// uses: the same seed gives the same numbers on every platform, which
/// `SystemRandomNumberGenerator` does not, so a run or a failure can be replayed from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1]: never 0, so `-log(u)` is finite.
    public mutating func unit() -> Double {
        Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Exponentially distributed with the given mean.
    public mutating func exponential(mean: Double) -> Double { -log(unit()) * mean }
}
