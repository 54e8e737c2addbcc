import Foundation
import HotlineCore
import HotlineTestSupport
import Testing

/// The property every call must have: whatever the caller and the world do, a live call is always
/// waiting on something that will come (a timer it armed, a prompt that is playing, an integration
/// it called) — never stuck — and a call the caller leaves alone always ends.
@Suite struct NoStuckCallTests {
    static let outcomes = ["valid", "invalid", "locked", "recorded", "error", "weird"]
    static let utterances = ["escalation manager", "operator", "blah", ""]

    @Test(arguments: 0..<20)
    func randomEventsNeverLeaveACallStuck(batch: Int) {
        var random = SplitMix64(seed: UInt64(batch) &* 7919)
        for _ in 0..<250 {
            var call = CallStateMachine(flow: TestFlows.escalation)
            var now = TestFlows.t0
            _ = call.answered(callerID: "x", dialled: nil, at: now)
            for _ in 0..<Int.random(in: 1...60, using: &random) {
                now = now.addingTimeInterval(Double.random(in: 0...8, using: &random))
                let wake = call.wakeUp
                switch Int.random(in: 0..<9, using: &random) {
                case 0, 1: _ = call.digitReceived(Array("0123456789*#")[Int.random(in: 0..<12, using: &random)], at: now)
                case 2: _ = call.utteranceReceived(Self.utterances.randomElement(using: &random)!, at: now)
                case 3:  // the pending thing happens
                    switch wake {
                    case .timer(let timer): _ = call.timerFired(timer, at: now)
                    case .playback(let id): _ = call.promptFinished(id, at: now)
                    case .action(let id): _ = call.actionCompleted(id, result: ActionResult(outcome: Self.outcomes.randomElement(using: &random)!), at: now)
                    case .transfer: _ = Bool.random(using: &random) ? call.transferCompleted(at: now) : call.transferFailed(at: now)
                    case nil: break
                    }
                case 4:  // stale and foreign events
                    _ = call.timerFired(CallTimer(id: Int.random(in: 0..<50, using: &random), kind: .noInput), at: now)
                    _ = call.promptFinished(Int.random(in: 0..<50, using: &random), at: now)
                    _ = call.actionCompleted(Int.random(in: 0..<50, using: &random), result: ActionResult(outcome: "valid"), at: now)
                case 5 where Int.random(in: 0..<10, using: &random) == 0: _ = call.hungUp(at: now)
                default:
                    if case .timer(let timer) = wake { _ = call.timerFired(timer, at: now) }
                }
                #expect((call.end == nil) == (call.wakeUp != nil), "a live call must wait on something")
                if call.end != nil { break }
            }
            // Left alone, the call ends: let every pending thing happen until it does.
            var steps = 0
            while let wake = call.wakeUp, steps < 500 {
                steps += 1
                now = now.addingTimeInterval(5)
                switch wake {
                case .timer(let timer): _ = call.timerFired(timer, at: now)
                case .playback(let id): _ = call.promptFinished(id, at: now)
                case .action(let id): _ = call.actionCompleted(id, result: ActionResult(outcome: "invalid"), at: now)
                case .transfer: _ = call.transferFailed(at: now)
                }
            }
            #expect(call.end != nil, "a call left alone must end; stuck at \(call.currentNode ?? "?")")
        }
    }
}
