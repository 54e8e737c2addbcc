import Foundation
import HotlineApp
import HotlineCore
import HotlineStore
import Hummingbird

/// The JSON API's description, served at `/openapi.yaml`: generated from one table of operations
/// (``operations``) and the shapes the API prints (``JSONShape``: their schemas are read from
/// the Swift types, so they cannot drift from the answers). Route tests check the API's answers
/// against it and that it lists exactly the `/api` routes the router has; `make test-web` fuzzes
/// the API from it with schemathesis.
public enum OpenAPIDocument {
    /// One API operation: what it takes and what it answers.
    struct Operation {
        enum Method: String, Sendable { case get, post }

        /// What a successful call answers.
        enum Answer {
            case one(any JSONShape.Type)
            case list(any JSONShape.Type)
        }

        /// A field of the JSON request body.
        struct Field: Sendable {
            var name: String
            var schema: JSONSchema
            var maxLength: Int?
            var required: Bool
        }

        /// A path or query parameter (always a string).
        struct Parameter: Sendable {
            enum Place: String, Sendable { case path, query }
            var name: String
            var place: Place
            var description: String?
            var allowed: [String]?
            /// A whole number in this range (`nil`: a string).
            var range: ClosedRange<Int>? = nil
        }

        var method: Method
        var path: String
        var summary: String
        var parameters: [Parameter] = []
        /// The JSON body's fields (`nil`: no body); `bodyRequired` says whether it may be left out.
        var body: [Field]?
        var bodyRequired = true
        var answer: Answer
        var answerDescription: String
        /// The refusals it can answer (each a ``HTTP/Problem``).
        var refusals: [Int]
        /// Whether it changes state (CSRF token and Origin needed).
        var changesState: Bool { method == .post }
    }

    static var caseNumber: Operation.Parameter { Operation.Parameter(name: "number", place: .path, description: "The 8-digit case number.") }
    static let actionRefusals = [400, 401, 403, 404, 409, 422]
    /// `limit` and `offset`, taken by every list operation (``CaseCenter/ListWindow``).
    static var window: [Operation.Parameter] {
        [
            Operation.Parameter(
                name: "limit", place: .query, description: "At most this many items (the whole list when left out).",
                range: 1...CaseCenter.ListWindow.maxLimit),
            Operation.Parameter(
                name: "offset", place: .query, description: "Skip this many items first (0 when left out).",
                range: 0...CaseCenter.ListWindow.maxOffset),
        ]
    }

