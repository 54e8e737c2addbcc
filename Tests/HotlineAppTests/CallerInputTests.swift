import Foundation
import HotlineApp
import HotlineRuntime
import Testing

/// The keypad of `hotline call` in a terminal: bytes in, one line per step.
@Suite struct KeypadInputTests {
    func feed(_ text: String, into keypad: inout KeypadInput) -> [KeypadInput.Action] {
        Array(text.utf8).flatMap { keypad.received($0) }
    }

    @Test func phoneKeysArePressesAndOtherLettersGetAHint() {
        var keypad = KeypadInput()
        #expect(feed("1", into: &keypad) == [.send(.key("1"))])
        #expect(feed("*", into: &keypad) == [.send(.key("*"))])
        #expect(feed("#", into: &keypad) == [.send(.key("#"))])
        #expect(feed("x", into: &keypad) == [.hint(KeypadInput.help)])
        #expect(feed("\r", into: &keypad) == [])
    }

    @Test func aPhraseIsEchoedWhileTypedAndSaidOnEnter() {
        var keypad = KeypadInput()
        #expect(feed("s", into: &keypad) == [.showPhrase("")])
        #expect(feed("hi", into: &keypad) == [.showPhrase("h"), .showPhrase("hi")])
        #expect(feed("x\u{7F}", into: &keypad) == [.showPhrase("hix"), .showPhrase("hi")])
        #expect(feed("\r", into: &keypad) == [.endPhrase, .send(.say("hi"))])
        #expect(keypad.state == .keys)
        // Digits typed in a phrase are text, not keypresses.
        #expect(feed("s12\n", into: &keypad) == [.showPhrase(""), .showPhrase("1"), .showPhrase("12"), .endPhrase, .send(.say("12"))])
    }

    @Test func backspaceRemovesAWholeCharacter() {
        var keypad = KeypadInput()
        _ = feed("sé", into: &keypad)
        #expect(feed("\u{7F}", into: &keypad) == [.showPhrase("")])
        #expect(feed("\r", into: &keypad) == [.endPhrase])
    }

    @Test func escapeCancelsAPhraseAndArrowKeysAreSwallowed() {
        var keypad = KeypadInput()
        _ = feed("sabc", into: &keypad)
        #expect(feed("\u{1B}", into: &keypad) == [.endPhrase])
        #expect(feed("[A", into: &keypad) == [])
        #expect(feed("\u{1B}[1;5C", into: &keypad) == [])
        #expect(feed("2", into: &keypad) == [.send(.key("2"))])
    }

    @Test(arguments: ["q", "Q", "\u{03}", "\u{04}"])
    func hangUpKeys(_ key: String) {
        var keypad = KeypadInput()
        #expect(feed(key, into: &keypad) == [.send(.hangUp)])
        var typing = KeypadInput()
        _ = feed("sesc", into: &typing)
        if key == "\u{03}" || key == "\u{04}" {
            #expect(feed(key, into: &typing) == [.endPhrase, .send(.hangUp)])
        } else {
            #expect(feed(key, into: &typing) == [.showPhrase("esc" + key)])  // a letter of the phrase
        }
    }
}

/// Scripts on standard input: each byte a key, `say` lines, `wait` lines.
@Suite struct ScriptInputTests {
    func read(_ text: String) -> [ScriptInput.Event] {
        var reader = ScriptInput()
        return Array(text.utf8).flatMap { reader.received($0) } + reader.finished()
    }

    @Test func keysPhrasesAndPauses() {
        #expect(
            read("1\nsay escalation manager\n0034 5678#\nwait 6\ns operator\nq")
                == [
                    .input(.key("1")), .endOfBurst, .input(.say("escalation manager")),
                    .input(.key("0")), .input(.key("0")), .input(.key("3")), .input(.key("4")),
                    .input(.key("5")), .input(.key("6")), .input(.key("7")), .input(.key("8")), .input(.key("#")), .endOfBurst,
                    .silence(.seconds(6)), .input(.say("operator")), .input(.hangUp), .endOfBurst,
                ])
    }

    @Test func aScriptWithoutNewlineStillEnds() {
        #expect(read("1") == [.input(.key("1")), .endOfBurst])
        #expect(read("say help") == [.input(.say("help"))])
    }

    @Test func unreadableInputIsReportedWithItsLine() {
        let events = read("1\nhello there\n2x\nwait soon\nsay\n")
        let problems = events.compactMap { event -> Int? in
            if case .unreadable(let line, _) = event { return line }
            return nil
        }
        #expect(problems == [2, 3, 4, 5])
        #expect(events.contains(.input(.key("2"))))
    }
}

/// When a scripted caller acts: only once the call asks.
@Suite struct ScriptTurnsTests {
    @Test func keysWaitForTheCallToListen() {
        var turns = ScriptTurns()
        #expect(turns.scriptEvent(.input(.key("1"))) == [])
        #expect(turns.scriptEvent(.endOfBurst) == [])
        #expect(turns.scriptEvent(.input(.say("escalation manager"))) == [])
        #expect(turns.callListens() == [.deliver(.key("1"))])
        turns.callSpeaks()
        #expect(turns.callListens() == [.deliver(.say("escalation manager"))])
        #expect(turns.scriptEnded() == [.finishInput])
    }

    @Test func aLineOfKeysGoesInOneBurstEvenWhenItArrivesInPieces() {
        var turns = ScriptTurns()
        #expect(turns.callListens() == [])
        #expect(turns.scriptEvent(.input(.key("0"))) == [.deliver(.key("0"))])
        #expect(turns.scriptEvent(.input(.key("0"))) == [.deliver(.key("0"))])
        #expect(turns.scriptEvent(.endOfBurst) == [])
        #expect(turns.scriptEvent(.input(.key("9"))) == [])  // the next line waits for the next question
        #expect(turns.callListens() == [.deliver(.key("9"))])
    }

    @Test func aSilenceHoldsTheNextStep() {
        var turns = ScriptTurns()
        _ = turns.scriptEvent(.silence(.seconds(6)))
        _ = turns.scriptEvent(.input(.key("2")))
        #expect(turns.callListens() == [.startSilence(.seconds(6))])
        #expect(turns.scriptEnded() == [])
        #expect(turns.silenceEnded() == [.deliver(.key("2")), .finishInput])
    }

    @Test func aSilenceOverARepromptWaitsForTheNextQuestion() {
        var turns = ScriptTurns()
        _ = turns.scriptEvent(.silence(.seconds(6)))
        _ = turns.scriptEvent(.input(.key("2")))
        _ = turns.callListens()
        turns.callSpeaks()  // the no-input prompt plays
        #expect(turns.silenceEnded() == [])
        #expect(turns.callListens() == [.deliver(.key("2"))])
    }
}
