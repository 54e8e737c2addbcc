import Foundation
import HotlineTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Tests leave nothing in /tmp: every scratch folder is under one root per test process, removed
/// at exit, and a root left by a killed run is removed by the next one.
@Suite struct TestFoldersTests {
    @Test func everyFolderIsUnderThisProcesssRoot() throws {
        let root = TestFolders.root
        let name = (root as NSString).lastPathComponent
        #expect(TestFolders.processID(ofRoot: name) == getpid(), "\(root)")
        #expect((root as NSString).deletingLastPathComponent == (NSTemporaryDirectory() as NSString).standardizingPath)
        let folder = try TestFolders.make("probe")
        #expect(folder.path.hasPrefix(root + "/probe-"), "\(folder.path)")
        #expect(FileManager.default.fileExists(atPath: folder.path))
        #expect(TestFolders.path("file", suffix: "a.sqlite").hasPrefix(root + "/file-"))
        #expect(TemporaryFolder().url.path.hasPrefix(root + "/"))
    }

    @Test func onlyAStaleRootOfADeadProcessIsSwept() throws {
        let folder = try TestFolders.make("sweep").path
        let dead = pid_t(Int32.max)  // above any pid_max: no such process
        #expect(!TestFolders.isAlive(dead))
        #expect(TestFolders.isAlive(getpid()))
        let uuid = UUID().uuidString
        let names = [
            "hotline-tests-\(dead)-\(uuid)",  // stale: removed
            "hotline-tests-\(getpid())-\(uuid)",  // this process: kept
            "hotline-tests-1-\(uuid)",  // init, alive: kept
            "hotline-tests-\(dead)-not-a-uuid",  // not the pattern: kept
            "hotline-tests-\(uuid)",  // no pid: kept
            "hotline-app-\(uuid)",  // someone else's: kept
        ]
        for name in names {
            try FileManager.default.createDirectory(atPath: folder + "/" + name + "/inner", withIntermediateDirectories: true)
        }
        #expect(TestFolders.sweepStale(in: folder) == ["hotline-tests-\(dead)-\(uuid)"])
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(left == names.dropFirst().sorted())
    }
}
