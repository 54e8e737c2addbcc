import Foundation
import HotlineCore
import Testing

@testable import HotlineSIP

/// Calls the line places (a page ringing a manager's phone), answered by hand-written SIP over a
/// UDP socket as a softphone would. In ``SIPEndpointTests`` (serialized): libre is one per process.
extension SIPEndpointTests {
    /// A response to `request` from the phone, with its To tag (and an SDP answer for a 200).
    static func response(_ status: String, to request: String, peer: Peer) -> String {
        let keep = ["via:", "from:", "call-id:", "cseq:"]
        let lines = request.split(separator: "\r\n")
        let headers = lines.filter { line in keep.contains { line.lowercased().hasPrefix($0) } }.map(String.init)
        let to = (lines.first { $0.lowercased().hasPrefix("to:") }).map { String($0) + ";tag=phone" } ?? "To: <sip:x@127.0.0.1>;tag=phone"
        let body = status.hasPrefix("200") ? offer("0 101", peer: peer) : ""
        let sdp = body.isEmpty ? [] : ["Content-Type: application/sdp"]
        return (["SIP/2.0 \(status)"] + headers + [to, "Contact: <sip:dana@127.0.0.1:\(peer.port)>"] + sdp
            + ["Content-Length: \(body.utf8.count + body.filter { $0 == "\n" }.count)", "", body]).joined(separator: "\n")
    }

    @Test func aPlacedCallIsAnsweredAndHungUp() async throws {
        let line = try Self.start(lineNumber: nil)
        let phone = try Peer()
        var events = line.events.makeAsyncIterator()
        let call = line.dial(SIPContact(user: "dana", host: "127.0.0.1", port: phone.port), from: "hotline", ringFor: .seconds(5))
        let invite = try #require(phone.receive(startingWith: "INVITE sip:dana@127.0.0.1:\(phone.port) SIP/2.0"))
        #expect(invite.contains("From: \"Hotline\" <sip:hotline@127.0.0.1:\(line.port)>"))
        #expect(invite.contains("PCMU/8000") && invite.contains("PCMA/8000") && invite.contains("telephone-event/8000"))
        phone.send(Self.response("200 OK", to: invite, peer: phone), to: line.port)
        #expect(phone.receive(startingWith: "ACK ") != nil)
        guard case .answered(let info) = await Self.next(&events, of: line) else {
            Issue.record("the line's call was not answered")
            return
        }
        #expect(info.call == call)
        #expect(info.outbound)
        #expect(info.dialled == "sip:dana@127.0.0.1:\(phone.port)")
        #expect(invite.contains("Call-ID: \(info.callID)"))
        #expect(line.channel(for: call) != nil)
        line.hangUp(call: call)
        let bye = phone.receive(startingWith: "BYE ")
        #expect(bye?.contains("Call-ID: \(info.callID)") == true)
        if let bye { phone.answer(bye, to: line.port) }
        await line.shutdown()
    }

    @Test func aPlacedCallThatRingsOutIsCancelled() async throws {
        let line = try Self.start(lineNumber: nil)
        let phone = try Peer()
        var events = line.events.makeAsyncIterator()
        let call = line.dial(SIPContact(user: "dana", host: "127.0.0.1", port: phone.port), from: "hotline", ringFor: .milliseconds(600))
        let invite = try #require(phone.receive(startingWith: "INVITE "))
        phone.send(Self.response("180 Ringing", to: invite, peer: phone), to: line.port)
        #expect(await Self.next(&events, of: line) == .dialFailed(call: call, status: 408, reason: "no answer"))
        #expect(phone.receive(startingWith: "CANCEL ") != nil)
        #expect(line.activeCalls == 0)
        await line.shutdown()
    }

    @Test func aPlacedCallThatIsRefusedSaysTheStatus() async throws {
        let line = try Self.start(lineNumber: nil)
        let phone = try Peer()
        var events = line.events.makeAsyncIterator()
        let call = line.dial(SIPContact(user: "dana", host: "127.0.0.1", port: phone.port), from: "hotline", ringFor: .seconds(5))
        let invite = try #require(phone.receive(startingWith: "INVITE "))
        phone.send(Self.response("486 Busy Here", to: invite, peer: phone), to: line.port)
        #expect(await Self.next(&events, of: line) == .dialFailed(call: call, status: 486, reason: "Busy Here"))
        #expect(line.activeCalls == 0)
        await line.shutdown()
    }
}
