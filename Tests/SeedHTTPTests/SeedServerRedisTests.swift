import NIOCore
import NIOHTTP1
import RedisTestSupport
import Testing

/// The API with the Redis backend, against a real redis-server on a free loopback port. One test
/// at a time: the time bounds are about the server, not about sharing the machine with the other
/// tests' load.
@Suite("The server on Redis, over a socket", .serialized, .timeLimit(.minutes(1)))
struct SeedServerRedisTests {
    /// Polls `body` until it returns true, for at most 10 s: how tests wait for a recovery.
    private func eventually(_ body: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await body() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// The answer `body` gives and how long it took (monotonic clock).
    private func timed(_ body: () async throws -> Answer) async throws -> (answer: Answer, took: Duration) {
        let start = ContinuousClock.now
        let answer = try await body()
        return (answer, ContinuousClock.now - start)
    }

    /// The test apps' Redis timeout (300 ms) plus a loaded 2-core machine's slack: a 503 later
    /// than this is the hang the contract rules out.
    private static let within = Duration.milliseconds(1300)

    @Test("POST stores the seed in the Redis key; GET reads it; a missing key reads 0")
    func roundTrip() async throws {
        let redis = try await RedisServerProcess().start()
        try await withLiveServer(testSettings(backend: .redis, redisURL: redis.url())) { client async throws in
            #expect(try await client.getSeed() == Answer(.ok, "0"))
            #expect(try await client.postSeed(#"{"num": -42}"#) == Answer(.ok, "-42"))
            #expect(try redis.cli("GET", "seedkeeper:seed") == "-42")
            #expect(try await client.getSeed() == Answer(.ok, "-42"))
        }
        await redis.stop()
    }

    @Test("two applications on one Redis share the seed, both ways")
    func sharedBetweenInstances() async throws {
        let redis = try await RedisServerProcess().start()
        let settingsA = try testSettings(backend: .redis, redisURL: redis.url(), instanceName: "a")
        let settingsB = try testSettings(backend: .redis, redisURL: redis.url(), instanceName: "b")
        try await withLiveServer(settingsA) { a async throws in
            try await withLiveServer(settingsB) { b async throws in
                #expect(try await a.postSeed(#"{"num": 100}"#) == Answer(.ok, "100"))
                #expect(try await b.getSeed() == Answer(.ok, "100"))
                #expect(try await b.postSeed(#"{"num": 200}"#) == Answer(.ok, "200"))
                #expect(try await a.getSeed() == Answer(.ok, "200"))
            }
        }
        await redis.stop()
    }

    @Test("password AUTH and another database, as the URL says")
    func authAndSelect() async throws {
        let redis = try await RedisServerProcess(password: "s3cret").start()
        try await withLiveServer(testSettings(backend: .redis, redisURL: redis.url(database: 5))) { client async throws in
            #expect(try await client.postSeed(#"{"num": 9}"#) == Answer(.ok, "9"))
            #expect(try redis.cli("-n", "5", "GET", "seedkeeper:seed") == "9")
            #expect(try redis.cli("-n", "0", "EXISTS", "seedkeeper:seed") == "0")
        }
        await redis.stop()
    }

    @Test("Redis killed mid-test: a fast 503 with a reason, then recovery without restarting the app")
    func redisRestart() async throws {
        let redis = try await RedisServerProcess().start()
        try await withLiveServer(testSettings(backend: .redis, redisURL: redis.url())) { client async throws in
            #expect(try await client.postSeed(#"{"num": 77}"#) == Answer(.ok, "77"))
            await redis.stop()
            let down = try await timed { try await client.getSeed() }
            #expect(down.answer.status == .serviceUnavailable)
            #expect(down.answer.body.contains("127.0.0.1:\(redis.port)"))
            #expect(down.took < Self.within, "GET took \(down.took) while Redis was down")
            let refused = try await timed { try await client.postSeed(#"{"num": 78}"#) }
            #expect(refused.answer.status == .serviceUnavailable)
            #expect(refused.took < Self.within, "POST took \(refused.took) while Redis was down")
            try await redis.start()  // empty: this test's Redis keeps nothing on disk
            #expect(try await eventually { try await client.getSeed() == Answer(.ok, "0") })
            #expect(try await client.postSeed(#"{"num": 79}"#) == Answer(.ok, "79"))
        }
        await redis.stop()
    }

    @Test("Redis absent at start: the app starts, answers 503 (HEAD too), and serves once Redis appears")
    func absentAtStart() async throws {
        let redis = try RedisServerProcess()
        try await withLiveServer(testSettings(backend: .redis, redisURL: redis.url())) { client async throws in
            let answer = try await timed { try await client.getSeed() }
            #expect(answer.answer.status == .serviceUnavailable)
            #expect(answer.answer.body.contains("cannot reach Redis"))
            #expect(answer.answer.body.hasSuffix("\n") && !answer.answer.body.dropLast().contains("\n"))
            #expect(answer.took < Self.within, "GET took \(answer.took) while Redis was absent")
            let head = try await client.send(.HEAD).status
            #expect(head == .serviceUnavailable)
            try await redis.start()
            #expect(try await eventually { try await client.getSeed() == Answer(.ok, "0") })
            #expect(try await client.send(.HEAD).status == .ok)
        }
        await redis.stop()
    }

    @Test("Redis refusing the connection (no password): the 503 carries Redis' words and the fix")
    func refusedConnection() async throws {
        let redis = try await RedisServerProcess(password: "needed").start()
        let url = "redis://127.0.0.1:\(redis.port)/0"
        try await withLiveServer(testSettings(backend: .redis, redisURL: url)) { client async throws in
            let answer = try await timed { try await client.getSeed() }
            #expect(answer.answer.status == .serviceUnavailable)
            #expect(answer.answer.body.contains("NOAUTH") && answer.answer.body.contains("--redis-url"), "\(answer.answer.body)")
            #expect(!answer.answer.body.dropLast().contains("\n"))
            #expect(answer.took < Self.within, "GET took \(answer.took) while Redis refused us")
        }
        await redis.stop()
    }

    @Test("a key holding something else is a 503 that says how to fix it, never a made-up seed")
    func corruptValue() async throws {
        let redis = try await RedisServerProcess().start()
        try redis.cli("SET", "seedkeeper:seed", "not-a-number")
        try await withLiveServer(testSettings(backend: .redis, redisURL: redis.url())) { client async throws in
            let answer = try await client.getSeed()
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.body.contains("'seedkeeper:seed'") && answer.body.contains("not an integer"), "\(answer.body)")
            #expect(try await client.postSeed(#"{"num": 1}"#) == Answer(.ok, "1"))
            #expect(try await client.getSeed() == Answer(.ok, "1"))
        }
        await redis.stop()
    }

    @Test("bad input changes nothing in Redis either")
    func badInputLeavesRedisAlone() async throws {
        let redis = try await RedisServerProcess().start()
        try await withLiveServer(testSettings(backend: .redis, redisURL: redis.url())) { client async throws in
            _ = try await client.postSeed(#"{"num": 5}"#)
            for body in [#"{"num": "6"}"#, #"{"num": 6.5}"#, "{", #"{"num": 1e30}"#, ""] {
                #expect(try await client.postSeed(body).status == .badRequest)
            }
            #expect(try redis.cli("GET", "seedkeeper:seed") == "5")
        }
        await redis.stop()
    }

    @Test("many concurrent POSTs and GETs over Redis: every answer and the final seed were posted")
    func concurrency() async throws {
        let redis = try await RedisServerProcess().start()
        try await withLiveServer(testSettings(backend: .redis, redisURL: redis.url())) { client async throws in
            let posted = Set((1...300).map { String(Int64($0) * 7_919) })
            let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
                for value in posted {
                    group.addTask { try await client.postSeed(#"{"num": \#(value)}"#) }
                    group.addTask { try await client.getSeed() }
                    group.addTask { try await client.getSeed() }
                }
                return try await group.reduce(into: [Answer]()) { $0.append($1) }
            }
            #expect(answers.count == 900)
            #expect(answers.allSatisfy { $0.status == .ok && (posted.contains($0.body) || $0.body == "0") })
            let final = try await client.getSeed()
            #expect(posted.contains(final.body))
            #expect(try redis.cli("GET", "seedkeeper:seed") == final.body)
        }
        await redis.stop()
    }
}
