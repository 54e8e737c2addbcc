import Foundation

/// Files a command writes (a JUnit report, a calendar): checked before the work, so a run never
/// ends with its report lost, and said plainly when writing fails.
public enum OutputFile {
    /// Why `path` cannot be written, with a fix, or nil when it can (nothing is created).
    public static func problem(path: String) -> String? {
        guard !path.isEmpty else { return "the output file name is empty (fix: give a file name, e.g. report.xml)" }
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { return "cannot write \(path): it is a folder (fix: give a file name in it, e.g. \(path)/report.xml)" }
            if !manager.isWritableFile(atPath: path) { return "cannot write \(path): permission denied (fix: make it writable or write elsewhere)" }
            return nil
        }
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        guard manager.fileExists(atPath: folder, isDirectory: &isFolder) else {
            return "cannot write \(path): the folder \(folder) does not exist (fix: create it, e.g. mkdir -p \(folder), or write elsewhere)"
        }
        guard isFolder.boolValue else { return "cannot write \(path): \(folder) is not a folder (fix: write elsewhere)" }
        guard manager.isWritableFile(atPath: folder) else {
            return "cannot write \(path): no permission to create files in \(folder) (fix: write elsewhere)"
        }
        return nil
    }

    /// What to say when writing `path` failed with `error`.
    public static func problem(writing path: String, error: any Error) -> String {
        if let problem = problem(path: path) { return problem }
        let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? "\(error)"
        return "cannot write \(path): \(reason) (fix: check the path and the free space)"
    }
}
