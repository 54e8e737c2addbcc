import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Every test's scratch folder lives under one root per test process,
/// `$TMPDIR/hotline-tests-<pid>-<uuid>/`, removed when the process exits; a root left by a process
/// that is gone (a killed run) is removed by the next run. Nothing of a test run stays in /tmp.
public enum TestFolders {
    /// This process's root: made on first use, when stale roots of dead processes are swept.
    public static let root: String = {
        let temporary = NSTemporaryDirectory()
        sweepStale(in: temporary)
        let path = (temporary as NSString).appendingPathComponent("hotline-tests-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestFolders.root) }
        return path
    }()

    /// A fresh folder `<root>/<prefix>-<uuid>`, made.
    public static func make(_ prefix: String) throws -> URL {
        let url = URL(fileURLWithPath: path(prefix))
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fresh path `<root>/<prefix>-<uuid>` (or `<root>/<prefix>-<uuid>-<suffix>`), not made.
    public static func path(_ prefix: String, suffix: String? = nil) -> String {
        let name = "\(prefix)-\(UUID().uuidString)" + (suffix.map { "-\($0)" } ?? "")
        return (root as NSString).appendingPathComponent(name)
    }

    /// The process id in a root's name, if `name` is exactly `hotline-tests-<pid>-<uuid>`.
    public static func processID(ofRoot name: String) -> pid_t? {
        let prefix = "hotline-tests-"
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-") else { return nil }
        let digits = rest[..<dash]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let pid = pid_t(digits), pid > 0,
            let uuid = UUID(uuidString: String(rest[rest.index(after: dash)...])),
            uuid.uuidString == String(rest[rest.index(after: dash)...])
        else { return nil }
        return pid
    }

    /// Removes every root in `folder` whose process is gone; returns the names removed. A root of
    /// a live process (this one included) and anything not named exactly like a root are left.
    @discardableResult
    public static func sweepStale(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = processID(ofRoot: name), pid != getpid(), !isAlive(pid) else { continue }
            if (try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        return removed
    }

    /// Whether a process with this id exists (a process of another user counts as alive).
    public static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
