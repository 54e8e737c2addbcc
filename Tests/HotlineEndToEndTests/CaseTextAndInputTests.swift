import Foundation
import HotlineTestSupport
import Testing

/// The command line meets the case's own limits and checks its values as strictly as the web.
@Suite struct CaseTextAndInputTests {
    func seeded() throws -> String {
        let db = try Repository.temporaryFolder().appendingPathComponent("hotline.sqlite").path
        let seed = try Repository.run(["db", "seed", "--db", db, "--at", "2026-12-01T00:00:00Z"])
        #expect(seed.status == 0, "\(seed.output)")
        return db
    }

    /// `cases comment --body-file` with a file over the comment limit is refused naming the size,
    /// the limit and the fix, and the feed is unchanged.
    @Test func aCommentOverTheLimitIsRefusedByTheCommandLineToo() throws {
        let db = try seeded()
        let folder = try Repository.temporaryFolder()
        let file = folder.appendingPathComponent("long.txt")
        try Data(repeating: UInt8(ascii: "z"), count: 2_000_000).write(to: file)
        let before = try Repository.run(["cases", "feed", "00345678", "--db", db])
        let result = try Repository.run(["cases", "comment", "00345678", "--body-file", file.path, "--db", db, "--at", "2026-12-02T10:00:00Z"])
        #expect(result.status != 0)
        #expect(result.output.contains("the comment is 2000000 characters long; at most 10000 are kept"), "\(result.output)")
        #expect(result.output.contains("(fix: shorten it"), "\(result.output)")
        #expect(try Repository.run(["cases", "feed", "00345678", "--db", db]).output == before.output)
        let reason = try Repository.run(
            ["cases", "escalate", "00345678", "--reason", String(repeating: "r", count: 2_001), "--db", db, "--at", "2026-12-02T10:00:00Z"])
        #expect(reason.status != 0 && reason.output.contains("the reason is 2001 characters long; at most 2000 are kept"), "\(reason.output)")
        #expect(try Repository.run(["pages", "list", "--db", db]).output.contains("00345678") == false)
    }

    /// The policy is loaded before the database: `cases escalate --policy MISSING` on a new
    /// database fails and leaves no file; so do `call` and `train` with a file that does not load.
    @Test func aCommandFailingOnAFileLeavesNoNewDatabase() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("new.sqlite").path
        let missing = folder.appendingPathComponent("MISSING.yaml").path
        let runs: [[String]] = [
            ["cases", "escalate", "00345678", "--reason", "down", "--policy", missing, "--db", db],
            ["call", "--flow", missing, "--from", "+14085550100", "--db", db],
            ["train", "--persona", missing, "--sessions", db, "--json"],
            ["train", "--persona", "Fixtures/training/personas/angry-hold.yaml", "--trainee-script", missing, "--sessions", db, "--json"],
        ]
        for arguments in runs {
            let result = try Repository.run(arguments, input: "")
            #expect(result.status != 0 && result.output.contains("MISSING.yaml"), "\(arguments): \(result.output)")
            for suffix in ["", "-wal", "-shm"] {
                #expect(!FileManager.default.fileExists(atPath: db + suffix), "\(arguments) left \(db + suffix)")
            }
        }
    }

    /// `cases show 12AB --db NEW` made and seeded NEW before it said the number was malformed;
    /// every `cases` command taking a case number now says it first and leaves no database.
    @Test func aMalformedCaseNumberLeavesNoNewDatabase() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("new.sqlite").path
        for arguments in [
            ["cases", "show", "12AB", "--db", db], ["cases", "feed", "12AB", "--db", db], ["cases", "comment", "１２３４５６７８", "hello", "--db", db],
            ["cases", "close", "0034567", "--db", db],
        ] {
            let result = try Repository.run(arguments, input: "")
            #expect(result.status == 2 && result.output.contains("case number") && result.output.contains("fix:"), "\(arguments): \(result.output)")
            for suffix in ["", "-wal", "-shm"] {
                #expect(!FileManager.default.fileExists(atPath: db + suffix), "\(arguments) left \(db + suffix)")
            }
        }
    }

    /// `call --set case.number=` (empty) was taken as a case; `pages list --case` with full-width
    /// digits answered "no pages". Both are refused before anything starts, naming the option.
    @Test func emptyAndMalformedNumbersInOptionsAreRefused() throws {
        let folder = try Repository.temporaryFolder()
        let db = folder.appendingPathComponent("new.sqlite").path
        for (assignment, expected) in [
            ("case.number=", "--set case.number= has an empty value"), ("=x", "--set takes NAME=VALUE"), ("foo", "--set takes NAME=VALUE"),
            ("case.number=００３４５６７８", "'０' (U+FF10), '３' (U+FF13), '４' (U+FF14), '５' (U+FF15), '６' (U+FF16), '７' (U+FF17), '８' (U+FF18)"),
        ] {
            let result = try Repository.run(
                ["call", "--flow", "Fixtures/flows/page-call.yaml", "--from", "+14155550199", "--db", db, "--set", assignment], input: "")
            #expect(result.status != 0 && result.output.contains(expected) && result.output.contains("fix:"), "\(assignment): \(result.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: db))
        let seededDB = try seeded()
        let pages = try Repository.run(["pages", "list", "--case", "００３４５６７８", "--db", seededDB])
        #expect(pages.status != 0 && pages.output.contains("'８' (U+FF18)") && !pages.output.contains("no pages"), "\(pages.output)")
    }
}
