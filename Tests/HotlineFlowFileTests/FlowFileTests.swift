import Foundation
import HotlineCore
import HotlineDiagnostics
import HotlineFlowFile
import Testing

@Suite("Reading flow files")
struct FlowFileTests {
    static func gsc() throws -> LoadedFlow { try FlowFile.load(path: Repository.gsc) }

    @Test func theReferenceFlowLoads() throws {
        let loaded = try Self.gsc()
        let flow = loaded.flow
        #expect(flow.name == "gsc")
        #expect(flow.number == "+1-844-751-7629")
        #expect(flow.start == "answer")
        #expect(flow.order.first == "answer")
        #expect(flow.order.last == "goodbye")
        #expect(flow.nodes.count == flow.order.count)
        #expect(flow.promptCatalog == "../../Prompts/en-US/catalog.yaml")
        #expect(loaded.catalogPath?.hasSuffix("Prompts/en-US/catalog.yaml") == true)
        #expect(loaded.catalog?["gsc.welcome"] != nil)
        #expect(flow.nodes["answer"]?.location?.line == 34)
    }

    @Test func menusGetOptionsIntentsAndTheFlowDefaults() throws {
        let flow = try Self.gsc().flow
        guard case .menu(let menu) = flow.nodes["main_menu"]?.kind else {
            Issue.record("main_menu is not a menu")
            return
        }
        #expect(menu.greeting == PromptSequence([.prompt("gsc.main-menu")]))
        #expect(menu.shortGreeting == PromptSequence([.prompt("gsc.main-menu-short")]))
        #expect(menu.options.map(\.key) == ["1", "2", "3", "4", "*", "0"])
        #expect(menu.options[4].target == .repeatMenu)
        #expect(menu.options[0].target == .node("customer_care"))
        #expect(menu.intents.map(\.name) == ["customer_care", "technical_support", "new_case", "security", "operator"])
        #expect(menu.intents[0].phrases.contains("escalation manager"))
        #expect(menu.onExhausted == "operator")
        #expect(menu.invalidPrompt == PromptSequence([.prompt("system.invalid")]))  // from `defaults`
        #expect(menu.noInputPrompt == PromptSequence([.prompt("system.no-input")]))
        #expect(menu.firstDigitTimeout == .seconds(5))
        #expect(menu.maxFailures == 3)
        #expect(menu.bargeIn)
        // A phrase from the seed picks the Escalation Manager intent in Customer Care.
        guard case .menu(let care) = flow.nodes["cc_menu"]?.kind else {
            Issue.record("cc_menu is not a menu")
            return
        }
        #expect(IntentMatcher.match("I'd like an Escalation Manager please", intents: care.intents)?.name == "escalation_manager")
    }

    @Test func collectNodesAndReadBacks() throws {
        let flow = try Self.gsc().flow
        guard case .collect(let collect) = flow.nodes["cc_case_number"]?.kind,
            case .play(let confirm) = flow.nodes["cc_confirm"]?.kind
        else {
            Issue.record("cc_case_number / cc_confirm have the wrong type")
            return
        }
        #expect(collect.variable == "case.number")
        #expect(collect.minLength == 8 && collect.maxLength == 8)
        #expect(collect.terminator == "#")
        #expect(collect.validation == .validateCase)
        #expect(collect.invalidPrompt == PromptSequence([.prompt("cc.case-invalid")]))  // its own, not the default
        #expect(collect.rejectedPrompt == PromptSequence([.prompt("cc.case-not-found")]))
        #expect(collect.next == "cc_confirm" && collect.onExhausted == "cc_case_failed")
        #expect(confirm.prompts == PromptSequence([.prompt("cc.case-is"), .digits(variable: "case.number")]))
    }

    @Test func actionsBranchesAndEndings() throws {
        let flow = try Self.gsc().flow
        guard case .action(let escalate) = flow.nodes["cc_escalate"]?.kind,
            case .action(let open) = flow.nodes["open_p1"]?.kind,
            case .branch(let branch) = flow.nodes["cc_escalated"]?.kind,
            case .hangup(let voicemail) = flow.nodes["security_voicemail"]?.kind,
            case .transfer(let agent) = flow.nodes["connect_agent"]?.kind
        else {
            Issue.record("gsc nodes have the wrong types")
            return
        }
        #expect(escalate.kind == .recordEscalation)
        #expect(escalate.arguments == ["case": "${case.number}", "reason": "Caller asked for an Escalation Manager", "channel": "phone"])
        #expect(escalate.target(for: "recorded") == "cc_page")
        #expect(escalate.target(for: "error") == "cc_queue")
        #expect(open.arguments["priority"] == "P1")
        #expect(open.target(for: "opened") == "p1_target")
        #expect(branch.otherwise == "cc_escalated_on_call")
        guard case .withinHours(let calendar) = branch.rules.first?.condition else {
            Issue.record("cc_escalated does not test within_hours")
            return
        }
        #expect(calendar == "escalation-desk")
        #expect(voicemail.outcome == "voicemail")
        #expect(agent.destination == "${queue.agent}")
    }

