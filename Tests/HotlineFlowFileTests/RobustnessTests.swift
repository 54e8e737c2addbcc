import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import Testing

/// Damaged flow files must give errors with a real position, never a crash.
@Suite("Damaged flow files")
struct RobustnessTests {
    static func mutate(_ text: String, using random: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let specials: [Character] = [":", "-", "[", "]", "{", "}", "\"", "'", "*", "&", "#", " ", "\t", "!", "|", ">", "%", "@", "x", "1"]
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let index = Int.random(in: 0..<lines.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: lines.remove(at: index)
            case 1: lines.insert(lines[index], at: index)
            case 2:
                let other = Int.random(in: 0..<lines.count, using: &random)
                lines.swapAt(index, other)
            case 3:
                var characters = Array(lines[index])
                if !characters.isEmpty {
                    characters[Int.random(in: 0..<characters.count, using: &random)] = specials.randomElement(using: &random)!
                }
                lines[index] = String(characters)
            case 4:
                lines[index] = String(lines[index].dropFirst(Int.random(in: 0...2, using: &random)))  // break indentation
            default:
                lines = Array(lines.prefix(index + 1))
            }
            if lines.isEmpty { lines = [""] }
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: 0..<3)
    func mutatedReferenceFlowsGiveWellFormedErrors(batch: Int) throws {
        let original = try String(contentsOfFile: Repository.gsc, encoding: .utf8)
        var random = SplitMix64(seed: UInt64(batch) &* 7919 &+ 17)
        var invalid = 0
        for round in 0..<30 {
            let text = Self.mutate(original, using: &random)
            let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
            let problems = FlowChecker.check(text: text, path: Repository.gsc)
            if !problems.isEmpty { invalid += 1 }
            for problem in problems {
                #expect(problem.file.hasSuffix(".yaml"), "batch \(batch) round \(round): \(problem)")
                #expect((1...(lineCount + 1)).contains(problem.line) && problem.column >= 1, "batch \(batch) round \(round): \(problem)")
                #expect(!problem.message.isEmpty)
                #expect(problem.description.contains(":\(problem.line):\(problem.column): error: "))
            }
            // What `check` finds clean, `loadChecked` accepts, and the reverse.
            let accepted = (try? FlowFile.load(text: text, path: Repository.gsc)).map { FlowChecker.check($0).isEmpty } ?? false
            #expect(accepted == problems.isEmpty, "batch \(batch) round \(round): check and load disagree")
        }
        #expect(invalid > 15)  // the mutations really do damage the file
    }
}
