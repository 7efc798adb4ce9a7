import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import SeedStorage
import ServiceLifecycle

/// The HTTP/1 server, built from SwiftNIO's own parts, as a `Service` of the process.
///
/// Each connection's pipeline, in order:
/// 1. `DrainOnShutdownHandler` (when a drain period is set): holds the quiesce request back.
/// 2. `IdleStateHandler`: reports a connection that has sent nothing for the idle timeout.
/// 3. NIO's HTTP/1 decoder, encoder and `HTTPServerPipelineHandler` (`configureHTTPServerPipeline`):
///    parsing, framing, pipelined answers kept in order, HTTP/1.0 and keep-alive, quiescing.
/// 4. `HTTPParserErrorResponder`: what the parser refuses, answered with a reason.
/// 5. `SeedRequestHandler`: the routes.
///
/// Shutdown (the service group's graceful shutdown, on SIGTERM or SIGINT) follows swift-nio-extras'
/// `ServerQuiescingHelper`: the listener closes at once, every connection is asked to quiesce,
/// and `run()` returns once the last connection has closed.
public final class SeedHTTPServer: Service, Sendable {
    /// What the server needs besides the store.
    public struct Configuration: Sendable {
        /// Address and port to listen on; port 0 picks a free one (see `localAddress`).
        public var host: String
        public var port: Int
        /// `X-Served-By` on every answer.
        public var servedBy: String
        /// A connection with no traffic this long is closed. Longer than an AWS ALB's 60 s, so the
        /// load balancer, not this server, closes idle connections.
        public var idleTimeout: TimeAmount
        /// How long after shutdown begins open connections keep being answered (each answer
        /// closing its connection). Zero: idle connections close at once.
        public var drainPeriod: TimeAmount

        public init(host: String, port: Int, servedBy: String, idleTimeout: TimeAmount = .seconds(75),
                    drainPeriod: TimeAmount = .zero) {
            self.host = host
            self.port = port
            self.servedBy = servedBy
            self.idleTimeout = idleTimeout
            self.drainPeriod = drainPeriod
        }
    }

    private let configuration: Configuration
    private let store: any SeedStore
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<SocketAddress>

    /// - Parameters:
    ///   - group: the event loops that serve connections; `MultiThreadedEventLoopGroup.singleton`
    ///     (one loop per core) by default.
    public init(configuration: Configuration, store: any SeedStore, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.store = store
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise()
    }

    /// The address the server listens on, once it does. Fails if binding failed.
    public var localAddress: SocketAddress {
        get async throws { try await bound.futureResult.get() }
    }

    /// Binds, serves until the service group shuts down gracefully, then drains and returns.
    /// - Throws: `ListenFailure` when the address cannot be bound (in use, not permitted, not this
    ///   machine's), else the socket error.
    public func run() async throws {
        let quiesce = ServerQuiescingHelper(group: group)
        let channel: any Channel
        do {
            channel = try await bootstrap(quiesce: quiesce).bind(host: configuration.host, port: configuration.port).get()
        } catch {
            let failure = ListenFailure(error, host: configuration.host, port: configuration.port) ?? error
            bound.fail(failure)
            throw failure
        }
        if let address = channel.localAddress {
            bound.succeed(address)
        }
        logger.notice("seed-server listening", metadata: [
            "address": "http://\(configuration.host):\(channel.localAddress?.port ?? configuration.port)",
            "backend": "\(store.summary)",
            "instance": "\(configuration.servedBy)",
        ])

        try? await gracefulShutdown()

        let closed = group.next().makePromise(of: Void.self)
        quiesce.initiateShutdown(promise: closed)
        try? await closed.futureResult.get()
        logger.info("every connection closed; HTTP server stopped")
    }

    private func bootstrap(quiesce: ServerQuiescingHelper) -> ServerBootstrap {
        let configuration = configuration
        let store = store
        let answers = SeedAnswers(servedBy: configuration.servedBy)
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            // TCP_NODELAY is an IPPROTO_TCP option: `.socketOption` would set SOL_SOCKET's option 1,
            // SO_DEBUG, which needs CAP_NET_ADMIN, and a container refuses it (every connection closed).
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configureConnection(channel.pipeline.syncOperations, configuration: configuration,
                                                 store: store, answers: answers)
                }
            }
    }

    /// Builds one connection's pipeline (see the type's documentation for the order and why).
    static func configureConnection(_ pipeline: ChannelPipeline.SynchronousOperations, configuration: Configuration,
                                    store: any SeedStore, answers: SeedAnswers) throws {
        if configuration.drainPeriod > .zero {
            try pipeline.addHandler(DrainOnShutdownHandler(period: configuration.drainPeriod))
        }
        // Reads only: every answer follows a read at once, and watching writes too would cost a
        // promise per write.
        try pipeline.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout))
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = HTTPLimits.decoderBytes
        limits.maxHeaderFieldSize = HTTPLimits.decoderBytes
        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withServerUpgrade: nil,
                                                 withErrorHandling: false, withOutboundHeaderValidation: true,
                                                 withEncoderConfiguration: .init(),
                                                 withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(HTTPParserErrorResponder(servedBy: configuration.servedBy))
        try pipeline.addHandler(SeedRequestHandler(store: store, answers: answers, servedBy: configuration.servedBy))
    }
}
