/// A path with `folder/..` and `.` components removed, so errors show `Prompts/en-US/catalog.yaml`
/// rather than `Fixtures/flows/../../Prompts/en-US/catalog.yaml`.
public func normalizedPath(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == "..", let last = parts.last, last != ".." {
            parts.removeLast()
            continue
        }
        if part == "..", path.hasPrefix("/"), parts.isEmpty { continue }
        parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if path.hasPrefix("/") { return "/" + joined }
    return joined.isEmpty ? "." : joined
}
