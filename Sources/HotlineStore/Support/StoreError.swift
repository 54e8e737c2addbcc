import Foundation
import HotlineCore
import HotlineDiagnostics

/// A problem with the case store's input or its database file, said so that a person can fix it.
///
/// The message names the file, line or value at fault — but never a caller's phone number, a
/// contact's name or the text of a comment: those are customer data and stay out of error text
/// and logs. Case, account and PR numbers are identifiers the user typed, so they may appear.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is, for callers that react to some of them.
    public enum Code: String, Sendable, Hashable {
        /// The file at `--db` exists but is not a SQLite database; it was left untouched.
        case notADatabase = "not-a-database"
        /// The file at `--db` is a SQLite database of another application; it was left untouched.
        case foreignDatabase = "foreign-database"
        /// There is no database (or an empty one) where a command that only reads looked.
        case noDatabase = "no-database"
        /// The database lacks migrations of this Hotline, and the command only reads.
        case outdatedSchema = "outdated-schema"
        /// The database holds a migration this Hotline does not know: a newer Hotline made it, and
        /// this one would read or write its tables with an older idea of them. Left untouched.
        case newerSchema = "newer-schema"
        /// A time outside what the database can hold, or a value read back from the database that
        /// is not what its column should hold.
        case invalidStoredValue = "invalid-stored-value"
        /// The database could not be opened or migrated.
        case cannotOpen = "cannot-open"
        /// A case number that is not 8 digits.
        case invalidCaseNumber = "invalid-case-number"
        /// An account/site number that is not 6 digits.
        case invalidAccountNumber = "invalid-account-number"
        /// A phone number that cannot be read as E.164.
        case invalidPhoneNumber = "invalid-phone-number"
        /// A priority, status, level, tier or channel word that is not one of the known ones.
        case invalidValue = "invalid-value"
        /// A time argument that is neither ISO 8601 with an offset nor a local time with an IANA zone.
        case invalidTime = "invalid-time"
        /// The account does not exist.
        case accountNotFound = "account-not-found"
        /// A sample-data or SLA file is wrong at a given line.
        case fixture
        /// `db seed` on a database that already holds accounts.
        case alreadySeeded = "already-seeded"
        /// An SLA table with the same name and version but different targets is already pinned by cases.
        case slaConflict = "sla-conflict"
        /// SQLite refused an operation (constraint, I/O, …).
        case database
    }

    public var code: Code
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var fix: String?
    /// For `.fixture`: every problem found in the sample-data or SLA file, each with its file, line,
    /// column and fix (the message is their `file:line:column: error: …` lines).
    public var diagnostics: [Diagnostic] = []

    public init(_ code: Code, _ message: String, fix: String? = nil) {
        self.code = code
        self.message = message
        self.fix = fix
    }

    /// A problem in a YAML file, as `file:line:column: error: message (fix: …)`.
    public static func fixture(file: String, line: Int, column: Int, _ message: String, fix: String? = nil) -> StoreError {
        fixture([Diagnostic(.structure, file: file, line: line, column: column, message: message, fix: fix)])
    }

    /// Problems in YAML files, one `file:line:column: error: …` line each.
    public static func fixture(_ problems: [Diagnostic]) -> StoreError {
        var error = StoreError(.fixture, Diagnostics(problems).description)
        error.diagnostics = problems
        return error
    }

    public var description: String {
        message + (fix.map { " (fix: \($0))" } ?? "")
    }
}

/// A case operation that the case's state refuses. The runtime maps `caseClosed` to a
/// `record_escalation` node's `closed` outcome; the command line prints the description.
public enum CaseDeskError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No case with this number (for the command line; a caller only ever sees "not found").
    case caseNotFound(caseNumber: String)
    /// The case is closed: it cannot be escalated, commented on or changed. Open a new case.
    case caseClosed(caseNumber: String)
    /// The case is already at L3; the next step is a Problem Report to engineering.
    case levelAtTop(caseNumber: String)
    /// A Problem Report needs the case at L3 first.
    case problemReportNeedsL3(caseNumber: String, level: String)
    /// The requested change would change nothing (same priority, same status).
    case unchanged(caseNumber: String, what: String)
    /// The change is dated before the case was opened, or before its last feed entry: the feed
    /// stays in time order, so the history replays as it happened.
    case datedBeforeHistory(caseNumber: String, at: Date, earliest: Date, what: String)
    /// The change's text is not kept: longer than its limit, or holding a NUL (`CaseText`).
    case textRefused(caseNumber: String, CaseText.Problem)

    public var caseNumber: String {
        switch self {
        case .caseNotFound(let number), .caseClosed(let number), .levelAtTop(let number),
            .problemReportNeedsL3(let number, _), .unchanged(let number, _), .datedBeforeHistory(let number, _, _, _),
            .textRefused(let number, _):
            number
        }
    }

    public var description: String {
        switch self {
        case .caseNotFound(let number):
            "case \(number) does not exist (fix: check the number with `hotline cases list`)"
        case .caseClosed(let number):
            "case \(number) is closed and cannot be changed (fix: open a new case with `hotline cases open`)"
        case .levelAtTop(let number):
            "case \(number) is already at L3, the top support level (fix: open a Problem Report to engineering with `hotline cases pr \(number) --summary TEXT`)"
        case .problemReportNeedsL3(let number, let level):
            "case \(number) is at \(level); only L3 engineers open Problem Reports (fix: escalate it to L3 first with `hotline cases escalate-level \(number)`)"
        case .unchanged(let number, let what):
            "case \(number) already has \(what); nothing was recorded"
        case .datedBeforeHistory(let number, let at, let earliest, let what):
            "case \(number): a change dated \(InstantParser.utcString(at)) is before \(what) at \(InstantParser.utcString(earliest)); nothing was recorded (fix: give --at a time at or after \(InstantParser.utcString(earliest)), or leave --at out to use now)"
        case .textRefused(let number, let problem):
            "case \(number): \(problem.message); nothing was recorded (fix: \(problem.fix))"
        }
    }
}
