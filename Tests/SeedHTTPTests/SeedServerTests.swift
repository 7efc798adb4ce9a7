import NIOCore
import NIOHTTP1
import Testing

/// Every row of the API, on the memory backend, through a real socket and a real HTTP client.
@Suite("The HTTP API", .serialized, .timeLimit(.minutes(1)))
struct SeedServerTests {
    @Test("GET / is 0 at first, as plain text with no newline, stamped with the instance")
    func initialSeed() async throws {
        try await withLiveServer(testSettings(instanceName: "seed-x")) { client async throws in
            do {
                let response = try await client.exchange(.GET, path: "/")
                #expect(response.status == .ok)
                #expect(response.body == "0")
                #expect(response.headers.first(name: "Content-Type") == "text/plain; charset=utf-8")
                #expect(response.headers.first(name: "X-Served-By") == "seed-x")
            }
        }
    }

    @Test(
        "POST / stores the integer and answers it; GET / then returns it",
        arguments: [
            (#"{"num": 100}"#, "100"), (#"{"num":-7}"#, "-7"), (#"{"num": 1e2}"#, "100"),
            (#"{"num": 1.0}"#, "1"), (#"{"num": -0}"#, "0"), (#"{"num": 5, "other": "x"}"#, "5"),
            (#"{"num": 9223372036854775807}"#, "9223372036854775807"),
            (#"{"num": -9223372036854775808}"#, "-9223372036854775808"),
        ])
    func postThenGet(body: String, stored: String) async throws {
        try await withLiveServer(testSettings()) { client async throws in
            let posted = try await client.postSeed(body)
            #expect(posted.status == .ok)
            #expect(posted.body == stored)
            #expect(try await client.getSeed() == Answer(.ok, stored))
        }
    }

    @Test("answers rendered once per value still follow every change, with each header once")
    func answersFollowEveryChange() async throws {
        try await withLiveServer(testSettings(instanceName: "seed-y")) { client async throws in
            for value in ["7", "7", "-12", "7", "0", "9223372036854775807", "7"] {
                let posted = try await client.postSeed(#"{"num": \#(value)}"#)
                #expect(posted == Answer(.ok, value))
                for _ in 0..<2 {
                    do {
                let response = try await client.exchange(.GET, path: "/")
                        #expect(response.body == value)
                        #expect(response.headers["Content-Length"] == [String(value.utf8.count)])
                        #expect(response.headers["X-Served-By"] == ["seed-y"])
                        #expect(response.headers["Content-Type"] == ["text/plain; charset=utf-8"])
                    }
                }
            }
        }
    }

    @Test("the body is JSON whatever the Content-Type says (curl -d sends a form type)",
          arguments: [nil, "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8"])
    func anyContentType(contentType: String?) async throws {
        try await withLiveServer(testSettings()) { client async throws in
            let answer = try await client.postSeed(#"{"num": 5}"#, contentType: contentType)
            #expect(answer == Answer(.ok, "5"))
        }
    }

    @Test("HEAD / has GET's headers and no body")
    func head() async throws {
        try await withLiveServer(testSettings()) { client async throws in
            _ = try await client.postSeed(#"{"num": 12345}"#)
            do {
                let response = try await client.exchange(.HEAD, path: "/")
                #expect(response.status == .ok)
                #expect(response.body.isEmpty)
                #expect(response.headers.first(name: "Content-Length") == "5")
                #expect(response.headers.first(name: "Content-Type") == "text/plain; charset=utf-8")
                #expect(response.headers.first(name: "X-Served-By") == "test-instance")
            }
        }
    }

    @Test("other methods on / are 405 with Allow", arguments: [HTTPMethod.PUT, .DELETE, .PATCH, .OPTIONS])
    func methodNotAllowed(method: HTTPMethod) async throws {
        try await withLiveServer(testSettings()) { client async throws in
            do {
                let response = try await client.exchange(method, path: "/")
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers.first(name: "Allow") == "GET, HEAD, POST")
                #expect(response.body.contains("GET"))
                #expect(response.headers.first(name: "X-Served-By") == "test-instance")
            }
            #expect(try await client.getSeed() == Answer(.ok, "0"))
        }
    }

    @Test("a method the HTTP parser does not know is 400 with the reason, not an empty answer")
    func unknownMethod() async throws {
        try await withLiveServer(testSettings()) { client async throws in
            let response = try await client.exchange(.RAW(value: "BREW"))
            #expect(response.status == .badRequest)
            #expect(response.body.hasPrefix("unknown request method"), "\(response.body)")
            #expect(try await client.getSeed() == Answer(.ok, "0"))
        }
    }

    @Test("other paths are 404, in plain text", arguments: ["/seed", "/favicon.ico", "/%00", "/seed/"])
    func notFound(path: String) async throws {
        try await withLiveServer(testSettings()) { client async throws in
            do {
                let response = try await client.exchange(.GET, path: path)
                #expect(response.status == .notFound)
                #expect(response.headers.first(name: "Content-Type") == "text/plain; charset=utf-8")
                #expect(response.headers.first(name: "X-Served-By") == "test-instance")
            }
            do {
                let response = try await client.exchange(.POST, path: path, body: #"{"num": 9}"#)
                #expect(response.status == .notFound)
            }
            #expect(try await client.getSeed() == Answer(.ok, "0"))
        }
    }

    @Test(
        "bad bodies get a 400 with a one-line reason, and the seed stays as it was",
        arguments: [
            ("", "empty"), ("{", "not valid JSON"), ("num=5", "form data"), (#"{"num": 5"#, "not valid JSON"),
            ("[5]", "not a JSON object"), ("5", "not a JSON object"), (#""5""#, "not a JSON object"), ("null", "not a JSON object"),
            ("{}", "missing"), (#"{"Num": 5}"#, "missing"),
            (#"{"num": "5"}"#, "a string"), (#"{"num": true}"#, "a boolean"), (#"{"num": null}"#, "null"),
            (#"{"num": [5]}"#, "an array"), (#"{"num": {"v": 5}}"#, "an object"),
            (#"{"num": 1.5}"#, "whole number"), (#"{"num": NaN}"#, "not valid JSON"),
            (#"{"num": Infinity}"#, "not valid JSON"), (#"{"num": 9223372036854775808}"#, "-9223372036854775808 to 9223372036854775807"),
            (#"{"num": -9223372036854775809}"#, "64-bit"), (#"{"num": 1e19}"#, "64-bit"),
            (#"{"num": \#(String(repeating: "9", count: 1000))}"#, "64-bit"),
            (#"{"num": 1, "num": 2}"#, "more than once"),
        ])
    func badBody(body: String, reason: String) async throws {
        try await withLiveServer(testSettings()) { client async throws in
            _ = try await client.postSeed(#"{"num": 31}"#)
            let answer = try await client.postSeed(body)
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains(reason), "\(answer.body)")
            #expect(answer.body.hasSuffix("\n") && answer.body.dropLast().contains("\n") == false)
            #expect(try await client.getSeed() == Answer(.ok, "31"))
        }
    }

    @Test("a body over 1 KiB is 413 and changes nothing")
    func tooLarge() async throws {
        try await withLiveServer(testSettings()) { client async throws in
            _ = try await client.postSeed(#"{"num": 8}"#)
            let big = #"{"num": 1, "pad": "\#(String(repeating: "x", count: 2000))"}"#
            #expect(try await client.postSeed(big).status == .payloadTooLarge)
            #expect(try await client.getSeed() == Answer(.ok, "8"))
        }
    }

    @Test("many concurrent POSTs and GETs: every answer is a posted value and so is the final seed")
    func concurrency() async throws {
        try await withLiveServer(testSettings()) { client async throws in
            let posted = Set((1...200).map { Int64($0) * 1_000_003 })
            let seen = try await withThrowingTaskGroup(of: String.self) { group in
                for value in posted {
                    group.addTask { try await client.postSeed(#"{"num": \#(value)}"#).body }
                    group.addTask { try await client.getSeed().body }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let allowed = Set(posted.map(String.init)).union(["0"])
            #expect(seen.allSatisfy(allowed.contains))
            #expect(posted.map(String.init).contains(try await client.getSeed().body))
        }
    }
}
