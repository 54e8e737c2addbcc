import HotlineDiagnostics

/// What a trainee types at the terminal desk, read into a ``DeskAction``.
public enum DeskCommand {
    /// What is wrong with a typed line, and how to type it.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        init(_ text: String) { description = text }
    }

    public static let help = """
        Desk commands:
          ask name|company|account|case|problem|phone|email
          verify NAME ACCOUNT          the store must hold a contact NAME at ACCOUNT
          lookup CASE                  the case on your screen (the caller hears nothing)
          disclose CASE                tell the caller about the case
          refuse TEXT                  decline (another company's case)
          comment CASE TEXT
          priority CASE P1|P2|P3 REASON
          escalate CASE REASON         record the escalation and page the Escalation Manager on call
          pr CASE SUMMARY              Problem Report to engineering (L3 cases)
          level CASE REASON            one support level up
          close CASE [NOTE]            Close Case (the caller confirmed it is solved)
          open P1|P2|P3 SKILL SUMMARY  a new case for the verified caller's account
          transfer customer-care|gsc|gec|psirt|sme
          hold | resume | end
          next TEXT                    tell the caller what happens next
          say TEXT
        """

    /// Reads one typed line; the error says what is wrong and how to type it.
    public static func parse(_ line: String) -> Result<DeskAction, Problem> {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first?.lowercased() else { return .failure(Problem("type a desk command (help lists them)")) }
        let rest = Array(words.dropFirst())
        func tail(_ from: Int) -> String { rest.dropFirst(from).joined(separator: " ") }
        func need(_ count: Int, _ usage: String) -> Problem? { rest.count < count ? Problem("usage: \(usage)") : nil }
        switch verb {
        case "ask":
            if let problem = need(1, "ask name|company|account|case|problem|phone|email") { return .failure(problem) }
            guard Persona.askable.contains(rest[0]) else { return .failure(Problem("ask for one of \(Persona.askable.joined(separator: ", "))")) }
            return .success(.ask(rest[0]))
        case "verify":
            if let problem = need(2, "verify NAME ACCOUNT") { return .failure(problem) }
            return .success(.verify(name: rest.dropLast().joined(separator: " "), account: rest[rest.count - 1]))
        case "lookup", "disclose":
            if let problem = need(1, "\(verb) CASE") { return .failure(problem) }
            return .success(verb == "lookup" ? .lookup(case: rest[0]) : .disclose(case: rest[0]))
        case "refuse": return .success(.refuse(tail(0)))
        case "comment":
            if let problem = need(2, "comment CASE TEXT") { return .failure(problem) }
            return .success(.comment(case: rest[0], text: tail(1)))
        case "priority":
            if let problem = need(2, "priority CASE P1|P2|P3 REASON") { return .failure(problem) }
            let to = rest[1].uppercased()
            guard ["P1", "P2", "P3"].contains(to) else { return .failure(Problem("priority is P1, P2 or P3, not '\(rest[1])'")) }
            return .success(.changePriority(case: rest[0], to: to, reason: tail(2)))
        case "escalate":
            if let problem = need(1, "escalate CASE REASON") { return .failure(problem) }
            return .success(.escalate(case: rest[0], reason: tail(1)))
        case "pr":
            if let problem = need(2, "pr CASE SUMMARY") { return .failure(problem) }
            return .success(.problemReport(case: rest[0], summary: tail(1)))
        case "level":
            if let problem = need(1, "level CASE REASON") { return .failure(problem) }
            return .success(.raiseLevel(case: rest[0], reason: tail(1)))
        case "close":
            if let problem = need(1, "close CASE [NOTE]") { return .failure(problem) }
            return .success(.close(case: rest[0], note: tail(1)))
        case "open":
            if let problem = need(3, "open P1|P2|P3 SKILL SUMMARY") { return .failure(problem) }
            let priority = rest[0].uppercased()
            guard ["P1", "P2", "P3"].contains(priority) else { return .failure(Problem("priority is P1, P2 or P3, not '\(rest[0])'")) }
            return .success(.openCase(priority: priority, skill: rest[1], summary: tail(2)))
        case "transfer":
            guard let to = rest.first, TraineeScript.transferTargets.contains(to) else {
                return .failure(Problem("transfer to one of \(TraineeScript.transferTargets.joined(separator: ", "))"))
            }
            return .success(.transfer(to))
        case "hold": return .success(.hold)
        case "resume": return .success(.resume)
        case "end": return .success(.end)
        case "next": return .success(.nextStep(tail(0)))
        case "say": return .success(.say(tail(0)))
        default:
            let hint = Suggestions.closest(to: verb, in: ["ask", "verify", "lookup", "disclose", "refuse", "comment", "priority", "escalate", "pr", "level", "close", "open", "transfer", "hold", "resume", "end", "next", "say"])
            return .failure(Problem("unknown desk command '\(verb)'" + (hint.map { "; did you mean '\($0)'?" } ?? "") + " (help lists them)"))
        }
    }
}
