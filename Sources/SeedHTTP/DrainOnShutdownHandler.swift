import NIOCore

/// Tells the request handler that the server is draining: from then on, each answer closes its
/// connection.
enum DrainEvent: Sendable {
    case started
}

/// Keeps one connection serving for the drain period after shutdown begins, so a load balancer
/// takes this instance out of rotation before any connection it might reuse is closed.
///
/// On SIGTERM the listening socket closes at once — from then on the load balancer's health check
/// is refused — and every connection is asked to quiesce, which would close an idle one at once.
/// A load balancer that sent a request on that idle connection a moment earlier gets no answer,
/// and may not resend it if it is a POST: its client gets an error. So this handler, first in the
/// pipeline, holds the quiesce request back for the drain period. Meanwhile the connection keeps
/// serving, but every answer says `Connection: close` and the connection closes after it, so no
/// peer reuses it. When the period ends the held request goes on to NIO's HTTP handlers, which
/// close the connection at once if idle, or after the answer being written.
final class DrainOnShutdownHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let period: TimeAmount
    private var periodEnd: Scheduled<Void>?

    /// - Parameter period: how long to keep serving after the quiesce request; zero passes the
    ///   request on at once.
    init(period: TimeAmount) {
        self.period = period
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard periodEnd == nil else { return }
        context.fireUserInboundEventTriggered(DrainEvent.started)
        periodEnd = context.eventLoop.assumeIsolated().scheduleTask(in: period) {
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        periodEnd?.cancel()
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension DrainOnShutdownHandler: Sendable {}
