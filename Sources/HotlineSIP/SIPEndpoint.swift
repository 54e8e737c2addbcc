import CLibre
import HotlineCore
import Foundation
import Synchronization

/// What the SIP endpoint listens on and how it answers.
public struct SIPEndpointConfiguration: Sendable {
    /// The address SIP and RTP bind to (`127.0.0.1`, or `0.0.0.0` for every interface).
    public var host: String
    public var port: UInt16
    /// Listen on TCP as well as UDP.
    public var tcp: Bool
    /// The line's number (`+1-844-751-7629`); INVITEs for other numbers get 404. `nil` answers any.
    public var lineNumber: String?
    public var limits: SIPLimits
    /// How long the line rings (`180 Ringing`) before it answers (`200 OK`).
    public var ringTime: Duration
    /// The lowest and highest local RTP port.
    public var rtpPorts: ClosedRange<UInt16>

    public init(
        host: String = "127.0.0.1", port: UInt16 = 5060, tcp: Bool = true, lineNumber: String?, limits: SIPLimits = SIPLimits(),
        ringTime: Duration = .milliseconds(500), rtpPorts: ClosedRange<UInt16> = 20_000...39_999
    ) {
        self.host = host
        self.port = port
        self.tcp = tcp
        self.lineNumber = lineNumber
        self.limits = limits
        self.ringTime = ringTime
        self.rtpPorts = rtpPorts
    }
}

/// An answered SIP call, as the call session needs to know it.
public struct SIPCallInfo: Sendable, Hashable {
    /// The endpoint's number for the call (commands name calls by it).
    public var call: Int
    /// The SIP `Call-ID`.
    public var callID: String
    /// The caller's number as sent (``SIPCallerID``): not yet normalised.
    public var caller: String
    /// The Request-URI's user part.
    public var dialled: String
    public var codec: G711Codec
    /// Where the caller's signalling came from (`127.0.0.1:5061`), or where the line dialled.
    public var peer: String
    /// The line placed this call (``SIPEndpoint/dial(_:from:ringFor:)``): `caller` is the line, `dialled` the URI.
    public var outbound: Bool = false
}

/// Why a SIP call ended from the caller's side or the network's.
public enum SIPEndReason: String, Sendable, Hashable {
    /// BYE from the caller.
    case callerHungUp = "caller-hung-up"
    /// CANCEL before the line answered.
    case cancelled
    /// No ACK came, or a transaction failed.
    case failed
    /// The line hung up (the flow ended, or Ctrl-C).
    case lineHungUp = "line-hung-up"
}

/// What happens on the line, in order, for the layer that runs the calls.
public enum SIPEvent: Sendable, Hashable {
    /// A call has rung for the line's ring time (`180 Ringing` sent, not answered): its session
    /// starts now. The line answers it with ``SIPEndpoint/answer(call:)`` when the flow first needs
    /// media, redirects it (``SIPEndpoint/redirect(call:to:)``) or hangs up (480) before that.
    /// `codec` is the one the offer agreed (PCMU for a late offer: the ACK decides).
    case incoming(SIPCallInfo)
    /// The line answered a call (`200 OK` sent; the ACK's answer came, for a late offer), or a call
    /// it placed was answered: its media flows from now on.
    case answered(SIPCallInfo)
    /// The caller pressed a key.
    case keyPressed(call: Int, key: Character, source: KeySource)
    /// The caller put the call on hold (re-INVITE `sendonly`/`inactive`) or took it off hold.
    case held(call: Int, onHold: Bool)
    /// The call is over on the SIP side.
    case ended(call: Int, reason: SIPEndReason)
    /// A request was refused (404, 486, 488, 503, 513): for the console.
    case refused(status: UInt16, method: String, peer: String)
    /// A call the line placed was not answered: the far end's final status (486, 603, …), 408 when
    /// it rang out (`ringFor`) or did not respond, 500 when the INVITE could not be sent.
    case dialFailed(call: Int, status: UInt16, reason: String)
    /// A blind transfer (``SIPEndpoint/refer(call:to:)``) got through: the caller's NOTIFY said 2xx.
    case transferred(call: Int)
    /// A blind transfer did not: the REFER was refused, a NOTIFY said ≥ 300, or the subscription
    /// ended without a final status (`status` is then 408, or 500 when the REFER could not be sent).
    case transferFailed(call: Int, status: UInt16, reason: String)
}

/// A SIP endpoint that could not start, or a bad SIP address.
public struct SIPError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var fix: String
    public init(_ message: String, fix: String) {
        self.message = message
        self.fix = fix
    }
    public var description: String { "error: \(message) (fix: \(fix))" }

    /// Reads `HOST:PORT`, `HOST` or `:PORT` (default 127.0.0.1:5060).
    public static func parseAddress(_ text: String) throws(SIPError) -> (host: String, port: UInt16) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return ("127.0.0.1", 5060) }
        guard let colon = trimmed.lastIndex(of: ":") else { return (trimmed, 5060) }
        let host = String(trimmed[..<colon])
        guard let port = UInt16(trimmed[trimmed.index(after: colon)...]), port > 0 else {
            throw SIPError("--sip \(text): the port is not a number from 1 to 65535", fix: "write HOST:PORT, e.g. --sip 127.0.0.1:5060")
        }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

