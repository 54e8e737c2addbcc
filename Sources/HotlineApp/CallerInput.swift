import Foundation
import HotlineCore
import HotlineRuntime

/// The keys of a phone in a terminal in raw mode: one byte in, what the caller did out.
///
/// `0`–`9`, `*` and `#` are keypresses; `s` starts typing a phrase to say (echoed while typed,
/// Enter sends it, Esc cancels, Backspace and Ctrl-U edit); `q`, Ctrl-C and Ctrl-D hang up.
///
/// Wrong input is a normal path: any other key gets a one-line hint; escape sequences (arrow and
/// function keys) are swallowed whole. Nothing here is ignored silently except Enter, space and
/// Tab outside a phrase.
public struct KeypadInput: Sendable {
    /// Where the keyboard is.
    public enum State: Sendable, Hashable {
        /// Each key is a keypress on the phone.
        case keys
        /// Typing a phrase; the bytes typed so far (UTF-8, possibly an incomplete character).
        case typing([UInt8])
        /// Inside an escape sequence; `csi` once `ESC [` was seen. `then` is where to go after it.
        case escape(csi: Bool)
    }

    /// What to do about a byte.
    public enum Action: Sendable, Hashable {
        /// The caller pressed, said or hung up.
        case send(LiveInput)
        /// Show the phrase typed so far (the status line).
        case showPhrase(String)
        /// The phrase was sent or cancelled: stop showing it.
        case endPhrase
        /// Tell the user which keys work.
        case hint(String)
    }

    /// The one-line key help.
    public static let help = "keys: 0-9 * # press · s say a phrase · q hang up (Ctrl-C too)"
    /// The longest phrase kept; bytes past it are dropped.
    public static let maximumPhraseBytes = 200

    public private(set) var state: State = .keys

    public init() {}

    /// A byte arrived from the terminal.
    public mutating func received(_ byte: UInt8) -> [Action] {
        switch state {
        case .keys:
            return keyPressed(byte)
        case .typing(var phrase):
            switch byte {
            case 0x0D, 0x0A:  // Enter
                state = .keys
                let text = String(decoding: phrase, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? [.endPhrase] : [.endPhrase, .send(.say(text))]
            case 0x03, 0x04:  // Ctrl-C, Ctrl-D
                state = .keys
                return [.endPhrase, .send(.hangUp)]
            case 0x1B:  // Esc cancels (and swallows the rest of an arrow key's sequence)
                state = .escape(csi: false)
                return [.endPhrase]
            case 0x7F, 0x08:  // Backspace: one character, not one byte
                var text = String(decoding: phrase, as: UTF8.self)
                if !text.isEmpty { text.removeLast() }
                phrase = Array(text.utf8)
                state = .typing(phrase)
                return [.showPhrase(text)]
            case 0x15:  // Ctrl-U
                state = .typing([])
                return [.showPhrase("")]
            case 0x20...:
                if phrase.count < Self.maximumPhraseBytes { phrase.append(byte) }
                state = .typing(phrase)
                return [.showPhrase(String(decoding: phrase, as: UTF8.self))]
            default:
                return []  // Other control characters mean nothing in a phrase.
            }
        case .escape(let csi):
            if !csi && byte == UInt8(ascii: "[") {
                state = .escape(csi: true)
            } else if !csi || (0x40...0x7E).contains(byte) {
                state = .keys  // Alt-x (one byte), or the final byte of a CSI sequence.
            }
            return []
        }
    }

    private mutating func keyPressed(_ byte: UInt8) -> [Action] {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "#"):
            return [.send(.key(Character(Unicode.Scalar(byte))))]
        case UInt8(ascii: "s"), UInt8(ascii: "S"):
            state = .typing([])
            return [.showPhrase("")]
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 0x03, 0x04:
            return [.send(.hangUp)]
        case 0x1B:
            state = .escape(csi: false)
            return []
        case 0x0D, 0x0A, 0x20, 0x09:
            return []
        default:
            return [.hint(Self.help)]
        }
    }
}

/// A script of what the caller does, read from standard input when it is not a terminal
/// (`printf '1\ns escalation manager\n00345678\n' | hotline call`).
///
/// Each byte is a key (`0`–`9`, `*`, `#`); `q` hangs up; a line starting with `s ` or `say ` is a
/// phrase; a line `wait SECONDS` keeps the caller silent that long. Keys on one line are one burst
/// (a case number is typed in one go). Blank space and `\r` are ignored; any other byte, or a line
/// that starts like a command but is none, is reported (`.unreadable`) and skipped.
public struct ScriptInput: Sendable {
    /// Where the reader is in the current line.
    public enum State: Sendable, Hashable {
        /// Nothing on this line yet.
        case lineStart
        /// The line is keys.
        case keys
        /// The line starts with a letter: a command (`say …`, `wait …`) collected to its end.
        case command([UInt8])
    }

    /// What the script says the caller does next.
    public enum Event: Sendable, Hashable {
        case input(LiveInput)
        /// The end of a line of keys: the next keys wait for the call to listen again.
        case endOfBurst
        /// Stay silent this long before the next event.
        case silence(Duration)
        /// Something the script cannot mean; skipped, and the user is told (line number, text).
        case unreadable(line: Int, text: String)
    }

    public private(set) var state: State = .lineStart
    public private(set) var line = 1

