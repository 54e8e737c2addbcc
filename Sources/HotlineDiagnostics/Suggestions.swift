/// The one place Hotline suggests a name ("did you mean"), used by every file format and command.
public enum Suggestions {
    /// The candidate closest to `word`, when close enough to be a plausible typo (at most a third of
    /// the word's length, and at most 3 edits), case-insensitively.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = min(3, max(1, (max(word.count, best.candidate.count) + 2) / 3))
        return best.distance <= limit ? best.candidate : nil
    }

    /// The fix text for a name that is not among `candidates`: "did you mean 'x'? the queues are: a, b".
    public static func fix(for word: String, in candidates: [String], what: String) -> String {
        let list = candidates.joined(separator: ", ")
        if let near = closest(to: word, in: candidates) {
            return "did you mean '\(near)'? \(what) are: \(list)"
        }
        return "\(what) are: \(list)"
    }

    /// Levenshtein distance, with an adjacent transposition counted as one edit.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}

