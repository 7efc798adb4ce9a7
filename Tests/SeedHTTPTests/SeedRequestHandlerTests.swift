import NIOCore
import NIOHTTP1
import SeedStorage
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SeedHTTP

@Suite("One connection's pipeline, byte for byte")
struct SeedRequestHandlerTests {
    @Test func getAnswersTheSeedAsPlainTextThatNoCacheMayStore() throws {
        let connection = try EmbeddedConnection(store: MemorySeedStore(initial: 42))
        let answer = try #require(RawAnswer.one(in: connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")))
        #expect(answer.status == 200)
        #expect(answer.body == "42")
        #expect(answer.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(answer.headers["cache-control"] == "no-store")
        #expect(answer.headers["x-served-by"] == "test")
        #expect(answer.headers["connection"] == nil)
        #expect(connection.isOpen)
    }

    @Test func postSetsTheSeedAndAnswersIt() throws {
        let store = MemorySeedStore()
        let connection = try EmbeddedConnection(store: store)
        let body = #"{"num": 100}"#
        let posted = try #require(RawAnswer.one(in: connection.send(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")))
        #expect(posted.status == 200)
        #expect(posted.body == "100")
        let read = try #require(RawAnswer.one(in: connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")))
        #expect(read.body == "100")
    }

    @Test func headAnswersTheHeaderFieldsOfGetWithoutABody() throws {
        let connection = try EmbeddedConnection(store: MemorySeedStore(initial: 12345))
        let text = try connection.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("Content-Length: 5\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let connection = try EmbeddedConnection()
        let text = try connection.send(
            "GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 9\r\n\r\n{\"num\":7}GET /nope HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        let answers = RawAnswer.all(in: text)
        #expect(answers.map(\.status) == [200, 200, 404, 200])
        #expect(answers.map(\.body).first == "0")
        #expect(answers.last?.body == "7")
    }

    @Test func http10ClosesAfterTheAnswerUnlessAskedToKeepAlive() throws {
        let plain = try EmbeddedConnection()
        let closed = try #require(RawAnswer.one(in: plain.send("GET / HTTP/1.0\r\n\r\n")))
        #expect(closed.headers["connection"] == "close")
        #expect(!plain.isOpen)

        let kept = try EmbeddedConnection()
        let open = try #require(RawAnswer.one(in: kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")))
        #expect(open.headers["connection"] == "keep-alive")
        #expect(kept.isOpen)
    }

    @Test func http11ClosesWhenTheClientSaysClose() throws {
        let connection = try EmbeddedConnection()
        let answer = try #require(RawAnswer.one(in: connection.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")))
        #expect(answer.headers["connection"] == "close")
        #expect(!connection.isOpen)
    }

    /// Requests NIO's parser refuses before any route runs.
    enum Unparsable: CaseIterable {
        case unknownMethod, badContentLength, headerBlockTooLarge

        var request: String {
            switch self {
            case .unknownMethod: "FOO / HTTP/1.1\r\n\r\n"
            case .badContentLength: "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"
            case .headerBlockTooLarge: "GET / HTTP/1.1\r\nX: \(String(repeating: "a", count: 70_000))\r\n\r\n"
            }
        }
        var expected: (status: Int, reason: String) {
            switch self {
            case .unknownMethod: (400, "unknown request method")
            case .badContentLength: (400, "invalid Content-Length")
            case .headerBlockTooLarge: (431, "header fields are larger than 65536")
            }
        }
    }

    @Test(arguments: Unparsable.allCases)
    func whatTheParserRefusesIsAnsweredWithAReasonAndClosed(_ unparsable: Unparsable) throws {
        let (request, status, reason) = (unparsable.request, unparsable.expected.status, unparsable.expected.reason)
        let connection = try EmbeddedConnection()
        let answer = try #require(RawAnswer.one(in: (try? connection.send(request)) ?? connection.written()))
        #expect(answer.status == status)
        #expect(answer.body.contains(reason))
        #expect(answer.body.hasSuffix("\n"))
        #expect(answer.headers["connection"] == "close")
        #expect(!connection.isOpen)
    }

    @Test func refusalsQuoteOnlyAShortPrefixOfWhatWasSent() throws {
        let connection = try EmbeddedConnection()
        let longPath = "/" + String(repeating: "x", count: 1500)
        let notFound = try #require(RawAnswer.one(in: connection.send("GET \(longPath) HTTP/1.1\r\n\r\n")))
        #expect(notFound.status == 404)
        #expect(notFound.body.utf8.count < 200)

        let tooLong = try #require(RawAnswer.one(in: connection.send("GET /\(String(repeating: "y", count: 3000)) HTTP/1.1\r\n\r\n")))
        #expect(tooLong.status == 414)
        #expect(tooLong.body.utf8.count < 200)
    }

    @Test func aHeaderBlockOverTheLimitIs431AndTheConnectionStaysUsable() throws {
        let connection = try EmbeddedConnection()
        let answer = try #require(RawAnswer.one(in: connection.send(
            "GET / HTTP/1.1\r\nX: \(String(repeating: "a", count: 20_000))\r\n\r\n")))
        #expect(answer.status == 431)
        #expect(answer.body.hasPrefix("request header fields of 20001 bytes are larger than 16384"))
        #expect(connection.isOpen)
    }

    @Test(arguments: [
        ("/?", 200, nil), ("/?x=1", 200, nil), ("/?/other", 200, nil),
        ("//", 404, "no such path //:"), ("/seed?x=/", 404, "no such path /seed:"), ("/seed", 404, "no such path /seed:"),
    ])
    func aQueryIsIgnoredAndOnlyThePathDecides(target: String, status: Int, reasonPrefix: String?) throws {
        let connection = try EmbeddedConnection(store: MemorySeedStore(initial: 7))
        let answer = try #require(RawAnswer.one(in: connection.send("GET \(target) HTTP/1.1\r\n\r\n")))
        #expect(answer.status == status)
        if let reasonPrefix {
            #expect(answer.body.hasPrefix(reasonPrefix), "\(answer.body)")
        } else {
            #expect(answer.body == "7")
        }
    }

    @Test func otherMethodsOnTheSeedAreRefusedWithAllow() throws {
        let connection = try EmbeddedConnection()
        let answer = try #require(RawAnswer.one(in: connection.send("DELETE / HTTP/1.1\r\n\r\n")))
        #expect(answer.status == 405)
        #expect(answer.headers["allow"] == "GET, HEAD, POST")
        #expect(connection.isOpen)
    }

    @Test func aBodyDeclaredTooLargeIsRefusedBeforeItIsReadAndTheConnectionClosed() throws {
        let store = MemorySeedStore(initial: 3)
        let connection = try EmbeddedConnection(store: store)
        let answer = try #require(RawAnswer.one(in: connection.send("POST / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n{")))
        #expect(answer.status == 413)
        #expect(!connection.isOpen)
        #expect(try store.read(on: connection.loop).wait() == 3)
    }

    @Test func aRefusedBodyChangesNothing() throws {
        let store = MemorySeedStore(initial: 3)
        let connection = try EmbeddedConnection(store: store)
        let answer = try #require(RawAnswer.one(in: connection.send("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nnum=5")))
        #expect(answer.status == 400)
        #expect(connection.isOpen)
        #expect(try store.read(on: connection.loop).wait() == 3)
    }

    /// NIO's `IdleStateHandler` measures on the real clock and schedules on the loop's, so both
    /// move here: a short timeout, slept for real. (Tests/reliability measures the real 75 s.)
    @Test func anIdleConnectionIsClosedAfterTheIdleTimeoutAndNotBefore() throws {
        let connection = try EmbeddedConnection(idleTimeout: .milliseconds(300))
        try connection.send("GET / HTTP/1.1\r\n\r\n")
        usleep(100_000)
        connection.loop.advanceTime(by: .milliseconds(100))
        #expect(connection.isOpen)
        usleep(300_000)
        connection.loop.advanceTime(by: .milliseconds(300))
        #expect(!connection.isOpen)
    }
}

@Suite("The Date header field")
struct HTTPDateTests {
    @Test func formatsAsAnIMFFixdateInGMT() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")  // RFC 9110 §5.6.7's example
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(1_798_761_599) == "Thu, 31 Dec 2026 23:59:59 GMT")
    }

    @Test func everyAnswerCarriesIt() throws {
        let connection = try EmbeddedConnection()
        let text = try connection.send("GET / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\nFOO / HTTP/1.1\r\n\r\n")
        let answers = RawAnswer.all(in: text)
        #expect(answers.map(\.status) == [200, 404, 400])
        #expect(answers.allSatisfy { $0.headers["date"]?.hasSuffix(" GMT") == true })
    }
}
