import HotlineTraining
import Testing

@Suite struct ExamTests {
    @Test func theSameSeedDrawsTheSamePersonas() {
        let personas = (1...12).map { "persona-\($0)" }
        let first = Exam.draw(from: personas, count: 4, seed: 7)
        #expect(first == Exam.draw(from: personas.reversed(), count: 4, seed: 7))
        #expect(Set(first).count == 4)
        #expect(Exam.draw(from: personas, count: 20, seed: 1).count == 12)
        #expect(first != Exam.draw(from: personas, count: 4, seed: 8))
    }
}
