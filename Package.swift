// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Hotline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hotline", targets: ["hotline"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The web: Hummingbird 2 without swift-configuration, mustache templates, bcrypt.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries, wrapped in their own system-library targets.
        .systemLibrary(
            name: "CALSA",
            pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]
        ),
        .systemLibrary(
            name: "CLibre",
            pkgConfig: "libre",
            providers: [.apt(["libre-dev"])]
        ),

        // The pure core: flow model, call state machine, integration contracts. Foundation only.
        .target(name: "HotlineCore", swiftSettings: strict),
        // Reading every Hotline file: one diagnostic type (file:line:column, fix), one YAML layer,
        // one duration parser and "did you mean".
        .target(
            name: "HotlineDiagnostics",
            dependencies: ["HotlineCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Reading, checking and drawing flow files (YAML).
        .target(
            name: "HotlineFlowFile",
            dependencies: ["HotlineCore", "HotlineDiagnostics", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // The driver that performs a call's actions on a clock, and the scenario runner.
        .target(
            name: "HotlineRuntime",
            dependencies: ["HotlineCore", "HotlineDiagnostics", "HotlineFlowFile", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Everything on SQLite: cases, callers, SLA, call records, and the paging outbox
        // (`Paging/`: the rota's escalations stored, driven and delivered).
        .target(
            name: "HotlineStore",
            dependencies: [
                "HotlineCore", "HotlineDiagnostics", "HotlineRota", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The on-call rota, the escalation policy and its state machine: pure, no storage.
        .target(
            name: "HotlineRota",
            dependencies: ["HotlineCore", "HotlineDiagnostics", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Skill-based routing to L0–L3 engineers, queues and the call-centre simulator.
        .target(
            name: "HotlineRouter",
            dependencies: ["HotlineCore", "HotlineDiagnostics", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // WAV prompts and ALSA playback.
        .target(
            name: "HotlineAudio",
            dependencies: ["HotlineCore", "HotlineFlowFile", "CALSA"],
            swiftSettings: strict
        ),
        // SIP and RTP on libre: the user agent that answers calls, the media clock, keys.
        .target(
            name: "HotlineSIP",
            dependencies: ["CLibre", "HotlineAudio", "HotlineCore"],
            swiftSettings: strict
        ),
        // Training mode, pure: personas, the rubric, trainee scripts, the training call's state
        // machine (the persona's reactions to desk actions) and scoring of its timeline.
        .target(
            name: "HotlineTraining",
            dependencies: ["HotlineCore", "HotlineDiagnostics", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // The real integrations wired together: what the `hotline` commands run on.
        .target(
            name: "HotlineApp",
            dependencies: [
                "HotlineCore", "HotlineDiagnostics", "HotlineFlowFile", "HotlineRuntime", "HotlineStore", "HotlineRota",
                "HotlineRouter", "HotlineAudio", "HotlineSIP", "HotlineTraining", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Hotline on the web: the Case Center, the agent's desk, the trainer's console and the JSON API.
        .target(
            name: "HotlineWeb",
            dependencies: [
                "HotlineApp", "HotlineCore", "HotlineFlowFile", "HotlineRuntime", "HotlineStore", "HotlineRota",
                "HotlineRouter", "HotlineAudio", "HotlineSIP", "HotlineTraining",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Fakes of the integrations, for unit tests of the layers above them.
        .target(name: "HotlineTestSupport", dependencies: ["HotlineCore"], swiftSettings: strict),

        // Command parsing only.
        .executableTarget(
            name: "hotline",
            dependencies: [
                "HotlineApp", "HotlineCore", "HotlineDiagnostics", "HotlineFlowFile", "HotlineRuntime", "HotlineStore",
                "HotlineRota", "HotlineRouter", "HotlineAudio", "HotlineSIP", "HotlineWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "hotline-bench",
            dependencies: [
                "HotlineApp", "HotlineCore", "HotlineFlowFile", "HotlineRuntime", "HotlineStore",
                "HotlineRota", "HotlineRouter", "HotlineAudio",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "HotlineCoreTests", dependencies: ["HotlineCore", "HotlineTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "HotlineDiagnosticsTests",
            dependencies: ["HotlineDiagnostics", "HotlineCore", "HotlineTestSupport", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .testTarget(name: "HotlineFlowFileTests", dependencies: ["HotlineFlowFile", "HotlineDiagnostics", "HotlineCore", "HotlineTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "HotlineRuntimeTests",
            dependencies: ["HotlineRuntime", "HotlineCore", "HotlineDiagnostics", "HotlineFlowFile", "HotlineTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HotlineStoreTests", dependencies: ["HotlineStore", "HotlineRota", "HotlineDiagnostics", "HotlineCore", "HotlineTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "HotlineRotaTests", dependencies: ["HotlineRota", "HotlineDiagnostics", "HotlineStore", "HotlineCore", "HotlineTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "HotlineRouterTests", dependencies: ["HotlineRouter", "HotlineDiagnostics", "HotlineCore", "HotlineTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "HotlineAudioTests", dependencies: ["HotlineAudio", "HotlineCore", "HotlineFlowFile", "CALSA", "HotlineTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "HotlineSIPTests", dependencies: ["HotlineSIP", "HotlineAudio"], swiftSettings: strict),
        .testTarget(
            name: "HotlineAppTests",
            dependencies: [
                "HotlineApp", "HotlineCore", "HotlineDiagnostics", "HotlineRuntime", "HotlineStore", "HotlineFlowFile", "HotlineRota",
                "HotlineRouter", "HotlineTestSupport", "HotlineTraining",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HotlineWebTests",
            dependencies: [
                "HotlineWeb", "HotlineApp", "HotlineCore", "HotlineStore", "HotlineRota", "HotlineRuntime", "HotlineTraining",
                "HotlineTestSupport", .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Tests that spawn the built executables (`hotline`, `hotline-bench`) and check what a user sees.
        .testTarget(
            name: "HotlineEndToEndTests",
            dependencies: ["HotlineTestSupport", "HotlineCore", "HotlineStore", "HotlineAudio", "hotline", "hotline-bench"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HotlineTrainingTests",
            dependencies: ["HotlineTraining", "HotlineApp", "HotlineDiagnostics", "HotlineCore", "HotlineAudio", "HotlineTestSupport"],
            swiftSettings: strict
        ),
    ]
)
