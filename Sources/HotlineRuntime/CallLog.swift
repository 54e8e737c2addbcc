import Foundation
import HotlineCore
import HotlineFlowFile

/// What happened on a call, in order: the transcript a trainee reads and a failing scenario prints.
public struct CallLogEntry: Sendable, Hashable {
    /// Time since the call started (the answer, or — a SIP call — its flow's start while it rang).
    public var offset: Duration
    public var event: Event

    public init(offset: Duration, event: Event) {
        self.offset = offset
        self.event = event
    }

    /// Something the caller heard, did, or the system did.
    public enum Event: Sendable, Hashable {
        case answered(callerID: String, dialled: String)
        /// The call's flow started while the line still rang (SIP): it is answered later
        /// (``answered(callerID:dialled:)``), when the flow first needs media, or never.
        case ringing(callerID: String, dialled: String)
        /// The unanswered call was redirected (SIP `302 Moved Temporarily`, `Contact:` the URI).
        case redirected(destination: String)
        /// Prompts started playing (as one utterance); `texts` are their transcripts, one per prompt.
        case heard(node: String, prompts: [String], texts: [String], playback: Int)
        /// A playback was cut short (barge-in or hang-up).
        case stopped(playback: Int)
        case pressed(Character)
        /// A key that did nothing: nothing listened for keys, or it ended an entry already sent.
        case keyNotUsed(Character, KeyDisposition)
        case said(String)
        /// Speech that did nothing (only menus take speech), with a hint for the caller.
        case speechNotUsed(String, hint: String)
        /// The caller was silent long enough for the flow's timer to fire.
        case timedOut(node: String)
        /// An integration ran.
        case performed(node: String, action: ActionKind, outcome: String, note: String?)
        /// A queue answered (or overflowed) after the caller waited.
        case queued(queue: String, agent: String?, overflow: String?, waited: Duration)
        case transferred(destination: String)
        /// A transfer with `on_failure` did not go through; the flow goes on.
        case transferFailed(destination: String, reason: String)
        case ended(CallEnd)
        /// The call ended before the line answered it, with its record's outcome (`redirected`,
        /// `caller-hung-up`, …).
        case endedUnanswered(outcome: String)
        /// The call's record could not be written (the call itself went on as logged).
        case recordNotSaved(reason: String)
    }

    /// One transcript line: `[01:02.5] heard  cc.menu  "You have reached Customer Care…"`.
    public var line: String {
        let stamp = "[\(Self.format(offset))]"
        switch event {
        case .answered(let callerID, let dialled):
            // An outbound call (a page) dials no line of ours: say whom it reached.
            return dialled.isEmpty ? "\(stamp) call    answered at \(callerID)" : "\(stamp) call    answered on \(dialled)"
        case .ringing(_, let dialled):
            return "\(stamp) call    ringing on \(dialled)"
        case .redirected(let destination):
            return "\(stamp) redirect to \(destination) (302 Moved Temporarily)"
        case .endedUnanswered(let outcome):
            return "\(stamp) end     \(outcome) (never answered)"
        case .heard(let node, let prompts, let texts, _):
            let text = texts.joined(separator: " ")
            return "\(stamp) heard   \(node): \(prompts.count == 1 ? prompts[0] : "\(prompts.count) prompts")  \"\(text)\""
        case .stopped:
            return "\(stamp) stop    prompt cut short"
        case .pressed(let key):
            return "\(stamp) press   \(key)"
        case .keyNotUsed(let key, let disposition):
            switch disposition {
            case .endsSubmittedEntry: return "\(stamp) press   \(key) (ends the entry already sent)"
            case .taken, .ignored: return "\(stamp) press   \(key) (ignored: nothing listens for keys now)"
            }
        case .said(let text):
            return "\(stamp) say     \"\(text)\""
        case .speechNotUsed(let text, let hint):
            return "\(stamp) say     \"\(text)\" (ignored: \(hint))"
        case .timedOut(let node):
            return "\(stamp) silence timer expired in \(node)"
        case .performed(let node, let action, let outcome, let note):
            return "\(stamp) action  \(node): \(action.rawValue) → \(outcome)" + (note.map { " (\($0))" } ?? "")
        case .queued(let queue, let agent, let overflow, let waited):
            let result = agent.map { "answered by \($0)" } ?? "overflow to \(overflow ?? "?")"
            return "\(stamp) queue   \(queue): \(result) after \(Self.format(waited))"
        case .transferred(let destination):
            return "\(stamp) transfer to \(destination)"
        case .transferFailed(let destination, let reason):
            return "\(stamp) transfer to \(destination) failed: \(reason)"
        case .recordNotSaved(let reason):
            return "\(stamp) error   the call record was not saved: \(reason)"
        case .ended(let end):
            switch end {
            case .failed(let reason): return "\(stamp) end     failed: \(reason)"
            case .completed, .transferred, .callerHungUp: return "\(stamp) end     \(end.outcome)"
            }
        }
    }

    /// The transcripts of prompts, one per id (`[id]` for an id the catalog lacks).
    public static func texts(of prompts: [String], in catalog: PromptCatalog?) -> [String] {
        prompts.map { catalog?[$0]?.text ?? "[\($0)]" }
    }

    /// `mm:ss.t`.
    public static func format(_ duration: Duration) -> String {
        let tenths = Int((duration.timeInterval * 10).rounded())
        let minutes = tenths / 600
        let seconds = (tenths % 600) / 10
        return "\(minutes < 10 ? "0" : "")\(minutes):\(seconds < 10 ? "0" : "")\(seconds).\(tenths % 10)"
    }
}

/// How long prompts play, estimated from their transcripts, for runs without the WAV files
/// (`PromptCatalog.estimatedLength`); an id the catalog lacks counts as a short prompt.
public struct EstimatedPromptLengths: PromptLengths {
    public var catalog: PromptCatalog?

    public init(catalog: PromptCatalog?) { self.catalog = catalog }

    public func duration(ofPrompts ids: [String]) -> Duration {
        ids.reduce(.zero) { $0 + PromptCatalog.estimatedLength(of: catalog?[$1]?.text ?? "") }
    }
}
