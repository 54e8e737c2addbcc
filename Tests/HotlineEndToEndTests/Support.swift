import Foundation
import HotlineStore
import HotlineTestSupport
import Testing

/// The repository the end-to-end tests run the built executables in (helpers: `Built`, `runProcess`).
enum Repository {
    static let root = URL(fileURLWithPath: Built.repositoryRoot)

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func temporaryFolder() throws -> URL { URL(fileURLWithPath: try Built.temporaryFolder()) }

    /// Runs the built `hotline` in the repository root: its exit status and both streams.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> (status: Int32, output: String) {
        let result = try runProcess(try HotlineEndToEndTests.hotline(), arguments, input: input ?? "", environment: environment)
        return (result.status, result.combined)
    }
}

/// The built `hotline`; a test needing it fails with how to build it.
func hotline() throws -> String {
    try #require(Built.hotline, "build the executable first: swift build --product hotline (or set HOTLINE_BIN)")
}

extension Repository {
    /// The built `hotline`, for tests that start it themselves (to kill it mid-write).
    static var hotline: String { Built.hotline ?? "hotline" }
    static var sampleData: String { path("Fixtures/data") }
    static var slaTable: String { path("Fixtures/sla.yaml") }
}

/// The seed time the database tests use: 03:00 on Christmas Day in California.
let seedTime = Date(timeIntervalSince1970: 1_798_196_400)  // 2026-12-25T11:00:00Z

/// A database in `folder` seeded by `hotline db seed` at `seedTime`, opened for the test to read.
func seededStore(in folder: TemporaryFolder) throws -> CaseStore {
    let path = folder.path("hotline.sqlite")
    let seed = try runProcess(try hotline(), ["db", "seed", "--db", path, "--at", "2026-12-25T11:00:00Z"])
    try #require(seed.status == 0, "hotline db seed failed: \(seed.combined)")
    return try CaseStore.open(path: path)
}
