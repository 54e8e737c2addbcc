import Foundation
import GRDB
@testable import HotlineStore
import Testing

/// `StoredTime` writes and reads the store's instants by integer arithmetic: the text and the
/// `Date` must be GRDB's own (its `DateFormatter` and `Calendar`), to the bit, or a case's history
/// would read back a different instant than before (issue 16).
@Suite struct StoredTimeCodecTests {
    /// Instants across the range the store holds: whole seconds, milliseconds, fractions of a
    /// millisecond near the rounding edge, before 1970, leap days, the range's ends.
    static var instants: [Double] {
        var values: [Double] = [
            0, 0.0004, 0.0005, 0.0006, 0.9994, 0.9995, 0.9999, -0.0004, -0.0005, -0.0006, -1.5, 1_796_468_400, 1_796_468_400.1234,
            1_796_468_400.1235, 1_796_468_400.9996, -2_208_988_800, 253_402_300_799, 253_402_300_799.999, 951_782_400, 951_868_799.9995,
            4_107_542_400, 1_709_164_800.25,
        ]
        var generator = SplitMix(seed: 16)
        for _ in 0..<20_000 {
            let seconds = Double(generator.next() % 10_000_000_000) - 2_000_000_000
            switch generator.next() % 4 {
            case 0: values.append(seconds)
            case 1: values.append(seconds + Double(generator.next() % 1000) / 1000)
            case 2: values.append(seconds + Double(generator.next() % 1_000_000) / 1_000_000)
            default: values.append(seconds + Double(generator.next() % 1000) / 1000 + 0.0005)
            }
        }
        return values.filter { StoredValues.timeRange.contains(Date(timeIntervalSince1970: $0)) }
    }

    @Test func writesTheTextGRDBWrites() {
        var mismatches: [String] = []
        for seconds in Self.instants {
            let date = Date(timeIntervalSince1970: seconds)
            let grdb = String.fromDatabaseValue(date.databaseValue)
            if StoredTime.text(date) != grdb { mismatches.append("\(seconds): \(StoredTime.text(date) ?? "nil") vs \(grdb ?? "nil")") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func readsTheInstantGRDBReads() {
        var mismatches: [String] = []
        for seconds in Self.instants {
            let value = Date(timeIntervalSince1970: seconds).databaseValue
            let grdb = Date.fromDatabaseValue(value)
            let ours = StoredTime.date(value)
            if ours?.timeIntervalSinceReferenceDate.bitPattern != grdb?.timeIntervalSinceReferenceDate.bitPattern {
                mismatches.append("\(value): \(String(describing: ours?.timeIntervalSince1970)) vs \(String(describing: grdb?.timeIntervalSince1970))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// Forms the store never writes are read as GRDB reads them (or refused as it refuses them).
    @Test(arguments: ["2026-12-05", "2026-12-05 11:00", "2026-12-05T11:00:00.000", "2026-02-30 11:00:00.000", "2026-12-05 24:00:00.000", "yesterday", "10000-01-01 00:00:00.000", "2026-12-05 11:00:00.12x"])
    func otherFormsAreGRDBs(text: String) {
        #expect(StoredTime.date(text.databaseValue) == Date.fromDatabaseValue(text.databaseValue))
    }

    @Test func numbersAndNullAreGRDBs() {
        #expect(StoredTime.date(1_796_468_400.databaseValue) == Date(timeIntervalSince1970: 1_796_468_400))
        #expect(StoredTime.date(.null) == nil)
        #expect(StoredTime.text(Date(timeIntervalSince1970: 253_402_300_800)) == nil)
        #expect(StoredTime.text(Date(timeIntervalSince1970: -2_208_988_801)) == nil)
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
