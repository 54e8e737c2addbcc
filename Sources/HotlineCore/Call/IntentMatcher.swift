import Foundation

/// Matches what a caller said to a menu's intents.
///
/// Case-insensitive, punctuation-blind, word-based: a phrase matches when its words appear in
/// order and next to each other in the utterance, so "I'd like an Escalation Manager, please"
/// matches "escalation manager". When several intents match, the longest phrase wins.
public enum IntentMatcher {
    public static func match(_ utterance: String, intents: [Menu.Intent]) -> Menu.Intent? {
        match(utterance, intents: intents, phraseWords: \.phraseWords)
    }

    /// The same match over any list of intents whose phrases are already normalised (the flow's
    /// compiled menus).
    static func match<Intent>(_ utterance: String, intents: [Intent], phraseWords: (Intent) -> [[Substring]]) -> Intent? {
        let words = normalizedWords(utterance)
        guard !words.isEmpty else { return nil }
        var best: (intent: Intent, length: Int)?
        for intent in intents {
            for phraseWords in phraseWords(intent) {
                guard !phraseWords.isEmpty, contains(words, phraseWords) else { continue }
                if phraseWords.count > best?.length ?? 0 { best = (intent, phraseWords.count) }
            }
        }
        return best?.intent
    }

    /// Lowercased words with punctuation removed ("I'd" → "id").
    public static func normalizedWords(_ text: String) -> [Substring] {
        // ASCII text (nearly every utterance and phrase) byte by byte: the same result as the
        // Unicode path below, without `lowercased()` and per-Character property lookups, which
        // were most of the cost of a spoken menu choice.
        if let ascii = asciiWords(text) { return ascii }
        let cleaned = String(text.lowercased().compactMap { character -> Character? in
            if character.isLetter || character.isNumber { return character }
            if character == "'" || character == "’" { return nil }
            return " "
        })
        return cleaned.split(separator: " ")
    }

    /// `normalizedWords` for ASCII text; `nil` when the text has any other character.
    private static func asciiWords(_ text: String) -> [Substring]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
            case UInt8(ascii: "'"): continue
            case 0x80...: return nil
            default: bytes.append(UInt8(ascii: " "))
            }
        }
        // Split on the bytes: `split` on the `String` walks it by `Character` (grapheme breaking),
        // which was most of an utterance's cost once the phrases were normalised at load.
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.split(separator: UInt8(ascii: " ")).map { Substring($0) }
    }

    /// An ASCII utterance normalised as ``normalizedWords(_:)`` does, kept as bytes and the range
    /// of each word: what ``CompiledMenu`` matches its ASCII phrases against, without a `String`
    /// or a `Substring` per word.
    struct ASCIIWords {
        var bytes: [UInt8] = []
        var words: [Range<Int>] = []
    }

    /// The words of an ASCII utterance; `nil` when it has any other character.
    static func asciiWordRanges(_ text: String) -> ASCIIWords? {
        var result = ASCIIWords()
        result.bytes.reserveCapacity(text.utf8.count)
        var start: Int?
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if start == nil { start = result.bytes.count }
                result.bytes.append(byte < UInt8(ascii: "a") && byte >= UInt8(ascii: "A") ? byte + 32 : byte)
            case UInt8(ascii: "'"):
                continue
            case 0x80...:
                return nil
            default:
                if let first = start { result.words.append(first..<result.bytes.count) }
                start = nil
            }
        }
        if let first = start { result.words.append(first..<result.bytes.count) }
        return result
    }

    /// Whether the phrase's words appear in order and next to each other among the utterance's.
    static func contains(_ heard: ASCIIWords, _ phrase: [[UInt8]]) -> Bool {
        guard phrase.count <= heard.words.count else { return false }
        for start in 0...(heard.words.count - phrase.count) {
            var matched = 0
            while matched < phrase.count, heard.bytes[heard.words[start + matched]].elementsEqual(phrase[matched]) { matched += 1 }
            if matched == phrase.count { return true }
        }
        return false
    }

    private static func contains(_ words: [Substring], _ phrase: [Substring]) -> Bool {
        guard phrase.count <= words.count else { return false }
        for start in 0...(words.count - phrase.count) where words[start] == phrase[0] {
            if words[start..<(start + phrase.count)].elementsEqual(phrase) { return true }
        }
        return false
    }
}

/// `${variable}` substitution in action arguments.
public enum Template {
    /// Scans the UTF-8 bytes: `$`, `{` and `}` are ASCII and never part of a multi-byte
    /// character, so this is exact for any text — and much cheaper than Foundation's string search.
    public static func render(_ template: String, variables: [String: String]) -> String {
        let bytes = template.utf8
        guard var open = firstPlaceholder(in: bytes, from: bytes.startIndex) else { return template }
        var result = ""
        var copied = bytes.startIndex
        while true {
            result += template[copied..<open]
            let nameStart = bytes.index(open, offsetBy: 2)
            guard let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: "}")) else {
                result += template[open...]
                return result
            }
            result += variables[String(template[nameStart..<close])] ?? ""
            copied = bytes.index(after: close)
            guard let next = firstPlaceholder(in: bytes, from: copied) else { break }
            open = next
        }
        return result + template[copied...]
    }

    /// A piece of a template: text as written, or a `${name}` reference.
    enum Piece: Equatable {
        case text(String)
        case variable(String)
    }

    /// The template split as ``render(_:variables:)`` reads it (an unclosed `${` is text), for
    /// ``FlowProgram``: rendering the pieces gives what `render` gives.
    static func pieces(of template: String) -> [Piece] {
        let bytes = template.utf8
        guard var open = firstPlaceholder(in: bytes, from: bytes.startIndex) else {
            return template.isEmpty ? [] : [.text(template)]
        }
        var pieces: [Piece] = []
        var text = ""
        var copied = bytes.startIndex
        while true {
            text += template[copied..<open]
            let nameStart = bytes.index(open, offsetBy: 2)
            guard let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: "}")) else {
                text += template[open...]
                if !text.isEmpty { pieces.append(.text(text)) }
                return pieces
            }
            if !text.isEmpty { pieces.append(.text(text)) }
            text = ""
            pieces.append(.variable(String(template[nameStart..<close])))
            copied = bytes.index(after: close)
            guard let next = firstPlaceholder(in: bytes, from: copied) else { break }
            open = next
        }
        text += template[copied...]
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// Where the next `${` starts at or after `start`.
    private static func firstPlaceholder(in bytes: String.UTF8View, from start: String.Index) -> String.Index? {
        var index = start
        while let dollar = bytes[index...].firstIndex(of: UInt8(ascii: "$")) {
            let after = bytes.index(after: dollar)
            if after < bytes.endIndex, bytes[after] == UInt8(ascii: "{") { return dollar }
            index = after
        }
        return nil
    }

    /// The variable names a template refers to.
    public static func references(in template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
