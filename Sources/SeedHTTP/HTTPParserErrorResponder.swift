import NIOCore
import NIOHTTP1

/// Answers a request that NIO's HTTP parser refused with the reason, in one line of plain text,
/// instead of an empty `400`; the parser's pipeline then closes the connection.
///
/// It plays the part of NIO's `HTTPServerProtocolErrorHandler` (same place in the pipeline, same
/// rule: answer only when no other answer has started), with a body that says what was wrong.
final class HTTPParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let servedBy: String
    private var answerInProgress = false
    private var date = HTTPDate()

    init(servedBy: String) {
        self.servedBy = servedBy
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // The parser cannot find where the next request would start, so the connection ends here:
        // with the reason when no other answer has begun, else at once.
        if answerInProgress || !context.channel.isActive {
            // Also when the connection is already closing: the decoder reports a request cut
            // short by the close as an error, and there is nobody left to answer.
            context.close(promise: nil)
        } else {
            let (status, reason) = Self.describe(error)
            let answer = PlainTextAnswer.refusal(status, reason, servedBy: servedBy)
            context.write(wrapOutboundOut(.head(answer.head(requestVersion: .http1_1, keepAlive: false, date: date.now()))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            answerInProgress = true
        case .end:
            answerInProgress = false
        default:
            break
        }
        context.write(data, promise: promise)
    }

    /// The status and the one-line reason for what the parser refused (RFC 9112 §2.2, §6.3).
    static func describe(_ error: HTTPParserError) -> (HTTPResponseStatus, String) {
        let fix = #"send GET / or POST / with a JSON body like {"num": 100} and a correct Content-Length"#
        switch error {
        case .headerOverflow:
            return (.requestHeaderFieldsTooLarge,
                    "request line and header fields are larger than \(HTTPLimits.decoderBytes) bytes: send a short request to /")
        case .invalidMethod:
            return (.badRequest, "unknown request method: \(fix)")
        case .invalidContentLength, .unexpectedContentLength:
            return (.badRequest, "invalid Content-Length: \(fix)")
        case .invalidChunkSize:
            return (.badRequest, "invalid chunked body: \(fix)")
        case .invalidVersion:
            return (.badRequest, "unsupported HTTP version: this server speaks HTTP/1.0 and HTTP/1.1")
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment, .invalidHost, .invalidPort:
            return (.badRequest, "invalid request target: \(fix)")
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant:
            return (.badRequest, "malformed request line or header field: \(fix)")
        default:
            return (.badRequest, "malformed HTTP request (\(error)): \(fix)")
        }
    }
}

@available(*, unavailable)
extension HTTPParserErrorResponder: Sendable {}
