import HotlineAudio
import Testing

@testable import HotlineSIP

@Suite struct G711EncodingTests {
    @Test func everyMuLawValueEncodesBackToItself() {
        for byte in 0...255 {
            let sample = G711.decodeMuLaw(UInt8(byte))
            #expect(G711.decodeMuLaw(G711.encodeMuLaw(sample)) == sample, "µ-law byte \(byte)")
        }
    }

    @Test func everyALawValueEncodesBackToItself() {
        for byte in 0...255 {
            let sample = G711.decodeALaw(UInt8(byte))
            #expect(G711.decodeALaw(G711.encodeALaw(sample)) == sample, "A-law byte \(byte)")
        }
    }

    @Test func silenceAndExtremes() {
        #expect(G711.encodeMuLaw(0) == 0xFF)
        #expect(G711.encodeALaw(0) == 0xD5)
        #expect(G711.decodeMuLaw(G711.encodeMuLaw(.max)) > 30_000)
        #expect(G711.decodeALaw(G711.encodeALaw(.min)) < -30_000)
        #expect(G711Codec.pcmu.encode(1234) == G711.encodeMuLaw(1234))
        #expect(G711Codec.pcma.encode(-1234) == G711.encodeALaw(-1234))
    }
}

@Suite struct RTPKeyEventTests {
    /// event, E bit, duration.
    private func payload(_ event: UInt8, end: Bool, duration: UInt16 = 160) -> [UInt8] {
        [event, end ? 0x8A : 0x0A, UInt8(duration >> 8), UInt8(duration & 0xFF)]
    }

    @Test func aKeyCountsOnceAtItsFirstEndPacket() {
        var keys = RTPKeyEvents()
        #expect(keys.received(payload: payload(1, end: false), timestamp: 1000) == nil)
        #expect(keys.received(payload: payload(1, end: false, duration: 320), timestamp: 1000) == nil)
        #expect(keys.received(payload: payload(1, end: true, duration: 800), timestamp: 1000) == "1")
        #expect(keys.received(payload: payload(1, end: true, duration: 800), timestamp: 1000) == nil)
        #expect(keys.received(payload: payload(1, end: true, duration: 800), timestamp: 1000) == nil)
        // The same key again is a new event: a new timestamp.
        #expect(keys.received(payload: payload(1, end: true), timestamp: 2600) == "1")
        #expect(keys.received(payload: payload(11, end: true), timestamp: 4000) == "#")
        #expect(keys.received(payload: payload(10, end: true), timestamp: 5000) == "*")
    }

    @Test func theSameCaptureReplayedTwiceCountsTwice() {
        var keys = RTPKeyEvents()
        for _ in 0..<2 {
            #expect(keys.received(payload: payload(0, end: false), timestamp: 17632) == nil)
            #expect(keys.received(payload: payload(0, end: true), timestamp: 17632) == "0")
            #expect(keys.received(payload: payload(0, end: true), timestamp: 17632) == nil)
        }
    }

    @Test func shortPayloadsAndNonKeyEventsAreIgnored() {
        var keys = RTPKeyEvents()
        #expect(keys.received(payload: [5, 0x80], timestamp: 1) == nil)
        #expect(keys.received(payload: payload(16, end: true), timestamp: 2) == nil)
        #expect(keys.received(payload: payload(5, end: true), timestamp: 3) == "5")
    }
}

@Suite struct SIPInfoKeyTests {
    @Test(arguments: [
        ("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", Character("5")),
        ("application/dtmf-relay", "Signal= #\r\nDuration=160", "#"),
        ("application/dtmf-relay", "Signal=10\r\n", "*"),
        ("Application/DTMF-Relay; charset=utf-8", "signal=0", "0"),
        ("application/dtmf", "7\r\n", "7"),
        ("application/dtmf", "11", "#"),
    ])
    func keys(type: String, body: String, key: Character) {
        #expect(SIPInfoKey.key(contentType: type, body: body) == key)
    }

