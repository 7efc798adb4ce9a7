import Logging
import NIOCore
import RedisClient

/// Everything `seed-server` needs to run, however it was given (flags, environment, tests).
public struct SeedServerSettings: Sendable {
    public enum Backend: String, Sendable, CaseIterable {
        case memory
        case redis
    }

    public var host: String
    public var port: Int
    public var backend: Backend
    public var redisURL: RedisURL
    public var redisKey: String
    public var redisTimeout: Duration
    public var instanceName: String
    public var logLevel: Logger.Level
    /// Longer than an AWS ALB's 60 s, so the load balancer, not us, closes idle connections
    /// (otherwise it may send a request on a connection we are closing and answer 502).
    public var idleTimeout: Duration
    /// How long, after SIGTERM, open connections keep being served (each answer closing its
    /// connection) while the load balancer notices the refused health checks. Zero: close at once.
    public var drainPeriod: Duration

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        backend: Backend = .memory,
        redisURL: RedisURL = RedisURL(host: "127.0.0.1"),
        redisKey: String = "seedkeeper:seed",
        redisTimeout: Duration = .milliseconds(500),
        instanceName: String,
        logLevel: Logger.Level = .info,
        idleTimeout: Duration = .seconds(75),
        drainPeriod: Duration = .zero
    ) {
        self.host = host
        self.port = port
        self.backend = backend
        self.redisURL = redisURL
        self.redisKey = redisKey
        self.redisTimeout = redisTimeout
        self.instanceName = instanceName
        self.logLevel = logLevel
        self.idleTimeout = idleTimeout
        self.drainPeriod = drainPeriod
    }
}
