import Foundation
import Testing

@testable import HotlineSIP

#if canImport(Glibc)
    import Glibc
#endif

/// The endpoint on libre, on loopback, spoken to with hand-written SIP over a UDP socket.
@Suite(.serialized) struct SIPEndpointTests {
    /// A UDP socket on 127.0.0.1 that sends SIP text and reads what comes back.
    final class Peer {
        let fd: Int32
        let port: UInt16

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(fd)
                throw POSIXError(.EADDRINUSE)
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            self.fd = fd
            self.port = UInt16(bigEndian: address.sin_port)
        }

        deinit { close(fd) }

        func send(_ text: String, to port: UInt16) {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            let bytes = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }

        /// Answers a request 200 OK (the BYE the line sends), so the line need not wait for it.
        func answer(_ request: String, to port: UInt16) {
            let keep = ["via:", "from:", "to:", "call-id:", "cseq:"]
            let headers = request.split(separator: "\r\n").filter { line in keep.contains { line.lowercased().hasPrefix($0) } }
            send((["SIP/2.0 200 OK"] + headers.map(String.init) + ["Content-Length: 0", "", ""]).joined(separator: "\n"), to: port)
        }

        /// The next message whose status line starts with `prefix` (`SIP/2.0 200`) — and, when
        /// `cseq` is given, that answers that request (`2 INFO`) — skipping others, such as the
        /// INVITE's 200 that the line resends until the ACK arrives on a slow machine; `nil` after
        /// 5 s without one.
        func receive(startingWith prefix: String, cseq: String? = nil) -> String? {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            for _ in 0..<20 {
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count > 0 else { return nil }
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                let answers = cseq.map { cseq in text.split(separator: "\r\n").contains { $0.lowercased() == "cseq: \(cseq.lowercased())" } } ?? true
                if text.hasPrefix(prefix) && answers { return text }
            }
            return nil
        }
    }

    static func request(
        _ method: String, user: String = "18447517629", port: UInt16, peer: Peer, callID: String, cseq: Int, toTag: String? = nil,
        contentType: String? = nil, body: String = ""
    ) -> String {
        """
        \(method) sip:\(user)@127.0.0.1:\(port) SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK\(callID)\(cseq)\(method)
        From: <sip:+14085550100@127.0.0.1:\(peer.port)>;tag=caller
        To: <sip:\(user)@127.0.0.1:\(port)>\(toTag.map { ";tag=\($0)" } ?? "")
        Call-ID: \(callID)
        CSeq: \(cseq) \(method)
        Contact: <sip:test@127.0.0.1:\(peer.port)>
        Max-Forwards: 70
        \(contentType.map { "Content-Type: \($0)\n" } ?? "")Content-Length: \(body.utf8.count + body.filter { $0 == "\n" }.count)

        \(body)
        """
    }

    static func offer(_ formats: String, peer: Peer) -> String {
        let lines = [
            "v=0", "o=test 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", "m=audio \(peer.port &+ 2) RTP/AVP \(formats)",
            "a=rtpmap:101 telephone-event/8000",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// An endpoint on a free port (port 0: the system picks one; `endpoint.port` says which).
    static func start(lineNumber: String? = "+1-844-751-7629") throws -> SIPEndpoint {
        let endpoint = SIPEndpoint(configuration: SIPEndpointConfiguration(host: "127.0.0.1", port: 0, tcp: false, lineNumber: lineNumber, ringTime: .zero))
        try endpoint.start()
        return endpoint
    }

    /// The next event, or `nil` when none comes within 5 s: the endpoint is then stopped, which
    /// ends its event stream, so a missing event fails the test instead of hanging the run.
    static func next(_ events: inout AsyncStream<SIPEvent>.Iterator, of endpoint: SIPEndpoint) async -> SIPEvent? {
        let timeout = Task {
            try await Task.sleep(for: .seconds(5))
            endpoint.stop()
        }
        defer { timeout.cancel() }
        return await events.next()
    }

    /// Waits for the next call to ring (``SIPEvent/incoming(_:)``) and answers it, as the line does
    /// when its flow first needs media.
    static func answerNext(_ events: inout AsyncStream<SIPEvent>.Iterator, of endpoint: SIPEndpoint) async -> SIPCallInfo? {
        guard case .incoming(let info) = await next(&events, of: endpoint) else { return nil }
        endpoint.answer(call: info.call)
        return info
    }

    @Test func optionsAndOtherNumbers() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        peer.send(Self.request("OPTIONS", port: port, peer: peer, callID: "options-1", cseq: 1), to: port)
        let options = peer.receive(startingWith: "SIP/2.0 ")
        #expect(options?.hasPrefix("SIP/2.0 200") == true)
        #expect(options?.contains("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO") == true)
        peer.send(Self.request("INVITE", user: "18005550199", port: port, peer: peer, callID: "wrong-1", cseq: 1, contentType: "application/sdp", body: Self.offer("0 101", peer: peer)), to: port)
        #expect(peer.receive(startingWith: "SIP/2.0 4")?.hasPrefix("SIP/2.0 404") == true)
        var events = endpoint.events.makeAsyncIterator()
        #expect(await Self.next(&events, of: endpoint) == .refused(status: 404, method: "INVITE", peer: "127.0.0.1:\(peer.port)"))
        await endpoint.shutdown()
        #expect(await Self.next(&events, of: endpoint) == nil)
    }

    @Test func anOfferWithoutG711Gets488() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        let body = "v=0\no=test 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 40002 RTP/AVP 18\na=rtpmap:18 G729/8000\n"
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "g729-1", cseq: 1, contentType: "application/sdp", body: body), to: port)
        #expect(peer.receive(startingWith: "SIP/2.0 4")?.hasPrefix("SIP/2.0 488") == true)
        #expect(endpoint.activeCalls == 0)
        await endpoint.shutdown()
    }

    @Test func aCallIsAnsweredHearsKeysAndEndsOnBye() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        var events = endpoint.events.makeAsyncIterator()
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "call-1", cseq: 1, contentType: "application/sdp", body: Self.offer("8 0 101", peer: peer)), to: port)
        let rang = try #require(await Self.answerNext(&events, of: endpoint))
        #expect(rang.callID == "call-1")
        let ok = try #require(peer.receive(startingWith: "SIP/2.0 200"))
        #expect(ok.contains("PCMA/8000"))
        #expect(ok.contains("telephone-event/8000"))
        let toLine = try #require(ok.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") })
        let tag = try #require(toLine.split(separator: "tag=").last.map(String.init))
        guard case .answered(let info) = await Self.next(&events, of: endpoint) else {
            Issue.record("no answered event")
            return
        }
        #expect(info.callID == "call-1")
        #expect(info.caller == "+14085550100")
        #expect(info.codec == .pcma)
        peer.send(Self.request("ACK", port: port, peer: peer, callID: "call-1", cseq: 1, toTag: tag), to: port)
        peer.send(Self.request("INFO", port: port, peer: peer, callID: "call-1", cseq: 2, toTag: tag, contentType: "application/dtmf-relay", body: "Signal=#\nDuration=160\n"), to: port)
        #expect(peer.receive(startingWith: "SIP/2.0 200", cseq: "2 INFO") != nil)
        #expect(await Self.next(&events, of: endpoint) == .keyPressed(call: info.call, key: "#", source: .sipInfo))
        peer.send(Self.request("BYE", port: port, peer: peer, callID: "call-1", cseq: 3, toTag: tag), to: port)
        #expect(peer.receive(startingWith: "SIP/2.0 200", cseq: "3 BYE") != nil)
        #expect(await Self.next(&events, of: endpoint) == .ended(call: info.call, reason: .callerHungUp))
        #expect(endpoint.channel(for: info.call) == nil)
        await endpoint.shutdown()
    }

    @Test func shuttingDownSendsByeToACallUp() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        var events = endpoint.events.makeAsyncIterator()
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "call-2", cseq: 1, contentType: "application/sdp", body: Self.offer("0 101", peer: peer)), to: port)
        _ = try #require(await Self.answerNext(&events, of: endpoint))
        let ok = try #require(peer.receive(startingWith: "SIP/2.0 200"))
        let toLine = try #require(ok.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") })
        let tag = try #require(toLine.split(separator: "tag=").last.map(String.init))
        peer.send(Self.request("ACK", port: port, peer: peer, callID: "call-2", cseq: 1, toTag: tag), to: port)
        guard case .answered(let info) = await Self.next(&events, of: endpoint) else {
            Issue.record("no answered event")
            return
        }
        let channel = try #require(endpoint.channel(for: info.call))
        async let played = channel.play([Int16](repeating: 1000, count: 80_000), playback: 1)
        // `stop` sends the command at once: a blocking receive below cannot hold a task back.
        endpoint.stop()
        let bye = peer.receive(startingWith: "BYE ")
        #expect(bye?.contains("Call-ID: call-2") == true)
        if let bye { peer.answer(bye, to: port) }
        #expect(await played == false)
        await endpoint.shutdown()
    }

    /// libre sends BYE only for a session whose ACK came: a hang-up between the 200 and the ACK
    /// waits for the ACK, then says BYE (before the fix the call was freed silently).
    @Test func hangingUpBeforeTheAckStillSaysBye() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        var events = endpoint.events.makeAsyncIterator()
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "call-3", cseq: 1, contentType: "application/sdp", body: Self.offer("0 101", peer: peer)), to: port)
        _ = try #require(await Self.answerNext(&events, of: endpoint))
        let ok = try #require(peer.receive(startingWith: "SIP/2.0 200"))
        let toLine = try #require(ok.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") })
        let tag = try #require(toLine.split(separator: "tag=").last.map(String.init))
        guard case .answered(let info) = await Self.next(&events, of: endpoint) else {
            Issue.record("no answered event")
            return
        }
        endpoint.hangUp(call: info.call)
        try await Task.sleep(for: .milliseconds(100))  // Let the hang-up overtake the ACK.
        peer.send(Self.request("ACK", port: port, peer: peer, callID: "call-3", cseq: 1, toTag: tag), to: port)
        let bye = peer.receive(startingWith: "BYE ")
        #expect(bye?.contains("Call-ID: call-3") == true)
        if let bye { peer.answer(bye, to: port) }
        await endpoint.shutdown()
    }

    /// The same when the line shuts down (Ctrl-C) between the 200 and the ACK.
    @Test func shuttingDownBeforeTheAckStillSaysBye() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        var events = endpoint.events.makeAsyncIterator()
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "call-4", cseq: 1, contentType: "application/sdp", body: Self.offer("0 101", peer: peer)), to: port)
        _ = try #require(await Self.answerNext(&events, of: endpoint))
        let ok = try #require(peer.receive(startingWith: "SIP/2.0 200"))
        let toLine = try #require(ok.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") })
        let tag = try #require(toLine.split(separator: "tag=").last.map(String.init))
        guard case .answered = await Self.next(&events, of: endpoint) else {
            Issue.record("no answered event")
            return
        }
        endpoint.stop()
        try await Task.sleep(for: .milliseconds(100))  // Let the shutdown overtake the ACK.
        peer.send(Self.request("ACK", port: port, peer: peer, callID: "call-4", cseq: 1, toTag: tag), to: port)
        let bye = peer.receive(startingWith: "BYE ")
        #expect(bye?.contains("Call-ID: call-4") == true)
        if let bye { peer.answer(bye, to: port) }
        await endpoint.shutdown()
    }

    /// The line hanging up a call that still rings refuses the INVITE with 480 (before the fix
    /// the leg was marked ended first, so the check for ringing never held and the caller got 486
    /// from the session's destructor instead).
    @Test func hangingUpWhileRingingIs480() async throws {
        let endpoint = SIPEndpoint(
            configuration: SIPEndpointConfiguration(host: "127.0.0.1", port: 0, tcp: false, lineNumber: "+1-844-751-7629", ringTime: .seconds(30)))
        try endpoint.start()
        let peer = try Peer()
        let port = endpoint.port
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "ring-1", cseq: 1, contentType: "application/sdp", body: Self.offer("0 101", peer: peer)), to: port)
        #expect(peer.receive(startingWith: "SIP/2.0 180") != nil)
        endpoint.hangUp(call: 1)  // A fresh endpoint numbers its first call 1.
        let final = peer.receive(startingWith: "SIP/2.0 4")
        #expect(final?.hasPrefix("SIP/2.0 480 Temporarily Unavailable") == true)
        #expect(endpoint.activeCalls == 0)
        await endpoint.shutdown()
    }

    /// A call that has rung is not answered until the line asks (the flow needs media); then 200.
    @Test func aCallRingsUntilTheLineAnswers() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        var events = endpoint.events.makeAsyncIterator()
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "wait-1", cseq: 1, contentType: "application/sdp", body: Self.offer("0 101", peer: peer)), to: port)
        guard case .incoming(let info) = await Self.next(&events, of: endpoint) else {
            Issue.record("no incoming event")
            return
        }
        #expect(info.callID == "wait-1")
        #expect(endpoint.channel(for: info.call) == nil)
        endpoint.answer(call: info.call)
        let ok = try #require(peer.receive(startingWith: "SIP/2.0 200"))
        guard case .answered(let answered) = await Self.next(&events, of: endpoint) else {
            Issue.record("no answered event")
            return
        }
        #expect(answered.call == info.call)
        #expect(endpoint.channel(for: info.call) != nil)
        let toLine = try #require(ok.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") })
        let tag = try #require(toLine.split(separator: "tag=").last.map(String.init))
        peer.send(Self.request("ACK", port: port, peer: peer, callID: "wait-1", cseq: 1, toTag: tag), to: port)
        peer.send(Self.request("BYE", port: port, peer: peer, callID: "wait-1", cseq: 2, toTag: tag), to: port)
        #expect(peer.receive(startingWith: "SIP/2.0 200", cseq: "2 BYE") != nil)
        await endpoint.shutdown()
    }

    /// A redirect before the answer is `302 Moved Temporarily` with the URI as `Contact`; the ACK
    /// is absorbed and the call is over.
    @Test func aRedirectIs302WithTheContact() async throws {
        let endpoint = try Self.start()
        let peer = try Peer()
        let port = endpoint.port
        var events = endpoint.events.makeAsyncIterator()
        peer.send(Self.request("INVITE", port: port, peer: peer, callID: "moved-1", cseq: 1, contentType: "application/sdp", body: Self.offer("0 101", peer: peer)), to: port)
        guard case .incoming(let info) = await Self.next(&events, of: endpoint) else {
            Issue.record("no incoming event")
            return
        }
        endpoint.redirect(call: info.call, to: "sip:night-desk@127.0.0.1:5999")
        let moved = try #require(peer.receive(startingWith: "SIP/2.0 3"))
        #expect(moved.hasPrefix("SIP/2.0 302 Moved Temporarily"))
        #expect(moved.contains("Contact: <sip:night-desk@127.0.0.1:5999>"))
        let toLine = try #require(moved.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") })
        let tag = try #require(toLine.split(separator: "tag=").last.map(String.init))
        peer.send(
            Self.request("ACK", port: port, peer: peer, callID: "moved-1", cseq: 1, toTag: tag).replacingOccurrences(of: "moved-11ACK", with: "moved-11INVITE"),
            to: port)
        // A later answer or hang-up for the call is ignored: nothing more is sent.
        endpoint.answer(call: info.call)
        endpoint.hangUp(call: info.call)
        peer.send(Self.request("OPTIONS", port: port, peer: peer, callID: "moved-2", cseq: 1), to: port)
        #expect(peer.receive(startingWith: "SIP/2.0 ")?.contains("Call-ID: moved-2") == true)
        // Read after a round trip through the libre thread: the redirect has been counted out.
        #expect(endpoint.activeCalls == 0)
        await endpoint.shutdown()
    }
}
