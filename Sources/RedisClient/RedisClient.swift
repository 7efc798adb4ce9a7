#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Redis client for many concurrent callers over one hiredis connection.
///
/// hiredis is blocking, so all of its calls run on one dedicated thread (a one-thread
/// `NIOThreadPool`), never on a NIO event loop or Swift's cooperative pool. Callers `await` a
/// reply; commands that arrive while a round trip is in flight wait in a queue and go out together
/// as the next pipeline. An idle client sends a lone command at once, so pipelining adds no
/// latency at low load.
///
/// While Redis cannot be reached every call fails at once with `unavailable`; the thread keeps
/// reconnecting with backoff and the client recovers by itself. As a `Service` it stops when the
/// service group shuts down, after the HTTP server has finished its in-flight requests.
public final class RedisClient: Service, @unchecked Sendable {
    public struct Configuration: Sendable {
        public var url: RedisURL
        /// Bounds connecting and every reply: a frozen or unreachable Redis costs at most this.
        public var timeout: Duration
        public var minimumBackoff: Duration = .milliseconds(20)
        public var maximumBackoff: Duration = .milliseconds(250)

        public init(url: RedisURL, timeout: Duration = .milliseconds(500)) {
            self.url = url
            self.timeout = timeout
        }
    }

    private typealias Waiter = ReplyWaiter

    private enum Link {
        case starting
        case connected
        case down(RedisClientError)
    }

    public let configuration: Configuration
    private let logger: Logger
    /// Guards everything below. Its value says whether the connection thread has work: something
    /// queued, or a shutdown to carry out. Whoever changes that state unlocks with
    /// `unlockReportingWork()`, so the value never goes stale and the thread sleeps only when idle.
    private let state = ConditionLock(value: false)
    private let ioThread = NIOThreadPool(numberOfThreads: 1)
    private var queue: [(command: RedisCommand, waiter: Waiter)] = []
    private var link = Link.starting
    private var started = false
    private var stopping = false
    private var firstAttemptWaiters: [CheckedContinuation<Void, any Error>] = []
    private var firstAttempt: Result<Void, RedisClientError>?

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends one command; the future, completed on `eventLoop`, holds Redis' reply (error replies
    /// included, as `.error`) or fails with a `RedisClientError`: at once while Redis is
    /// unreachable, else within the configured timeout. Never blocks the caller.
    public func send(_ command: RedisCommand, on eventLoop: any EventLoop) -> EventLoopFuture<RedisReply> {
        let promise = eventLoop.makePromise(of: RedisReply.self)
        enqueue(command, for: .promise(promise))
        return promise.futureResult
    }

    /// Sends one command and returns Redis' reply (error replies included, as `.error`).
    /// - Throws: `RedisClientError` as `send(_:on:)` fails.
    public func send(_ command: RedisCommand) async throws -> RedisReply {
        try await withCheckedThrowingContinuation { enqueue(command, for: .continuation($0)) }
    }

    /// Queues `command` for the connection thread, or fails `waiter` at once while Redis is
    /// unreachable or the client is stopping.
    private func enqueue(_ command: RedisCommand, for waiter: Waiter) {
        state.lock()
        startIfNeeded()
        switch link {
        case _ where stopping:
            state.unlock()
            waiter.fail(RedisClientError.shutDown)
        case .down(let error):
            state.unlock()
            waiter.fail(RedisClientError.unavailable(lastError: error.description))
        case .starting, .connected:
            queue.append((command, waiter))
            unlockReportingWork()
        }
    }

