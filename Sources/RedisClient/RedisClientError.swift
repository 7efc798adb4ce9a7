/// What went wrong talking to Redis, split by origin: the address we were given, the connection,
/// or an error Redis itself answered. Messages name the server and say what to do next.
///
/// A struct around a private enum, so new cases can be added without breaking callers.
public struct RedisClientError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case invalidURL(String)
        case cannotConnect(endpoint: String, reason: String)
        case connectionLost(endpoint: String, reason: String)
        case refused(endpoint: String, command: String, refusal: RedisRefusal)
        case notPrimary(endpoint: String)
        case serverError(endpoint: String, reply: String)
        case unexpectedReply(endpoint: String, command: String, reply: String)
        case unavailable(lastError: String)
        case shutDown
    }

    private let kind: Kind
    private init(_ kind: Kind) { self.kind = kind }

    static func invalidURL(_ reason: String) -> Self { .init(.invalidURL(reason)) }
    static func cannotConnect(endpoint: String, reason: String) -> Self {
        .init(.cannotConnect(endpoint: endpoint, reason: reason))
    }
    static func connectionLost(endpoint: String, reason: String) -> Self {
        .init(.connectionLost(endpoint: endpoint, reason: reason))
    }
    /// Redis answered an error reply while the connection was being set up: it refused the
    /// connection itself (protected mode, maxclients, no password, still loading) or one setup
    /// command (AUTH, SELECT, PING). `reply` is Redis' own text, without the leading `-`.
    static func refused(endpoint: String, command: String, reply: String) -> Self {
        .init(.refused(endpoint: endpoint, command: command, refusal: RedisRefusal(reply: reply)))
    }
    static func notPrimary(endpoint: String) -> Self { .init(.notPrimary(endpoint: endpoint)) }
    static func serverError(endpoint: String, reply: String) -> Self {
        .init(.serverError(endpoint: endpoint, reply: reply))
    }
    static func unexpectedReply(endpoint: String, command: String, reply: String) -> Self {
        .init(.unexpectedReply(endpoint: endpoint, command: command, reply: reply))
    }
    static func unavailable(lastError: String) -> Self { .init(.unavailable(lastError: lastError)) }
    static let shutDown = RedisClientError(.shutDown)

    public var description: String {
        switch kind {
        case .invalidURL(let reason):
            return "invalid Redis URL: \(reason) (expected redis://[user:password@]host[:port][/db])"
        case .cannotConnect(let endpoint, let reason):
            // --backend memory is the way out only for one instance alone: behind a load balancer
            // each instance would keep a seed of its own.
            return "cannot reach Redis at \(endpoint) (\(reason)) — is it running and reachable? "
                + "set --redis-url / REDIS_URL (--backend memory serves without Redis, but only for "
                + "one instance alone)"
        case .connectionLost(let endpoint, let reason):
            return "lost the connection to Redis at \(endpoint) (\(reason)); reconnecting"
        case .refused(let endpoint, let command, let refusal):
            let what = refusal.isAboutConnection ? "the connection" : command
            return "Redis at \(endpoint) refused \(what): \(refusal.reply) — \(refusal.hint)"
        case .notPrimary(let endpoint):
            return "Redis at \(endpoint) is a read-only replica; waiting for it (or the endpoint) to "
                + "become the primary"
        case .serverError(let endpoint, let reply):
            return "Redis at \(endpoint) answered an error: \(reply)"
        case .unexpectedReply(let endpoint, let command, let reply):
            return "Redis at \(endpoint) gave \(command) an unexpected reply: \(reply)"
        case .unavailable(let lastError):
            return "Redis is unavailable: \(lastError)"
        case .shutDown:
            return "the Redis client is shutting down"
        }
    }
}
