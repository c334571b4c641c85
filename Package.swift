// swift-tools-version:6.1
import PackageDescription

/// Upcoming features every target opts into (see STYLE.md rule 12).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// How the executables are linked on Linux (measured on the static, stripped `todod`; issue 11):
/// - no exported dynamic symbols: the static Swift runtime's link arguments add `-export-dynamic`, which put
///   every one of ~89,000 Swift symbols into `.dynsym` (7 MB with its strings and hash) and made the runtime's
///   start-up `dladdr` walk it: 37 -> 26 ms CPU for `todod --version`. Nothing in todod looks itself up with
///   `dlsym`; a crash backtrace of a stripped binary shows addresses (symbolize them with the unstripped build).
/// - lld with packed relative relocations (DT_RELR, glibc >= 2.36, Debian 12): the position-independent
///   executable keeps its ~200,000 relative relocations, but as a few kB of bitmap instead of 3.7 MB of
///   `.rela.dyn` that the loader read into every process (idle RSS 39 -> 36 MB). gold cannot emit DT_RELR.
let executableLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--no-export-dynamic", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                 .when(platforms: [.linux])),
]

let package = Package(
    name: "todod",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "todod", targets: ["todod"]),
        .executable(name: "todoctl", targets: ["todoctl"]),
        .executable(name: "todo-bench", targets: ["todo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        // MARK: - Libraries
        .target(name: "TodoCore", swiftSettings: swiftSettings),
        .target(
            name: "TodoStore",
            dependencies: ["TodoCore", .product(name: "Logging", package: "swift-log"), .product(name: "CoreMetrics", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TodoPostgres",
            dependencies: [
                "TodoCore", "TodoStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TodoControl",
            dependencies: [
                "TodoCore", "ChatKitProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SystemdSupport",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(name: "ChatKitProtocol", dependencies: ["TodoCore"], swiftSettings: swiftSettings),
        .target(
            name: "TodoAuth",
            dependencies: [
                "TodoCore", "TodoStore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "TodoUI", exclude: ["Assets"], swiftSettings: swiftSettings, plugins: ["TodoUIEmbedPlugin"]),
        .executableTarget(name: "TodoUIEmbedder", path: "Sources/TodoUIEmbedder"),
        .plugin(name: "TodoUIEmbedPlugin", capability: .buildTool(), dependencies: ["TodoUIEmbedder"], path: "Sources/TodoUIEmbedPlugin"),
        .target(
            name: "TodoTools",
            dependencies: ["TodoCore", .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TodoAgent",
            dependencies: [
                "TodoCore", "TodoTools", "ChatKitProtocol",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TodoHTTP",
            dependencies: [
                "TodoCore", "ChatKitProtocol", "TodoAuth", "TodoUI", "TodoTools",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TodoDaemon",
            dependencies: [
                "TodoCore", "TodoStore", "TodoPostgres", "TodoControl", "SystemdSupport", "TodoAuth", "TodoHTTP",
                "ChatKitProtocol", "TodoTools", "TodoAgent", "TodoUI",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TodoTesting",
            dependencies: [
                "TodoDaemon", "TodoCore", "TodoStore", "TodoPostgres", "TodoControl", "ChatKitProtocol",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executables (thin)
        .executableTarget(
            name: "todod",
            dependencies: ["TodoDaemon", "TodoCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["startup.order"],
            swiftSettings: swiftSettings,
            linkerSettings: executableLinkerSettings + [
                // The ~3,000 functions a start to READY runs, placed together: the idle daemon's touched code
                // pages 16 -> ~11 MB (RSS 35 -> 30 MB, static). Regenerate with Tests/Static/startup_order.sh.
                .unsafeFlags(["-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/todod/startup.order",
                              "-Xlinker", "--no-warn-symbol-ordering"], .when(platforms: [.linux])),
            ]
        ),
        .executableTarget(
            name: "todoctl",
            dependencies: [
                "TodoControl", "TodoCore", "TodoTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: executableLinkerSettings
        ),
        .executableTarget(
            name: "todo-bench",
            dependencies: [
                "TodoTesting", "TodoDaemon", "TodoStore", "TodoControl", "TodoCore",
                "ChatKitProtocol", "TodoHTTP", "TodoAuth", "TodoAgent", "TodoTools",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .testTarget(name: "TodoCoreTests", dependencies: ["TodoCore"], swiftSettings: swiftSettings),
        .testTarget(name: "TodoUITests", dependencies: ["TodoUI"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TodoStoreTests",
            dependencies: ["TodoStore", "TodoCore", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreContractTests",
            dependencies: [
                "TodoStore", "TodoPostgres", "TodoCore", "TodoTesting", "TodoControl",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TodoControlTests",
            dependencies: [
                "TodoControl", "TodoCore", "TodoTesting",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SystemdSupportTests",
            dependencies: ["SystemdSupport", "TodoTesting", "TodoControl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChatKitProtocolTests",
            dependencies: ["ChatKitProtocol", "TodoCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TodoHTTPTests",
            dependencies: [
                "TodoHTTP", "TodoAuth", "ChatKitProtocol", "TodoCore", "TodoTesting", "TodoStore", "TodoTools",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TodoAgentTests",
            dependencies: [
                "TodoAgent", "TodoTools", "TodoCore", "TodoTesting", "TodoStore", "ChatKitProtocol", "TodoHTTP", "TodoAuth",
                .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TodoTesting", "TodoControl", "TodoCore", "TodoDaemon", "TodoStore", "TodoPostgres", "SystemdSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// MARK: - Fuzz targets (only with TODO_FUZZ=1; see RELIABILITY.md §c)
if Context.environment["TODO_FUZZ"] == "1" {
    package.targets += [
        .executableTarget(name: "FuzzRecordDecoder", dependencies: ["TodoStore", "TodoCore"], path: "Tests/Fuzz/RecordDecoder"),
        .executableTarget(name: "FuzzControlLine", dependencies: ["TodoControl", "TodoCore"], path: "Tests/Fuzz/ControlLine"),
    ]
}
