import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import RedisClient
import SeedHTTP

/// `seed-server`: parses options (flag, else environment variable, else default) and runs.
@main
struct SeedServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-server",
        abstract: "Serves one shared integer, the seed: GET / reads it, POST / {\"num\": N} sets it.",
        discussion: """
            Backends: 'memory' (default) keeps the seed in this process only — it is lost on \
            restart and not shared with other instances. 'redis' keeps it in one Redis key, so \
            every instance using the same Redis and key serves the same seed; while Redis is \
            unreachable, requests get 503 and the server reconnects by itself.

            Every option can also be set by the environment variable named in its help.
            """)

    @Option(help: "Address to listen on. (env: SEEDKEEPER_HOST, default: 0.0.0.0)")
    var host: String?

    @Option(help: "Port to listen on. (env: PORT, default: 8080)")
    var port: Int?

    @Option(help: "Where the seed lives: memory or redis. (env: SEEDKEEPER_BACKEND, default: memory)")
    var backend: SeedServerSettings.Backend?

    @Option(help: ArgumentHelp(RedisURLHelp.text()))
    var redisURL: String?

    @Option(help: "The Redis key that holds the seed. (env: REDIS_KEY, default: seedkeeper:seed)")
    var redisKey: String?

    @Option(help: "Connect and reply timeout for Redis, in milliseconds; past it requests get 503. (env: REDIS_TIMEOUT_MS, default: 500)")
    var redisTimeoutMs: Int?

    @Option(help: "Name sent in the X-Served-By header of every response. (env: INSTANCE_NAME, default: the host name)")
    var instanceName: String?

    @Option(help: ArgumentHelp(
        "Seconds to keep serving open connections after SIGTERM, so a load balancer can take this instance out first. (env: SEEDKEEPER_DRAIN_SECONDS, default: 0)",
        discussion: "On SIGTERM the server stops accepting connections at once, so health checks fail; during the drain it still answers on connections already open, each answer closing its connection. Set it to how long your load balancer takes to mark a target down (HAProxy: inter × fall; ALB: interval × unhealthy threshold)."))
    var drainSeconds: Double?

    @Option(help: "trace, debug, info, notice, warning, error or critical. (env: LOG_LEVEL, default: info)")
    var logLevel: Logger.Level?

    func run() async throws {
        let settings = try resolveSettings(environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "seed-server")
        try await SeedServer(settings, logger: logger).run(logger: logger)
    }

    /// Flag, else environment variable, else default. A bad value is refused at start, and the
    /// message names where it came from — the flag, or the variable (from a shell or a systemd
    /// unit's `EnvironmentFile`) — so the fix is obvious either way.
    private func resolveSettings(environment: [String: String]) throws -> SeedServerSettings {
        /// `check` says why a well-formed value is still unusable (out of range), or nil.
        func setting<T>(
            _ flag: T?, _ flagName: String, _ variable: String, _ parse: (String) -> T?,
            check: (T) -> String? = { _ in nil }
        ) throws -> T? {
            if let flag {
                if let problem = check(flag) { throw ValidationError("\(flagName) \(flag) \(problem)") }
                return flag
            }
            guard let text = environment[variable], !text.isEmpty else { return nil }
            guard let value = parse(text) else {
                throw ValidationError("environment variable \(variable)='\(text)' is not valid; see --help")
            }
            if let problem = check(value) {
                throw ValidationError("environment variable \(variable)='\(text)' \(problem)")
            }
            return value
        }
        var settings = SeedServerSettings(instanceName: ProcessInfo.processInfo.hostName)
        settings.host = try setting(host, "--host", "SEEDKEEPER_HOST", { $0 }) ?? settings.host
        settings.port = try setting(port, "--port", "PORT", Int.init,
                                    check: { (0...65535).contains($0) ? nil : "is not between 0 and 65535" })
            ?? settings.port
        settings.backend = try setting(backend, "--backend", "SEEDKEEPER_BACKEND",
                                       { SeedServerSettings.Backend(rawValue: $0) }) ?? settings.backend
        settings.redisKey = try setting(redisKey, "--redis-key", "REDIS_KEY", { $0 }) ?? settings.redisKey
        settings.instanceName = try setting(instanceName, "--instance-name", "INSTANCE_NAME", { $0 })
            ?? settings.instanceName
        settings.logLevel = try setting(logLevel, "--log-level", "LOG_LEVEL", { Logger.Level(rawValue: $0) })
            ?? settings.logLevel
        if let milliseconds = try setting(redisTimeoutMs, "--redis-timeout-ms", "REDIS_TIMEOUT_MS", Int.init,
                                          check: { $0 > 0 ? nil : "must be a positive number of milliseconds" }) {
            settings.redisTimeout = .milliseconds(milliseconds)
        }
        if let seconds = try setting(drainSeconds, "--drain-seconds", "SEEDKEEPER_DRAIN_SECONDS", Double.init,
                                     check: { $0.isFinite && (0...3600).contains($0) ? nil : "is not between 0 and 3600 seconds" }) {
            settings.drainPeriod = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let text = try setting(redisURL, "--redis-url", "REDIS_URL", { $0 }) {
            do {
                settings.redisURL = try RedisURL(parsing: text)
            } catch {
                // The parser's message never repeats the password.
                throw ValidationError(redisURL == nil ? "environment variable REDIS_URL: \(error)" : "\(error)")
            }
        }
        return settings
    }
}

extension SeedServerSettings.Backend: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
