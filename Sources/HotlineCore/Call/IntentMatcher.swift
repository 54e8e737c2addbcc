import Foundation

/// Matches what a caller said to a menu's intents.
///
/// Case-insensitive, punctuation-blind, word-based: a phrase matches when its words appear in
/// order and next to each other in the utterance, so "I'd like an Escalation Manager, please"
/// matches "escalation manager". When several intents match, the longest phrase wins.
public enum IntentMatcher {
    public static func match(_ utterance: String, intents: [Menu.Intent]) -> Menu.Intent? {
        let words = normalizedWords(utterance)
        guard !words.isEmpty else { return nil }
        var best: (intent: Menu.Intent, length: Int)?
        for intent in intents {
            for phrase in intent.phrases {
                let phraseWords = normalizedWords(phrase)
                guard !phraseWords.isEmpty, contains(words, phraseWords) else { continue }
                if phraseWords.count > best?.length ?? 0 { best = (intent, phraseWords.count) }
            }
        }
        return best?.intent
    }

    /// Lowercased words with punctuation removed ("I'd" → "id").
    public static func normalizedWords(_ text: String) -> [Substring] {
        let cleaned = String(text.lowercased().compactMap { character -> Character? in
            if character.isLetter || character.isNumber { return character }
            if character == "'" || character == "’" { return nil }
            return " "
        })
        return cleaned.split(separator: " ")
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
    public static func render(_ template: String, variables: [String: String]) -> String {
        guard template.contains("${") else { return template }
        var result = ""
        var rest = template[...]
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let name = String(rest[open.upperBound..<close])
            result += variables[name] ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
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
