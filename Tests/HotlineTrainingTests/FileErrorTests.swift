import HotlineDiagnostics
import HotlineTraining
import Testing

/// Bad persona, rubric and script files: every problem at once, each with file:line and a fix.
@Suite struct FileErrorTests {
    func problems(_ body: () throws -> Void) -> [Diagnostic] {
        do {
            try body()
            return []
        } catch let diagnostics as Diagnostics {
            return diagnostics.errors
        } catch {
            return []
        }
    }

    @Test func aBadPersonaGetsEveryProblemWithItsLine() {
        let path = Repo.path("Fixtures/training/bad/persona.yaml")
        let found = problems { _ = try Persona.load(path: path) }
        let lines = found.map(\.line)
        #expect(lines.contains(3), "bad instant: \(found)")
        #expect(lines.contains(4), "bad key: \(found)")
        #expect(lines.contains(5), "bad duration: \(found)")
        #expect(found.contains { $0.line == 7 && $0.message.contains("names no `case`") }, "\(found)")
        #expect(found.contains { $0.line == 8 && $0.message.contains("'psirt-team'") && $0.fix?.contains("psirt") == true }, "\(found)")
        #expect(found.contains { $0.line == 10 && $0.message.contains("did you mean `name`") }, "\(found)")
        #expect(found.contains { $0.line == 12 && $0.message.contains("did you mean `greeting`") }, "\(found)")
        #expect(found.allSatisfy { $0.file == path && $0.fix != nil }, "\(found)")
        #expect(found.first?.description.contains("persona.yaml:3:") == true, "\(found)")
    }

    @Test func aBadRubricNamesTheUnknownAndRepeatedChecks() {
        let found = problems { _ = try Rubric.load(path: Repo.path("Fixtures/training/bad/rubric.yaml")) }
        #expect(found.contains { $0.line == 7 && $0.message.contains("did you mean 'no-other-account'") }, "\(found)")
        #expect(found.contains { $0.line == 12 && $0.message.contains("between 1 and 100") }, "\(found)")
        #expect(found.contains { $0.line == 11 && $0.message.contains("repeats check") }, "\(found)")
    }

    @Test func aBadScriptNamesEachBadAction() {
        let found = problems { _ = try TraineeScript.load(path: Repo.path("Fixtures/training/bad/script.yaml")) }
        #expect(found.contains { $0.line == 3 && $0.message.contains("before the action above it") }, "\(found)")
        #expect(found.contains { $0.line == 3 && $0.message.contains("missing `account`") }, "\(found)")
        #expect(found.contains { $0.line == 4 && $0.message.contains("did you mean `escalate`") }, "\(found)")
        #expect(found.contains { $0.line == 5 && $0.message.contains("'engineering'") }, "\(found)")
        #expect(found.contains { $0.line == 6 && $0.message.contains("only be one of them") }, "\(found)")
    }

    @Test func emptyAndUnreadableFilesAreErrorsNotCrashes() {
        #expect(!problems { _ = try Persona.load(text: "", path: "empty.yaml") }.isEmpty)
        #expect(!problems { _ = try TraineeScript.load(text: "actions: [", path: "broken.yaml") }.isEmpty)
        #expect(!problems { _ = try Rubric.load(path: "/nonexistent/rubric.yaml") }.isEmpty)
        #expect(problems { _ = try Persona.load(text: "caller: x\nat: 2026-12-02T15:00:00Z\nkeys: [\"1\"]\ncaller: y\n", path: "dup.yaml") }.contains { $0.code == .duplicateKey })
    }
}