    /// Every operation of the JSON API. `WebAPI.add(to:)` registers the handlers; a route test
    /// checks the two agree.
    static var operations: [Operation] {
        [
        Operation(
            method: .get, path: "/api/me", summary: "Who is signed in, and the session's CSRF token.", answer: .one(WebAPI.MeView.self),
            answerDescription: "The signed-in user.", refusals: [401]),
        Operation(
            method: .get, path: "/api/cases", summary: "The cases this user may see, most urgent first.",
            parameters: [
                .init(name: "status", place: .query, allowed: CaseStatus.allCases.map(\.rawValue)),
                .init(name: "priority", place: .query, allowed: Priority.allCases.map(\.rawValue)),
            ] + window,
            answer: .list(JSONShapes.Case.self), answerDescription: "Cases with their SLA state.", refusals: [400, 401]),
        Operation(
            method: .get, path: "/api/cases/{number}", summary: "Case Detail with the SLA countdown.", parameters: [caseNumber],
            answer: .one(JSONShapes.Case.self), answerDescription: "The case.", refusals: [401, 404]),
        Operation(
            method: .get, path: "/api/cases/{number}/feed", summary: "Show Feed, oldest first.", parameters: [caseNumber] + window,
            answer: .list(JSONShapes.FeedEntry.self), answerDescription: "The case's feed.", refusals: [400, 401, 404]),
        Operation(
            method: .post, path: "/api/cases/{number}/comments", summary: "Case Comments — add a comment.", parameters: [caseNumber],
            body: [.init(name: "body", schema: .string(), maxLength: CaseText.maxComment, required: true)],
            answer: .one(WebAPI.ActionView.self), answerDescription: "Done; the feed entry it wrote and the case after it.",
            refusals: actionRefusals),
        Operation(
            method: .post, path: "/api/cases/{number}/priority", summary: "Change Priority — the response due time is recomputed.",
            parameters: [caseNumber],
            body: [
                .init(name: "priority", schema: .string(enum: Priority.allCases.map(\.rawValue)), required: true),
                .init(name: "reason", schema: .string(), maxLength: CaseText.maxReason, required: false),
            ],
            answer: .one(WebAPI.ActionView.self), answerDescription: "Done; the feed entry it wrote and the case after it.",
            refusals: actionRefusals),
        Operation(
            method: .post, path: "/api/cases/{number}/escalate",
            summary: "Escalate Now — records an escalation (channel web) and pages the Escalation Manager on call.", parameters: [caseNumber],
            body: [.init(name: "reason", schema: .string(), maxLength: CaseText.maxReason, required: true)],
            answer: .one(WebAPI.ActionView.self), answerDescription: "Done; the feed entry it wrote and the case after it.",
            refusals: actionRefusals),
        Operation(
            method: .post, path: "/api/cases/{number}/close", summary: "Close Case.", parameters: [caseNumber],
            body: [.init(name: "note", schema: .string(), maxLength: CaseText.maxReason, required: false)], bodyRequired: false,
            answer: .one(WebAPI.ActionView.self), answerDescription: "Done; the feed entry it wrote and the case after it.",
            refusals: actionRefusals),
        Operation(
            method: .get, path: "/api/pages", summary: "Pages to Escalation Managers, oldest first (agents, managers, trainers).",
            parameters: [.init(name: "source", place: .query, allowed: PageRecord.Source.allCases.map(\.rawValue))] + window,
            answer: .list(JSONShapes.Page.self), answerDescription: "Pages.", refusals: [400, 401, 403]),
        Operation(
            method: .post, path: "/api/pages/{id}/ack", summary: "Acknowledge a page (managers).",
            parameters: [.init(name: "id", place: .path, description: "The page's id (PG-000001).")],
            answer: .one(JSONShapes.Page.self), answerDescription: "The page acknowledged.", refusals: [401, 403, 404, 409]),
        Operation(
            method: .get, path: "/api/oncall", summary: "Who is on call on each rota line now, until when, and who is next.",
            parameters: window, answer: .list(WebAPI.OnCallView.self), answerDescription: "Rota lines.", refusals: [400, 401, 403]),
        Operation(
            method: .get, path: "/api/calls",
            summary: "The newest call records, answered oldest first (agents, trainers): `limit` of them (100 when left out), after skipping the newest `offset`.",
            parameters: [.init(name: "channel", place: .query, allowed: CallChannel.allCases.map(\.rawValue))] + window,
            answer: .list(JSONShapes.Call.self), answerDescription: "Call records, oldest first.", refusals: [400, 401, 403]),
        Operation(
            method: .get, path: "/api/queues", summary: "Open cases waiting per skill, and how many of them are escalated.",
            parameters: window, answer: .list(WebAPI.QueueView.self), answerDescription: "Queues.", refusals: [400, 401, 403]),
        ]
    }

    /// `GET /api/me`, `POST /api/cases/{number}/comments`, …: what the document describes.
    public static var routes: [String] { operations.map { "\($0.method.rawValue.uppercased()) \($0.path)" } }

    /// The `/api` routes the web server's router has, written as ``routes`` writes them.
    public static func registeredRoutes(on line: WebLine) -> [String] {
        WebApp(line: line).router().routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /api/") }
    }

    /// The document, as served.
    public static let yaml: String = YAMLText.render(document)

