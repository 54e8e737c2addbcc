import Foundation
import HotlineDiagnostics
import HotlineFlowFile
import Testing

@Suite("Reading the prompt catalog")
struct PromptCatalogTests {
    /// The catalog once stopped at its first problem; now every one is reported, each at its line.
    @Test func everyProblemOfACatalogIsReportedAtOnce() {
        let path = Repository.path("Fixtures/prompts/bad-catalog.yaml")
        do {
            _ = try PromptCatalog.load(path: path)
            Issue.record("loaded")
        } catch {
            let found = error.errors.map { "\($0.line):\($0.column) \($0.code)" }
            #expect(found == ["9:3 duplicate-key", "3:1 unknown-key", "8:5 structure", "13:5 unknown-key", "14:13 structure"], "\(error)")
            #expect(error.description.contains("unknown key 'langauge' in a prompt catalog; did you mean `language`?"))
            #expect(error.description.contains("unknown key 'flie' in prompt 'gsc.odd'; did you mean `file`?"))
            #expect(error.errors.allSatisfy { $0.file == path && $0.fix != nil })
        }
    }

    @Test func theShippedCatalogLoads() throws {
        let catalog = try PromptCatalog.load(path: Repository.path("Prompts/en-US/catalog.yaml"))
        #expect(catalog["gsc.welcome"] != nil)
        #expect(catalog.entries.count > 20)
    }
}
