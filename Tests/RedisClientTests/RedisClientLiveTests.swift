import Foundation
import Logging
import RedisTestSupport
import Testing

@testable import RedisClient

/// Against a real redis-server on a free loopback port, started and stopped by each test.
@Suite("RedisClient against redis-server", .timeLimit(.minutes(1)))
struct RedisClientLiveTests {
    private func client(_ redis: RedisServerProcess, database: Int = 0, username: String? = nil,
                        timeout: Duration = .milliseconds(500)) throws -> RedisClient {
        let url = try RedisURL(parsing: redis.url(database: database, username: username))
        return RedisClient(configuration: .init(url: url, timeout: timeout), logger: Logger(label: "test"))
    }

    /// What "at once" may take on a 2-core machine under heavy load (seen: 1.8 s at a load
    /// average of 28). Tests that check it give the client `slowTimeout`, so a call that waited
    /// for the timeout, or hung, instead of failing at once would show.
    private static let atOnce = Duration.seconds(3)
    private static let slowTimeout = Duration.seconds(10)

    @Test("GET of a missing key is nil; SET then GET round-trips, binary-safe")
    func roundTrip() async throws {
        let redis = try await RedisServerProcess().start()
        let client = try client(redis)
        try await client.connect()
        #expect(try await client.get("seed") == nil)
        try await client.set("seed", "42")
        #expect(try await client.get("seed") == Array("42".utf8))
        let odd = "spaces and\r\nnewlines\u{0}nul é"
        try await client.set("key with spaces", odd)
        #expect(try await client.get("key with spaces") == Array(odd.utf8))
        #expect(try redis.cli("GET", "seed") == "42")
        await client.shutdown()
        await redis.stop()
    }

    @Test("AUTH with a password, and with an ACL user")
    func authenticates() async throws {
        let redis = try await RedisServerProcess(password: "pa ss:w@rd").start()
        let byPassword = try client(redis)
        try await byPassword.connect()
        try await byPassword.set("k", "1")
        try redis.cli("ACL", "SETUSER", "alice", "on", ">pa ss:w@rd", "~*", "+@all")
        let byUser = try client(redis, username: "alice")
        try await byUser.connect()
        #expect(try await byUser.get("k") == Array("1".utf8))
        await byPassword.shutdown()
        await byUser.shutdown()
        await redis.stop()
    }

