import Foundation
import Testing

/// Rules of the code style that the compiler cannot check by itself.
@Suite struct SourceRulesTests {
    /// Every Swift file under `Sources/`, with its path relative to the repository.
    static func sources() throws -> [(path: String, lines: [Substring])] {
        let root = Repository.path("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
        return try files.map { file in
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            return ("Sources/" + file, text.split(separator: "\n", omittingEmptySubsequences: false))
        }
    }

    /// `@unchecked Sendable` switches the compiler's check off: a type is made `Sendable` by its
    /// structure (`let`s, a `Mutex`, an actor), and the rare type that cannot be says why in a
    /// `// @unchecked: …` comment just above it (the libre thread of `SIPEndpoint`). Before, the
    /// terminal's `CallSignals`, the audio player's device box and the benchmark's trace log were
    /// `@unchecked` without need.
    @Test func everyUncheckedSendableSaysWhy() throws {
        var unexplained: [String] = []
        let sources = try Self.sources()
        #expect(sources.contains { $0.path == "Sources/HotlineApp/Terminal.swift" }, "the scan did not find the sources")
        for (path, lines) in sources {
            for (index, line) in lines.enumerated() where line.contains("@unchecked Sendable") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                var above = index - 1
                var explained = false
                while above >= 0, lines[above].trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                    if lines[above].trimmingCharacters(in: .whitespaces).hasPrefix("// @unchecked:") { explained = true }
                    above -= 1
                }
                if !explained { unexplained.append("\(path):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))") }
            }
        }
        #expect(unexplained.isEmpty, "make these Sendable by structure, or say why above them in a `// @unchecked: …` comment:\n\(unexplained.joined(separator: "\n"))")
    }
}
