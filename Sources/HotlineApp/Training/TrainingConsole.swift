import Foundation
import HotlineCore
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
    /// Reads a line waiting at most so many seconds (``DeskInput/read(within:)``): with it, a caller
    /// on hold hangs up at the desk when its patience runs out, while the trainee is away from the
    /// keyboard — without it the hang-up was shown only when the trainee typed again, into a call
    /// that was over.
    public var readWithin: (@Sendable (TimeInterval) -> DeskRead)?

    public init(
        readLine: @escaping @Sendable () -> String?, write: @escaping @Sendable (String) -> Void, clock: @escaping @Sendable () -> Date,
        speak: (@Sendable (String) -> Void)? = nil, interrupted: @escaping @Sendable () -> Bool = { false },
        readWithin: (@Sendable (TimeInterval) -> DeskRead)? = nil
    ) {
        self.readLine = readLine
        self.write = write
        self.clock = clock
        self.speak = speak
        self.interrupted = interrupted
        self.readWithin = readWithin
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
        func deskNow() -> Date { line.pickedUpAt.addingTimeInterval(max(0, clock().timeIntervalSince(started))) }
        while !line.call.isOver {
            write("desk> ")
            let typed: String?
            if let readWithin, case .onHold(let since) = line.call.state {
                // Wake when the caller's patience on hold runs out (a moment after: it is exceeded).
                let left = since.addingTimeInterval(line.persona.patience.timeInterval).timeIntervalSince(deskNow()) + 0.05
                switch readWithin(max(0, left)) {
                case .line(let text): typed = text
                case .ended: typed = nil
                case .timedOut:
                    line.timePasses(to: deskNow())
                    if line.call.isOver { write("") }
                    show()
                    continue
                }
            } else {
                typed = readLine()
            }
            guard let typed else { break }
            let now = deskNow()
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
        let now = deskNow()
        if interrupted() {
            write("")
            line.abandon(because: "the trainee pressed Ctrl-C", at: now)
        } else {
            line.finish(at: now)
        }
        show()
    }
}
