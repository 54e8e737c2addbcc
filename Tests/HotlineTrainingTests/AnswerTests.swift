import Foundation
import HotlineApp
import HotlineTraining
import Testing

/// Every persona's model answer scores 100; every careless script misses exactly the checks its
/// `misses:` names — all on the real line and a real SQLite copy of the seeded database.
@Suite struct AnswerTests {
    @Test func thereAreEnoughPersonasEachWithAModelAnswer() {
        #expect(Repo.personaIDs.count >= 12, "\(Repo.personaIDs)")
        #expect(Repo.carelessScripts().count >= 3, "\(Repo.carelessScripts())")
    }

    @Test(arguments: Repo.personaIDs)
    func theModelAnswerScores100(persona id: String) throws {
        let persona = try Repo.persona(id)
        let script = try TraineeScript.load(path: Repo.path("\(TrainingDefaults.answers)/\(id).model.yaml"))
        let (debrief, line) = try Repo.run(persona, script)
        let transcript = line.call.timeline.map(\.line).joined(separator: "\n")
        #expect(debrief.score == 100, "missed \(debrief.missed):\n\(debrief.checks.filter { !$0.passed }.map(\.detail))\n\(transcript)")
        #expect(line.call.isOver)
    }

    @Test(arguments: Repo.carelessScripts())
    func aCarelessScriptMissesExactlyWhatItIsBuiltToMiss(file: String) throws {
        let id = String(file.prefix { $0 != "." })
        let persona = try Repo.persona(id)
        let script = try TraineeScript.load(path: Repo.path("\(TrainingDefaults.answers)/\(file)"))
        #expect(!script.misses.isEmpty, "\(file) names no `misses:`")
        let (debrief, line) = try Repo.run(persona, script)
        let transcript = line.call.timeline.map(\.line).joined(separator: "\n")
        #expect(Set(debrief.missed) == Set(script.misses), "\(debrief.checks.filter { !$0.passed }.map(\.detail))\n\(transcript)")
        #expect(debrief.score < 100)
    }
}
