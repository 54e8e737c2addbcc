import Foundation
import HotlineCore
import HotlineFlowFile

/// A prompt listed with what its WAV says: for `hotline prompts list`.
public struct PromptListing: Sendable, Hashable {
    public var id: String
    public var file: String
    public var transcript: String
    /// The WAV's format and length; `nil` when it cannot be read (`problem` says why).
    public var format: WAVFormat?
    public var problem: AudioError?

    /// Every catalog entry, in catalog order, with its WAV header read.
    public static func list(_ catalog: PromptCatalog) -> [PromptListing] {
        catalog.entries.map { entry -> PromptListing in
            do throws(AudioError) {
                return PromptListing(id: entry.id, file: entry.file, transcript: entry.text, format: try WAVHeader.read(path: entry.file), problem: nil)
            } catch {
                return PromptListing(id: entry.id, file: entry.file, transcript: entry.text, format: nil, problem: error)
            }
        }
    }
}

/// `hotline prompts check`: every prompt a flow uses exists in the catalog, has a transcript, and
/// is a valid telephony WAV (8 kHz mono, 16-bit PCM or G.711, not empty, not silent).
public struct PromptCheck: Sendable {
    /// One thing wrong, said as `where: error: message (fix: …)`.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var prompt: String
        /// The flow node or catalog entry at fault, as `file:line:column`.
        public var location: String
        public var message: String
        public var fix: String?

        public var description: String {
            "\(location): error: \(message)" + (fix.map { " (fix: \($0))" } ?? "")
        }
    }

    /// Prompts checked (distinct ids).
    public var checked: [String]
    public var problems: [Problem]

    public var passed: Bool { problems.isEmpty }

    /// Checks the prompts `uses` names against `catalog`; with `uses` nil, checks every catalog entry.
    public static func run(catalog: PromptCatalog, uses: [PromptUse]? = nil) -> PromptCheck {
        let wanted: [PromptUse] = uses ?? catalog.entries.map { PromptUse(id: $0.id, node: "catalog", location: $0.location ?? SourceLocation(file: catalog.path, line: 0, column: 0)) }
        var order: [String] = []
        var firstUse: [String: PromptUse] = [:]
        for use in wanted where firstUse[use.id] == nil {
            firstUse[use.id] = use
            order.append(use.id)
        }
        var problems: [Problem] = []
        for id in order {
            guard let use = firstUse[id] else { continue }
            guard let entry = catalog[id] else {
                problems.append(Problem(
                    prompt: id, location: use.location.description,
                    message: "node '\(use.node ?? "defaults")' plays prompt '\(id)', which is not in the catalog \(catalog.path)",
                    fix: "add `\(id): {text: …}` to the catalog and run `make prompts`, or fix the id"
                ))
                continue
            }
            let here = entry.location?.description ?? catalog.path
            if entry.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(Problem(prompt: id, location: here, message: "prompt '\(id)' has no transcript", fix: "add `text: …` with what the prompt says"))
            }
            do {
                let audio = try WAVAudio.read(path: entry.file)
                let format = audio.format
                if !format.isTelephony {
                    problems.append(Problem(
                        prompt: id, location: here, message: "prompt '\(id)': \(entry.file) is \(format.summary), not 8000 Hz mono 16-bit PCM or G.711",
                        fix: "regenerate it with `make prompts` or `sox IN.wav -r 8000 -c 1 -b 16 -e signed-integer \(entry.file)`"
                    ))
                } else if format.frameCount == 0 {
                    problems.append(Problem(prompt: id, location: here, message: "prompt '\(id)': \(entry.file) holds no audio", fix: "regenerate it with `make prompts`"))
                } else if isSilent(audio.samples) {
                    problems.append(Problem(
                        prompt: id, location: here,
                        message: "prompt '\(id)': \(entry.file) is silent (\(format.summary), every sample below \(silenceDecibels) dBFS)",
                        fix: "regenerate it with `make prompts`, or record the prompt again"))
                }
            } catch {
                problems.append(Problem(prompt: id, location: here, message: "prompt '\(id)': \(error.subject): \(error.message)", fix: error.fix))
            }
        }
        return PromptCheck(checked: order, problems: problems)
    }

    /// Below this peak (dBFS) a prompt counts as silent: a caller would hear nothing.
    public static let silenceDecibels = -60

    /// Whether no sample reaches `silenceDecibels` (digital silence, or a recording of nothing).
    public static func isSilent(_ samples: [Int16]) -> Bool {
        let threshold = Int(32768 * pow(10, Double(silenceDecibels) / 20))  // 32 at -60 dBFS
        return !samples.contains { abs(Int($0)) > threshold }
    }
}
