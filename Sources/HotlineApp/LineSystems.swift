import Foundation
import HotlineCore
import HotlineRota
import HotlineRouter
import HotlineStore

/// The real systems behind the reference line, opened on one SQLite file: the case store, the
/// paging outbox on the Escalation Managers' rota, and the router. What `hotline call`,
/// `hotline test` and `hotline demo` run on.
public struct LineSystems: Sendable {
    public let database: HotlineDatabase
    public let store: CaseStore
    public let paging: PagingService
    public let router: any CallRouter

    /// Every table any target keeps in the database file, migrated in one migrator. `.scratch`
    /// only for throwaway copies (see ``HotlineDatabase/Durability``).
    public static func openDatabase(path: String, durability: HotlineDatabase.Durability = .durable) throws -> HotlineDatabase {
        try HotlineDatabase.open(path: path, extraMigrations: migrations, durability: durability)
    }

    /// The other targets' migrations, after the case store's own.
    public static let migrations: [HotlineDatabase.MigrationRegistration] = [{ PageStore.registerMigrations(&$0) }]

    public init(database: HotlineDatabase, policy: EscalationPolicy, router: any CallRouter, delivery: any PageDelivery) {
        self.database = database
        self.store = CaseStore(database: database)
        self.paging = PagingService(policy: policy, store: PageStore(writer: database.writer), delivery: delivery)
        self.router = router
    }

    public var integrations: Integrations {
        Integrations(directory: store, desk: store, pager: RotaPager(service: paging), router: router)
    }

    /// Answers scenario facts from the case store and the page store.
    public var facts: any FactChecker {
        SystemFacts(cases: CaseFactChecker(store: store), pages: PageFactChecker(store: paging.store))
    }
}

/// Facts about cases from the case store, facts about pages from the page store.
struct SystemFacts: FactChecker {
    let cases: CaseFactChecker
    let pages: PageFactChecker

    func check(_ fact: Fact) throws -> (holds: Bool, observed: String) {
        if let answer = try pages.answer(fact) { return answer }
        return try cases.check(fact)
    }
}
