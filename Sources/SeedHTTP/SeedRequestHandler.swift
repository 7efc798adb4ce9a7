import NIOCore
import NIOHTTP1
import SeedInput
import SeedStorage

/// The one handler of ours in a connection's pipeline: answers `GET`, `HEAD` and `POST /`, and
/// refuses everything else with a one-line reason.
///
/// It runs on the connection's event loop and starts no Swift task: the store answers with an
/// `EventLoopFuture` (the memory store at once, the Redis store when its reply arrives), and the
/// answer is written from that future's callback on the same loop. NIO's
/// `HTTPServerPipelineHandler`, ahead of this one, hands over one request at a time and keeps
/// pipelined answers in order, so this handler never sees a second request before it has answered
/// the first.
final class SeedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// A `GET` or `HEAD` whose end has not arrived yet.
        case reading(HTTPRequestHead)
        /// A `POST` body arriving, at most `SeedRequestBody.maximumBytes`.
        case collecting(HTTPRequestHead, ByteBuffer)
        /// A request to be refused once its end arrives (its body, if any, is dropped).
        case refusing(HTTPRequestHead, PlainTextAnswer)
        /// Waiting for the store, or writing the answer.
        case answering
        /// Answered with `Connection: close`; what else the client sends is ignored.
        case closing
    }

    private let store: any SeedStore
    private let answers: SeedAnswers
    private let servedBy: String
    private var state = State.idle
    /// Set when the server begins to drain: from then on every answer closes its connection.
    private var isDraining = false
    private var date = HTTPDate()

    init(store: any SeedStore, answers: SeedAnswers, servedBy: String) {
        self.store = store
        self.answers = answers
        self.servedBy = servedBy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle):
            begin(head, context: context)
        case (.body(let part), .collecting(let head, var body)):
            state = .answering  // drop the reference held in `state`, so appending does not copy
            guard body.readableBytes + part.readableBytes <= SeedRequestBody.maximumBytes else {
                answerAndClose(refusal(for: .bodyTooLarge(declared: nil)), to: head, context: context)
                return
            }
            var part = part
            body.writeBuffer(&part)
            state = .collecting(head, body)
        case (.end, .reading(let head)):
            state = .answering
            answer(store.read(on: context.eventLoop), to: head, context: context)
        case (.end, .collecting(let head, let body)):
            state = .answering
            switch SeedRequestBody.parse(body.readableBytesView) {
            case .success(let seed):
                answer(store.write(seed, on: context.eventLoop), to: head, context: context)
            case .failure(let error):
                write(inputRefusal(error, body: body), to: head, context: context)
            }
        case (.end, .refusing(let head, let answer)):
            state = .answering
            write(answer, to: head, context: context)
        case (.body, _), (.end, _), (.head, .closing):
            break  // the body of a refused request, or anything after a closing answer
        case (.head, _):
            // The pipelining handler holds a second request back until the first is answered.
            assertionFailure("a request head arrived before the previous request was answered")
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case IdleStateHandler.IdleStateEvent.read:
            // Nothing read for the whole idle timeout: close, unless an answer is still being
            // prepared (the store bounds that by its own timeout).
            if case .idle = state {
                context.close(promise: nil)
            }
        case DrainEvent.started:
            isDraining = true
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: - Requests

    private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        switch SeedRoute(head, maximumBodyBytes: SeedRequestBody.maximumBytes) {
        case .read:
            state = .reading(head)
        case .write:
            state = .collecting(head, context.channel.allocator.buffer(capacity: 64))
        case .refuse(.bodyTooLarge(let declared)):
            // Refused before a byte of the body is read; closing spares reading the rest.
            answerAndClose(refusal(for: .bodyTooLarge(declared: declared)), to: head, context: context)
        case .refuse(let reason):
            state = .refusing(head, refusal(for: reason))
        }
    }

    private func answer(_ seed: EventLoopFuture<Int64>, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        seed.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let seed):
                self.write(self.answers.answer(for: seed), to: head, context: context)
            case .failure(let error):
                self.write(.refusal(.serviceUnavailable, "seed unavailable: \(error)", servedBy: self.servedBy),
                           to: head, context: context)
            }
        }
    }

    private func answerAndClose(_ answer: PlainTextAnswer, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        state = .closing
        write(answer, to: head, context: context, keepAlive: false)
    }

    /// Writes a whole answer; closes the connection after it unless both sides keep it open.
    private func write(_ answer: PlainTextAnswer, to head: HTTPRequestHead, context: ChannelHandlerContext,
                       keepAlive: Bool = true) {
        guard context.channel.isActive else { return }
        let keepAlive = keepAlive && head.isKeepAlive && !isDraining
        context.write(wrapOutboundOut(.head(answer.head(requestVersion: head.version, keepAlive: keepAlive, date: date.now()))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            if case .answering = state { state = .idle }
        } else {
            state = .closing
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    // MARK: - Refusals

    private func refusal(for reason: SeedRoute.Refusal) -> PlainTextAnswer {
        let usage = #"the seed is at / (GET to read it, POST {"num": N} to set it)"#
        switch reason {
        case .targetTooLong(let bytes):
            return .refusal(.uriTooLong, "request target of \(bytes) bytes is longer than \(HTTPLimits.maximumTargetBytes): \(usage)",
                            servedBy: servedBy)
        case .headerFieldsTooLarge(let bytes):
            return .refusal(.requestHeaderFieldsTooLarge,
                            "request header fields of \(bytes) bytes are larger than \(HTTPLimits.maximumHeaderBytes): send fewer or shorter header fields",
                            servedBy: servedBy)
        case .notFound(let path):
            return .refusal(.notFound, "no such path \(path.quotedPrefix): \(usage)", servedBy: servedBy)
        case .methodNotAllowed(let method):
            return .refusal(.methodNotAllowed,
                            "method \(method.quotedPrefix) is not allowed on /: use GET to read the seed or POST {\"num\": N} to set it",
                            servedBy: servedBy, extraHeaders: [("Allow", "GET, HEAD, POST")])
        case .bodyTooLarge:
            return inputRefusal(.bodyTooLarge(limit: SeedRequestBody.maximumBytes))
        }
    }

    /// The refusal of a body; for one that is not JSON, the likely mistake behind it, if known.
    private func inputRefusal(_ error: SeedInputError, body: ByteBuffer? = nil) -> PlainTextAnswer {
        var reason = error.description
        if error == .malformedJSON, let body, let mistake = CommonMistake.recognise(in: body.readableBytesView) {
            reason = mistake.advice
        }
        return .refusal(error.isBodyTooLarge ? .payloadTooLarge : .badRequest, reason, servedBy: servedBy)
    }
}

@available(*, unavailable)
extension SeedRequestHandler: Sendable {}
