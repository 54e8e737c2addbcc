import HotlineCore
import Testing

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("\u{1B}[2Jcleared", "\\u{1B}[2Jcleared"),
        ("ring\u{07}", "ring\\u{7}"),
        ("over\rwrite", "over\\u{D}write"),
        ("\u{1B}]0;title\u{07}", "\\u{1B}]0;title\\u{7}"),
        ("csi\u{9B}31m", "csi\\u{9B}31m"),
        ("del\u{7F}", "del\\u{7F}"),
        ("evil\u{202E}txt.exe", "evil\\u{202E}txt.exe"),
        ("nul\u{0}", "nul\\u{0}"),
    ])
    func controlCharactersAreShownEscaped(_ raw: String, _ shown: String) {
        #expect(TerminalText.escaped(raw) == shown)
    }

    @Test func ordinaryTextIsUnchanged() {
        for text in ["", "plain", "tab\tkept", "Señor Müller — ¿0042? 🚀", "\\u{1B} typed literally"] {
            #expect(TerminalText.escaped(text) == text)
        }
    }
}
