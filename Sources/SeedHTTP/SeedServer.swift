import Logging
import NIOCore
import RedisClient
import SeedStorage
import ServiceLifecycle
import UnixSignals

/// The whole server: the store chosen by the settings, and the services that run it.
///
/// The one place the backend is chosen; everything after sees only `SeedStore`.
public struct SeedServer: Sendable {
    /// The HTTP server; `localAddress` tells where it listens.
    public let http: SeedHTTPServer
    /// The Redis client when the backend is Redis.
    public let redis: RedisClient?
    /// Long-lived parts, in start order: the Redis client (if any), then the HTTP server. A
    /// `ServiceGroup` stops them in reverse: the HTTP server drains before Redis is closed.
    public var services: [any Service] { (redis.map { [$0 as any Service] } ?? []) + [http] }

    public init(_ settings: SeedServerSettings, logger: Logger) {
        let store: any SeedStore
        switch settings.backend {
        case .memory:
            store = MemorySeedStore()
            redis = nil
        case .redis:
            let client = RedisClient(
                configuration: .init(url: settings.redisURL, timeout: settings.redisTimeout),
                logger: logger)
            store = RedisSeedStore(client: client, key: settings.redisKey)
            redis = client
        }
        http = SeedHTTPServer(
            configuration: .init(host: settings.host, port: settings.port, servedBy: settings.instanceName,
                                 idleTimeout: TimeAmount(settings.idleTimeout),
                                 drainPeriod: TimeAmount(settings.drainPeriod)),
            store: store, logger: logger)
    }

    /// Makes the first attempt to reach Redis, then runs until SIGTERM or SIGINT (or the returned
    /// group's `triggerGracefulShutdown()`) and the drain that follows. Starts even when Redis is
    /// down: requests get 503 until it is back, and the client keeps trying.
    /// - Parameter signals: the signals that begin a graceful shutdown; tests pass none.
    /// - Throws: when the HTTP server cannot bind its address.
    public func run(logger: Logger, signals: [UnixSignal] = [.sigterm, .sigint],
                    started: (ServiceGroup) -> Void = { _ in }) async throws {
        try? await redis?.connect()
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: signals,
            logger: logger))
        started(group)
        try await group.run()
    }
}
