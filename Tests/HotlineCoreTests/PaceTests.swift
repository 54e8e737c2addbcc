import Foundation
import HotlineCore
import Testing

/// Issue 12 #2: a tiny or huge pace is refused with what to write, never a trap.
@Suite struct PaceTests {
    @Test(arguments: [1e-15, 1e-300, 0, -1, 1000, .infinity, .nan])
    func outOfBoundsIsRefused(factor: Double) {
        #expect(throws: PaceError.self) { try Pace(factor) }
    }

    @Test func theErrorNamesTheSourceTheValueAndTheFix() {
        #expect(throws: PaceError(source: "HOTLINE_PACE", value: "1e-300")) { try Pace(parsing: "1e-300", source: "HOTLINE_PACE") }
        let message = PaceError(source: "--pace", value: "1e-15").description
        #expect(message.contains("--pace") && message.contains("1e-15") && message.contains("(fix:"))
        #expect(throws: PaceError.self) { try Pace(parsing: "fast", source: "HOTLINE_PACE") }
    }

    @Test func aPaceScalesWaits() throws {
        #expect(try Pace(0.02).realDuration(of: .seconds(10)) == .milliseconds(200))
        #expect(try Pace(0.001).realDuration(of: .seconds(Int64.max / 2_000_000_000)).components.seconds > 0)
        #expect(Pace.realTime.isRealTime)
    }
}
