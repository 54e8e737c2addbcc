import Foundation
import HotlineApp
import HotlineWeb
import Testing
import Yams

/// `/openapi.yaml` is generated from the table of operations and the JSON shapes: it must list
/// exactly the router's `/api` routes, and be a readable OpenAPI 3 document whose `$ref`s resolve.
@Suite struct OpenAPIDocumentTests {
    @Test func everyAPIRouteOnTheRouterIsInTheDocumentAndViceVersa() throws {
        let folder = try Repository.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let line = try WebServer.openLine(
            databasePath: folder.appendingPathComponent("web.sqlite").path, policyPath: Repository.path(Defaults.policy),
            delivery: RecordingDelivery(), bcryptCost: 4, clock: { TestServer.start })
        let registered = OpenAPIDocument.registeredRoutes(on: line)
        #expect(registered.count >= 13, "\(registered)")
        #expect(Set(registered) == Set(OpenAPIDocument.routes), "router only: \(Set(registered).subtracting(OpenAPIDocument.routes)); document only: \(Set(OpenAPIDocument.routes).subtracting(registered))")

        // The document's own paths are the table's.
        let root = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        let paths = try #require(root["paths"] as? [String: [String: Any]])
        let documented = paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(path)" } }
        #expect(Set(documented) == Set(registered))
    }

    @Test func theDocumentIsOpenAPI3AndEveryReferenceResolves() throws {
        let root = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        #expect(root["openapi"] as? String == "3.0.3")
        let check = try OpenAPICheck(yaml: OpenAPIDocument.yaml)
        var references: [String] = []
        var pending: [Any] = [root]
        while let node = pending.popLast() {
            if let map = node as? [String: Any] {
                if let ref = map["$ref"] as? String { references.append(ref) }
                pending.append(contentsOf: map.values)
            } else if let list = node as? [Any] {
                pending.append(contentsOf: list)
            }
        }
        #expect(references.count > 20)
        for ref in Set(references) { _ = try check.resolve(ref) }
        // The shapes the CLI prints are the API's schemas.
        let schemas = try #require((root["components"] as? [String: Any])?["schemas"] as? [String: Any])
        for name in ["Case", "SLA", "FeedEntry", "Page", "Call", "ActionResult", "Me", "OnCall", "Queue", "Problem"] {
            #expect(schemas[name] != nil, "\(name)")
        }
        let page = try #require(schemas["Page"] as? [String: Any])
        let properties = try #require(page["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(["id", "escalation", "case_number", "reason", "level", "round", "person", "state", "sent_at", "ack_deadline", "acknowledged_by", "acknowledged_at", "delivered_at", "source"]))
    }
}
