import Foundation
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

/// A fresh scratch folder; the caller removes it.
func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-flowfile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}