    static var document: YAMLText.Node {
        let shapes: [any JSONShape.Type] = operations.map { operation in
            switch operation.answer {
            case .one(let shape), .list(let shape): shape
            }
        }
        let schemas = JSONSchema.closure(of: [HTTP.Problem.self] + shapes)
        var paths: [(String, YAMLText.Node)] = []
        for operation in operations {
            let item = (operation.method.rawValue, self.operation(operation))
            if let index = paths.firstIndex(where: { $0.0 == operation.path }), case .map(let existing) = paths[index].1 {
                paths[index].1 = .map(existing + [item])
            } else {
                paths.append((operation.path, .map([item])))
            }
        }
        return .map([
            ("openapi", "3.0.3"),
            (
                "info",
                .map([
                    ("title", "Hotline Case Center API"), ("version", "1.0"),
                    (
                        "description",
                        .string(
                            "The Case Center, the desk's pages and the line's on-call rota as JSON. Sign in at /login (form fields email and "
                                + "password) to get the session cookie; every POST also needs the session's CSRF token (GET /api/me, csrf_token) "
                                + "in X-CSRF-Token and an Origin header equal to this server's. A case of another account is answered exactly "
                                + "as a case that does not exist (404). Cases, feed entries, pages and calls have the same shape as the "
                                + "`hotline … --json` commands print.")
                    ),
                ])
            ),
            ("servers", .list([.map([("url", "/")])])),
            ("security", .list([.map([("session", .list([]))])])),
            (
                "components",
                .map([
                    (
                        "securitySchemes",
                        .map([
                            ("session", .map([("type", "apiKey"), ("in", "cookie"), ("name", .string(HTTP.sessionCookie))])),
                            ("csrf", .map([("type", "apiKey"), ("in", "header"), ("name", "X-CSRF-Token")])),
                        ])
                    ),
                    (
                        "responses",
                        .map([
                            (
                                "Problem",
                                .map([
                                    ("description", "The request was refused; `message` says why."),
                                    ("content", .map([("application/json", .map([("schema", reference(HTTP.Problem.schemaName))]))])),
                                ])
                            )
                        ])
                    ),
                    ("schemas", .map(schemas.map { ($0.name, node($0.schema)) })),
                ])
            ),
            ("paths", .map(paths)),
        ])
    }

    static func operation(_ operation: Operation) -> YAMLText.Node {
        var entries: [(String, YAMLText.Node)] = [("summary", .string(operation.summary))]
        if operation.changesState { entries.append(("security", .list([.map([("session", .list([])), ("csrf", .list([]))])]))) }
        if !operation.parameters.isEmpty {
            entries.append(
                (
                    "parameters",
                    .list(
                        operation.parameters.map { parameter in
                            var fields: [(String, YAMLText.Node)] = [("name", .string(parameter.name)), ("in", .string(parameter.place.rawValue))]
                            if parameter.place == .path { fields.append(("required", .bool(true))) }
                            if let description = parameter.description { fields.append(("description", .string(description))) }
                            if let range = parameter.range {
                                fields.append(("schema", .map([("type", "integer"), ("minimum", .int(range.lowerBound)), ("maximum", .int(range.upperBound))])))
                            } else {
                                fields.append(("schema", node(.string(enum: parameter.allowed))))
                            }
                            return .map(fields)
                        })
                ))
        }
        if let body = operation.body {
            var schema: [(String, YAMLText.Node)] = [("type", "object")]
            let required = body.filter(\.required).map { YAMLText.Node.string($0.name) }
            if !required.isEmpty { schema.append(("required", .list(required))) }
            schema.append(
                (
                    "properties",
                    .map(
                        body.map { field in
                            guard case .map(var entries) = node(field.schema) else { return (field.name, node(field.schema)) }
                            if let maxLength = field.maxLength { entries.append(("maxLength", .int(maxLength))) }
                            return (field.name, .map(entries))
                        })
                ))
            entries.append(
                (
                    "requestBody",
                    .map([
                        ("required", .bool(operation.bodyRequired)),
                        ("content", .map([("application/json", .map([("schema", .map(schema))]))])),
                    ])
                ))
        }
        let answer: YAMLText.Node
        switch operation.answer {
        case .one(let shape): answer = reference(shape.schemaName)
        case .list(let shape): answer = .map([("type", "array"), ("items", reference(shape.schemaName))])
        }
        var responses: [(String, YAMLText.Node)] = [
            (
                "200",
                .map([("description", .string(operation.answerDescription)), ("content", .map([("application/json", .map([("schema", answer)]))]))])
            )
        ]
        for status in operation.refusals { responses.append((String(status), .map([("$ref", "#/components/responses/Problem")]))) }
        // A body over the limit is refused before it is read.
        if operation.body != nil { responses.append(("413", .map([("description", "The body is too large.")]))) }
        entries.append(("responses", .map(responses.sorted { $0.0 < $1.0 })))
        return .map(entries)
    }

