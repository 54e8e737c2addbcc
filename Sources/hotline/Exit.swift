import ArgumentParser
import Foundation

/// How `hotline` ends — the one place that prints an error and picks the exit status:
///
/// | status | meaning |
/// |---|---|
/// | 0 | done |
/// | 1 | it ran, and what it ran or checked failed: a scenario, a flow or prompt check, rota coverage, a call's flow, `db check` |
/// | 2 | it could not do what was asked: a file, database, device or value is wrong (`error: …` on stderr, with a fix) |
/// | 64 | the command line is wrong: an unknown option, a missing or unreadable value (usage on stderr) |
/// | 130 | interrupted (Ctrl-C) |
enum Exit {
    static let failed: Int32 = 1
    static let error: Int32 = 2
    static let usage: Int32 = 64
    static let interrupted: Int32 = 130

    /// For `hotline --help`.
    static let scheme = """
        Exit status: 0 done; 1 what ran or was checked failed (a scenario, a flow, prompt or coverage \
        check, a call's flow, db check); 2 it could not be done: a file, database, device or value is \
        wrong (`error: …` on stderr says which and how to fix it); 64 the command line is wrong (usage \
        on stderr); 130 interrupted.
        """

    /// Ends the process for an error thrown by a command: `ExitCode` as it says, the argument
    /// parser's own errors (usage, `--help`) as it prints them, and every other error as
    /// `error: …` on stderr with status 2.
    static func with(_ error: any Error) -> Never {
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        // The parser answers EXIT_FAILURE for errors that are not its own: those are ours.
        guard Hotline.exitCode(for: error).rawValue == EXIT_FAILURE else { Hotline.exit(withError: error) }
        fail(String(describing: error))
    }

    /// Prints `error: MESSAGE` on stderr (once: a message that already says `error:` is kept as
    /// it is) and exits with `status`.
    static func fail(_ message: String, status: Int32 = error) -> Never {
        standardError(message.hasPrefix("error:") || message.contains(": error:") ? message : "error: \(message)")
        Foundation.exit(status)
    }

    /// `note: MESSAGE` on stderr: something the user should know that does not stop the command.
    static func note(_ message: String) {
        standardError("note: \(message)")
    }

    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// An error whose message is complete (often `FILE:LINE:COLUMN: error: … (fix: …)`): printed
/// without the usage text, status 2.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