/// A SIP user agent on libre that answers calls, sends prompts as G.711 RTP and hears keys.
///
/// libre is single-threaded: every libre object lives on one dedicated thread running `re_main`.
/// Events leave through ``events`` (an `AsyncStream`); commands (hang up, shut down) come back
/// through libre's `mqueue`. Prompt audio is handed over through a ``MediaChannel`` per call, which
/// the one shared 20 ms media clock reads: one timer for every call, never one per call.
// @unchecked: libre objects are not thread-safe and must stay on the one libre thread, so the
// `var`s below are confined to it (set in `init` before the thread starts, then touched only by
// libre's callbacks and `mqueue` commands; `port` and `startError` are written there before
// `startup` is signalled and read only after it); the rest are `let`s, a `Mutex` and `Atomic`s.
public final class SIPEndpoint: @unchecked Sendable {
    public let configuration: SIPEndpointConfiguration
    /// Everything that happens on the line.
    public let events: AsyncStream<SIPEvent>
    private let continuation: AsyncStream<SIPEvent>.Continuation
    /// Each answered call's outgoing audio, shared with the tasks that queue prompts.
    private let channels = Mutex<[Int: MediaChannel]>([:])
    private let activeCount = Atomic<Int>(0)

    // Everything below is touched on the libre thread only.
    private var sip: OpaquePointer?
    private var sessionSocket: OpaquePointer?
    private var gate: OpaquePointer?
    private var eventSocket: OpaquePointer?
    private var commands: OpaquePointer?
    private let mediaTimer = UnsafeMutablePointer<tmr>.allocate(capacity: 1)
    private let shutdownTimer = UnsafeMutablePointer<tmr>.allocate(capacity: 1)
    private var frame: UnsafeMutablePointer<mbuf>?
    private var legs: [Int: CallLeg] = [:]
    private var admission: SIPAdmission
    private let nextCall = Atomic<Int>(1)
    private var nextDue: UInt64 = 0
    private var ticks: UInt64 = 0
    private var ringTicks: UInt64
    private var rtpAddress = sa()
    private var closing = false
    private var sipExited = false
    private let startup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var startError: SIPError?
    private let frameBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: MediaStream.frameSamples)

    private enum Command {
        case dial(Int, contact: SIPContact, from: String, ringTicks: UInt64)
        case answer(Int)
        case redirect(Int, to: String)
        case hangUp(Int)
        case refer(Int, to: String)
        case release(CallLeg)
        case shutdown
    }

    public init(configuration: SIPEndpointConfiguration) {
        self.configuration = configuration
        (events, continuation) = AsyncStream<SIPEvent>.makeStream()
        admission = SIPAdmission(limits: configuration.limits, lineNumber: configuration.lineNumber)
        let ms = configuration.ringTime.components.seconds * 1000 + configuration.ringTime.components.attoseconds / 1_000_000_000_000_000
        ringTicks = UInt64(max(0, ms) / 20)
    }

    deinit {
        mediaTimer.deallocate()
        shutdownTimer.deallocate()
        frameBytes.deallocate()
    }

    /// Calls up now (ringing or answered).
    public var activeCalls: Int { activeCount.load(ordering: .relaxed) }

    /// The UDP port SIP listens on (the one configured, or the one picked for port 0), once started.
    public private(set) var port: UInt16 = 0

    /// Binds the SIP port and starts the libre thread. Throws when the address cannot be bound.
    public func start() throws(SIPError) {
        let thread = Thread { [self] in run() }
        thread.name = "hotline-sip"
        thread.start()
        startup.wait()
        if let startError { throw startError }
    }

    /// The outgoing audio of an answered call; `nil` once it has ended.
    public func channel(for call: Int) -> MediaChannel? {
        channels.withLock { $0[call] }
    }

    /// Places a call to `contact` (an INVITE offering PCMU, PCMA and telephone-event) from
    /// `sip:USER@` the line's address; returns the call's number at once. Then ``SIPEvent/answered(_:)``
    /// (with `outbound` set) when it is answered, or ``SIPEvent/dialFailed(call:status:reason:)`` when
    /// it is refused or rings longer than `ringFor` (the line then cancels it).
    public func dial(_ contact: SIPContact, from user: String, ringFor: Duration) -> Int {
        let id = nextCall.wrappingAdd(1, ordering: .relaxed).oldValue
        let ms = ringFor.components.seconds * 1000 + ringFor.components.attoseconds / 1_000_000_000_000_000
        push(.dial(id, contact: contact, from: user, ringTicks: UInt64(max(1, ms / 20))))
        return id
    }

    /// Answers a call that rang (``SIPEvent/incoming(_:)``): `200 OK` with the SDP answer, then
    /// ``SIPEvent/answered(_:)``. Nothing for a call answered or ended already.
    public func answer(call: Int) {
        push(.answer(call))
    }

    /// Redirects a call that rang and is not answered: `302 Moved Temporarily` with `Contact: <uri>`
    /// (a destination written in the line's files, never one a caller sent); the caller's ACK is
    /// absorbed and the call is over (no ``SIPEvent/ended(call:reason:)``). Nothing for a call
    /// answered or ended already.
    public func redirect(call: Int, to uri: String) {
        push(.redirect(call, to: uri))
    }

    /// Ends a call from the line's side: BYE when answered, 480 while ringing. Nothing for a call
    /// that already ended.
    public func hangUp(call: Int) {
        push(.hangUp(call))
    }

    /// Blind transfer of an answered call: a REFER to the caller with `Refer-To: uri` (a destination
    /// written in the line's files, never one a caller sent). Then ``SIPEvent/transferred(call:)``
    /// or ``SIPEvent/transferFailed(call:status:reason:)``; the call stays up until ``hangUp(call:)``.
    public func refer(call: Int, to uri: String) {
        push(.refer(call, to: uri))
    }

    /// Starts ending every call and returns at once (callable from anywhere, any number of times);
    /// ``shutdown()`` also waits until the libre thread has stopped.
    public func stop() {
        push(.shutdown)
    }

    /// Ends every call with BYE, refuses new ones with 503, and stops the libre thread once the
    /// BYEs are answered (at most 4 s). Returns when the thread has stopped.
    public func shutdown() async {
        stop()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [finished] in
                finished.wait()
                done.resume()
            }
        }
    }

    private func push(_ command: Command) {
        guard let commands else {
            switch command {
            case .dial(let id, contact: _, from: _, ringTicks: _):
                continuation.yield(.dialFailed(call: id, status: 503, reason: "the SIP line is not running"))
            case .refer(let id, to: _):
                continuation.yield(.transferFailed(call: id, status: 503, reason: "the SIP line is not running"))
            case .answer, .redirect, .hangUp, .release, .shutdown:
                break
            }
            return
        }
        let box = Unmanaged.passRetained(CommandBox(command)).toOpaque()
        if mqueue_push(commands, 0, box) != 0 {
            Unmanaged<CommandBox>.fromOpaque(box).release()
        }
    }

    private final class CommandBox {
        let command: Command
        init(_ command: Command) { self.command = command }
    }

    // MARK: - The libre thread

    private func run() {
        var err = libre_init()
        guard err == 0 else {
            fail(SIPError("libre did not start (\(Self.describe(err)))", fix: "reinstall libre-dev (make deps)"))
            return
        }
        // libre polls at most 1,024 descriptors unless told otherwise: a call's RTP socket and its
        // SIP transaction's would cap the line near 500 calls (`fd_listen: … Max 1024 fds`). Use the
        // process's limit on open files instead.
        var files = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files) == 0 {
            _ = fd_setsize(Int32(min(files.rlim_cur, 65_536)))
        }
        defer {
            libre_close()
            continuation.finish()
            finished.signal()
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        var laddr = sa()
        err = sa_set_str(&laddr, configuration.host, configuration.port)
        guard err == 0 else {
            fail(SIPError("--sip \(configuration.host):\(configuration.port): not an IP address", fix: "give an IPv4 or IPv6 address, e.g. --sip 127.0.0.1:5060"))
            return
        }
        _ = sa_set_str(&rtpAddress, configuration.host, 0)
        err = sip_alloc(&sip, nil, 64, 64, 64, "Hotline", { arg in
            // Every transaction is over after `sip_close(sip, false)`: the stack holds one reference again.
            if let arg { Unmanaged<SIPEndpoint>.fromOpaque(arg).takeUnretainedValue().sipExited = true }
            re_cancel()
        }, me)
        if err == 0 { err = hotline_sip_transp_add(sip, SIP_TRANSP_UDP, &laddr) }
        if err == 0, configuration.tcp { err = hotline_sip_transp_add(sip, SIP_TRANSP_TCP, &laddr) }
        guard err == 0 else {
            fail(SIPError(
                "cannot listen for SIP on \(configuration.host):\(configuration.port) (\(Self.describe(err)))",
                fix: "choose a free port with --sip HOST:PORT, or stop what listens there"))
            sip_close(sip, true)
            _ = mem_deref(UnsafeMutableRawPointer(sip))
            return
        }
        // The gate sees every request first: bounds, flood limit, number, busy, OPTIONS.
        _ = sip_listen(&gate, sip, true, { message, arg in
            guard let message, let arg else { return false }
            return Unmanaged<SIPEndpoint>.fromOpaque(arg).takeUnretainedValue().screen(message)
        }, me)
        // The NOTIFYs of a REFER's implicit subscription (blind transfers).
        _ = sipevent_listen(&eventSocket, sip, 32, 32, nil, nil)
        _ = sipsess_listen(&sessionSocket, sip, 64, { message, arg in
            guard let message, let arg else { return }
            Unmanaged<SIPEndpoint>.fromOpaque(arg).takeUnretainedValue().incoming(message)
        }, me)
        _ = mqueue_alloc(&commands, { _, data, arg in
            guard let data, let arg else { return }
            let box = Unmanaged<CommandBox>.fromOpaque(data).takeRetainedValue()
            Unmanaged<SIPEndpoint>.fromOpaque(arg).takeUnretainedValue().perform(box.command)
        }, me)
        frame = mbuf_alloc(Int(RTP_HEADER_SIZE) + MediaStream.frameSamples)
        tmr_init(mediaTimer)
        tmr_init(shutdownTimer)
        nextDue = tmr_jiffies() + 20
        tmr_start(mediaTimer, 20, { arg in
            guard let arg else { return }
            Unmanaged<SIPEndpoint>.fromOpaque(arg).takeUnretainedValue().tick()
        }, me)
        var bound = sa()
        if sip_transp_laddr(sip, &bound, SIP_TRANSP_UDP, nil) == 0 { port = sa_port(&bound) }
        startup.signal()

        _ = re_main(nil)

        tmr_cancel(mediaTimer)
        tmr_cancel(shutdownTimer)
        for leg in legs.values { leg.free() }
        legs.removeAll()
        _ = mem_deref(UnsafeMutableRawPointer(frame))
        _ = mem_deref(UnsafeMutableRawPointer(commands))
        commands = nil
        _ = mem_deref(UnsafeMutableRawPointer(sessionSocket))
        _ = mem_deref(UnsafeMutableRawPointer(gate))
        sip_close(sip, true)
        // Close the SIP sockets now, whoever still holds the stack: the port is free on return.
        sip_transp_flush(sip)
        // `sip_close(sip, false)` gave our reference up: it is ours again only once the exit handler
        // ran; until then transactions still hold it (the process is ending: leave it to them).
        if !closing || sipExited { _ = mem_deref(UnsafeMutableRawPointer(sip)) }
    }

    private func fail(_ error: SIPError) {
        startError = error
        startup.signal()
    }

    static func describe(_ err: Int32) -> String {
        String(cString: strerror(err))
    }

    private func perform(_ command: Command) {
        switch command {
        case .dial(let id, contact: let contact, from: let user, ringTicks: let ringTicks):
            placeCall(id: id, to: contact, from: user, ringTicks: ringTicks)
        case .answer(let id):
            guard let leg = legs[id], leg.state == .presented, !closing else { return }
            answer(leg)
        case .redirect(let id, to: let uri):
            guard let leg = legs[id], leg.state == .ringing || leg.state == .presented else { return }
            let err = hotline_sipsess_redirect(leg.session, uri)
            end(leg, reason: .lineHungUp, notify: false)
            if err != 0 { continuation.yield(.refused(status: 500, method: "INVITE", peer: leg.peer)) }
            leg.free()
            legs[id] = nil
        case .hangUp(let id):
            guard let leg = legs[id] else { return }
            if leg.state == .dialing {
                dialFailed(leg, status: 487, reason: "cancelled by the line")
                return
            }
            // Read before `end` marks the leg ended: a call still ringing is refused 480, not dropped.
            let ringing = leg.state == .ringing || leg.state == .presented
            end(leg, reason: .lineHungUp, notify: false)
            if ringing { _ = hotline_sipsess_reject(leg.session, 480, "Temporarily Unavailable") }
            leg.free()
            legs[id] = nil
        case .refer(let id, to: let uri):
            // A REFER after a failed one (a flow's `on_failure` tries another desk) replaces it.
            guard let leg = legs[id], leg.state == .answered, leg.subscription == nil || leg.transferDone else {
                continuation.yield(.transferFailed(call: id, status: 481, reason: "the call is not up"))
                return
            }
            leg.subscription = OpaquePointer(mem_deref(UnsafeMutableRawPointer(leg.subscription)))
            leg.transferDone = false
            let me = Unmanaged.passUnretained(leg).toOpaque()
            let err = hotline_sipevent_drefer(
                &leg.subscription, eventSocket, sipsess_dialog(leg.session), "hotline",
                { sip, message, arg in
                    guard let arg, let message else { return }
                    Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue().notified(sip, message)
                },
                { err, message, _, arg in
                    guard let arg else { return }
                    Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue().subscriptionClosed(err, message)
                },
                me, uri)
            // A caller that accepts the REFER and never says how it went must not hold the call:
            // 32 s (SIP's 64 × T1) on the media clock, then the transfer has failed.
            leg.transferDeadline = ticks + 32_000 / 20
            if err != 0 {
                leg.subscription = nil
                continuation.yield(.transferFailed(call: id, status: 500, reason: "the REFER could not be sent (\(Self.describe(err)))"))
            }
        case .release(let leg):
            leg.free()
            legs[leg.id] = nil
        case .shutdown:
            guard !closing else { return }
            closing = true
            admission.close()
            for leg in legs.values {
                if leg.state == .dialing {
                    leg.state = .ended
                    activeCount.subtract(1, ordering: .relaxed)
                    continuation.yield(.dialFailed(call: leg.id, status: 487, reason: "the line is stopping"))
                }
                end(leg, reason: .lineHungUp, notify: true)
                leg.free()  // BYE (or 486 while ringing)
            }
            legs.removeAll()
            // The loop ends when every transaction is over (the BYEs answered, an ACK still due
            // followed by its BYE), or after 4 s for peers that do not answer.
            sip_close(sip, false)
            tmr_start(shutdownTimer, 4000, { _ in re_cancel() }, nil)
        }
    }

    /// Marks a leg ended: its audio stops, waiting playbacks return `false`, the event goes out.
    private func end(_ leg: CallLeg, reason: SIPEndReason, notify: Bool) {
        guard leg.state != .ended else { return }
        // The line's side knows the call (it has a session) once it was presented.
        let wasAnswered = leg.state == .answered || leg.state == .presented || leg.state == .awaitingAnswer
        leg.state = .ended
        activeCount.subtract(1, ordering: .relaxed)
        if let channel = channels.withLock({ $0.removeValue(forKey: leg.id) }) { channel.close() }
        if notify && wasAnswered || reason != .lineHungUp {
            continuation.yield(.ended(call: leg.id, reason: reason))
        }
    }

    // MARK: Requests

    /// The gate: `true` when the request was answered (or dropped) here.
    private func screen(_ message: UnsafePointer<sip_msg>) -> Bool {
        let msg = message.pointee
        let method = msg.met.string
        let request = SIPAdmission.Request(
            method: method, source: Self.address(msg.src), dialled: msg.uri.user.string, inDialog: msg.to.tag.l > 0,
            bytes: msg.mb.map { Int($0.pointee.end) } ?? 0, headers: Int(withUnsafePointer(to: message.pointee.hdrl) { list_count($0) }))
        let decision = admission.admit(request, activeCalls: activeCount.load(ordering: .relaxed), at: Double(tmr_jiffies()) / 1000)
        switch decision {
        case .pass:
            if method.uppercased() == "OPTIONS" {
                _ = hotline_sip_reply_allow(sip, message, 200, "OK")
                return true
            }
            return false
        case .drop:
            return true
        case .reject(let status, let reason, let retryAfter):
            if let retryAfter {
                _ = hotline_sip_reply_retry(sip, message, status, reason, retryAfter)
            } else {
                _ = sip_reply(sip, message, status, reason)
            }
            continuation.yield(.refused(status: status, method: method, peer: Self.address(msg.src, port: true)))
            return true
        }
    }

    /// A new INVITE the gate let through.
    private func incoming(_ message: UnsafePointer<sip_msg>) {
        let msg = message.pointee
        let id = nextCall.wrappingAdd(1, ordering: .relaxed).oldValue
        let leg = CallLeg(id: id, endpoint: self)
        leg.callID = msg.callid.string
        let pai = sip_msg_xhdr(message, "P-Asserted-Identity").map { $0.pointee.val.string }
        leg.caller = SIPCallerID.caller(fromUser: msg.from.uri.user.string, assertedIdentity: pai)
        leg.dialled = msg.uri.user.string
        leg.peer = Self.address(msg.src, port: true)
        let refuse = { (status: UInt16, reason: String) in
            _ = sip_reply(self.sip, message, status, reason)
            self.continuation.yield(.refused(status: status, method: "INVITE", peer: leg.peer))
            leg.free()
        }
        guard leg.openMedia(address: &rtpAddress, ports: configuration.rtpPorts) else {
            refuse(503, "Service Unavailable")
            return
        }
        var answer: UnsafeMutablePointer<mbuf>?
        if let body = msg.mb, mbuf_get_left(body) > 0 {
            let position = body.pointee.pos
            let err = sdp_decode(leg.sdp, body, true)
            body.pointee.pos = position
            guard err == 0, leg.negotiate() else {
                refuse(488, "Not Acceptable Here")
                return
            }
            _ = sdp_encode(&answer, leg.sdp, false)
        } else {
            // No offer in the INVITE (late offer): offer in the 200; the call is answered when the
            // ACK brings the caller's answer (``CallLeg/answered(_:)``).
            leg.lateOffer = true
            _ = sdp_encode(&answer, leg.sdp, true)
        }
        _ = sip_reply(sip, message, 100, "Trying")
        let me = Unmanaged.passUnretained(leg).toOpaque()
        let err = hotline_sipsess_accept(
            &leg.session, sessionSocket, message, 180, "Ringing", "hotline",
            CallLeg.offerHandler, CallLeg.answerHandler, CallLeg.ignoredHandler, CallLeg.infoHandler, CallLeg.closeHandler, me)
        guard err == 0 else {
            _ = mem_deref(UnsafeMutableRawPointer(answer))
            refuse(500, "Server Internal Error")
            return
        }
        leg.answerSDP = answer
        leg.state = .ringing
        leg.answerAt = ticks + ringTicks
        legs[id] = leg
        activeCount.add(1, ordering: .relaxed)
    }

    // MARK: Calls the line places

    private func placeCall(id: Int, to contact: SIPContact, from user: String, ringTicks: UInt64) {
        let leg = CallLeg(id: id, endpoint: self)
        leg.outbound = true
        leg.state = .dialing
        leg.dialled = contact.description
        leg.caller = user
        leg.peer = contact.description
        legs[id] = leg
        activeCount.add(1, ordering: .relaxed)
        guard !closing, leg.openMedia(address: &rtpAddress, ports: configuration.rtpPorts) else {
            dialFailed(leg, status: 503, reason: closing ? "the line is stopping" : "no RTP port free")
            return
        }
        var offer: UnsafeMutablePointer<mbuf>?
        _ = sdp_encode(&offer, leg.sdp, true)
        defer { _ = mem_deref(UnsafeMutableRawPointer(offer)) }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let from = "sip:\(user)@\(host):\(port)"
        let me = Unmanaged.passUnretained(leg).toOpaque()
        let err = hotline_sipsess_connect(
            &leg.session, sessionSocket, contact.description, "Hotline", from, user, offer,
            CallLeg.offerHandler, CallLeg.answerHandler, CallLeg.ignoredHandler, CallLeg.establishedHandler, CallLeg.infoHandler,
            CallLeg.closeHandler, me)
        guard err == 0 else {
            dialFailed(leg, status: 500, reason: "the INVITE could not be sent (\(Self.describe(err)))")
            return
        }
        if let dialog = sipsess_dialog(leg.session), let callID = sip_dialog_callid(dialog) { leg.callID = String(cString: callID) }
        leg.answerAt = ticks + ringTicks
    }

    /// A late-offer call's ACK brought the caller's answer: the call is answered now, on the codec
    /// agreed. An ACK without a usable answer ends the call (BYE).
    fileprivate func acknowledged(_ leg: CallLeg, agreed: Bool) {
        guard leg.state == .awaitingAnswer else { return }
        guard agreed else {
            end(leg, reason: .failed, notify: true)
            continuation.yield(.refused(status: 488, method: "ACK", peer: leg.peer))
            push(.release(leg))  // BYE
            return
        }
        started(leg)
    }

    /// The far end answered a call the line placed (its 200 acknowledged).
    fileprivate func established(_ leg: CallLeg) {
        guard leg.state == .dialing else { return }
        leg.state = .answered
        leg.updateRemote()
        let channel = MediaChannel()
        leg.channel = channel
        channels.withLock { $0[leg.id] = channel }
        continuation.yield(
            .answered(
                SIPCallInfo(
                    call: leg.id, callID: leg.callID, caller: leg.caller, dialled: leg.dialled, codec: leg.codec, peer: leg.peer, outbound: true)))
    }

    /// A call the line placed did not get through: the event goes out, the leg is freed (a
    /// session still ringing is cancelled as it goes).
    fileprivate func dialFailed(_ leg: CallLeg, status: UInt16, reason: String) {
        guard leg.state == .dialing else { return }
        leg.state = .ended
        activeCount.subtract(1, ordering: .relaxed)
        continuation.yield(.dialFailed(call: leg.id, status: status, reason: reason))
        push(.release(leg))
    }

    // MARK: Legs' callbacks

    fileprivate func keyPressed(_ leg: CallLeg, key: Character, source: KeySource) {
        guard leg.state == .answered else { return }
        continuation.yield(.keyPressed(call: leg.id, key: key, source: source))
    }

    fileprivate func held(_ leg: CallLeg, onHold: Bool) {
        guard leg.state == .answered else { return }
        continuation.yield(.held(call: leg.id, onHold: onHold))
    }

    /// The end of a blind transfer, once per REFER.
    fileprivate func transferEnded(_ leg: CallLeg, status: UInt16, reason: String) {
        guard !leg.transferDone else { return }
        leg.transferDone = true
        leg.transferDeadline = nil
        if (200...299).contains(status) {
            continuation.yield(.transferred(call: leg.id))
        } else {
            continuation.yield(.transferFailed(call: leg.id, status: status, reason: reason))
        }
    }

    fileprivate func closed(_ leg: CallLeg, reason: SIPEndReason) {
        end(leg, reason: reason, notify: true)
        push(.release(leg))
    }

    // MARK: The media clock

    /// Every 20 ms: one frame for each answered call, rings that are due answered.
    private func tick() {
        let now = tmr_jiffies()
        ticks += 1
        nextDue += 20
        if now > nextDue + 200 { nextDue = now + 20 }  // Far behind (a stall): start again from now.
        tmr_start(mediaTimer, nextDue > now ? nextDue - now : 0, { arg in
            guard let arg else { return }
            Unmanaged<SIPEndpoint>.fromOpaque(arg).takeUnretainedValue().tick()
        }, Unmanaged.passUnretained(self).toOpaque())
        guard let frame else { return }
        for leg in legs.values {
            switch leg.state {
            case .ringing:
                if ticks >= leg.answerAt, !closing { present(leg) }
            case .presented:
                break  // Rings on until the line answers, redirects or hangs up.
            case .dialing:
                if ticks >= leg.answerAt { dialFailed(leg, status: 408, reason: "no answer") }
            case .awaitingAnswer:
                break  // The 200 carried our offer: nothing is sent before the ACK's answer.
            case .answered:
                if let deadline = leg.transferDeadline, ticks >= deadline {
                    leg.transferDeadline = nil
                    transferEnded(leg, status: 408, reason: "no final NOTIFY within 32 s")
                }
                guard let channel = leg.channel else { continue }
                channel.nextFrame(into: frameBytes, codec: leg.codec)
                if leg.sending, let base = frameBytes.baseAddress {
                    let header = Int(RTP_HEADER_SIZE)
                    frame.pointee.pos = header
                    frame.pointee.end = header
                    _ = mbuf_write_mem(frame, base, MediaStream.frameSamples)
                    frame.pointee.pos = header
                    _ = rtp_send(leg.rtp, &leg.remote, false, leg.marker, leg.payloadType, leg.timestamp, frame)
                    leg.marker = false
                }
                leg.timestamp &+= UInt32(MediaStream.frameSamples)
            case .ended:
                break
            }
        }
    }

    /// The call has rung long enough: the line's session for it starts (it answers when it needs media).
    private func present(_ leg: CallLeg) {
        leg.state = .presented
        continuation.yield(
            .incoming(SIPCallInfo(call: leg.id, callID: leg.callID, caller: leg.caller, dialled: leg.dialled, codec: leg.codec, peer: leg.peer)))
    }

    private func answer(_ leg: CallLeg) {
        let err = hotline_sipsess_answer(leg.session, 200, "OK", leg.answerSDP)
        _ = mem_deref(UnsafeMutableRawPointer(leg.answerSDP))
        leg.answerSDP = nil
        guard err == 0 else {
            end(leg, reason: .failed, notify: false)
            continuation.yield(.refused(status: 500, method: "INVITE", peer: leg.peer))
            push(.release(leg))
            return
        }
        if leg.lateOffer {
            leg.state = .awaitingAnswer
            return
        }
        started(leg)
    }

    /// An incoming call is up (200 sent, the offer/answer done): its session starts now.
    private func started(_ leg: CallLeg) {
        leg.state = .answered
        leg.updateRemote()
        let channel = MediaChannel()
        leg.channel = channel
        channels.withLock { $0[leg.id] = channel }
        continuation.yield(
            .answered(SIPCallInfo(call: leg.id, callID: leg.callID, caller: leg.caller, dialled: leg.dialled, codec: leg.codec, peer: leg.peer)))
    }

    // MARK: Helpers

    static func address(_ address: sa, port: Bool = false) -> String {
        var copy = address
        var buffer = [CChar](repeating: 0, count: 64)
        _ = sa_ntop(&copy, &buffer, Int32(buffer.count))
        let host = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return port ? "\(host):\(sa_port(&copy))" : host
    }
}