    /// Starts the connection thread if needed and waits for its first connection attempt.
    /// Throws that attempt's error; the client keeps retrying in the background either way.
    public func connect() async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            state.lock()
            startIfNeeded()
            if let firstAttempt {
                state.unlock()
                waiter.resume(with: firstAttempt.mapError { $0 as any Error })
            } else {
                firstAttemptWaiters.append(waiter)
                state.unlock()
            }
        }
    }

    /// Whether the last attempt to reach Redis worked.
    public var isConnected: Bool {
        state.lock()
        defer { state.unlock() }
        if case .connected = link { return true }
        return false
    }

    /// Fails what is queued, closes the connection and ends the thread. Waits for the thread.
    public func shutdown() async {
        state.lock()
        stopping = true
        let wasStarted = started
        unlockReportingWork()
        guard wasStarted else { return }
        // The pool finishes once its one work item, the connection loop, has returned.
        try? await ioThread.shutdownGracefully()
    }

    public func run() async throws {
        // Returns when the group shuts down: the HTTP server, registered later, has drained by then.
        try? await gracefulShutdown()
        await shutdown()
    }

    // MARK: - The connection thread

    /// Must be called with `state` locked.
    private func startIfNeeded() {
        guard !started else { return }
        started = true
        ioThread.start()
        ioThread.submit { [self] _ in self.runConnectionLoop() }
    }

    /// Unlocks `state`, recording whether the connection thread now has work (and waking it if so).
    private func unlockReportingWork() {
        state.unlock(withValue: stopping || !queue.isEmpty)
    }

    /// Returns with `state` locked once there is work, or, while disconnected, once it is time to
    /// try again.
    private func waitForWork(connected: Bool, nextAttempt: ContinuousClock.Instant) {
        if connected {
            state.lock(whenValue: true)
            return
        }
        let untilNextAttempt = nextAttempt - .now
        if untilNextAttempt <= .zero || !state.lock(whenValue: true, timeoutSeconds: untilNextAttempt.seconds) {
            state.lock()
        }
    }

    private func runConnectionLoop() {
        Self.blockSIGPIPE()
        var connection: RedisConnection?
        var backoff = configuration.minimumBackoff
        var nextAttempt = ContinuousClock.now
        var outageStarted: ContinuousClock.Instant?
        /// The reason last logged for the current outage.
        var loggedOutage: RedisClientError?

        while true {
            waitForWork(connected: connection != nil, nextAttempt: nextAttempt)
            if stopping {
                let left = queue
                queue.removeAll()
                settleFirstAttempt(.failure(.shutDown))
                state.unlock()
                left.forEach { $0.waiter.fail(RedisClientError.shutDown) }
                connection = nil
                return
            }

            guard let live = connection else {
                state.unlock()
                do {
                    connection = try RedisConnection(url: configuration.url, timeout: configuration.timeout)
                    backoff = configuration.minimumBackoff
                    if let outageStarted {
                        logger.notice("Redis is back; serving again", metadata: [
                            "redis": "\(configuration.url)",
                            "outage_seconds": "\((ContinuousClock.now - outageStarted).seconds)",
                        ])
                    } else {
                        logger.info("connected to Redis", metadata: ["redis": "\(configuration.url)"])
                    }
                    outageStarted = nil
                    loggedOutage = nil
                    state.lock()
                    link = .connected
                    settleFirstAttempt(.success(()))
                    state.unlock()
                } catch {
                    let error = error as? RedisClientError
                        ?? .cannotConnect(endpoint: configuration.url.endpoint, reason: "\(error)")
                    if outageStarted == nil {
                        outageStarted = .now
                    }
                    // Once per outage, and again only if the reason changes (Redis came up but
                    // refuses us): retries every 20–250 ms must not flood the log.
                    if error != loggedOutage {
                        loggedOutage = error
                        logger.error("\(error); failing calls at once until it is back", metadata: [
                            "redis": "\(configuration.url)"
                        ])
                    } else {
                        logger.debug("reconnect failed: \(error)")
                    }
                    markDown(error)
                    nextAttempt = .now + backoff
                    backoff = min(backoff * 2, configuration.maximumBackoff)
                }
                continue
            }

            let batch = queue
            queue.removeAll(keepingCapacity: true)
            unlockReportingWork()

            let plan = PipelinePlan(batch)
            do {
                let replies = try live.pipeline(plan.commands)
                var mustReconnect: RedisReply?
                var delivery = ReplyDelivery()
                for (group, reply) in zip(plan.groups, replies) {
                    if reply.demandsReconnect {
                        mustReconnect = reply
                        let error = RedisClientError.serverError(endpoint: live.endpoint, reply: reply.summary)
                        group.waiters.forEach { delivery.add($0, .failure(error)) }
                    } else {
                        group.waiters.forEach { delivery.add($0, .success(reply)) }
                    }
                }
                delivery.deliver()
                if let mustReconnect {
                    logger.warning("Redis answered \(mustReconnect.summary); reconnecting to find the primary",
                                   metadata: ["redis": "\(configuration.url)"])
                    connection = nil
                    markDown(.serverError(endpoint: live.endpoint, reply: mustReconnect.summary))
                    outageStarted = .now
                    nextAttempt = .now
                }
            } catch {
                let error = error as? RedisClientError
                    ?? .connectionLost(endpoint: live.endpoint, reason: "\(error)")
                logger.error("\(error)", metadata: ["redis": "\(configuration.url)"])
                connection = nil
                let failure = RedisClientError.unavailable(lastError: error.description)
                plan.groups.forEach { $0.waiters.forEach { $0.fail(failure) } }
                markDown(error)
                outageStarted = .now
                // The first retry is immediate: a dropped idle connection usually reconnects at once.
                nextAttempt = .now
            }
        }
    }

    /// hiredis writes with write(2), and a write to a connection Redis has reset (it refuses some
    /// clients by replying once and closing) raises SIGPIPE, whose default action ends the
    /// process. Blocked on this thread, the write fails with EPIPE instead and the client
    /// reconnects; the process-wide disposition is left to the program.
    private static func blockSIGPIPE() {
        #if canImport(Glibc)
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        #endif
    }

    /// Records an outage and fails everything queued, so no caller waits on a connection that
    /// is not there. Later calls fail at once until a reconnect succeeds.
    private func markDown(_ error: RedisClientError) {
        state.lock()
        link = .down(error)
        let waiting = queue
        queue.removeAll()
        settleFirstAttempt(.failure(error))
        unlockReportingWork()
        let failure = RedisClientError.unavailable(lastError: error.description)
        waiting.forEach { $0.waiter.fail(failure) }
    }

    /// Must be called with `state` locked.
    private func settleFirstAttempt(_ result: Result<Void, RedisClientError>) {
        guard firstAttempt == nil else { return }
        firstAttempt = result
        let waiters = firstAttemptWaiters
        firstAttemptWaiters.removeAll()
        waiters.forEach { $0.resume(with: result.mapError { $0 as any Error }) }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
