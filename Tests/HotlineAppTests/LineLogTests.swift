import Foundation
import HotlineApp
import Testing

/// The line's console written in few `write`s: what waits, what flushes it, and that nothing is lost.
@Suite struct LineLogTests {
    /// A temporary file open for writing, and a reader of what reached it.
    final class Sink {
        let path: String
        let descriptor: Int32

        init() throws {
            let folder = try Repository.temporaryFolder()
            path = folder.appendingPathComponent("console.log").path
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            try #require(descriptor >= 0)
        }

        deinit { Foundation.close(descriptor) }

        var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    }

    @Test func linesWaitUntilTheLimitThenLeaveInOneWriteInOrder() throws {
        let sink = try Sink()
        let log = LineLog(descriptor: sink.descriptor, limit: 40, interval: .seconds(3600), immediate: false)
        log.write("sip #1: answered")
        log.write("sip #1 press 1")
        #expect(sink.text == "", "nothing is written before the limit or the timer")
        log.write("sip #1: caller-hung-up")  // 17 + 15 + 23 bytes ≥ 40
        #expect(sink.text == "sip #1: answered\nsip #1 press 1\nsip #1: caller-hung-up\n")
        log.write("sip #2: answered")
        #expect(sink.text.hasSuffix("caller-hung-up\n"))
        log.flush()
        #expect(sink.text.hasSuffix("caller-hung-up\nsip #2: answered\n"))
    }

    @Test func aWarningOrAnErrorLeavesAtOnceAfterWhatWaited() throws {
        let sink = try Sink()
        let log = LineLog(descriptor: sink.descriptor, limit: 1 << 20, interval: .seconds(3600), immediate: false)
        log.write("sip #1: answered")
        log.write("warning: the call record could not be saved")
        #expect(sink.text == "sip #1: answered\nwarning: the call record could not be saved\n")
        log.write("sip #2: answered")
        log.write("error: the database is gone")
        #expect(sink.text.hasSuffix("warning: the call record could not be saved\nsip #2: answered\nerror: the database is gone\n"))
    }

    @Test func closeWritesWhatWaitedAndLaterLinesGoAtOnce() throws {
        let sink = try Sink()
        let log = LineLog(descriptor: sink.descriptor, limit: 1 << 20, interval: .seconds(3600), immediate: false)
        for number in 1...100 { log.write("sip #\(number): ended caller-hung-up") }
        #expect(sink.text == "")
        log.close()
        let lines = sink.text.split(separator: "\n")
        #expect(lines.count == 100 && lines.first == "sip #1: ended caller-hung-up" && lines.last == "sip #100: ended caller-hung-up")
        log.write("Hotline stopped.")
        #expect(sink.text.hasSuffix("sip #100: ended caller-hung-up\nHotline stopped.\n"))
    }

    @Test func linesFromManyThreadsAreNeitherLostNorTorn() async throws {
        let sink = try Sink()
        let log = LineLog(descriptor: sink.descriptor, limit: 256, interval: .seconds(3600), immediate: false)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask { for number in 0..<250 { log.write("task \(task) line \(number)") } }
            }
        }
        log.close()
        let lines = sink.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2000)
        #expect(Set(lines).count == 2000)
        for task in 0..<8 {
            let mine = lines.filter { $0.hasPrefix("task \(task) ") }
            #expect(mine == (0..<250).map { "task \(task) line \($0)" }, "each thread's lines stay in its order")
        }
    }

    @Test func aTerminalGetsEveryLineAtOnce() throws {
        let sink = try Sink()
        let log = LineLog(descriptor: sink.descriptor, limit: 1 << 20, interval: .seconds(3600), immediate: true)
        log.write("Hotline answers +1-844-751-7629")
        #expect(sink.text == "Hotline answers +1-844-751-7629\n")
        #expect(LineLog(descriptor: sink.descriptor).immediate == false, "a file is not a terminal: its lines are collected")
    }
}
