import Foundation
import Testing

/// Paths into the repository and a runner for the real `hotline` executable.
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

    /// The `hotline` executable: next to the test bundle, else `HOTLINE_BIN`, else `.build/debug/hotline`.
    static var hotline: String? {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hotline").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        if let env = ProcessInfo.processInfo.environment["HOTLINE_BIN"], FileManager.default.isExecutableFile(atPath: env) { return env }
        let fromBuild = root.appendingPathComponent(".build/debug/hotline").path
        return FileManager.default.isExecutableFile(atPath: fromBuild) ? fromBuild : nil
    }

    /// A program on PATH, or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

struct ProcessResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs a program to completion, feeding `input` on standard input. Standard error goes to a file
/// so neither pipe can fill up and block the child.
func run(_ executable: String, _ arguments: [String], input: String? = nil, in folder: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let errorHandle = try FileHandle(forWritingTo: errorFile)
    let output = Pipe(), standardInput = Pipe()
    process.standardOutput = output
    process.standardError = errorHandle
    process.standardInput = standardInput
    try process.run()
    if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
    try standardInput.fileHandleForWriting.close()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errorHandle.close()
    let errData = (try? Data(contentsOf: errorFile)) ?? Data()
    return ProcessResult(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self), error: String(decoding: errData, as: UTF8.self))
}

/// A fresh scratch folder; the caller removes it.
func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-flowfile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}