    static func reference(_ name: String) -> YAMLText.Node { .map([("$ref", .string("#/components/schemas/\(name)"))]) }

    /// A schema as OpenAPI 3.0 writes it.
    static func node(_ schema: JSONSchema) -> YAMLText.Node {
        switch schema {
        case .string(let format, let allowed):
            var entries: [(String, YAMLText.Node)] = [("type", "string")]
            if let format { entries.append(("format", .string(format))) }
            if let allowed { entries.append(("enum", .list(allowed.map(YAMLText.Node.string)))) }
            return .map(entries)
        case .integer: return .map([("type", "integer")])
        case .number: return .map([("type", "number")])
        case .boolean: return .map([("type", "boolean")])
        case .array(let items): return .map([("type", "array"), ("items", node(items))])
        case .reference(let name): return reference(name)
        case .object(let properties, let required):
            var entries: [(String, YAMLText.Node)] = [("type", "object")]
            if !required.isEmpty { entries.append(("required", .list(required.map(YAMLText.Node.string)))) }
            entries.append(("properties", .map(properties.map { ($0.name, node($0.schema)) })))
            return .map(entries)
        case .unknown(let type): return .map([("description", .string("unknown type \(type)"))])
        }
    }
}

/// A small YAML writer: block mappings and lists, every string double-quoted (JSON escapes are
/// valid YAML), so no value is ever read back as another type.
enum YAMLText {
    indirect enum Node: Sendable, ExpressibleByStringLiteral {
        case string(String)
        case int(Int)
        case bool(Bool)
        case list([Node])
        case map([(String, Node)])

        init(stringLiteral value: String) { self = .string(value) }
    }

    static func render(_ node: Node) -> String {
        var lines: [String] = []
        write(node, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    static func scalar(_ node: Node) -> String? {
        switch node {
        case .string(let text): quoted(text)
        case .int(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .list(let items): items.isEmpty ? "[]" : nil
        case .map(let entries): entries.isEmpty ? "{}" : nil
        }
    }

    static func write(_ node: Node, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch node {
        case .string, .int, .bool: lines.append(pad + (scalar(node) ?? ""))
        case .map(let entries):
            for (key, value) in entries {
                if let text = scalar(value) {
                    lines.append("\(pad)\(quoted(key)): \(text)")
                } else {
                    lines.append("\(pad)\(quoted(key)):")
                    write(value, indent: indent + 2, into: &lines)
                }
            }
        case .list(let items):
            for item in items {
                if let text = scalar(item) {
                    lines.append("\(pad)- \(text)")
                } else {
                    var nested: [String] = []
                    write(item, indent: indent + 2, into: &nested)
                    if let first = nested.first {
                        lines.append("\(pad)- " + first.dropFirst(indent + 2))
                        lines.append(contentsOf: nested.dropFirst())
                    }
                }
            }
        }
    }

    /// `"text"` with JSON's escapes.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
