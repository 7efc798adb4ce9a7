import NIOCore
import RedisClient

/// The seed as one Redis key (GET, missing = 0; SET), shared by every instance that uses the
/// same Redis and key. Answers on the caller's event loop when Redis' reply arrives.
public struct RedisSeedStore: SeedStore {
    public let client: RedisClient
    public let key: String

    public init(client: RedisClient, key: String) {
        self.client = client
        self.key = key
    }

    public func read(on eventLoop: any EventLoop) -> EventLoopFuture<Int64> {
        let key = key
        return client.get(key, on: eventLoop)
            .flatMapErrorThrowing { throw SeedStoreError("\($0)") }
            .flatMapThrowing { bytes in
                guard let bytes else { return 0 }
                // Never pass off something else as the seed: a value another program wrote is an error.
                guard let seed = Int64(String(decoding: bytes, as: UTF8.self)) else {
                    let shown = String(decoding: bytes.prefix(40), as: UTF8.self)
                    throw SeedStoreError(
                        "Redis key '\(key)' holds \"\(shown)\", which is not an integer — "
                            + "POST a new seed, or delete the key with: redis-cli DEL \(key)")
                }
                return seed
            }
    }

    public func write(_ seed: Int64, on eventLoop: any EventLoop) -> EventLoopFuture<Int64> {
        client.set(key, String(seed), on: eventLoop)
            .map { seed }
            .flatMapErrorThrowing { throw SeedStoreError("\($0)") }
    }

    public var summary: String { "redis \(client.configuration.url) key '\(key)'" }
}
