import NIOCore
import NIOEmbedded
import NIOHTTP1
import SeedStorage
@testable import SeedHTTP

/// One connection's real pipeline on an `EmbeddedChannel`: bytes in, bytes out, no socket, and a
/// clock the test moves by hand.
final class EmbeddedConnection {
    let channel: EmbeddedChannel
    var loop: EmbeddedEventLoop { channel.embeddedEventLoop }

    init(store: any SeedStore = MemorySeedStore(), idleTimeout: TimeAmount = .seconds(75),
         drainPeriod: TimeAmount = .zero) throws {
        channel = EmbeddedChannel()
        let configuration = SeedHTTPServer.Configuration(host: "127.0.0.1", port: 0, servedBy: "test",
                                                         idleTimeout: idleTimeout, drainPeriod: drainPeriod)
        try SeedHTTPServer.configureConnection(channel.pipeline.syncOperations, configuration: configuration,
                                               store: store, answers: SeedAnswers(servedBy: "test"))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    /// Sends raw request bytes and returns everything the server wrote in answer, as text.
    @discardableResult
    func send(_ request: String) throws -> String {
        try channel.writeInbound(ByteBuffer(string: request))
        loop.run()
        return try written()
    }

    /// Everything written since the last call, as text.
    func written() throws -> String {
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }

    var isOpen: Bool { channel.isActive }
}

/// One parsed answer: status code, header fields (names lower-cased), body.
struct RawAnswer {
    let status: Int
    let headers: [String: String]
    let body: String

    /// Splits `text` into the answers it holds, in order (answers here always carry Content-Length).
    static func all(in text: String) -> [RawAnswer] {
        var answers: [RawAnswer] = []
        var rest = Substring(text)
        while let end = rest.firstRange(of: "\r\n\r\n") {
            let lines = rest[..<end.lowerBound].split(separator: "\r\n", omittingEmptySubsequences: false)
            let status = Int(lines[0].split(separator: " ")[1]) ?? -1
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                headers[parts[0].lowercased()] = String(parts[1].drop(while: { $0 == " " }))
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end.upperBound
            let bodyEnd = rest.index(bodyStart, offsetBy: min(length, rest.distance(from: bodyStart, to: rest.endIndex)))
            answers.append(RawAnswer(status: status, headers: headers, body: String(rest[bodyStart..<bodyEnd])))
            rest = rest[bodyEnd...]
        }
        return answers
    }

    static func one(in text: String) -> RawAnswer? {
        let answers = all(in: text)
        return answers.count == 1 ? answers[0] : nil
    }
}
