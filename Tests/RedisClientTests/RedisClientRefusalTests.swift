import Foundation
import Logging
import RedisTestSupport
import Testing

@testable import RedisClient

/// Redis refusing us with an error reply while we connect (a password missing or wrong, maxclients,
/// a data set still loading): a real redis-server configured to refuse, never an imitation.
@Suite("RedisClient refused by redis-server", .timeLimit(.minutes(1)))
struct RedisClientRefusalTests {
    /// Far above what a failure at once costs, so a call that waited for it would show.
    private static let timeout = Duration.seconds(10)
    /// What "at once" may take on a 2-core machine under heavy load.
    private static let atOnce = Duration.seconds(3)

    private func client(_ url: String, _ log: LogRecorder) throws -> RedisClient {
        RedisClient(configuration: .init(url: try RedisURL(parsing: url), timeout: Self.timeout), logger: log.logger())
    }

    /// While refused: connect, and then every call, fail at once with Redis' words and the hint,
    /// and the log says so once however many retries happen.
    private func expectRefused(_ client: RedisClient, _ log: LogRecorder, words: String, hint: String,
                               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let first = await failure { try await client.connect() }
        #expect(first.text.contains(words) && first.text.contains(hint), "\(first.text)", sourceLocation: sourceLocation)
        #expect(!client.isConnected, sourceLocation: sourceLocation)
        for _ in 0..<10 {
            let call = await failure { try await client.get("seed") }
            #expect(call.text.contains(words) && call.text.contains(hint), "\(call.text)", sourceLocation: sourceLocation)
            #expect(call.took < Self.atOnce, "a call took \(call.took) while Redis refused us", sourceLocation: sourceLocation)
            try await Task.sleep(for: .milliseconds(150))  // 1.5 s in all: several reconnect attempts
        }
        let logged = log.lines(at: .error, containing: words)
        #expect(logged.count == 1, "logged \(logged.count) times: \(logged)", sourceLocation: sourceLocation)
        #expect(log.lines(at: .notice, containing: "serving again").isEmpty, sourceLocation: sourceLocation)
    }

    @Test("no password where Redis needs one: NOAUTH, logged once per outage; serving again once lifted")
    func noPassword() async throws {
        let redis = try await RedisServerProcess().start()
        try redis.cli("CONFIG", "SET", "requirepass", "needed")
        let log = LogRecorder()
        let client = try client("redis://127.0.0.1:\(redis.port)", log)
        try await expectRefused(client, log, words: "NOAUTH", hint: "needs a password")
        try redis.cli("-a", "needed", "CONFIG", "SET", "requirepass", "")
        try await eventually { try await client.set("seed", "1") }
        #expect(log.lines(at: .notice, containing: "serving again").count == 1)

        // A second outage for the same reason is logged again, once.
        try redis.cli("CONFIG", "SET", "requirepass", "needed")
        try redis.cli("-a", "needed", "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
        _ = await failure { try await client.get("seed") }  // notices the dropped connection
        try await Task.sleep(for: .seconds(1))
        #expect(log.lines(at: .error, containing: "NOAUTH").count == 2)
        try redis.cli("-a", "needed", "CONFIG", "SET", "requirepass", "")
        try await eventually { try await client.set("seed", "2") }
        #expect(log.lines(at: .notice, containing: "serving again").count == 2)
        await client.shutdown()
        await redis.stop()
    }

    @Test("a wrong ACL password: WRONGPASS, logged once, the password never shown")
    func wrongPassword() async throws {
        let redis = try await RedisServerProcess(password: "right-one").start()
        try redis.cli("ACL", "SETUSER", "alice", "on", ">right-one", "~*", "+@all")
        let log = LogRecorder()
        let client = try client("redis://alice:wrong-one@127.0.0.1:\(redis.port)", log)
        try await expectRefused(client, log, words: "WRONGPASS", hint: "check the user and password")
        #expect(log.lines(at: .trace, containing: "").allSatisfy { !$0.contains("wrong-one") })
        await client.shutdown()
        await redis.stop()
    }

    @Test("maxclients reached: Redis' words, logged once per outage; serving again when a slot frees")
    func maxClients() async throws {
        let redis = try await RedisServerProcess(extraArguments: ["--maxclients", "1"]).start()
        let held = try await holdTheOnlyPlace(redis)
        let log = LogRecorder()
        let client = try client("redis://127.0.0.1:\(redis.port)", log)
        try await expectRefused(client, log, words: "max number of clients reached", hint: "maxclients")
        held.close()
        try await eventually { try await client.set("seed", "2") }
        #expect(log.lines(at: .notice, containing: "serving again").count == 1)
        await client.shutdown()
        await redis.stop()
    }

    /// A connection that holds the one place `--maxclients 1` allows. Redis may still be closing
    /// the connection that checked it was up and turn this one away, so try until Redis has left
    /// one silent (accepted) for a moment.
    private func holdTheOnlyPlace(_ redis: RedisServerProcess) async throws -> HeldConnection {
        for _ in 0..<50 {
            let held = try HeldConnection(port: redis.port)
            try await Task.sleep(for: .milliseconds(200))
            if !held.heardFromServer { return held }
            held.close()
        }
        throw TestSupportError("could not fill Redis' only client place")
    }

    @Test("a database out of range: SELECT refused with Redis' words and which part of the URL to fix")
    func databaseOutOfRange() async throws {
        let redis = try await RedisServerProcess(extraArguments: ["--databases", "2"]).start()
        let log = LogRecorder()
        let client = try client("redis://127.0.0.1:\(redis.port)/5", log)
        try await expectRefused(client, log, words: "refused SELECT: ERR DB index is out of range", hint: "database number")
        await client.shutdown()
        await redis.stop()
    }
}
