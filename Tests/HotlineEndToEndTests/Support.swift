import Foundation
import HotlineTestSupport
import Testing

/// The repository the end-to-end tests run the built executables in (helpers: `Built`, `runProcess`).
enum Repository {
    static let root = URL(fileURLWithPath: Built.repositoryRoot)

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func temporaryFolder() throws -> URL { URL(fileURLWithPath: try Built.temporaryFolder()) }

    /// Runs the built `hotline` in the repository root: its exit status and both streams.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> (status: Int32, output: String) {
        let result = try runProcess(try hotline(), arguments, input: input ?? "", environment: environment)
        return (result.status, result.combined)
    }
}

/// The built `hotline`; a test needing it fails with how to build it.
func hotline() throws -> String {
    try #require(Built.hotline, "build the executable first: swift build --product hotline (or set HOTLINE_BIN)")
}