    @Test func bodiesWithoutAKey() {
        #expect(SIPInfoKey.key(contentType: "application/dtmf-relay", body: "Duration=160") == nil)
        #expect(SIPInfoKey.key(contentType: "application/dtmf-relay", body: "Signal=X") == nil)
        #expect(SIPInfoKey.key(contentType: "text/plain", body: "5") == nil)
        #expect(SIPInfoKey.key(contentType: "application/dtmf", body: "") == nil)
    }
}

@Suite struct SIPCallerIDTests {
    @Test func assertedIdentityWinsOverFrom() {
        #expect(SIPCallerID.caller(fromUser: "dana", assertedIdentity: "\"Dana\" <sip:+14085550100@pbx.example;user=phone>") == "+14085550100")
        #expect(SIPCallerID.caller(fromUser: "dana", assertedIdentity: "<tel:+14085550100;cpc=ordinary>") == "+14085550100")
        #expect(SIPCallerID.caller(fromUser: "14085550100", assertedIdentity: nil) == "14085550100")
        #expect(SIPCallerID.caller(fromUser: "%2B14085550100", assertedIdentity: "garbage") == "+14085550100")
    }

    @Test func withheldCallers() {
        #expect(SIPCallerID.caller(fromUser: "", assertedIdentity: nil) == "anonymous")
        #expect(SIPCallerID.caller(fromUser: "anonymous", assertedIdentity: nil) == "anonymous")
    }
}

@Suite struct SIPAdmissionTests {
    private func decide(_ admission: inout SIPAdmission, _ request: SIPAdmission.Request, activeCalls: Int, at now: Double) -> SIPAdmission.Decision {
        admission.admit(request, activeCalls: activeCalls, at: now)
    }

    private func invite(_ dialled: String = "+18447517629", from source: String = "10.0.0.1") -> SIPAdmission.Request {
        SIPAdmission.Request(method: "INVITE", source: source, dialled: dialled, inDialog: false, bytes: 900, headers: 12)
    }

    @Test func theLineNumberInAnyWriting() {
        var admission = SIPAdmission(limits: SIPLimits(), lineNumber: "+1-844-751-7629")
        for dialled in ["+18447517629", "18447517629", "8447517629", "+1-844-751-7629"] {
            #expect(decide(&admission, invite(dialled), activeCalls: 0, at: 0) == .pass, "\(dialled)")
        }
        #expect(decide(&admission, invite("18005550199"), activeCalls: 0, at: 0) == .reject(status: 404, reason: "Not Found", retryAfter: nil))
        #expect(decide(&admission, invite("hotline"), activeCalls: 0, at: 0) == .reject(status: 404, reason: "Not Found", retryAfter: nil))
        var any = SIPAdmission(limits: SIPLimits(), lineNumber: nil)
        #expect(decide(&any, invite("hotline"), activeCalls: 0, at: 0) == .pass)
    }

    @Test func busyBeyondMaxCallsAndUnavailableWhileClosing() {
        var admission = SIPAdmission(limits: SIPLimits(maxCalls: 2), lineNumber: nil)
        #expect(decide(&admission, invite(), activeCalls: 1, at: 0) == .pass)
        #expect(decide(&admission, invite(), activeCalls: 2, at: 0) == .reject(status: 486, reason: "Busy Here", retryAfter: nil))
        admission.close()
        #expect(decide(&admission, invite(), activeCalls: 0, at: 0) == .reject(status: 503, reason: "Service Unavailable", retryAfter: 30))
        // Requests inside a dialog (BYE, re-INVITE) still pass.
        let bye = SIPAdmission.Request(method: "BYE", source: "10.0.0.1", dialled: "x", inDialog: true, bytes: 400, headers: 8)
        #expect(decide(&admission, bye, activeCalls: 2, at: 0) == .pass)
    }

