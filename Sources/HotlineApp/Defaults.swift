import Foundation

/// Where Hotline's embedded defaults live, relative to the folder it runs in (the repository root),
/// and the database every command uses unless told otherwise.
public enum Defaults {
    public static let flow = "Fixtures/flows/gsc.yaml"
    /// The outbound call that delivers a page ("press 1 to acknowledge").
    public static let pageCallFlow = "Fixtures/flows/page-call.yaml"
    public static let scenarios = "Fixtures/scenarios"
    public static let sampleData = "Fixtures/data"
    public static let sla = "Fixtures/sla.yaml"
    public static let rota = "Fixtures/rota/escalation-managers.yaml"
    public static let policy = "Fixtures/rota/escalation-policy.yaml"
    public static let routing = "Fixtures/routing"
    public static let catalog = "Prompts/en-US/catalog.yaml"

    /// `--db PATH`, else `HOTLINE_DB`, else `hotline.sqlite` in the working folder.
    public static func database(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let variable = environment["HOTLINE_DB"], !variable.isEmpty { return variable }
        return "hotline.sqlite"
    }
}
