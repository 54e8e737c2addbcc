/// The text a case change carries (a comment, a reason, a note, a summary) and its limits. The
/// limits are the case's, not a front end's: the command line, the web pages, the API, the phone
/// and the training desk all reach them through `CaseLifecycle` (and `CaseStore.openCase`), so each
/// gets the same refusal, before anything is written.
///
/// Length is counted in characters (extended grapheme clusters, as a reader counts them) of the
/// text as given; front ends that trim (the web) trim before they hand the text over.
public struct CaseText: Sendable, Hashable {
    /// Which text of a change it is: each has its own name in messages and its own limit.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        /// Case Comments.
        case comment
        /// Why an escalation, a level step or a priority change is asked for.
        case reason
        /// A closing or status note.
        case note
        /// What a Problem Report asks engineering to look at, or what a new case is about.
        case summary

        /// The most characters this text may have.
        public var limit: Int {
            switch self {
            case .comment: CaseText.maxComment
            case .reason, .note, .summary: CaseText.maxReason
            }
        }

        /// "the comment", "the reason", … as messages name it.
        public var name: String { "the \(rawValue)" }
    }

    /// The longest comment kept: 10,000 characters (the Case Center's text box says the same).
    public static let maxComment = 10_000
    /// The longest reason, note or summary kept: 2,000 characters.
    public static let maxReason = 2_000

    /// What is wrong with a text, said so that the person who wrote it can fix it. The message
    /// names the field, the size and the limit, never the text itself (it is customer data).
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// Longer than the field's limit.
        case tooLong(Field, characters: Int, limit: Int)
        /// Holds a NUL character (U+0000), which no front end can show and SQLite's text
        /// functions stop at.
        case containsNUL(Field)

        public var field: Field {
            switch self {
            case .tooLong(let field, _, _), .containsNUL(let field): field
            }
        }

        /// What is wrong, without the fix: the web's message (`the comment is 12000 characters
        /// long; at most 10000 are kept`).
        public var message: String {
            switch self {
            case .tooLong(let field, let characters, let limit): "\(field.name) is \(characters) characters long; at most \(limit) are kept"
            case .containsNUL(let field): "\(field.name) contains a NUL character"
            }
        }

        /// How to fix it.
        public var fix: String {
            switch self {
            case .tooLong(.comment, _, let limit):
                "shorten it to at most \(limit) characters, or split it into several comments"
            case .tooLong(_, _, let limit):
                "shorten it to at most \(limit) characters; put the detail in a comment (up to \(CaseText.maxComment) characters)"
            case .containsNUL:
                "remove the NUL bytes (e.g. tr -d '\\000' < FILE)"
            }
        }

        public var description: String { "\(message) (fix: \(fix))" }
    }

    /// The problem with `text` as `field`, or nil when it may be stored.
    public static func problem(_ text: String, as field: Field) -> Problem? {
        let limit = field.limit
        // A text has no more characters than UTF-8 bytes: most texts need no counting.
        if text.utf8.count > limit {
            let characters = text.count
            if characters > limit { return .tooLong(field, characters: characters, limit: limit) }
        }
        if text.utf8.contains(0) { return .containsNUL(field) }
        return nil
    }
}