/// One call on the libre thread: its SIP session, SDP, RTP socket and key decoder.
final class CallLeg {
    /// `ringing`: 180 sent, the ring time not over; `presented`: rung long enough, the line's session
    /// runs and answers when it needs media; `awaitingAnswer`: a late-offer call whose 200 (with the
    /// line's offer) waits for the ACK's answer.
    enum State { case ringing, presented, awaitingAnswer, dialing, answered, ended }

    let id: Int
    unowned let endpoint: SIPEndpoint
    var state = State.ringing
    /// The line placed this call.
    var outbound = false
    /// The INVITE had no SDP: the line offers in its 200, the caller answers in the ACK.
    var lateOffer = false
    var session: OpaquePointer?
    var sdp: OpaquePointer?
    var media: OpaquePointer?
    var rtp: OpaquePointer?
    var answerSDP: UnsafeMutablePointer<mbuf>?
    var answerAt: UInt64 = 0
    var callID = ""
    var caller = ""
    var dialled = ""
    var peer = ""
    var codec = G711Codec.pcmu
    var payloadType: UInt8 = 0
    var keyPayloadType: Int32 = -1
    var keys = RTPKeyEvents()
    var remote = sa()
    var sending = false
    var held = false
    var marker = true
    var timestamp = UInt32.random(in: 0...UInt32.max)
    var channel: MediaChannel?
    /// A blind transfer's REFER subscription, and whether its final status has been told.
    var subscription: OpaquePointer?
    var transferDone = false
    /// The media clock's tick by which the transfer's final NOTIFY must have come.
    var transferDeadline: UInt64?

