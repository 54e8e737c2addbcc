import Foundation
import HotlineCore
import HotlineStore
import HotlineTestSupport

/// The repository's `Fixtures/` folder, found from this file's path.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var fixtures: String { root.appendingPathComponent("Fixtures").path }
    static var sampleData: String { root.appendingPathComponent("Fixtures/data").path }
    static var slaTable: String { root.appendingPathComponent("Fixtures/sla.yaml").path }

}

/// The seed time every test uses: 03:00 on Christmas Day in California.
let seedTime = Date(timeIntervalSince1970: 1_798_196_400)  // 2026-12-25T11:00:00Z

/// A case store on a new file in a temp folder, seeded with the repository's sample data.
func seededStore(in folder: TemporaryFolder, at now: Date = seedTime) throws -> CaseStore {
    let store = try CaseStore.open(path: folder.path("hotline.sqlite"))
    _ = try store.seed(try SampleData.load(folder: Repository.sampleData), sla: try SLATable.load(path: Repository.slaTable), at: now, reset: false)
    return store
}
