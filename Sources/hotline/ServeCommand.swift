import ArgumentParser
import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineRouter
import HotlineSIP
import HotlineStore
import HotlineWeb

/// `hotline serve`: the line, answering real phones over SIP (`--sip`) and browsers over HTTP
/// (`--http`: the Case Center, the desk, the console, the browser phone and the JSON API). The two
/// listeners share one database file.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the line: the web pages and API (--http) and SIP calls (--sip) on the flow, store, rota and router.",
        discussion: """
            --http HOST:PORT (the default, 127.0.0.1:8080, when --sip is not given) serves the Case Center, the \
            agent's desk, the trainer's console, the browser phone and the JSON API (see docs/web.md); while it \
            runs, unacknowledged pages climb on time. Users are added with `hotline users add`; --demo seeds the \
            sample data when missing and creates one sign-in per role; --simulate-calls-per-hour N places \
            simulated callers on the line while it serves (shown on the console as `simulated`). \
            With --sip HOST:PORT the line answers INVITEs to the flow's number (UDP and TCP) with PCMU or PCMA \
            and telephone-event; prompts are sent as RTP, keys come as RFC 4733 events or SIP INFO. Each call \
            is a live call on the flow, saved as a call record. Ctrl-C (or SIGTERM, or --stop-after) ends \
            every call with BYE and exits. See docs/sip.md.
            """)

    @OptionGroup var sip: SIPServeOptions

    @Option(help: ArgumentHelp("Serve the web pages and API on HOST:PORT (port 0 picks a free one); default 127.0.0.1:8080 without --sip.", valueName: "host:port"))
    var http: String?

    @Option(help: ArgumentHelp("The flow file.", valueName: "file"))
    var flow = Defaults.flow

    @Option(help: ArgumentHelp("The SQLite database (env HOTLINE_DB; default hotline.sqlite); created and seeded when missing.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The escalation policy pages follow (it names its rota, whose `contacts:` the SIP line rings).", valueName: "file"))
    var policy = Defaults.policy

    @Option(help: ArgumentHelp("The agents the line's router routes on; an agent's `contact: sip:…` is where a SIP call handed to it is transferred.", valueName: "path"))
    var agents = Defaults.routing + "/agents.yaml"

    @Option(help: ArgumentHelp("The queues file that goes with the agents; a queue's `contact: sip:…` is where a SIP call transferred to its name goes.", valueName: "path"))
    var queues = Defaults.routing + "/queues.yaml"

    @Option(help: ArgumentHelp("SIP: the destinations file mapping the names a flow transfers to (operator, night-service) to SIP URIs.", valueName: "path"))
    var destinations: String?

    @Option(help: ArgumentHelp("The folder the web training desk lists its personas and draws exams from (your own personas); checked at start-up.", valueName: "folder"))
    var personas: String?

    @Option(help: ArgumentHelp("The rubric the web training desk scores on; checked at start-up.", valueName: "file"))
    var rubric: String?

    @Flag(help: "Web: seed the sample data when missing and create the sample sign-ins (printed).")
    var demo = false

    @Option(help: ArgumentHelp("Scale the flow's timers and queue holds (1 real time; prompts always play in real time).", valueName: "factor"))
    var pace = 1.0

    @Option(help: ArgumentHelp("Stop by itself after this many seconds (tests, unattended demos).", valueName: "seconds"))
    var stopAfter: Double?

    @Option(help: ArgumentHelp("Simulated callers while it serves: this many calls an hour on average (Poisson), each acting like a reference scenario's caller, shown on /console as `simulated` and saved as call records. Needs the web.", valueName: "rate"))
    var simulateCallsPerHour: Double?

    @Option(help: ArgumentHelp("The seed of the simulated callers (the same seed, the same arrivals and callers).", valueName: "n"))
    var simulateSeed: UInt64 = 1

    @Option(help: ArgumentHelp("At most this many simulated calls on the line at once (1 to \(SimulatedTraffic.Options.maximumCalls)); a caller arriving beyond it is not placed.", valueName: "n"))
    var simulateMaxCalls = 3

    /// The simulated callers asked for, `nil` for none.
    var simulation: SimulatedTraffic.Options? {
        guard let simulateCallsPerHour else { return nil }
        var options = SimulatedTraffic.Options(callsPerHour: simulateCallsPerHour)
        options.seed = simulateSeed
        options.maxCalls = simulateMaxCalls
        options.flow = flow
        return options
    }

    /// `--http`, or the default address when nothing else is served.
    var webAddress: String? { http ?? (sip.sip == nil ? "127.0.0.1:8080" : nil) }

    func validate() throws {
        if let address = webAddress {
            do { _ = try WebServer.parseAddress(address) } catch { throw ValidationError("--http: \(error)") }
        }
        do { _ = try Pace(pace) } catch { throw ValidationError(error.description) }
        if destinations != nil, sip.sip == nil {
            throw ValidationError("--destinations maps names to SIP URIs for the SIP line (fix: serve SIP too, with --sip HOST:PORT)")
        }
        if personas != nil || rubric != nil, webAddress == nil {
            throw ValidationError("--personas and --rubric are the web training desk's (fix: serve the web too, with --http HOST:PORT)")
        }
        if let stopAfter, stopAfter <= 0 { throw ValidationError("--stop-after must be a positive number of seconds") }
        if simulateCallsPerHour == nil, simulateMaxCalls != 3 || simulateSeed != 1 {
            throw ValidationError("--simulate-seed and --simulate-max-calls go with --simulate-calls-per-hour (fix: add e.g. --simulate-calls-per-hour 30)")
        }
        if let simulation {
            if let problem = simulation.problem { throw ValidationError(problem) }
            if webAddress == nil {
                throw ValidationError("--simulate-calls-per-hour: simulated calls are shown on the web's console (fix: serve the web too, with --http HOST:PORT)")
            }
        }
    }

    func run() async throws {
        var options = LineServer.Options(database: Defaults.database(db), policy: policy, flow: flow, web: webAddress, sip: try sip.endpoint())
        options.anyNumber = sip.anyNumber
        options.routing = .files(agents: agents, queues: queues)
        options.destinations = destinations
        options.pace = try Pace(pace)
        options.demo = demo
        options.stopAfter = stopAfter.map { .milliseconds(Int($0 * 1000)) }
        options.pageRing = .milliseconds(Int(sip.pageRing * 1000))
        options.simulation = simulation
        options.personas = personas
        options.rubric = rubric
        // The console's lines in few writes (a line under load says several per call), flushed on a
        // short timer, at once for warnings and errors, and when the line stops or the process exits.
        let log = LineLog.standardOutput
        defer { log.close() }
        let server = LineServer(options: options, clock: { SystemClock().now() }, write: { line in log.write(line) })
        do {
            try await server.run()
        } catch .web(let message) {
            throw CommandError(message)
        } catch .sip(let message) {
            // A port in use, an address not of this machine, a flow the line cannot serve: it
            // could not be done (status 2, as the web's port in use), not a failed call.
            throw CommandError(message)
        }
    }
}

