import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RedisClient
import SeedStorage
import ServiceLifecycle

/// Builds the server from its settings. Tests call this too, with their own settings.
public func buildApplication(_ settings: SeedServerSettings, logger: Logger) async throws -> some ApplicationProtocol {
    // The one place the backend is chosen; everything after sees only `SeedStore`.
    let store: any SeedStore
    let redis: RedisClient?
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

    var app = Application(
        router: buildRouter(store: store, instanceName: settings.instanceName),
        server: HTTPServerBuilder { responder in
            OrphanSafeHTTP1Channel(HTTP1Channel(responder: responder, configuration: .init(
                additionalChannelHandlers: drainHandlers(for: settings.drainPeriod),
                idleTimeout: TimeAmount(settings.idleTimeout))))
        },
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
        services: redis.map { [$0] } ?? [],
        logger: logger)
    app.beforeServerStarts {
        logger.notice("seed-server listening", metadata: [
            "address": "http://\(settings.host):\(settings.port)",
            "backend": "\(store.summary)",
            "instance": "\(settings.instanceName)",
        ])
        // Start anyway when Redis is down: answer 503 until it is back (the client keeps trying).
        try? await redis?.connect()
    }
    return app
}

/// A fresh handler for each connection, and none at all when there is no drain period, so a plain
/// run pays nothing per request for it.
private func drainHandlers(for period: Duration) -> [any RemovableChannelHandler] {
    period > .zero ? [DrainOnShutdownHandler(period: TimeAmount(period))] : []
}

/// The routes and middleware, without a server: what `.router` tests drive.
public func buildRouter(store: any SeedStore, instanceName: String) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: SeedResponseMiddleware(servedBy: instanceName))
    SeedController(store: store, responses: SeedResponseCache(servedBy: instanceName)).addRoutes(to: router)
    return router
}
