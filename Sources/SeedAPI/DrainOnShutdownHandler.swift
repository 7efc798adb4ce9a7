import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Keeps one connection serving for the drain period after shutdown begins, so a load balancer
/// takes this instance out of rotation before any connection it might reuse is closed.
///
/// On SIGTERM Hummingbird closes the listening socket — from then on the load balancer's health
/// check is refused — and asks every connection to quiesce, which closes an idle one at once. A
/// load balancer that sent a request on that idle connection a moment earlier gets no answer, and
/// may not resend it if it is a POST: the client gets an error. So this handler holds the quiesce
/// request back. Until the drain period ends the connection keeps serving, but each response says
/// `Connection: close` and the connection closes right after it, so no peer reuses it. Connections
/// still idle when the period ends are closed then; by that time the load balancer has seen its
/// health checks fail and sends nothing more here.
final class DrainOnShutdownHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let period: TimeAmount
    private var isDraining = false
    /// Set once the held quiesce request has gone on; the connection then closes as Hummingbird
    /// decides (now if idle, else after the response being written).
    private var isReleased = false
    /// Only a response whose head said `Connection: close` may be followed by closing at once.
    private var responseAnnouncedClose = false
    private var periodEnd: Scheduled<Void>?

    init(period: TimeAmount) {
        self.period = period
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard !isDraining else { return }
        isDraining = true
        periodEnd = context.eventLoop.assumeIsolated().scheduleTask(in: period) { [self] in
            release(context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard isDraining, !isReleased else {
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var response):
            response.headerFields[.connection] = "close"
            responseAnnouncedClose = true
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.writeAndFlush(data, promise: promise)
            if responseAnnouncedClose { release(context) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        periodEnd?.cancel()
        context.fireChannelInactive()
    }

    private func release(_ context: ChannelHandlerContext) {
        guard !isReleased else { return }
        isReleased = true
        periodEnd?.cancel()
        context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
}

@available(*, unavailable)
extension DrainOnShutdownHandler: Sendable {}
