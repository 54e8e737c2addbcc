import ArgumentParser
import Foundation

/// Text given on the command line, checked as the bytes the shell passed: Swift's
/// `CommandLine.arguments` silently replaces bytes that are not UTF-8 with U+FFFD, which would
/// store a different comment than the one typed ("stored exactly as given"). Commands that store
/// text refuse such an argument instead.
enum ArgumentText {
    /// Throws when an argument of this process is not valid UTF-8, naming its position (and the
    /// option before it) but not its text.
    static func requireUTF8() throws {
        let count = Int(CommandLine.argc)
        for index in 1..<max(count, 1) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
            guard String(validating: bytes, as: UTF8.self) == nil else { continue }
            let offset = invalidOffset(bytes)
            var previous = ""
            if index > 1, let before = CommandLine.unsafeArgv[index - 1] {
                let text = String(cString: before)
                if text.hasPrefix("-") { previous = " (the value of \(text))" }
            }
            throw ValidationError(
                "argument \(index)\(previous) is not UTF-8 text: byte \(offset + 1) is 0x\(String(bytes[offset], radix: 16, uppercase: true)); "
                    + "Hotline stores text exactly as given, so it does not guess what was meant "
                    + "(fix: give the text in UTF-8 — check the terminal's and the locale's encoding, e.g. LANG=C.UTF-8 — or pass it with --body-file)")
        }
    }

    /// The offset of the first byte where UTF-8 decoding fails.
    static func invalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error, .emptyInput: return min(offset, max(bytes.count - 1, 0))
            }
        }
    }

    /// The text of `--body-file PATH` (`-` is standard input), exactly as its bytes say; not UTF-8
    /// is an error.
    static func readBody(_ path: String) throws -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("--body-file \(path) cannot be read (fix: check the path and its permissions, or use - for standard input)")
            }
            data = contents
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ValidationError("--body-file \(path == "-" ? "- (standard input)" : path) is not UTF-8 text; Hotline stores text exactly as given (fix: convert it, e.g. iconv -t UTF-8)")
        }
        return text
    }

    /// Refuses an empty (or blank) value of an option.
    static func requireText(_ value: String?, option: String, fix: String) throws {
        guard let value else { return }
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("\(option) is empty (fix: \(fix))")
        }
    }
}
