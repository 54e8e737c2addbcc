import Foundation
import HotlineWeb
import Yams

/// Checks an API answer against the OpenAPI document: the status is documented for the
/// operation, and a JSON body matches the schema (types, required properties, enums, `$ref`s).
struct OpenAPICheck {
    let root: [String: Any]

    init(yaml: String) throws {
        guard let root = try Yams.load(yaml: yaml) as? [String: Any] else { throw WebError("the OpenAPI document is not a mapping") }
        self.root = root
    }

    func check(method: String, path: String, status: Int, body: [UInt8]) throws {
        guard let paths = root["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
            let operation = item[method] as? [String: Any], let responses = operation["responses"] as? [String: Any]
        else { throw WebError("\(method) \(path) is not in the OpenAPI document") }
        guard var response = (responses[String(status)] ?? responses["default"]) as? [String: Any] else {
            throw WebError("\(method) \(path) answered \(status), which the OpenAPI document does not list")
        }
        if let ref = response["$ref"] as? String { response = try resolve(ref) }
        guard let content = response["content"] as? [String: Any], let json = content["application/json"] as? [String: Any],
            let schema = json["schema"] as? [String: Any]
        else { return }
        let value = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        try validate(value, schema, at: "\(method) \(path) \(status)")
    }

    func resolve(_ ref: String) throws -> [String: Any] {
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { throw WebError("unresolved \(ref)") }
            node = next
        }
        guard let mapping = node as? [String: Any] else { throw WebError("\(ref) is not a mapping") }
        return mapping
    }

    func validate(_ value: Any, _ given: [String: Any], at where_: String) throws {
        var schema = given
        if let ref = schema["$ref"] as? String { schema = try resolve(ref) }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { throw WebError("\(where_): expected an object, got \(value)") }
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                throw WebError("\(where_): the required property \(key) is missing")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, item) in object {
                guard let property = properties[key] as? [String: Any] else { throw WebError("\(where_): \(key) is not in the schema") }
                try validate(item, property, at: "\(where_).\(key)")
            }
        case "array":
            guard let array = value as? [Any] else { throw WebError("\(where_): expected an array") }
            let items = (schema["items"] as? [String: Any]) ?? [:]
            for (index, item) in array.enumerated() { try validate(item, items, at: "\(where_)[\(index)]") }
        case "string":
            guard let text = value as? String else { throw WebError("\(where_): expected a string, got \(value)") }
            if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == text }) {
                throw WebError("\(where_): '\(text)' is not one of \(allowed)")
            }
            if schema["format"] as? String == "date-time", (try? Date(text, strategy: .iso8601)) == nil {
                throw WebError("\(where_): '\(text)' is not a date-time")
            }
        case "integer":
            // Foundation on Linux hands numbers back as NSNumber: judge by the printed value.
            guard !(value is String), Int64("\(value)") != nil else {
                throw WebError("\(where_): expected an integer, got \(value)")
            }
        case "boolean":
            guard value is Bool else { throw WebError("\(where_): expected a boolean") }
        default:
            break
        }
    }
}