/// `hotline users`: who may sign in to the web pages.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Web sign-ins: add, list, remove.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("The SQLite database (env HOTLINE_DB; default hotline.sqlite).", valueName: "path"))
        var db: String?

        func store() throws -> WebStore {
            do {
                return WebStore(database: try WebStore.openDatabase(path: Defaults.database(db)))
            } catch {
                throw CommandError("\(error)")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the password is read from standard input.")
        @OptionGroup var options: Options
        @Argument(help: "The user's email address (their sign-in).") var email: String
        @Option(help: "customer, agent, manager or trainer.") var role: String
        @Option(help: "For a customer: the contact's phone number or email (ties the user to the contact's account).") var contact: String?
        @Option(help: ArgumentHelp("For an agent: the routing agent (id in the agents file) this sign-in is; the desk shows the calls routed to it.", valueName: "agent-id")) var agent: String?
        @Option(help: ArgumentHelp("The agents file --agent is checked against.", valueName: "path")) var agents = Defaults.routing + "/agents.yaml"
        @Option(help: ArgumentHelp("The queues file that goes with it.", valueName: "path")) var queues = Defaults.routing + "/queues.yaml"
        @Flag(help: "Read the password from standard input (one line).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("pass --password-stdin and the password on standard input (never on the command line)") }
            // In validate(), so the usage shown under the error is `users add`'s, not the top command's.
            do { _ = try WebRole(parsing: role) } catch { throw ValidationError("\(error)") }
        }

        func run() throws {
            let role: WebRole
            do { role = try WebRole(parsing: self.role) } catch { throw ValidationError("\(error)") }
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw CommandError("no password on standard input (fix: echo the password | hotline users add \(email) --role \(role.rawValue) --password-stdin)")
            }
            let store = try options.store()
            var routingAgents: [String] = []
            if agent != nil, role == .agent {
                do { routingAgents = try RoutingFile.load(agents: agents, queues: queues).agents.map(\.id) } catch { throw CommandError("\(error)") }
            }
            do {
                let user = try store.addUser(
                    email: email, password: password, role: role, contact: contact, agent: agent, routingAgents: routingAgents, at: SystemClock().now())
                let tie = user.accountID.map { ", account \($0)" } ?? user.agentID.map { ", routing agent \($0)" } ?? ""
                print("Added \(user.email) (\(user.role.rawValue)\(tie)).")
            } catch {
                throw CommandError("\(error)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: Options

        func run() throws {
            let users = try options.store().users()
            if users.isEmpty {
                print("No users (add one with `hotline users add EMAIL --role ROLE --password-stdin`).")
                return
            }
            for user in users {
                let tie = user.contactID.map { _ in "  \(user.contactName ?? "contact gone") (account \(user.accountID ?? "—"))" } ?? user.agentID.map { "  routing agent \($0)" } ?? ""
                print("\(user.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(user.email)\(tie)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user (and sign out their sessions).")
        @OptionGroup var options: Options
        @Argument(help: "The user's email address.") var email: String

        func run() throws {
            guard try options.store().removeUser(email: email) else {
                throw CommandError("no user '\(email.prefix(80))\(email.count > 80 ? "…" : "")' (fix: give an address `hotline users list` shows)")
            }
            print("Removed \(email).")
        }
    }
}
