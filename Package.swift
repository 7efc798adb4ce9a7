// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "seedkeeper",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "seed-server", targets: ["seed-server"]),
        .executable(name: "seed-check", targets: ["seed-check"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // The hiredis C library, as the system installs it (libhiredis-dev, 0.14 or 1.x).
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"]), .yum(["hiredis-devel"]), .brew(["hiredis"])]
        ),
        // Our Swift wrapper over hiredis: connection, replies, and the pipelining command queue.
        .target(
            name: "RedisClient",
            dependencies: [
                "CHiredis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            linkerSettings: [
                // Debug builds link the shared library; release builds link hiredis statically so
                // the deployable binary needs nothing beyond glibc.
                .linkedLibrary("hiredis", .when(configuration: .debug)),
                .linkedLibrary(":libhiredis.a", .when(configuration: .release)),
            ]
        ),
        // Parsing and validating what clients send. FoundationEssentials only, so it can be fuzzed alone.
        .target(name: "SeedInput"),
        // Where the seed lives: the store protocol, the in-memory store and the Redis store.
        .target(
            name: "SeedStorage",
            dependencies: [
                "RedisClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The HTTP server on SwiftNIO's own parts: the connection pipeline, routes, answers, drain.
        .target(
            name: "SeedHTTP",
            dependencies: [
                "SeedInput",
                "SeedStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "seed-server",
            dependencies: [
                "SeedHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "seed-check",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Starts a real redis-server on a free loopback port for tests.
        .target(name: "RedisTestSupport", path: "Tests/RedisTestSupport"),
        .testTarget(name: "SeedInputTests", dependencies: ["SeedInput"]),
        .testTarget(
            name: "SeedHTTPTests",
            dependencies: [
                "SeedHTTP",
                "RedisClient",
                "RedisTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "RedisTestSupport"]),
    ]
)
