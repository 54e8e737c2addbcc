import ArgumentParser
import Foundation
import HotlineApp
import HotlineCore
import HotlineSIP

/// `hotline serve`: the line, answering real phones over SIP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the line: answer SIP calls (--sip) on the flow, store, rota and router.",
        discussion: """
            With --sip HOST:PORT the line answers INVITEs to the flow's number (UDP and TCP) with PCMU or PCMA \
            and telephone-event; prompts are sent as RTP, keys come as RFC 4733 events or SIP INFO. Each call \
            is a live call on the flow, saved as a call record. Ctrl-C (or SIGTERM, or --stop-after) ends \
            every call with BYE and exits. See docs/sip.md.
            """)

    @OptionGroup var sip: SIPServeOptions

    @Option(help: ArgumentHelp("The flow file.", valueName: "file"))
    var flow = Defaults.flow

    @Option(help: ArgumentHelp("The SQLite database (env HOTLINE_DB; default hotline.sqlite); created and seeded when missing.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Scale the flow's timers and queue holds (1 real time; prompts always play in real time).", valueName: "factor"))
    var pace = 1.0

    @Option(help: ArgumentHelp("Stop by itself after this many seconds (tests, unattended demos).", valueName: "seconds"))
    var stopAfter: Double?

    func validate() throws {
        guard sip.sip != nil else { throw ValidationError("nothing to serve: give --sip HOST:PORT (e.g. --sip 127.0.0.1:5060)") }
        do { _ = try Pace(pace) } catch { throw ValidationError(error.description) }
        if let stopAfter, stopAfter <= 0 { throw ValidationError("--stop-after must be a positive number of seconds") }
    }

    func run() async throws {
        let out: @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        guard let endpoint = try sip.endpoint() else { return }
        let line: SIPLine
        do {
            line = try SIPLine(
                options: SIPLineOptions(flow: flow, database: Defaults.database(db), endpoint: endpoint, anyNumber: sip.anyNumber, pace: try Pace(pace)),
                write: out)
            try line.start()
        } catch let error as SIPError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        for notice in line.notices { out(notice) }
        out("Hotline answers \(line.answering) on sip:\(endpoint.host):\(endpoint.port) (UDP, TCP; Ctrl-C stops it)")
        let signals = CallSignals(onSignal: { _ in line.stop() })
        let timer = stopAfter.map { seconds in
            Task {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                line.stop()
            }
        }
        await line.serve()
        timer?.cancel()
        signals.cancel()
        out("Hotline stopped.")
    }
}
