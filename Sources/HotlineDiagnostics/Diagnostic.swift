import HotlineCore

/// A problem in one of Hotline's files, said as `file:line:column: error: message (fix: …)` so editors
/// and CI jump to the spot.
///
/// Every file format — flows, the prompt catalog, the rota, the escalation policy, agents, queues,
/// staffing plans, sample data, the SLA table and scenarios — reports its problems with this one
/// type, read through ``YAMLFile``. A diagnostic names positions, keys and values from the file and
/// says how to fix it; it never carries a caller's phone number or case data from a database.
///
/// Lines and columns are 1-based; 0 means "the file as a whole".
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, for tests and tools that branch on it. Formats add their own codes in an
    /// extension (`extension Diagnostic.Code { static let gap = Self("gap") }`).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file is missing, a folder, not a regular file, or cannot be opened.
        public static let unreadable = Self("unreadable")
        /// The file holds binary data (a NUL byte), not text.
        public static let binary = Self("binary")
        /// The file is text but not UTF-8.
        public static let notUTF8 = Self("not-utf8")
        /// The YAML does not parse.
        public static let syntax = Self("syntax")
        /// A key appears twice in one mapping.
        public static let duplicateKey = Self("duplicate-key")
        /// The file has no document.
        public static let empty = Self("empty")
        /// A value of the wrong shape (a list where a mapping belongs), or a required key missing.
        public static let structure = Self("structure")
        /// A key the format does not know.
        public static let unknownKey = Self("unknown-key")
        /// A value that does not parse or is out of range.
        public static let badValue = Self("bad-value")
        /// A duration that does not parse or is longer than allowed.
        public static let badDuration = Self("bad-duration")
        /// A name that refers to nothing (a node, prompt, queue, person…).
        public static let unknownName = Self("unknown-name")
        /// A problem the checker found in a file that reads correctly (unreachable node, loop…).
        public static let check = Self("check")
    }

    public var code: Code
    /// The file, as given (see ``normalizedPath(_:)``).
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var fix: String?

    public init(_ code: Code, file: String, line: Int, column: Int, message: String, fix: String?) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    /// A diagnostic without a specific code (`.structure`).
    public init(file: String, line: Int, column: Int, message: String, fix: String?) {
        self.init(.structure, file: file, line: line, column: column, message: message, fix: fix)
    }

    /// A diagnostic at a source location (its file wins over `file`), or at the top of `file`.
    public init(_ code: Code, at location: SourceLocation?, file: String, message: String, fix: String?) {
        self.init(
            code, file: location?.file ?? file, line: location?.line ?? 0, column: location?.column ?? 0, message: message,
            fix: fix)
    }

    /// Where the problem is.
    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// `file:line:column: error: message (fix: …)`, with control characters from the file escaped so
    /// they never reach a terminal raw.
    public var description: String {
        let text = "\(file):\(line):\(column): error: \(message)" + (fix.map { " (fix: \($0))" } ?? "")
        return Self.printable(text)
    }

    /// `text` with control characters (C0, DEL, C1) written as `\u{…}` escapes.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// Every problem found in a file (or a set of files read together), thrown when it cannot be used.
///
/// Loaders collect problems and throw them all at once, so a user fixes a file in one pass.
public struct Diagnostics: Error, Sendable, Hashable, CustomStringConvertible {
    /// In the order found; never empty when thrown.
    public var errors: [Diagnostic]
    public init(_ errors: [Diagnostic]) { self.errors = errors }
    public init(_ error: Diagnostic) { self.errors = [error] }
    /// The first problem (for callers that show one).
    public var first: Diagnostic? { errors.first }
    /// One `file:line:column: error: …` line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }

    /// The same problems by file, then line, then column (problems at the same place keep the
    /// order they were found in): the order a user reads the file and fixes them in.
    public var inFileOrder: Diagnostics {
        Diagnostics(
            errors.enumerated().sorted { lhs, rhs in
                let a = lhs.element, b = rhs.element
                if a.file != b.file { return a.file < b.file }
                if a.line != b.line { return a.line < b.line }
                if a.column != b.column { return a.column < b.column }
                return lhs.offset < rhs.offset
            }.map(\.element))
    }
}
