import Foundation
import HotlineTestSupport

/// The repository, for tests that read its fixtures.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryFolder() throws -> URL {
        try TestFolders.make("app")
    }
}
