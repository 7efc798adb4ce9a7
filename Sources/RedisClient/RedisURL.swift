#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where Redis is and how to log in, parsed from `redis://[user:password@]host[:port][/db]`.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int

    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw RedisClientError.invalidURL("cannot parse '\(Self.redacting(text))'")
        }
        guard scheme != "rediss" else {
            throw RedisClientError.invalidURL(
                "rediss:// (TLS) is not supported by this build; use redis:// on a private network, "
                    + "or put a TLS tunnel (stunnel, spiped) in front of Redis")
        }
        guard scheme == "redis" else {
            throw RedisClientError.invalidURL("scheme '\(scheme)' is not redis://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw RedisClientError.invalidURL("no host in '\(Self.redacting(text))'")
        }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else {
            throw RedisClientError.invalidURL("port \(port) is not between 1 and 65535")
        }
        let path = components.path.drop(while: { $0 == "/" })
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else {
                throw RedisClientError.invalidURL("database '\(path)' is not a number like /0")
            }
            database = number
        }
        let username = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.password.flatMap { $0.isEmpty ? nil : $0 }
        self.init(host: host, port: port, username: username, password: password, database: database)
    }

    /// `host:port`, for messages.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The URL with the password replaced by `***`: the only form that may be logged or shown.
    public var description: String {
        var auth = ""
        if let username { auth = username }
        if password != nil { auth += ":***" }
        if !auth.isEmpty { auth += "@" }
        return "redis://\(auth)\(endpoint)/\(database)"
    }

    /// Hides anything between `://` and `@` in text that did not parse.
    static func redacting(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://"), let at = text.lastIndex(of: "@"),
            schemeEnd.upperBound <= at
        else { return text }
        return text[..<schemeEnd.upperBound] + "***" + text[at...]
    }
}
