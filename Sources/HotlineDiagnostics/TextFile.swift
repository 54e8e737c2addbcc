import Foundation

/// Reading a file that must be UTF-8 text, saying what is wrong with it when it is not.
///
/// The one place every file format reads its bytes: a missing file, a folder, a device or FIFO
/// (which would hang or never end), binary data and non-UTF-8 text each get their own message
/// naming the file and, for content, the line and column of the first bad byte.
public enum TextFile {
    /// The largest file read (64 MiB): Hotline's files are a few KiB; anything larger is a mistake.
    public static let maximumSize = 64 << 20

    /// The text of the file at `path`, or the diagnostic that says why it cannot be read.
    public static func read(_ path: String) -> Result<String, Diagnostic> {
        func failure(_ code: Diagnostic.Code, _ message: String, fix: String) -> Result<String, Diagnostic> {
            .failure(Diagnostic(code, file: path, line: 1, column: 1, message: message, fix: fix))
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            return failure(.unreadable, "no such file", fix: "check the path (it is relative to the current folder)")
        }
        let type = attributes[.type] as? FileAttributeType
        if type == .typeDirectory {
            return failure(.unreadable, "the path is a folder, not a file", fix: "give the path of a YAML file inside it")
        }
        if type != .typeRegular {
            return failure(.unreadable, "the path is not a regular file (a device, pipe or socket)", fix: "give the path of a YAML file")
        }
        if let size = attributes[.size] as? NSNumber, size.intValue > maximumSize {
            return failure(.unreadable, "the file is \(size.intValue >> 20) MiB, too large for a Hotline file (at most \(maximumSize >> 20) MiB)", fix: "check that this is the right file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return failure(.unreadable, "the file cannot be opened (permission denied)", fix: "check the file's permissions")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            return failure(.unreadable, "the file cannot be read: \(error.localizedDescription)", fix: "check the file and the disk")
        }
        return decode(data, path: path)
    }

    /// `data` as UTF-8 text, or a diagnostic at the first NUL byte (binary) or invalid UTF-8 sequence.
    /// A UTF-8 byte-order mark is dropped.
    public static func decode(_ data: Data, path: String) -> Result<String, Diagnostic> {
        let bytes = [UInt8](data)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        if let nul = bytes[start...].firstIndex(of: 0) {
            let (line, column) = position(of: nul, in: bytes, from: start)
            return .failure(
                Diagnostic(
                    .binary, file: path, line: line, column: column, message: "the file is binary, not text (a NUL byte at offset \(nul))",
                    fix: "give the path of a YAML text file"))
        }
        if let bad = firstInvalidUTF8(bytes, from: start) {
            let (line, column) = position(of: bad, in: bytes, from: start)
            let byte = String(bytes[bad], radix: 16, uppercase: true)
            return .failure(
                Diagnostic(
                    .notUTF8, file: path, line: line, column: column,
                    message: "the file is not UTF-8 text (byte 0x\(byte.count == 1 ? "0" + byte : byte) at line \(line), column \(column))",
                    fix: "save the file as UTF-8"))
        }
        return .success(String(decoding: bytes[start...], as: UTF8.self))
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8], from start: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = start
        for index in start..<offset where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        // Count characters (UTF-8 lead bytes) before the offset on its line.
        let column = bytes[lineStart..<offset].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return (line, column)
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for offset in 1..<length {
                let byte = bytes[index + offset]
                let (min, max) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= min, byte <= max else { return index }
            }
            index += length
        }
        return nil
    }
}
