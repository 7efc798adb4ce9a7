import NIOCore

/// Who waits for a reply: a request on a NIO event loop (the HTTP server), or an `async` caller.
enum ReplyWaiter: Sendable {
    case promise(EventLoopPromise<RedisReply>)
    case continuation(CheckedContinuation<RedisReply, any Error>)

    /// Completes the wait at once (a promise completes on its own event loop).
    func complete(_ result: Result<RedisReply, any Error>) {
        switch self {
        case .promise(let promise): promise.completeWith(result)
        case .continuation(let continuation): continuation.resume(with: result)
        }
    }

    func fail(_ error: any Error) { complete(.failure(error)) }
}

/// The outcomes of one pipeline, handed to their waiters with one hop per event loop.
///
/// Completing a promise from the connection thread schedules a task on the promise's event loop,
/// waking it each time. A pipeline answers many requests spread over a few loops (one per core),
/// so their outcomes are grouped by loop and each loop is woken once for all of its own.
struct ReplyDelivery {
    private typealias Outcome = (promise: EventLoopPromise<RedisReply>, result: Result<RedisReply, any Error>)
    private var byLoop: [ObjectIdentifier: (loop: any EventLoop, outcomes: [Outcome])] = [:]
    private var others: [(ReplyWaiter, Result<RedisReply, any Error>)] = []

    mutating func add(_ waiter: ReplyWaiter, _ result: Result<RedisReply, any Error>) {
        guard case .promise(let promise) = waiter else {
            others.append((waiter, result))
            return
        }
        let loop = promise.futureResult.eventLoop
        byLoop[ObjectIdentifier(loop), default: (loop, [])].outcomes.append((promise, result))
    }

    /// Completes every wait added: each event loop's promises in one task on that loop.
    func deliver() {
        for (loop, outcomes) in byLoop.values {
            loop.execute {
                for outcome in outcomes {
                    outcome.promise.completeWith(outcome.result)
                }
            }
        }
        for (waiter, result) in others {
            waiter.complete(result)
        }
    }
}
