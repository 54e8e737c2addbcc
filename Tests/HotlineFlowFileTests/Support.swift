import Foundation
import HotlineTestSupport
import Testing

/// Paths into the repository.
enum Repository {
    /// The repository root, found from this file's path (Tests/HotlineFlowFileTests/Support.swift).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let gsc = path("Fixtures/flows/gsc.yaml")
    static let catalog = path("Prompts/en-US/catalog.yaml")
    static let badFlows = path("Fixtures/flows/bad")

    /// Every bad-flow fixture's file name.
    static var badFlowNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: badFlows)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }
}

/// A fresh scratch folder under the test process's root (removed at exit at the latest).
func temporaryFolder() throws -> String {
    try TestFolders.make("flowfile").path
}
