import HotlineFlowFile
import Testing

@Suite struct PromptLengthEstimateTests {
    @Test func aTranscriptTakesAboutFourTenthsOfASecondAWordAndNeverLessThanHalfASecond() {
        #expect(PromptCatalog.estimatedLength(of: "Your case number is") == .milliseconds(1600))
        #expect(PromptCatalog.estimatedLength(of: "  zero  ") == .milliseconds(500))
        #expect(PromptCatalog.estimatedLength(of: "") == .milliseconds(500))
    }
}