    @Test func floodFromOneAddressIsLimitedOthersAreNot() {
        var admission = SIPAdmission(limits: SIPLimits(floodBurst: 3, floodRate: 1), lineNumber: nil)
        for _ in 0..<3 { #expect(decide(&admission, invite(), activeCalls: 0, at: 10) == .pass) }
        #expect(decide(&admission, invite(), activeCalls: 0, at: 10) == .reject(status: 503, reason: "Service Unavailable", retryAfter: 5))
        #expect(decide(&admission, invite(from: "10.0.0.2"), activeCalls: 0, at: 10) == .pass)
        // A second later one more token.
        #expect(decide(&admission, invite(), activeCalls: 0, at: 11) == .pass)
        #expect(decide(&admission, invite(), activeCalls: 0, at: 11) != .pass)
    }

    @Test func oversizedMessages() {
        var admission = SIPAdmission(limits: SIPLimits(maxMessageBytes: 1000, maxHeaders: 10), lineNumber: nil)
        var big = invite()
        big.bytes = 1001
        #expect(decide(&admission, big, activeCalls: 0, at: 0) == .reject(status: 513, reason: "Message Too Large", retryAfter: nil))
        var many = invite()
        many.headers = 11
        #expect(decide(&admission, many, activeCalls: 0, at: 0) == .reject(status: 513, reason: "Message Too Large", retryAfter: nil))
        var ack = many
        ack.method = "ACK"
        #expect(decide(&admission, ack, activeCalls: 0, at: 0) == .drop)
    }
}

@Suite struct MediaStreamTests {
    @Test func framesCarryThePromptThenSilenceAndSayWhenItEnds() {
        var stream = MediaStream()
        let samples = (0..<200).map { Int16($0 * 100) }
        stream.enqueue(playback: 1, samples: samples)
        stream.enqueue(playback: 2, samples: [])
        let frame = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: MediaStream.frameSamples)
        defer { frame.deallocate() }
        #expect(stream.nextFrame(into: frame, codec: .pcmu) == [])
        #expect(Array(frame) == samples[0..<160].map(G711.encodeMuLaw))
        #expect(stream.nextFrame(into: frame, codec: .pcmu) == [1, 2])
        #expect(Array(frame[0..<40]) == samples[160...].map(G711.encodeMuLaw))
        #expect(frame[40...].allSatisfy { $0 == 0xFF })
        #expect(stream.nextFrame(into: frame, codec: .pcma) == [])
        #expect(frame.allSatisfy { $0 == 0xD5 })
    }

    /// A caller waiting in a queue hears the hold audio looped (not silence), prompts before it, and
    /// silence again once the wait is over.
    @Test func holdAudioLoopsBetweenPromptsUntilTheWaitEnds() {
        var stream = MediaStream()
        let hold = (0..<100).map { Int16(1000 + $0 * 50) }
        let frame = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: MediaStream.frameSamples)
        defer { frame.deallocate() }
        stream.setHold(hold)
        #expect(stream.isHolding)
        _ = stream.nextFrame(into: frame, codec: .pcmu)
        #expect(Array(frame) == (hold + hold[0..<60]).map(G711.encodeMuLaw))
        _ = stream.nextFrame(into: frame, codec: .pcmu)
        #expect(Array(frame) == (hold[60...] + hold + hold[0..<20]).map(G711.encodeMuLaw))
        // A prompt played while queued goes first; the loop goes on after it.
        stream.enqueue(playback: 3, samples: [Int16](repeating: 500, count: 40))
        #expect(stream.nextFrame(into: frame, codec: .pcmu) == [3])
        #expect(Array(frame[0..<40]) == [Int16](repeating: 500, count: 40).map(G711.encodeMuLaw))
        #expect(Array(frame[40...]) == (hold[20...] + hold[0..<40]).map(G711.encodeMuLaw))
        #expect(!frame.allSatisfy { $0 == 0xFF })
        stream.setHold([])
        #expect(!stream.isHolding)
        _ = stream.nextFrame(into: frame, codec: .pcmu)
        #expect(frame.allSatisfy { $0 == 0xFF })
    }

    @Test func stopDropsTheRestAtOnce() {
        var stream = MediaStream()
        stream.enqueue(playback: 7, samples: [Int16](repeating: 1000, count: 8000))
        let frame = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: MediaStream.frameSamples)
        defer { frame.deallocate() }
        _ = stream.nextFrame(into: frame, codec: .pcmu)
        let first = stream.stop(playback: 7)
        let again = stream.stop(playback: 7)
        #expect(first)
        #expect(!again)
        #expect(stream.nextFrame(into: frame, codec: .pcmu) == [])
        #expect(frame.allSatisfy { $0 == 0xFF })
    }
}
