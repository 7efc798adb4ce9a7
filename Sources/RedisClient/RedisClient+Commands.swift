import NIOCore

extension RedisClient {
    /// `GET key`: the value's bytes, or nil when the key does not exist; completed on `eventLoop`.
    /// Fails with a `RedisClientError` (unreachable, timed out, or an error reply).
    public func get(_ key: String, on eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]?> {
        let endpoint = configuration.url.endpoint
        return send(.get(key), on: eventLoop).flatMapThrowing { try Self.value(of: $0, endpoint: endpoint) }
    }

    /// `SET key value`, succeeding only on Redis' `OK`; completed on `eventLoop`.
    /// Fails with a `RedisClientError` (unreachable, timed out, or an error reply).
    public func set(_ key: String, _ value: String, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let endpoint = configuration.url.endpoint
        return send(.set(key, value), on: eventLoop).flatMapThrowing { try Self.acknowledge($0, endpoint: endpoint) }
    }

    /// `GET key`: the value's bytes, or nil when the key does not exist.
    /// - Throws: `RedisClientError` (unreachable, timed out, or an error reply).
    public func get(_ key: String) async throws -> [UInt8]? {
        try Self.value(of: try await send(.get(key)), endpoint: configuration.url.endpoint)
    }

    /// `SET key value`, succeeding only on Redis' `OK`.
    /// - Throws: `RedisClientError` (unreachable, timed out, or an error reply).
    public func set(_ key: String, _ value: String) async throws {
        try Self.acknowledge(try await send(.set(key, value)), endpoint: configuration.url.endpoint)
    }

    private static func value(of reply: RedisReply, endpoint: String) throws -> [UInt8]? {
        switch reply {
        case .bulkString(let bytes): return bytes
        case .null: return nil
        case .error(let text): throw RedisClientError.serverError(endpoint: endpoint, reply: text)
        default: throw RedisClientError.unexpectedReply(endpoint: endpoint, command: "GET", reply: reply.summary)
        }
    }

    private static func acknowledge(_ reply: RedisReply, endpoint: String) throws {
        switch reply {
        case .status("OK"): return
        case .error(let text): throw RedisClientError.serverError(endpoint: endpoint, reply: text)
        default: throw RedisClientError.unexpectedReply(endpoint: endpoint, command: "SET", reply: reply.summary)
        }
    }
}
