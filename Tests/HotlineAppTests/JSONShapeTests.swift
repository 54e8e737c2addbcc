import Foundation
import HotlineApp
import Testing

/// The JSON shapes the CLI's `--json` and the web API share, and the schemas read from them.
@Suite struct JSONShapeTests {
    static var shapes: [any JSONShape.Type] {
        [
            JSONShapes.Case.self, JSONShapes.SLA.self, JSONShapes.FeedEntry.self, JSONShapes.Page.self, JSONShapes.Call.self, JSONShapes.LiveCall.self,
        ]
    }

    static func keys(_ shape: any JSONShape.Type) throws -> Set<String> {
        func text<T: JSONShape>(_ type: T.Type) throws -> String { try JSONOutput.text(T.example) }
        let object = try JSONSerialization.jsonObject(with: Data(try text(shape).utf8)) as? [String: Any]
        return Set(try #require(object).keys)
    }

    /// The schema names exactly the keys `--json` prints (the examples fill every optional), with
    /// the non-optional ones required, and knows every property's type.
    @Test(arguments: shapes.indices)
    func theSchemaNamesTheKeysTheCLIPrints(_ index: Int) throws {
        let shape = Self.shapes[index]
        guard case .object(let properties, let required) = JSONSchema.object(of: shape).schema else {
            Issue.record("\(shape.schemaName) is not an object")
            return
        }
        #expect(Set(properties.map(\.name)) == (try Self.keys(shape)), "\(shape.schemaName)")
        #expect(Set(required).isSubset(of: Set(properties.map(\.name))))
        for property in properties {
            if case .unknown(let type) = property.schema { Issue.record("\(shape.schemaName).\(property.name) has the unknown type \(type)") }
        }
    }

    @Test func requiredAndOptionalAndNestedShapesAreRead() throws {
        guard case .object(let properties, let required) = JSONSchema.object(of: JSONShapes.Case.self).schema else {
            Issue.record("Case is not an object")
            return
        }
        let byName = Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema) })
        #expect(required.contains("account_id") && required.contains("sla") && !required.contains("owner") && !required.contains("closed_at"))
        #expect(byName["sla"] == .reference("SLA"))
        #expect(byName["created_at"] == .string(format: "date-time"))
        #expect(byName["priority"] == .string(enum: ["P1", "P2", "P3"]))
        let closure = JSONSchema.closure(of: [JSONShapes.Case.self]).map(\.name)
        #expect(closure == ["Case", "SLA"])
        guard case .object(let callProperties, _) = JSONSchema.object(of: JSONShapes.Call.self).schema else { return }
        #expect(callProperties.first { $0.name == "path" }?.schema == .array(.string()))
        #expect(callProperties.first { $0.name == "waited_seconds" }?.schema == .number)
    }

    @Test(arguments: [
        ("caseNumber", "case_number"), ("sipCallID", "sip_call_id"), ("id", "id"), ("accountId", "account_id"),
        ("escalatedCases", "escalated_cases"), ("myURLProperty", "my_url_property"),
    ])
    func keysAreSnakeCasedAsJSONEncoderDoes(_ key: String, _ expected: String) throws {
        #expect(JSONSchema.snakeCase(key) == expected)
        // The same as Foundation's encoder writes it.
        struct One: Encodable {
            let key: String
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(1, forKey: AnyKey(stringValue: key))
            }
        }
        let text = try JSONOutput.text(One(key: key))
        #expect(text.contains("\"\(expected)\""), "\(text)")
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
