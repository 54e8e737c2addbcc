import Foundation
import HotlineTestSupport
import HotlineCore
import HotlineRota

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func fixture(_ relative: String) -> String { repositoryRoot + "/Fixtures/rota/" + relative }

/// Seconds since 1970 of an ISO time with offset.
func instant(_ text: String) -> Int {
    Int(try! InstantParser.parse(text).timeIntervalSince1970)
}

func date(_ text: String) -> Date { try! InstantParser.parse(text) }

/// A one-line rota with one unrestricted daily layer, for DST tests.
func dailyRota(zone: String, handoff: String, start: String = "2026-01-01", restrictions: String = "") throws -> Rota {
    try Rota.parse(
        yaml: """
            rota: Test
            lines:
              primary:
                layers:
                  - name: Only
                    zone: \(zone)
                    rotation: daily
                    start: \(start)
                    handoff: "\(handoff)"
                    people: [Ada, Bob]
            \(restrictions)
            """, path: "test.yaml")
}

/// Wall-clock hour and minute of an instant in a zone, from Foundation (an independent oracle).
func localClock(_ seconds: Int, _ zone: String) -> (hour: Int, minute: Int) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: zone)!
    let parts = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    return (parts.hour!, parts.minute!)
}

func temporaryDirectory() throws -> String {
    try TestFolders.make("rota").path
}
