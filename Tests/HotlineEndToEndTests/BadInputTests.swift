import Foundation
import HotlineTestSupport
import Testing

/// Bad input on the commands of the demo, the simulator and the phone: a clear error under the
/// command's own usage, exit 64, and nothing written.
@Suite struct BadInputTests {
    @Test(arguments: [
        (["demo", "--at", "tomorrow"], "--at: 'tomorrow' is not a time", "hotline demo"),
        (["simulate", "--line", "--at", "yesterday"], "--at: 'yesterday' is not a time", "hotline simulate"),
        (["simulate", "--line", "--calls-per-hour=-5"], "--calls-per-hour must be above 0", "hotline simulate"),
        (["simulate", "--line", "--hours", "0"], "--hours must be above 0", "hotline simulate"),
        (["call", "--from", " "], "--from needs a phone number", "hotline call"),
        (["call", "--set", "page.id"], "--set takes NAME=VALUE", "hotline call"),
        (["test", "--jobs", "0"], "--jobs must be at least 1", "hotline test"),
    ])
    func isRefusedWithTheCommandsOwnUsage(arguments: [String], message: String, usage: String) throws {
        let folder = try Repository.temporaryFolder()
        let database = folder.appendingPathComponent("untouched.sqlite").path
        let result = try Repository.run(arguments, environment: ["HOTLINE_DB": database])
        #expect(result.status == 64)
        #expect(result.output.contains(message), "\(result.output)")
        #expect(result.output.contains("Usage: \(usage)"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
