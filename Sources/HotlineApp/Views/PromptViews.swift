import Foundation
import HotlineAudio
import HotlineCore

/// What `hotline prompts list` prints.
public enum PromptViews {
    /// One line a prompt (id, duration, file, transcript, problem) and a total.
    public static func list(_ listings: [PromptListing]) -> [String] {
        let width = listings.map(\.id.count).max() ?? 2
        let fileWidth = listings.map { ($0.file as NSString).lastPathComponent.count }.max() ?? 4
        var lines: [String] = listings.map { listing in
            let duration = listing.format.map { String(format: "%6.2fs", $0.duration.timeInterval) } ?? "      ?"
            let file = (listing.file as NSString).lastPathComponent.padding(toLength: fileWidth, withPad: " ", startingAt: 0)
            var line = "\(listing.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(duration)  \(file)  \(listing.transcript)"
            if let problem = listing.problem { line += "  [\(problem.message)]" }
            return line
        }
        let total = listings.compactMap(\.format).reduce(Duration.zero) { $0 + $1.duration }
        lines.append("\(listings.count) prompts, \(String(format: "%.1f", total.timeInterval)) s of audio")
        return lines
    }

    /// One prompt in `prompts list --json`.
    public struct Row: Encodable, Sendable {
        public var id, file, transcript: String
        public var durationSeconds: Double?
        public var format: String?
        public var problem: String?

        public init(_ listing: PromptListing) {
            id = listing.id
            file = listing.file
            transcript = listing.transcript
            durationSeconds = listing.format.map { $0.duration.timeInterval }
            format = listing.format?.summary
            problem = listing.problem?.description
        }
    }

    /// `prompts list --json`: one array, snake_case keys like every `--json` (`duration_seconds`).
    public static func json(_ listings: [PromptListing]) throws -> String {
        try JSONOutput.text(listings.map(Row.init))
    }
}
