import Foundation
import HotlineCore

/// Where calls in progress are shown while they happen: the trainer's console follows it. Every
/// driver runs ``CallSession``; a driver given a ``LiveCallListing`` reports its call here after
/// each event it handled (one report per event, with the transcript lines that event wrote — not
/// one per sample or per prompt), and once more when the call is over.
///
/// Publishing is opted into by the wiring (the browser phone, `hotline call`, `serve --sip`);
/// scenario runs and benchmarks pass no listing and pay nothing.
public protocol LiveCallBoard: Sendable {
    /// Reports a call's state; the board keeps the latest and appends `update.newLines`.
    /// A board that cannot write says nothing: the call goes on as if it had no board.
    func report(_ update: LiveCallUpdate)
}

/// How a call is listed on a ``LiveCallBoard``.
public struct LiveCallListing: Sendable {
    public var board: any LiveCallBoard
    /// Unique on the board (a UUID: calls from several processes share one board).
    public var id: String
    /// Which phone: `browser`, `terminal`, `sip`, `simulated`.
    public var channel: String
    /// The SIP `Call-ID`, for calls answered over SIP.
    public var sipCallID: String?

    public init(board: any LiveCallBoard, id: String = UUID().uuidString.lowercased(), channel: CallChannel, sipCallID: String? = nil) {
        self.board = board
        self.id = id
        self.channel = channel.rawValue
        self.sipCallID = sipCallID
    }
}

/// One report of a call to a ``LiveCallBoard``.
public struct LiveCallUpdate: Sendable, Hashable {
    public var id: String
    public var channel: String
    public var callerID: String
    public var dialled: String
    public var sipCallID: String?
    public var startedAt: Date
    /// The instant of this report (the call's clock).
    public var at: Date
    /// The flow node the call is at, when it is at one.
    public var node: String?
    /// What the call waits for, in words (``CallWaiting/summary``).
    public var waiting: String
    /// Transcript lines written since the previous report, in order.
    public var newLines: [String]
    /// The call's outcome once it is over (`completed`, `transferred`, …); `nil` while it goes on.
    public var outcome: String?
    /// The case the call is about: the one the caller entered (`case.number`), or the record's.
    public var caseNumber: String?
    /// Real seconds per second of the call's clock (``Pace/factor``): with it, a watcher turns the
    /// time since this report into the call's time.
    public var pace: Double

    public init(
        id: String, channel: String, callerID: String, dialled: String, sipCallID: String?, startedAt: Date, at: Date, node: String?,
        waiting: String, newLines: [String], outcome: String?, caseNumber: String? = nil, pace: Double = 1
    ) {
        self.id = id
        self.channel = channel
        self.callerID = callerID
        self.dialled = dialled
        self.sipCallID = sipCallID
        self.startedAt = startedAt
        self.at = at
        self.node = node
        self.waiting = waiting
        self.newLines = newLines
        self.outcome = outcome
        self.caseNumber = caseNumber
        self.pace = pace
    }
}

extension CallWaiting {
    /// What the call waits for, in words, for a person watching it.
    public var summary: String {
        switch self {
        case .answering: "answering"
        case .playing(let playback): "playing at \(playback.node)"
        case .listening(let node, let speech, _): "listening at \(node)" + (speech ? " (keys or speech)" : " (keys)")
        case .integration(let node, let action): "\(action.rawValue) at \(node)"
        case .queued(let node, let queue): "holding in queue \(queue) at \(node)"
        case .transferring(let node, let destination): "transferring to \(destination) at \(node)"
        case .savingRecord: "saving the call record"
        case .ended(let end): "ended: \(end.outcome)"
        }
    }

    /// The flow node the call is at, when it is at one.
    public var node: String? {
        switch self {
        case .playing(let playback): playback.node
        case .listening(let node, _, _), .integration(let node, _), .queued(let node, _), .transferring(let node, _): node
        case .answering, .savingRecord, .ended: nil
        }
    }
}