    @Test func calendarsHonourZoneHoursAndHolidays() throws {
        let desk = try #require(try Self.gsc().flow.calendars["escalation-desk"])
        func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        #expect(desk.isOpen(at: instant("2026-12-01T17:30:00Z")))  // Tue 09:30 in Sunnyvale
        #expect(!desk.isOpen(at: instant("2026-12-01T15:30:00Z")))  // Tue 07:30
        #expect(!desk.isOpen(at: instant("2026-12-02T01:00:00Z")))  // Tue 17:00 — closed at close time
        #expect(!desk.isOpen(at: instant("2026-12-05T18:00:00Z")))  // Saturday
        #expect(!desk.isOpen(at: instant("2026-12-25T18:00:00Z")))  // Christmas, a Friday
    }

    @Test func everyFormOfTheLanguageReads() throws {
        let text = """
            flow: forms
            start: hours
            defaults:
              first_digit_timeout: 1.5s
              inter_digit_timeout: 500ms
              max_attempts: 5
              barge_in: false
            calendars:
              always:
                zone: UTC
                hours: 24x7
              split:
                zone: Europe/Paris
                hours:
                  mon,wed: ["08:00-12:00", "13:00-17:00"]
                  fri-sun: "10:00-24:00"
            nodes:
              hours:
                type: branch
                when:
                  - if: {all: [{within_hours: split}, {not: {variable: caller.known, set: false}}]}
                    to: pin
                  - if: {any: [{variable: caller.tier, in: [gold, platinum]}, {last_result: known}]}
                    to: pin
                  - if: {variable: caller.tier, not_equals: bronze}
                    to: pin
                else: pin
              pin:
                type: collect
                prompt: [cc.enter-case]
                into: pin
                max_length: 4
                terminator: none
                next: set
                on_exhausted: bye
              set:
                type: action
                action: set
                with: {greeting: "hello ${pin}"}
                next: bye
              bye:
                type: hangup
            """
        let flow = try FlowFile.load(text: text, path: "forms.yaml").flow
        guard case .collect(let pin) = flow.nodes["pin"]?.kind, case .branch(let branch) = flow.nodes["hours"]?.kind,
            case .action(let set) = flow.nodes["set"]?.kind
        else {
            Issue.record("wrong node types")
            return
        }
        #expect(pin.terminator == nil)
        #expect(pin.minLength == 1 && pin.maxLength == 4)
        #expect(pin.firstDigitTimeout == .milliseconds(1500))
        #expect(pin.interDigitTimeout == .milliseconds(500))
        #expect(pin.maxAttempts == 5)
        #expect(!pin.bargeIn)
        #expect(branch.rules.count == 3)
        #expect(branch.rules[0].condition.summary == "within split and not not caller.known set")
        #expect(set.target(for: "ok") == "bye")  // a bare `next:` covers every outcome
        let split = try #require(flow.calendars["split"])
        #expect(split.weekly[2]?.count == 2)  // Monday: two spans
        #expect(split.weekly[1] == [BusinessCalendar.Hours(open: 600, close: 1440)])  // Sunday, in fri-sun
        #expect(split.weekly[3] == nil)  // Tuesday closed
        #expect(flow.calendars["always"]?.isOpen(at: Date(timeIntervalSince1970: 0)) == true)
    }

    @Test func loadThrowsEveryProblemNotJustTheFirst() {
        let text = """
            flow: two
            start: menu
            nodes:
              menu:
                type: menu
                greeting: g
                options: {"1": nowhere, "2": bye}
                on_exhausted: elsewhere
              bye:
                type: hangup
            """
        #expect(throws: Diagnostics.self) { try FlowFile.load(text: text, path: "two.yaml") }
        do {
            _ = try FlowFile.load(text: text, path: "two.yaml")
        } catch {
            #expect(error.errors.map { "\($0.line):\($0.column)" } == ["7:20", "8:19"])
            #expect(error.description.contains("two.yaml:7:20: error: unknown target 'nowhere'"))
        }
    }

    @Test func loadCheckedRejectsWholeFlowProblemsThatLoadAccepts() throws {
        let path = Repository.path("Fixtures/flows/bad/unreachable.yaml")
        _ = try FlowFile.load(path: path)
        #expect(throws: Diagnostics.self) { try FlowFile.loadChecked(path: path) }
        _ = try FlowFile.loadChecked(path: Repository.gsc)
    }
}
