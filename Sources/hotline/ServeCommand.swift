import ArgumentParser
import Foundation
import HotlineApp
import HotlineCore
import HotlineRota
import HotlineStore
import HotlineWeb

/// `hotline serve`: the Case Center, the desk, the console and the JSON API in a browser.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Case Center, the agent's desk and the trainer's console over HTTP.",
        discussion: """
            Listens on --http (default 127.0.0.1:8080) until Ctrl-C or SIGTERM. While it runs, the line's \
            clock runs: unacknowledged pages climb on time. Users are added with `hotline users add`; \
            --demo seeds the sample data when missing and creates one sign-in per role.
            """)

    @Option(help: ArgumentHelp("Where to listen, HOST:PORT (port 0 picks a free one).", valueName: "host:port"))
    var http = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("The SQLite database (env HOTLINE_DB; default hotline.sqlite).", valueName: "path"))
    var db: String?
    @Option(help: "The escalation policy (it names its rota).")
    var policy = Defaults.policy
    @Flag(help: "Seed the sample data when missing and create the sample sign-ins (printed).")
    var demo = false
    @Option(help: ArgumentHelp("Stop by itself after this many seconds (tests, unattended demos).", valueName: "seconds"))
    var stopAfter: Int?

    func validate() throws {
        do {
            _ = try WebServer.parseAddress(http)
        } catch {
            throw ValidationError("--http: \(error)")
        }
        if let stopAfter, stopAfter <= 0 { throw ValidationError("--stop-after must be a positive number of seconds") }
    }

    func run() async throws {
        let address = try WebServer.parseAddress(http)
        let out: @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        let line: WebLine
        do {
            line = try WebServer.openLine(
                databasePath: Defaults.database(db), policyPath: policy, delivery: ConsoleDelivery(write: out), clock: { SystemClock().now() })
            if demo { try WebDemo.prepare(line: line).forEach(out) }
        } catch {
            throw CommandError("\(error)")
        }
        let server = WebServer(host: address.host, port: address.port, line: line, stopAfter: stopAfter.map { .seconds($0) })
        let host = address.host.contains(":") ? "[\(address.host)]" : address.host
        do {
            try await server.run(onListening: { port in out("Hotline is serving http://\(host):\(port)/ (Ctrl-C stops it)") })
        } catch {
            throw CommandError("\(error)")
        }
        out("Hotline stopped.")
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
        @Flag(help: "Read the password from standard input (one line).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("pass --password-stdin and the password on standard input (never on the command line)") }
        }

        func run() throws {
            let role: WebRole
            do { role = try WebRole(parsing: self.role) } catch { throw ValidationError("\(error)") }
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw CommandError("no password on standard input (fix: echo the password | hotline users add \(email) --role \(role.rawValue) --password-stdin)")
            }
            let store = try options.store()
            do {
                let user = try store.addUser(email: email, password: password, role: role, contact: contact, at: SystemClock().now())
                print("Added \(user.email) (\(user.role.rawValue)\(user.accountID.map { ", account \($0)" } ?? "")).")
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
                let tie = user.contactID.map { _ in "  \(user.contactName ?? "contact gone") (account \(user.accountID ?? "—"))" } ?? ""
                print("\(user.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(user.email)\(tie)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user (and sign out their sessions).")
        @OptionGroup var options: Options
        @Argument(help: "The user's email address.") var email: String

        func run() throws {
            guard try options.store().removeUser(email: email) else { throw CommandError("no user \(email) (fix: see `hotline users list`)") }
            print("Removed \(email).")
        }
    }
}
