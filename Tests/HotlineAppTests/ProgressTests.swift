import Foundation
import HotlineApp
import Synchronization
import Testing

/// The progress line of long runs: what it says, and when it says nothing.
@Suite struct ProgressTests {
    @Test func theLineSaysDoneTotalRateAndTimeLeft() {
        let line = ProgressLine(label: "scenarios", done: 1_234, total: 10_000, elapsed: 1.5)
        #expect(line.text == "scenarios 1,234/10,000  12%  823/s  11 s left")
        #expect(ProgressLine(label: "simulated hours", done: 3, total: 8, elapsed: 2).text == "simulated hours 3/8  37%  1.5/s  3 s left")
        #expect(ProgressLine(label: "benchmarks", done: 0, total: 9, elapsed: 4).text == "benchmarks 0/9  0%  time left unknown")
        #expect(ProgressLine(label: "calls", done: 10, total: 10_000, elapsed: 1).text == "calls 10/10,000  0%  10/s  16 min 39 s left")
        #expect(ProgressLine(label: "calls", done: 1, total: 10_000, elapsed: 1).text.hasSuffix("2 h 46 min left"))
        #expect(ProgressLine(label: "calls", done: 10, total: 10, elapsed: 1).text == "calls 10/10  100%  10/s  < 1 s left")
    }

    /// A clock the test moves, and the text written.
    final class Screen: Sendable {
        let time = Mutex(0.0)
        let written = Mutex<[String]>([])
        func reporter(total: Int) -> ProgressReporter {
            ProgressReporter(label: "scenarios", total: total, clock: { self.time.withLock { $0 } }, write: { text in self.written.withLock { $0.append(text) } })
        }
        func at(_ seconds: Double) { time.withLock { $0 = seconds } }
        var lines: [String] { written.withLock { $0 } }
    }

    @Test func nothingInTheFirstSecondThenRedrawnAtMostTenTimesASecondThenErased() {
        let screen = Screen()
        let progress = screen.reporter(total: 100)
        screen.at(0.5)
        progress.advance(by: 10)
        #expect(screen.lines.isEmpty, "a run shorter than a second shows nothing")
        screen.at(1.0)
        progress.advance(by: 10)
        #expect(screen.lines == ["\rscenarios 20/100  20%  20/s  4 s left\u{1B}[K"])
        screen.at(1.05)
        progress.advance()
        #expect(screen.lines.count == 1, "not redrawn within a tenth of a second")
        screen.at(1.2)
        progress.update(done: 60)
        #expect(screen.lines.last == "\rscenarios 60/100  60%  50/s  1 s left\u{1B}[K")
        progress.finish()
        #expect(screen.lines.last == "\r\u{1B}[K")
        let count = screen.lines.count
        progress.finish()
        #expect(screen.lines.count == count, "erased once")
    }

    @Test func aShortRunIsNeverDrawnNorErased() {
        let screen = Screen()
        let progress = screen.reporter(total: 5)
        for _ in 0..<5 { progress.advance() }
        progress.finish()
        #expect(screen.lines.isEmpty)
    }
}
