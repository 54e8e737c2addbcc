import Foundation
import HotlineTraining

/// The terminal desk: the persona's lines shown as text, the trainee types desk actions. Time on
/// the call is the time that passes at the desk (`clock`, read by the command: the outermost layer).
public struct TrainingConsole: Sendable {
    public var readLine: @Sendable () -> String?
    public var write: @Sendable (String) -> Void
    public var clock: @Sendable () -> Date
    /// Speaks each of the persona's lines after it is shown (`--device`: ``PersonaVoice``); nil: text only.
    public var speak: (@Sendable (String) -> Void)?
    /// Whether the input ended because the trainee pressed Ctrl-C (``DeskInput``): the call is then
    /// ended as abandoned, not as a trainee who went quiet.
    public var interrupted: @Sendable () -> Bool

    public init(
        readLine: @escaping @Sendable () -> String?, write: @escaping @Sendable (String) -> Void, clock: @escaping @Sendable () -> Date,
        speak: (@Sendable (String) -> Void)? = nil, interrupted: @escaping @Sendable () -> Bool = { false }
    ) {
        self.readLine = readLine
        self.write = write
        self.clock = clock
        self.speak = speak
        self.interrupted = interrupted
    }

    /// Runs one call at the desk until it is over or the input ends.
    public func take(_ line: TrainingLine) {
        let started = clock()
        var shown = 0
        func show() {
            let timeline = line.call.timeline
            while shown < timeline.count {
                write(timeline[shown].line)
                if timeline[shown].who == .caller { speak?(timeline[shown].text) }
                shown += 1
            }
        }
        // The persona's title would give the situation away: the trainee sees only the caller ID.
        write("— Customer Care: a call from \(line.persona.caller) is put through to you. Type 'help' for desk commands.")
        show()
        while !line.call.isOver {
            write("desk> ")
            guard let typed = readLine() else { break }
            let now = line.pickedUpAt.addingTimeInterval(max(0, clock().timeIntervalSince(started)))
            let text = typed.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "help" {
                write(DeskCommand.help)
                continue
            }
            switch DeskCommand.parse(text) {
            case .failure(let problem): write(problem.description)
            case .success(let action): line.act(action, at: now)
            }
            show()
        }
        let now = line.pickedUpAt.addingTimeInterval(max(0, clock().timeIntervalSince(started)))
        if interrupted() {
            write("")
            line.abandon(because: "the trainee pressed Ctrl-C", at: now)
        } else {
            line.finish(at: now)
        }
        show()
    }
}