    public init() {}

    /// A byte of the script arrived.
    public mutating func received(_ byte: UInt8) -> [Event] {
        switch state {
        case .lineStart:
            switch byte {
            case 0x0A:
                line += 1
                return []
            case 0x20, 0x09, 0x0D:
                return []
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") {
                    state = .keys
                    return [.input(.hangUp)]
                }
                state = .command([byte])
                return []
            default:
                state = .keys
                return key(byte)
            }
        case .keys:
            if byte == 0x0A {
                state = .lineStart
                line += 1
                return [.endOfBurst]
            }
            return key(byte)
        case .command(var text):
            if byte == 0x0A {
                state = .lineStart
                let events = command(text)
                line += 1
                return events
            }
            if text.count < 4096 { text.append(byte) }
            state = .command(text)
            return []
        }
    }

    /// The script ended.
    public mutating func finished() -> [Event] {
        switch state {
        case .lineStart:
            return []
        case .keys:
            state = .lineStart
            return [.endOfBurst]
        case .command(let text):
            state = .lineStart
            return command(text)
        }
    }

    private func key(_ byte: UInt8) -> [Event] {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "#"):
            return [.input(.key(Character(Unicode.Scalar(byte))))]
        case UInt8(ascii: "q"), UInt8(ascii: "Q"):
            return [.input(.hangUp)]
        case 0x20, 0x09, 0x0D:
            return []
        default:
            return [.unreadable(line: line, text: Self.shown(byte))]
        }
    }

    private func command(_ bytes: [UInt8]) -> [Event] {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let words = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let verb = words.first.map { $0.lowercased() } ?? ""
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        switch verb {
        case "s", "say":
            guard !rest.isEmpty else { return [.unreadable(line: line, text: "\(text) (say what? write: say escalation manager)")] }
            return [.input(.say(rest))]
        case "wait":
            var number = rest.lowercased()
            if number.hasSuffix("s") { number.removeLast() }
            guard let seconds = Double(number.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds <= 3600 else {
                return [.unreadable(line: line, text: "\(text) (write: wait 6 — seconds, 0 to 3600)")]
            }
            return [.silence(Duration(timeInterval: seconds))]
        default:
            return [.unreadable(line: line, text: "\(text) (a line is keys 0-9 * #, q, say TEXT, or wait SECONDS)")]
        }
    }

    private static func shown(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }
}

/// When a scripted caller acts: like a person, after the call has asked — once a menu's or a
/// question's prompt has played to the end and the call waits for an answer — not while
/// announcements play (keys then would be lost, as on a real line).
///
/// Events: script events arrive (`scriptEvent`), the script ends (`scriptEnded`), the call starts
/// listening (`callListens`), the call speaks again (`callSpeaks`), a silence ends
/// (`silenceEnded`). Actions: deliver input to the call, start a silence, end the input.
/// Unreadable script lines are not this machine's concern (the reader reports them).
public struct ScriptTurns: Sendable {
    /// What to do.
    public enum Action: Sendable, Hashable {
        case deliver(LiveInput)
        /// Wait this long, then report `silenceEnded`.
        case startSilence(Duration)
        /// Nothing more will come: end the call's input (the caller stays silent on the line).
        case finishInput
    }

    private var queue: [ScriptInput.Event] = []
    /// The call waits for the caller now.
    private var listening = false
    /// In the middle of a line of keys: further keys follow at once.
    private var inBurst = false
    private var silent = false
    private var ended = false
    private var finished = false

    public init() {}

    public mutating func scriptEvent(_ event: ScriptInput.Event) -> [Action] {
        switch event {
        case .unreadable: return []
        case .input, .endOfBurst, .silence: queue.append(event)
        }
        return release()
    }

    public mutating func scriptEnded() -> [Action] {
        ended = true
        return release()
    }

    /// A menu's or collect's prompt played to the end; its no-input timer runs.
    public mutating func callListens() -> [Action] {
        listening = true
        return release()
    }

    /// A prompt started: the caller listens to it first.
    public mutating func callSpeaks() {
        listening = false
        inBurst = false
    }

    public mutating func silenceEnded() -> [Action] {
        silent = false
        return release()
    }

    private mutating func release() -> [Action] {
        var actions: [Action] = []
        while !finished, !silent, let next = queue.first {
            switch next {
            case .endOfBurst:
                queue.removeFirst()
                if inBurst {
                    inBurst = false
                    listening = false
                }
            case .input(.key(let key)):
                guard listening || inBurst else { return actions + finishIfDone() }
                queue.removeFirst()
                inBurst = true
                actions.append(.deliver(.key(key)))
            case .input(let other):
                guard listening || inBurst else { return actions + finishIfDone() }
                queue.removeFirst()
                inBurst = false
                listening = false
                actions.append(.deliver(other))
            case .silence(let duration):
                guard listening || inBurst else { return actions + finishIfDone() }
                queue.removeFirst()
                inBurst = false
                silent = true
                actions.append(.startSilence(duration))
            case .unreadable:
                queue.removeFirst()
            }
        }
        return actions + finishIfDone()
    }

    private mutating func finishIfDone() -> [Action] {
        guard ended, queue.isEmpty, !silent, !finished else { return [] }
        finished = true
        return [.finishInput]
    }
}
