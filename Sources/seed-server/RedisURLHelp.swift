#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RedisClient

/// The help line of `--redis-url`. When `REDIS_URL` is set it also shows the URL the variable
/// holds, with its password as `***`, so `--help` tells which Redis a start without the flag uses.
enum RedisURLHelp {
    static func text(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var text = "redis://[user:password@]host[:port][/db] for --backend redis. (env: REDIS_URL"
        if let value = environment["REDIS_URL"], !value.isEmpty {
            // Never the text itself: a URL that does not parse may still hold a password.
            let shown = (try? RedisURL(parsing: value)).map { "\($0)" } ?? "not a valid redis:// URL"
            text += ", set to \(shown)"
        }
        return text + ", default: redis://127.0.0.1:6379/0)"
    }
}
