import Foundation
import Mustache

/// The pages' mustache templates, embedded so the `hotline` binary needs no resource folder.
/// Mustache escapes every `{{value}}` for HTML; `{{{…}}}` is used only for `content`, the
/// already-rendered (and so already-escaped) body of a page.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("template \(name) does not parse: \(error)")  // our own bug: the templates are constants
            }
        }
        return library
    }()

    static func render(_ name: String, _ object: [String: Any]) -> String {
        guard let text = library.render(object, withTemplate: name) else {
            preconditionFailure("no template named \(name)")  // our own bug
        }
        return text
    }

    static let sources: [String: String] = [
        "layout": layout, "login": login, "logout": logout, "cases": cases, "case": caseScreen, "feed": feed, "desk": desk,
        "deskPanels": deskPanels, "console": console, "consolePanels": consolePanels, "message": message,
        "feedEntries": feedEntries, "phone": phone, "consoleCall": ConsoleCallView.template, "deskCalls": DeskCalls.callsTemplate,
    ]

    static let phone = """
        <h1>Phone</h1>
        <p>Call {{number}} from this browser. The server owns the call: reload the page and it goes on.</p>
        <div class="phone" id="phone">
          <div class="controls">
            <button type="button" id="call-button" class="call">Call</button>
            <button type="button" id="hangup-button" class="danger">Hang up</button>
          </div>
          <div class="keypad" id="keypad">
            {{#keys}}<button type="button" class="key" data-key="{{.}}">{{.}}</button>{{/keys}}
          </div>
          <form id="say-form" class="say"><input type="text" id="say-text" maxlength="500" placeholder="say something (e.g. escalation manager)"><button type="submit">Say</button></form>
          <p id="call-state" class="stamp">not connected</p>
          <pre id="transcript" class="transcript"></pre>
        </div>
        <script src="/static/phone.js" defer></script>
        """

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Hotline</title>
        <link rel="stylesheet" href="/static/hotline.css">
        <script src="/static/hotline.js" defer></script>
        </head>
        <body data-csrf="{{csrf}}">
        <header class="top">
          <a class="brand" href="/">Hotline</a>
          {{#user}}
          <nav>
            {{#seesCases}}<a href="/cases">Cases</a>{{/seesCases}}
            {{#seesDesk}}<a href="/desk">Desk</a>{{/seesDesk}}
            {{#seesConsole}}<a href="/console">Console</a>{{/seesConsole}}
            {{#seesTraining}}<a href="/training" id="nav-training">Training</a>{{/seesTraining}}
            <a href="/phone">Phone</a>
          </nav>
          <form class="signout" method="post" action="/logout">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <span class="who">{{name}} ({{role}})</span>
            <button type="submit" id="signout">Sign out</button>
          </form>
          {{/user}}
        </header>
        <main>
        {{#flash}}<p class="flash" id="flash">{{flash}}</p>{{/flash}}
        {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
        {{{content}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <h1>Sign in to the Case Center</h1>
        <form method="post" action="/login" class="login">
          <label>Email <input type="email" name="email" id="email" value="{{email}}" autocomplete="username" required></label>
          <label>Password <input type="password" name="password" id="password" autocomplete="current-password" required></label>
          <button type="submit" id="signin">Sign in</button>
        </form>
        """

    static let logout = """
        <h1>Sign out</h1>
        <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Sign out</button></form>
        """

    static let message = """
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <p><a href="/">Back</a></p>
        """

    static let cases = """
        <h1>{{heading}}</h1>
        <form method="get" action="/cases" class="filter">
          <label>Status <select name="status">
            <option value="">any</option>
            {{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}
          </select></label>
          <label>Priority <select name="priority">
            <option value="">any</option>
            {{#priorities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/priorities}}
          </select></label>
          <button type="submit">Filter</button>
        </form>
        <table class="cases">
        <thead><tr><th>Case</th><th>Priority</th><th>Status</th><th>Account</th><th>Summary</th><th>SLA</th><th>Due</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="sla-{{slaState}}">
          <td><a href="/cases/{{number}}" class="case-link">{{number}}</a></td>
          <td>{{priority}}</td><td>{{status}}</td><td>{{account}}</td><td>{{summary}}</td>
          <td><span class="badge sla-{{slaState}}">{{slaState}}</span></td>
          <td>{{due}}</td>
        </tr>
        {{/rows}}
        {{^rows}}<tr><td colspan="7">No cases match.</td></tr>{{/rows}}
        </tbody>
        </table>
        """

    static let caseScreen = """
        <h1>Case {{number}}: {{summary}}</h1>
        <section class="detail" id="case-detail">
          <h2>Case Detail</h2>
          <dl>
            <dt>Account</dt><dd>{{accountID}} {{accountName}} — {{tier}}</dd>
            <dt>Contact</dt><dd>{{contact}}</dd>
            <dt>Priority</dt><dd id="priority">{{priority}}</dd>
            <dt>Level</dt><dd>{{level}}</dd>
            <dt>Status</dt><dd id="status">{{status}}</dd>
            <dt>Owner</dt><dd>{{owner}}</dd>
            <dt>Opened</dt><dd>{{opened}}</dd>
          </dl>
          <div class="sla sla-{{slaState}}" id="sla" data-due="{{dueEpoch}}" data-state="{{slaState}}">
            <h3>SLA: <span class="badge sla-{{slaState}}">{{slaState}}</span></h3>
            <p>Target {{target}} ({{policy}}) · due {{due}} · warning at {{warningPercent}}% ·
               time left <strong class="countdown">{{timeLeft}}</strong> · {{used}}% used</p>
            {{#breached}}<p class="breached">The response target is breached.</p>{{/breached}}
            {{#warning}}<p class="warning">The response target is close.</p>{{/warning}}
          </div>
        </section>
        <section class="actions">
          <h2>Case Comments</h2>
          <form method="post" action="/cases/{{number}}/comments">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <textarea name="body" id="comment-body" rows="3" maxlength="10000" required></textarea>
            <button type="submit" id="comment">Add comment</button>
          </form>
          <h2>Change Priority</h2>
          <form method="post" action="/cases/{{number}}/priority">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <select name="priority" id="priority-select">{{#priorities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/priorities}}</select>
            <input type="text" name="reason" placeholder="reason" maxlength="2000">
            <button type="submit" id="change-priority">Change Priority</button>
          </form>
          <h2>Escalate Now</h2>
          <form method="post" action="/cases/{{number}}/escalate">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="text" name="reason" id="escalate-reason" placeholder="why escalate?" maxlength="2000" required>
            <button type="submit" id="escalate" class="danger">Escalate Now</button>
          </form>
          <h2>Close Case</h2>
          <form method="post" action="/cases/{{number}}/close">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <button type="submit" id="close">Close Case</button>
          </form>
        </section>
        <section class="feed" id="feed">
          <h2>Show Feed <a href="/cases/{{number}}/feed">(full page)</a></h2>
          {{> feedEntries}}
        </section>
        """

    static let feed = """
        <h1>Feed of case {{number}}</h1>
        <p><a href="/cases/{{number}}">Back to the case</a></p>
        <section class="feed" id="feed">{{> feedEntries}}</section>
        """

    static let feedEntries = """
        <ol class="entries">
        {{#entries}}
        <li class="entry kind-{{kind}}"><div class="head">#{{id}} {{at}} <strong>{{kind}}</strong> {{extra}} by {{author}} [{{role}}]</div>
        {{#body}}<pre class="body">{{body}}</pre>{{/body}}</li>
        {{/entries}}
        </ol>
        """

    static let desk = """
        <h1>Desk</h1>
        <form method="get" action="/desk" class="filters" id="source-filter"><label>Pages raised by
        <select name="source"><option value="">every caller</option>{{#sources}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}} callers</option>{{/sources}}</select></label>
        <button type="submit">Show</button></form>
        <div id="live" data-events="/desk/events" data-panels="{{panelsURL}}">{{{panels}}}</div>
        """

    static let deskPanels = """
        {{> deskCalls}}
        <section id="oncall"><h2>On call</h2>
        <table><thead><tr><th>Line</th><th>Now</th><th>Until</th><th>Next</th></tr></thead><tbody>
        {{#oncall}}<tr><td>{{line}}</td><td>{{person}}</td><td>{{until}}</td><td>{{next}}</td></tr>{{/oncall}}
        </tbody></table></section>
        <section id="queues"><h2>Open cases per skill</h2>
        <table><thead><tr><th>Skill</th><th>Open cases</th><th>Escalated</th></tr></thead><tbody>
        {{#queues}}<tr><td>{{name}}</td><td>{{waiting}}</td><td>{{escalatedCases}}</td></tr>{{/queues}}
        </tbody></table></section>
        <section id="pages"><h2>Pages</h2>
        <table><thead><tr><th>Page</th><th>Case</th><th>Level</th><th>Person</th><th>State</th><th>Sent</th><th>Ack deadline / by</th><th></th></tr></thead><tbody>
        {{#pages}}<tr class="page state-{{state}} source-{{source}}"><td>{{id}}{{#simulated}} <span class="badge simulated">simulated</span>{{/simulated}}</td><td><a href="/cases/{{caseNumber}}">{{caseNumber}}</a></td><td>{{level}}</td><td>{{person}}</td><td>{{state}}</td><td>{{sent}}</td><td>{{ack}}</td>
        <td>{{#canAck}}<form method="post" action="/pages/{{id}}/ack"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="ack">Acknowledge</button></form>{{/canAck}}</td></tr>{{/pages}}
        {{^pages}}<tr><td colspan="8">No pages.</td></tr>{{/pages}}
        </tbody></table></section>
        <section id="escalated"><h2>Escalated cases</h2>
        <table><thead><tr><th>Case</th><th>Priority</th><th>Account</th><th>SLA</th><th>Due</th></tr></thead><tbody>
        {{#escalated}}<tr class="sla-{{slaState}}"><td><a href="/cases/{{number}}">{{number}}</a>{{#simulated}} <span class="badge simulated">simulated</span>{{/simulated}}</td><td>{{priority}}</td><td>{{account}}</td><td><span class="badge sla-{{slaState}}">{{slaState}}</span> {{timeLeft}}</td><td>{{due}}</td></tr>{{/escalated}}
        {{^escalated}}<tr><td colspan="5">No escalated cases.</td></tr>{{/escalated}}
        </tbody></table></section>
        <p class="stamp">As of {{now}}</p>
        """

    static let console = """
        <h1>Trainer's console</h1>
        <form method="get" action="/console" class="filters" id="channel-filter"><label>Finished calls from
        <select name="channel"><option value="">every phone</option>{{#channels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/channels}}</select></label>
        <label>Pages raised by
        <select name="source"><option value="">every caller</option>{{#sources}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}} callers</option>{{/sources}}</select></label>
        <button type="submit">Show</button></form>
        <div id="live" data-events="/desk/events" data-panels="{{panelsURL}}">{{{panels}}}</div>
        """

    static let consolePanels = """
        <section id="live-calls"><h2>Calls in progress</h2>
        {{#liveCalls}}<div class="live-call channel-{{channel}}" data-call="{{id}}"><h3><span class="channel">{{channel}}</span> call from <span class="caller">{{caller}}</span> · at <span class="node">{{node}}</span> · {{waiting}} · <span class="elapsed">{{elapsed}}</span>{{#sipCallID}} · Call-ID <code>{{sipCallID}}</code>{{/sipCallID}}</h3><pre class="transcript">{{transcript}}</pre></div>{{/liveCalls}}
        {{^liveCalls}}<p>No calls in progress on the line.</p>{{/liveCalls}}
        </section>
        <section id="pages"><h2>Pages climbing</h2>
        <table><thead><tr><th>Page</th><th>Case</th><th>Level</th><th>Person</th><th>State</th><th>Sent</th><th>Ack deadline / by</th></tr></thead><tbody>
        {{#pages}}<tr class="page state-{{state}} source-{{source}}"><td>{{id}}{{#simulated}} <span class="badge simulated">simulated</span>{{/simulated}}</td><td><a href="/cases/{{caseNumber}}">{{caseNumber}}</a></td><td>{{level}}</td><td>{{person}}</td><td>{{state}}</td><td>{{sent}}</td><td>{{ack}}</td></tr>{{/pages}}
        {{^pages}}<tr><td colspan="7">No pages.</td></tr>{{/pages}}
        </tbody></table></section>
        <section id="escalated"><h2>SLA clocks of escalated cases</h2>
        <table><thead><tr><th>Case</th><th>Priority</th><th>Account</th><th>SLA</th><th>Due</th></tr></thead><tbody>
        {{#escalated}}<tr class="sla-{{slaState}}"><td><a href="/cases/{{number}}">{{number}}</a>{{#simulated}} <span class="badge simulated">simulated</span>{{/simulated}}</td><td>{{priority}}</td><td>{{account}}</td><td><span class="badge sla-{{slaState}}">{{slaState}}</span> {{timeLeft}}</td><td>{{due}}</td></tr>{{/escalated}}
        {{^escalated}}<tr><td colspan="5">No escalated cases.</td></tr>{{/escalated}}
        </tbody></table></section>
        <section id="calls"><h2>Finished calls (call records){{#channel}} from <span class="channel">{{channel}}</span> phones{{/channel}}</h2>
        <table><thead><tr><th>Started</th><th>Phone</th><th>Caller</th><th>Seconds</th><th>Outcome</th><th>Case</th><th>Path</th></tr></thead><tbody>
        {{#calls}}<tr class="finished phone-{{channel}}"><td><a class="finished-call" href="/console/calls/{{id}}">{{started}}</a></td><td class="channel">{{channel}}</td><td>{{caller}}</td><td>{{seconds}}{{^answered}} (not answered){{/answered}}</td><td>{{outcome}}</td><td>{{caseNumber}}</td><td class="path">{{path}}</td></tr>{{/calls}}
        {{^calls}}<tr><td colspan="7">No calls recorded.</td></tr>{{/calls}}
        </tbody></table></section>
        <p class="stamp">As of {{now}}</p>
        """
}

