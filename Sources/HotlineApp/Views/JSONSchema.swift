import Foundation

/// A JSON shape that can describe itself: its schema is read from the type's own `Encodable`
/// conformance by encoding `example` (``JSONSchema/object(of:)``), so the OpenAPI document of the
/// web API cannot drift from what the API and the CLI print.
public protocol JSONShape: Encodable {
    /// The schema's name in the OpenAPI document (`Case`, `FeedEntry`).
    static var schemaName: String { get }
    /// Allowed values of string properties, by JSON key (`state`: `running`, `warning`, …).
    static var enums: [String: [String]] { get }
    /// Any value: only the properties' types are read, never their values.
    static var example: Self { get }
}

/// A JSON schema, as much of one as the shapes need.
public indirect enum JSONSchema: Sendable, Hashable {
    case string(format: String? = nil, enum: [String]? = nil)
    case integer
    case number
    case boolean
    case array(JSONSchema)
    /// Another shape, by its ``JSONShape/schemaName``.
    case reference(String)
    case object(properties: [Property], required: [String])
    /// A type the reader does not know (a shape whose property is neither a plain value, an
    /// array nor another ``JSONShape``); the shape tests refuse it.
    case unknown(String)

    public struct Property: Sendable, Hashable {
        public var name: String
        public var schema: JSONSchema
    }

    /// The object schema of `shape` with snake_case keys (as every `--json` and the API print
    /// them), and the other shapes it refers to.
    public static func object(of shape: any JSONShape.Type) -> (schema: JSONSchema, references: [any JSONShape.Type]) {
        let recorder = SchemaRecorder(enums: shape.enums)
        func encode<T: JSONShape>(_ type: T.Type) { try? T.example.encode(to: recorder) }
        encode(shape)
        return (.object(properties: recorder.properties, required: recorder.required), recorder.references)
    }

    /// `shape` and every shape it refers to, directly or not, each once, in the order first met.
    public static func closure(of shapes: [any JSONShape.Type]) -> [(name: String, schema: JSONSchema)] {
        var result: [(name: String, schema: JSONSchema)] = []
        var seen: Set<String> = []
        var pending = shapes
        while !pending.isEmpty {
            let shape = pending.removeFirst()
            guard seen.insert(shape.schemaName).inserted else { continue }
            let (schema, references) = object(of: shape)
            result.append((shape.schemaName, schema))
            pending.append(contentsOf: references)
        }
        return result
    }

    /// `caseNumber` → `case_number`, as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` does
    /// (a run of capitals is one word: `sipCallID` → `sip_call_id`).
    public static func snakeCase(_ key: String) -> String {
        var words: [String] = []
        var current = ""
        let characters = Array(key)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let previous = index > 0 ? characters[index - 1] : nil
            if character.isUppercase, !current.isEmpty,
                !(previous?.isUppercase ?? false) || (next?.isLowercase ?? false)
            {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }.joined(separator: "_")
    }

    /// The schema of a property's type.
    static func of(_ type: Any.Type, key: String, enums: [String: [String]]) -> (JSONSchema, (any JSONShape.Type)?) {
        switch type {
        case is String.Type: return (.string(enum: enums[key]), nil)
        case is Date.Type: return (.string(format: "date-time"), nil)
        case is Int.Type, is Int64.Type, is Int32.Type, is Int16.Type, is Int8.Type, is UInt.Type, is UInt64.Type, is UInt32.Type, is UInt16.Type, is UInt8.Type: return (.integer, nil)
        case is Double.Type, is Float.Type: return (.number, nil)
        case is Bool.Type: return (.boolean, nil)
        default:
            if let shape = type as? any JSONShape.Type { return (.reference(shape.schemaName), shape) }
            if let array = type as? any ArrayOfEncodable.Type {
                let (element, reference) = of(array.elementType, key: key, enums: enums)
                return (.array(element), reference)
            }
            return (.unknown(String(describing: type)), nil)
        }
    }
}

/// Arrays, so the reader can name their element type without an element.
protocol ArrayOfEncodable {
    static var elementType: any Encodable.Type { get }
}

extension Array: ArrayOfEncodable where Element: Encodable {
    static var elementType: any Encodable.Type { Element.self }
}

