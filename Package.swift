// swift-tools-version:6.2
// Hummingbird 2.28's own manifest needs tools 6.2, so the root package does too.
import PackageDescription

let package = Package(
    name: "seedkeeper",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "seed-server", targets: ["seed-server"]),
        .executable(name: "seed-check", targets: ["seed-check"]),
    ],
    dependencies: [
        // Without its default traits (swift-configuration support, full Foundation) Hummingbird
        // needs only FoundationEssentials, and so does our code: the binary leaves out Foundation's
        // internationalisation and ICU data, which is most of its size and resident memory.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
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
            dependencies: ["RedisClient"]
        ),
        // The HTTP face: routes, responses, errors, middleware, and the application builder.
        .target(
            name: "SeedAPI",
            dependencies: [
                "SeedInput",
                "SeedStorage",
                "RedisClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .executableTarget(
            name: "seed-server",
            dependencies: [
                "SeedAPI",
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
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "RedisTestSupport"]),
        .testTarget(
            name: "SeedAPITests",
            dependencies: [
                "SeedAPI",
                "RedisTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
