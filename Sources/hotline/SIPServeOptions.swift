import ArgumentParser
import Foundation
import HotlineApp
import HotlineSIP

/// `hotline serve`'s SIP options (`--sip` and the limits of an open port), as an option group so
/// the serve command can carry them beside its other listeners.
struct SIPServeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Answer SIP calls on HOST:PORT over UDP and TCP; HOST alone means port 5060, :PORT alone host 127.0.0.1, '' both.", valueName: "host:port"))
    var sip: String?

    @Flag(help: "Answer INVITEs for any number, not only the flow's `number` (others get 404).")
    var anyNumber = false

    @Option(help: ArgumentHelp("At most this many SIP calls at once; more get 486 Busy Here.", valueName: "count"))
    var maxCalls = 100

    @Option(help: ArgumentHelp("How long an incoming call rings (180 Ringing) before the line answers.", valueName: "seconds"))
    var ring = 0.5

    @Option(help: ArgumentHelp("INVITEs and OPTIONS one address may send per second (after a burst of twice that); more get 503.", valueName: "rate"))
    var floodRate = 100.0

    @Option(help: ArgumentHelp("How long a page's call to a rota contact rings before the line gives up (the page climbs on its timer).", valueName: "seconds"))
    var pageRing = 30.0

    func validate() throws {
        if let sip {
            do {
                _ = try SIPError.parseAddress(sip)
            } catch {
                throw ValidationError("\(error.message) (fix: \(error.fix))")
            }
        }
        guard maxCalls > 0, maxCalls <= 10_000 else { throw ValidationError("--max-calls must be from 1 to 10000 (got \(maxCalls))") }
        guard ring >= 0, ring <= 60 else { throw ValidationError("--ring must be from 0 to 60 seconds (got \(ring))") }
        guard pageRing > 0, pageRing <= 300 else { throw ValidationError("--page-ring must be from 0 to 300 seconds (got \(pageRing))") }
        guard floodRate > 0 else { throw ValidationError("--flood-rate must be above 0 (got \(floodRate))") }
    }

    /// The endpoint's configuration, or `nil` without `--sip`.
    func endpoint() throws -> SIPEndpointConfiguration? {
        guard let sip else { return nil }
        let address = try SIPError.parseAddress(sip)
        return SIPEndpointConfiguration(
            host: address.host, port: address.port, lineNumber: nil,
            limits: SIPLimits(maxCalls: maxCalls, floodBurst: Int(floodRate * 2), floodRate: floodRate),
            ringTime: .milliseconds(Int(ring * 1000)))
    }
}
