extension RedisClient {
    /// `GET key`: the value's bytes, or nil when the key does not exist.
    public func get(_ key: String) async throws -> [UInt8]? {
        let reply = try await send(.get(key))
        switch reply {
        case .bulkString(let bytes): return bytes
        case .null: return nil
        case .error(let text):
            throw RedisClientError.serverError(endpoint: configuration.url.endpoint, reply: text)
        default:
            throw RedisClientError.unexpectedReply(endpoint: configuration.url.endpoint, command: "GET", reply: reply.summary)
        }
    }

    /// `SET key value`, succeeding only on Redis' `OK`.
    public func set(_ key: String, _ value: String) async throws {
        let reply = try await send(.set(key, value))
        switch reply {
        case .status("OK"): return
        case .error(let text):
            throw RedisClientError.serverError(endpoint: configuration.url.endpoint, reply: text)
        default:
            throw RedisClientError.unexpectedReply(endpoint: configuration.url.endpoint, command: "SET", reply: reply.summary)
        }
    }
}