    init(id: Int, endpoint: SIPEndpoint) {
        self.id = id
        self.endpoint = endpoint
    }

    // MARK: libre's session callbacks
    // One table for the calls the line answers and the calls it places, passed to libre as C
    // function pointers (they capture nothing); `arg` is the leg (unretained: the endpoint's `legs`
    // holds it until the session is freed).

    /// An offer in a re-INVITE (hold, resume, a new address): answered, the call kept.
    static let offerHandler: @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<mbuf>?>?, UnsafePointer<sip_msg>?, UnsafeMutableRawPointer?) -> Int32 = {
        descp, message, arg in
        guard let arg, let message else { return EINVAL }
        return Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue().offered(message, answer: descp)
    }

    /// The answer to the line's offer (the ACK of a late offer, the 200 of a placed call).
    static let answerHandler: @convention(c) (UnsafePointer<sip_msg>?, UnsafeMutableRawPointer?) -> Int32 = { message, arg in
        guard let arg, let message else { return EINVAL }
        return Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue().answered(message)
    }

    /// Nothing to do: an incoming call's establishment (the line acts on its own answer), a
    /// placed call's progress (`180`).
    static let ignoredHandler: @convention(c) (UnsafePointer<sip_msg>?, UnsafeMutableRawPointer?) -> Void = { _, _ in }

    /// A placed call was answered (its 200 acknowledged).
    static let establishedHandler: @convention(c) (UnsafePointer<sip_msg>?, UnsafeMutableRawPointer?) -> Void = { _, arg in
        guard let arg else { return }
        let leg = Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue()
        leg.endpoint.established(leg)
    }

    /// A SIP INFO in the dialog: `200`, then a key when it carries one.
    static let infoHandler: @convention(c) (OpaquePointer?, UnsafePointer<sip_msg>?, UnsafeMutableRawPointer?) -> Void = { sip, message, arg in
        guard let arg, let message else { return }
        _ = sip_reply(sip, message, 200, "OK")
        Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue().info(message)
    }

    /// The session closed from the other side (BYE, CANCEL, a failure).
    static let closeHandler: @convention(c) (Int32, UnsafePointer<sip_msg>?, UnsafeMutableRawPointer?) -> Void = { err, message, arg in
        guard let arg else { return }
        Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue().closed(err, message)
    }

    /// Opens the RTP socket and the local SDP: PCMU, PCMA and telephone-event/8000.
    func openMedia(address: inout sa, ports: ClosedRange<UInt16>) -> Bool {
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard rtp_listen(&rtp, Int32(IPPROTO_UDP), &address, ports.lowerBound, ports.upperBound, false, { _, header, buffer, arg in
            guard let arg, let header, let buffer else { return }
            Unmanaged<CallLeg>.fromOpaque(arg).takeUnretainedValue().received(header.pointee, buffer)
        }, nil, me) == 0 else { return false }
        guard sdp_session_alloc(&sdp, &address) == 0,
            sdp_media_add(&media, sdp, "audio", sa_port(rtp_local(rtp)), "RTP/AVP") == 0
        else { return false }
        return hotline_sdp_format_add(media, "0", "PCMU", 8000, 1, nil) == 0
            && hotline_sdp_format_add(media, "8", "PCMA", 8000, 1, nil) == 0
            && hotline_sdp_format_add(media, "101", hotline_telev_rtpfmt(), 8000, 1, "0-15") == 0
    }

    /// After decoding an offer: picks the caller's first G.711 format (by name, or by the static
    /// payload type 0 or 8 alone: an `rtpmap` is optional for those) and the caller's
    /// telephone-event type. `false` when the offer has no audio we can send.
    func negotiate() -> Bool {
        guard let media, let formats = sdp_media_format_lst(media, false) else { return false }
        var element = formats.pointee.head
        var chosen: (G711Codec, Int32)?
        while let current = element, chosen == nil {
            element = current.pointee.next
            guard let format = current.pointee.data?.assumingMemoryBound(to: sdp_format.self).pointee, format.sup else { continue }
            let name = format.name.map { String(cString: $0).uppercased() }
            if name == "PCMU" || (name == nil && format.pt == 0) {
                chosen = (.pcmu, format.pt)
            } else if name == "PCMA" || (name == nil && format.pt == 8) {
                chosen = (.pcma, format.pt)
            }
        }
        guard let chosen else { return false }
        codec = chosen.0
        payloadType = UInt8(truncatingIfNeeded: chosen.1)
        keyPayloadType = sdp_media_rformat(media, hotline_telev_rtpfmt())?.pointee.pt ?? -1
        return true
    }

    /// Where RTP goes now, and whether the caller holds the call (`sendonly`, `inactive`, or the
    /// old-style `c=0.0.0.0`): on hold the prompts go on playing, but nothing is sent.
    func updateRemote() {
        guard let media else { return }
        remote = sdp_media_raddr(media).pointee
        // The agreed direction from the line's side: it sends unless the caller made it recvonly
        // or inactive for us (the caller's `sendonly` / `inactive`).
        let direction = sdp_media_dir(media)
        let onHold = direction.rawValue & SDP_SENDONLY.rawValue == 0 || !sa_isset(&remote, Int32(SA_ALL.rawValue))
            || SIPEndpoint.address(remote) == "0.0.0.0"
        let changed = onHold != held
        held = onHold
        sending = !onHold
        if changed, state == .answered { endpoint.held(self, onHold: onHold) }
    }

    /// A re-INVITE's offer (hold, resume, new address): answer it, keep the call.
    func offered(_ message: UnsafePointer<sip_msg>, answer: UnsafeMutablePointer<UnsafeMutablePointer<mbuf>?>?) -> Int32 {
        guard let body = message.pointee.mb else { return EINVAL }
        if mbuf_get_left(body) > 0 {
            let err = sdp_decode(sdp, body, true)
            guard err == 0, negotiate() else { return err == 0 ? EPROTO : err }
            updateRemote()
            return sdp_encode(answer, sdp, false)
        }
        return sdp_encode(answer, sdp, true)
    }

    /// The answer to our offer (in the ACK, when the INVITE had none).
    func answered(_ message: UnsafePointer<sip_msg>) -> Int32 {
        guard let body = message.pointee.mb, mbuf_get_left(body) > 0 else {
            if state == .awaitingAnswer { endpoint.acknowledged(self, agreed: false) }
            return EINVAL
        }
        let err = sdp_decode(sdp, body, false)
        if state == .awaitingAnswer {
            // Quietly (the call is not up yet): no hold is read from the address still unset.
            let agreed = err == 0 && negotiate()
            if agreed { updateRemote() }
            endpoint.acknowledged(self, agreed: agreed)
            return 0
        }
        guard err == 0 else { return err }
        _ = negotiate()
        updateRemote()
        return 0
    }

    /// A SIP INFO in the dialog (already answered 200).
    func info(_ message: UnsafePointer<sip_msg>) {
        let msg = message.pointee
        let type = msg.ctyp.type.string + "/" + msg.ctyp.subtype.string
        var body = ""
        if let buffer = msg.mb, mbuf_get_left(buffer) > 0 {
            body = String(decoding: UnsafeBufferPointer(start: mbuf_buf(buffer), count: mbuf_get_left(buffer)), as: UTF8.self)
        }
        if let key = SIPInfoKey.key(contentType: type, body: body) {
            endpoint.keyPressed(self, key: key, source: .sipInfo)
        }
    }

    /// An RTP packet from the caller: only key events matter (the line does not listen to speech).
    func received(_ header: rtp_header, _ buffer: UnsafeMutablePointer<mbuf>) {
        guard keyPayloadType >= 0, Int32(header.pt) == keyPayloadType else { return }
        let count = mbuf_get_left(buffer)
        guard count >= 4, let start = mbuf_buf(buffer) else { return }
        if let key = keys.received(payload: UnsafeBufferPointer(start: start, count: count), timestamp: header.ts) {
            endpoint.keyPressed(self, key: key, source: .rfc4733)
        }
    }

    /// A NOTIFY of the REFER's subscription: its `message/sipfrag` body is the status line of the
    /// transferred call (`SIP/2.0 200 OK`); 1xx are progress, 2xx and above final.
    func notified(_ sip: OpaquePointer?, _ message: UnsafePointer<sip_msg>) {
        var body = ""
        if let buffer = message.pointee.mb, mbuf_get_left(buffer) > 0 {
            body = String(decoding: UnsafeBufferPointer(start: mbuf_buf(buffer), count: min(mbuf_get_left(buffer), 512)), as: UTF8.self)
        }
        guard let fragment = SIPFragment(body) else {
            _ = sip_reply(sip, message, 400, "Bad sipfrag")
            return
        }
        _ = sip_reply(sip, message, 200, "OK")
        if fragment.status >= 200 { endpoint.transferEnded(self, status: fragment.status, reason: fragment.reason) }
    }

    /// The REFER was refused (its final response in `message`), or the subscription ended.
    func subscriptionClosed(_ err: Int32, _ message: UnsafePointer<sip_msg>?) {
        subscription = OpaquePointer(mem_deref(UnsafeMutableRawPointer(subscription)))
        if let message, message.pointee.scode >= 300 {
            endpoint.transferEnded(self, status: message.pointee.scode, reason: message.pointee.reason.string)
        } else {
            endpoint.transferEnded(self, status: 408, reason: err == 0 ? "no final NOTIFY" : SIPEndpoint.describe(err))
        }
    }

    /// The session closed from the other side: BYE (`ECONNRESET`, no message), CANCEL (`ECONNRESET`
    /// with the CANCEL), or a failure (no ACK).
    func closed(_ err: Int32, _ message: UnsafePointer<sip_msg>?) {
        if state == .dialing {
            let status = message.map { $0.pointee.scode } ?? 408
            let reason = message.map { $0.pointee.reason.string } ?? (err == 0 ? "no answer" : SIPEndpoint.describe(err))
            endpoint.dialFailed(self, status: status, reason: reason)
            return
        }
        let reason: SIPEndReason
        if err == ECONNRESET {
            reason = state == .ringing || state == .presented ? .cancelled : .callerHungUp
        } else {
            reason = .failed
        }
        endpoint.closed(self, reason: reason)
    }

    /// Frees the libre objects (a session still up sends BYE as it goes).
    func free() {
        subscription = OpaquePointer(mem_deref(UnsafeMutableRawPointer(subscription)))
        session = OpaquePointer(mem_deref(UnsafeMutableRawPointer(session)))
        _ = mem_deref(UnsafeMutableRawPointer(answerSDP))
        answerSDP = nil
        media = nil
        sdp = OpaquePointer(mem_deref(UnsafeMutableRawPointer(sdp)))
        rtp = OpaquePointer(mem_deref(UnsafeMutableRawPointer(rtp)))
        channel?.close()
        channel = nil
    }
}

extension pl {
    /// The bytes as a string (libre's pointer-and-length strings are not NUL-terminated).
    var string: String {
        guard let p, l > 0 else { return "" }
        return p.withMemoryRebound(to: UInt8.self, capacity: l) { String(decoding: UnsafeBufferPointer(start: $0, count: l), as: UTF8.self) }
    }
}
