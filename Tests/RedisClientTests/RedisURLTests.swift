import Testing

@testable import RedisClient

@Suite("Redis URLs")
struct RedisURLTests {
    @Test("every part of the URL is read")
    func parsesEverything() throws {
        let url = try RedisURL(parsing: "redis://alice:s%40cret@cache.internal:6380/3")
        #expect(url == RedisURL(host: "cache.internal", port: 6380, username: "alice", password: "s@cret", database: 3))
    }

    @Test("defaults: port 6379, database 0, no login")
    func defaults() throws {
        #expect(try RedisURL(parsing: "redis://127.0.0.1") == RedisURL(host: "127.0.0.1"))
        #expect(try RedisURL(parsing: "redis://localhost/") == RedisURL(host: "localhost"))
        #expect(try RedisURL(parsing: "redis://:pw@h").password == "pw")
        #expect(try RedisURL(parsing: "redis://:pw@h").username == nil)
    }

    @Test(
        "bad URLs are refused with a reason",
        arguments: [
            ("rediss://h:6379", "TLS"),
            ("http://h:6379", "scheme"),
            ("redis://h:6379/x", "database"),
            ("redis://h:6379/-1", "database"),
            ("redis://:6379", "no host"),
            ("redis://h:99999", "port"),
            ("not a url", "parse"),
        ])
    func refuses(text: String, reason: String) {
        #expect {
            try RedisURL(parsing: text)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test("the password never shows in descriptions or errors")
    func redactsPassword() throws {
        let url = try RedisURL(parsing: "redis://alice:hunter2@h:1/2")
        #expect(url.description == "redis://alice:***@h:1/2")
        #expect(!"\(url)".contains("hunter2"))
        do {
            _ = try RedisURL(parsing: "redis://alice:hunter2@h:1/x")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
        #expect(RedisURL.redacting("redis://u:hunter2@") == "redis://***@")
    }
}