/// An `Encoder` that writes nothing: it notes each property's key, type and whether it is
/// optional (`encodeIfPresent`).
private final class SchemaRecorder: Encoder {
    let enums: [String: [String]]
    var properties: [JSONSchema.Property] = []
    var required: [String] = []
    var references: [any JSONShape.Type] = []
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(enums: [String: [String]]) { self.enums = enums }

    func note(_ type: Any.Type, key: any CodingKey, optional: Bool) {
        let name = JSONSchema.snakeCase(key.stringValue)
        guard !properties.contains(where: { $0.name == name }) else { return }
        let (schema, reference) = JSONSchema.of(type, key: name, enums: enums)
        properties.append(.init(name: name, schema: schema))
        if !optional { required.append(name) }
        if let reference { references.append(reference) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(recorder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { Ignored(codingPath: codingPath) }
    func singleValueContainer() -> any SingleValueEncodingContainer { Ignored(codingPath: codingPath) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let recorder: SchemaRecorder
        var codingPath: [any CodingKey] { recorder.codingPath }

        mutating func encodeNil(forKey key: Key) throws {}
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { recorder.note(T.self, key: key, optional: false) }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { recorder.note(T.self, key: key, optional: true) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { recorder.note(Bool.self, key: key, optional: false) }
        mutating func encode(_ value: String, forKey key: Key) throws { recorder.note(String.self, key: key, optional: false) }
        mutating func encode(_ value: Double, forKey key: Key) throws { recorder.note(Double.self, key: key, optional: false) }
        mutating func encode(_ value: Float, forKey key: Key) throws { recorder.note(Float.self, key: key, optional: false) }
        mutating func encode(_ value: Int, forKey key: Key) throws { recorder.note(Int.self, key: key, optional: false) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { recorder.note(Int8.self, key: key, optional: false) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { recorder.note(Int16.self, key: key, optional: false) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { recorder.note(Int32.self, key: key, optional: false) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { recorder.note(Int64.self, key: key, optional: false) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { recorder.note(UInt.self, key: key, optional: false) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { recorder.note(UInt8.self, key: key, optional: false) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { recorder.note(UInt16.self, key: key, optional: false) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { recorder.note(UInt32.self, key: key, optional: false) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { recorder.note(UInt64.self, key: key, optional: false) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { recorder.note(Bool.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { recorder.note(String.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { recorder.note(Double.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { recorder.note(Float.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { recorder.note(Int.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { recorder.note(Int8.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { recorder.note(Int16.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { recorder.note(Int32.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { recorder.note(Int64.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { recorder.note(UInt.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { recorder.note(UInt8.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { recorder.note(UInt16.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { recorder.note(UInt32.self, key: key, optional: true) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { recorder.note(UInt64.self, key: key, optional: true) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(recorder: SchemaRecorder(enums: [:])))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { Ignored(codingPath: codingPath) }
        mutating func superEncoder() -> any Encoder { SchemaRecorder(enums: [:]) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { SchemaRecorder(enums: [:]) }
    }

    /// Containers whose contents the schema does not need.
    struct Ignored: UnkeyedEncodingContainer, SingleValueEncodingContainer {
        var codingPath: [any CodingKey]
        var count = 0
        mutating func encodeNil() throws {}
        mutating func encode<T: Encodable>(_ value: T) throws {}
        mutating func encode(_ value: Bool) throws {}
        mutating func encode(_ value: String) throws {}
        mutating func encode(_ value: Double) throws {}
        mutating func encode(_ value: Float) throws {}
        mutating func encode(_ value: Int) throws {}
        mutating func encode(_ value: Int8) throws {}
        mutating func encode(_ value: Int16) throws {}
        mutating func encode(_ value: Int32) throws {}
        mutating func encode(_ value: Int64) throws {}
        mutating func encode(_ value: UInt) throws {}
        mutating func encode(_ value: UInt8) throws {}
        mutating func encode(_ value: UInt16) throws {}
        mutating func encode(_ value: UInt32) throws {}
        mutating func encode(_ value: UInt64) throws {}
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(recorder: SchemaRecorder(enums: [:])))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { Ignored(codingPath: codingPath) }
        mutating func superEncoder() -> any Encoder { SchemaRecorder(enums: [:]) }
    }
}
