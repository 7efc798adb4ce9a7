import NIOCore
import Testing
@testable import SeedHTTP

@Suite("Draining one connection after shutdown begins")
struct DrainTests {
    @Test func anIdleConnectionStaysOpenUntilThePeriodEndsThenCloses() throws {
        let connection = try EmbeddedConnection(drainPeriod: .seconds(3))
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        connection.loop.advanceTime(by: .milliseconds(2900))
        #expect(connection.isOpen)
        connection.loop.advanceTime(by: .milliseconds(200))
        #expect(!connection.isOpen)
    }

    @Test func duringThePeriodARequestIsAnsweredWithConnectionCloseThenClosed() throws {
        let connection = try EmbeddedConnection(drainPeriod: .seconds(3))
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        let answer = try #require(RawAnswer.one(in: connection.send("GET / HTTP/1.1\r\n\r\n")))
        #expect(answer.status == 200)
        #expect(answer.headers["connection"] == "close")
        #expect(!connection.isOpen)
    }

    @Test func withoutAPeriodAnIdleConnectionClosesAtOnce() throws {
        let connection = try EmbeddedConnection(drainPeriod: .zero)
        try connection.send("GET / HTTP/1.1\r\n\r\n")
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        connection.loop.run()
        #expect(!connection.isOpen)
    }
}