    @Test("a wrong or missing password fails with a message that names the problem, not the password")
    func refusesBadPassword() async throws {
        let redis = try await RedisServerProcess(password: "right-one").start()
        let wrong = RedisClient(
            configuration: .init(url: try RedisURL(parsing: "redis://:wrong-one@127.0.0.1:\(redis.port)")),
            logger: Logger(label: "test"))
        await #expect {
            try await wrong.connect()
        } throws: { error in
            "\(error)".contains("refused AUTH") && !"\(error)".contains("wrong-one")
        }
        let none = RedisClient(
            configuration: .init(url: try RedisURL(parsing: "redis://127.0.0.1:\(redis.port)")),
            logger: Logger(label: "test"))
        await #expect {
            try await none.connect()
        } throws: { error in
            "\(error)".contains("needs a password")
        }
        await wrong.shutdown()
        await none.shutdown()
        await redis.stop()
    }

    @Test("SELECT: the database in the URL is the one written")
    func selectsDatabase() async throws {
        let redis = try await RedisServerProcess().start()
        let client = try client(redis, database: 3)
        try await client.connect()
        try await client.set("seed", "7")
        #expect(try redis.cli("-n", "3", "GET", "seed") == "7")
        #expect(try redis.cli("-n", "0", "GET", "seed") == "")
        await client.shutdown()
        await redis.stop()
    }

    @Test("thousands of concurrent commands over one connection all get their own reply")
    func concurrentCommands() async throws {
        let redis = try await RedisServerProcess().start()
        let client = try client(redis)
        try await client.connect()
        let results = try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for index in 0..<4000 {
                group.addTask {
                    switch index % 4 {
                    case 0:
                        try await client.set("k\(index % 100)", "v\(index)")
                        return (index, nil)
                    case 1:
                        // Its own key: the reply must be exactly this key's value.
                        try await client.set("own\(index)", "\(index)")
                        return (index, try await client.get("own\(index)"))
                    default:
                        return (index, try await client.get("k\(index % 100)"))
                    }
                }
            }
            return try await group.reduce(into: [(Int, [UInt8]?)]()) { $0.append($1) }
        }
        #expect(results.count == 4000)
        for (index, value) in results where index % 4 == 1 {
            #expect(value == Array("\(index)".utf8))
        }
        await client.shutdown()
        await redis.stop()
    }

    @Test("Redis killed: calls fail fast with 'unavailable'; restarted: the same client recovers")
    func recoversAfterRestart() async throws {
        let redis = try await RedisServerProcess().start()
        let client = try client(redis, timeout: Self.slowTimeout)
        try await client.connect()
        try await client.set("seed", "1")
        await redis.stop()
        let inFlight = await failure { try await client.get("seed") }
        #expect(inFlight.text != "no error")
        #expect(inFlight.took < Self.atOnce, "the first call after the kill took \(inFlight.took)")
        let next = await failure { try await client.get("seed") }
        #expect(next.text.contains("unavailable") && next.text.contains("127.0.0.1:\(redis.port)"), "\(next.text)")
        #expect(next.took < Self.atOnce, "a call while Redis is down took \(next.took)")
        #expect(!client.isConnected)
        try await redis.start()
        try await eventually { try await client.set("seed", "2") }
        #expect(try await client.get("seed") == Array("2".utf8))
        #expect(client.isConnected)
        await client.shutdown()
        await redis.stop()
    }

    @Test("Redis absent at start: connect reports it; the client connects once Redis appears")
    func absentAtStart() async throws {
        let redis = try RedisServerProcess()
        let client = try client(redis, timeout: Self.slowTimeout)
        let connect = await failure { try await client.connect() }
        #expect(connect.text.contains("cannot reach Redis at 127.0.0.1:\(redis.port)") && connect.text.contains("--backend memory"),
                "\(connect.text)")
        #expect(connect.took < Self.atOnce, "connect to a closed port took \(connect.took)")
        let call = await failure { try await client.get("seed") }
        #expect(call.text.contains("unavailable"), "\(call.text)")
        #expect(call.took < Self.atOnce, "a call while Redis is absent took \(call.took)")
        try await redis.start()
        try await eventually { try await client.set("seed", "3") }
        #expect(try await client.get("seed") == Array("3".utf8))
        await client.shutdown()
        await redis.stop()
    }

    @Test("Redis frozen (SIGSTOP): calls time out instead of hanging; thawed: recovery")
    func frozenRedis() async throws {
        let redis = try await RedisServerProcess().start()
        let timeout = Duration.milliseconds(200)
        let client = try client(redis, timeout: timeout)
        try await client.connect()
        try await client.set("seed", "4")
        redis.freeze(true)
        // Thaw after 6 s whatever happens, so a call that hangs returns and its time shows.
        let thaw = Task {
            try await Task.sleep(for: .seconds(6))
            redis.freeze(false)
        }
        let frozen = await failure { try await client.get("seed") }
        thaw.cancel()
        #expect(frozen.text.contains("timed out"), "\(frozen.text)")
        // One timeout plus a heavily loaded machine's slack, and less than the 6 s a call that
        // hangs until the thaw would take.
        #expect(frozen.took >= timeout && frozen.took < timeout + .seconds(4), "the call took \(frozen.took)")
        redis.freeze(false)
        let value = try await eventually { try await client.get("seed") }
        #expect(value == Array("4".utf8))
        await client.shutdown()
        await redis.stop()
    }

    @Test("a node loading its data set (LOADING) is left; 503-worthy errors at once; back once loaded")
    func loadingReconnects() async throws {
        // Each key takes 100 µs to load and Redis answers clients every KiB meanwhile, so a
        // DEBUG RELOAD of 20,000 keys keeps it answering LOADING for a few seconds.
        let redis = try await RedisServerProcess(extraArguments: [
            "--enable-debug-command", "yes", "--key-load-delay", "100",
            "--loading-process-events-interval-bytes", "1024",
        ]).start()
        let client = try client(redis, timeout: Self.slowTimeout)
        try await client.connect()
        try await client.set("seed", "5")
        #expect(try redis.cli("DEBUG", "POPULATE", "20000") == "OK")
        let reload = try redis.launchCLI(["DEBUG", "RELOAD"])
        let deadline = ContinuousClock.now + .seconds(10)
        while try !redis.cli("PING").hasPrefix("LOADING"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let first = await failure { try await client.get("seed") }
        #expect(first.text.contains("LOADING"), "\(first.text)")
        #expect(first.took < Self.atOnce, "the call took \(first.took)")
        let next = await failure { try await client.get("seed") }
        #expect(next.text.contains("LOADING") && next.text.contains("unavailable"), "\(next.text)")
        #expect(next.took < Self.atOnce, "the call took \(next.took)")
        #expect(!client.isConnected)
        #expect(reload.output() == "OK")
        let value = try await eventually { try await client.get("seed") }
        #expect(value == Array("5".utf8))
        await client.shutdown()
        await redis.stop()
    }

    @Test("a replica whose primary is down (MASTERDOWN) is left; back once it is primary again")
    func masterdownReconnects() async throws {
        let redis = try await RedisServerProcess().start()
        let client = try client(redis, timeout: Self.slowTimeout)
        try await client.connect()
        try await client.set("seed", "6")
        try redis.cli("CONFIG", "SET", "replica-serve-stale-data", "no")
        try redis.cli("REPLICAOF", "127.0.0.1", String(try RedisServerProcess.freePort()))
        let first = await failure { try await client.get("seed") }
        #expect(first.text.contains("MASTERDOWN"), "\(first.text)")
        #expect(first.took < Self.atOnce, "the call took \(first.took)")
        let next = await failure { try await client.get("seed") }
        #expect(next.text.contains("unavailable") && next.text.contains("replica"), "\(next.text)")
        #expect(next.took < Self.atOnce, "the call took \(next.took)")
        try redis.cli("REPLICAOF", "NO", "ONE")
        let value = try await eventually { try await client.get("seed") }
        #expect(value == Array("6".utf8))
        await client.shutdown()
        await redis.stop()
    }

    @Test("a node that turns into a replica (READONLY) is left; writes resume once it is primary again")
    func readonlyReconnects() async throws {
        let primary = try await RedisServerProcess().start()
        let other = try await RedisServerProcess().start()
        let client = try client(primary)
        try await client.connect()
        try await client.set("seed", "5")
        try primary.cli("REPLICAOF", "127.0.0.1", String(other.port))
        await #expect {
            try await client.set("seed", "6")
        } throws: { error in
            let text = "\(error)"
            return text.contains("READONLY") || text.contains("replica")
        }
        // While it is a replica, the client refuses to serve from it (its data may be stale).
        await #expect(throws: RedisClientError.self) { try await client.get("seed") }
        try primary.cli("REPLICAOF", "NO", "ONE")
        try await eventually { try await client.set("seed", "7") }
        #expect(try primary.cli("GET", "seed") == "7")
        await client.shutdown()
        await primary.stop()
        await other.stop()
    }

    @Test("a write to a connection Redis has closed fails and reconnects; SIGPIPE does not end the process")
    func writeAfterRedisClosed() async throws {
        let redis = try await RedisServerProcess().start()
        let client = try client(redis, timeout: Self.slowTimeout)
        try await client.connect()
        try await client.set("seed", "8")
        #expect(try redis.cli("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").hasPrefix("1") )
        try await Task.sleep(for: .milliseconds(100))  // the FIN has arrived
        // Larger than a socket buffer: hiredis writes it in several calls, and the ones after
        // Redis' reset get EPIPE (and, unless blocked, SIGPIPE).
        let big = String(repeating: "x", count: 16 << 20)
        let failed = await failure { try await client.set("big", big) }
        #expect(failed.text != "no error")
        try await eventually { try await client.set("seed", "9") }
        #expect(try redis.cli("GET", "seed") == "9")
        await client.shutdown()
        await redis.stop()
    }

    @Test("after shutdown every call fails at once")
    func shutdown() async throws {
        let redis = try await RedisServerProcess().start()
        let client = try client(redis)
        try await client.connect()
        await client.shutdown()
        await #expect {
            try await client.get("seed")
        } throws: { error in
            (error as? RedisClientError) == .shutDown
        }
        await redis.stop()
    }
}
