import NIOCore
import Synchronization

/// The seed in this process only: safe under concurrency, gone on restart, never shared with
/// another instance. The zero-setup backend for a first run. Answers at once, on the caller's loop.
public final class MemorySeedStore: SeedStore {
    private let seed: Atomic<Int64>

    public init(initial: Int64 = 0) {
        seed = Atomic(initial)
    }

    public func read(on eventLoop: any EventLoop) -> EventLoopFuture<Int64> {
        eventLoop.makeSucceededFuture(seed.load(ordering: .acquiring))
    }

    public func write(_ value: Int64, on eventLoop: any EventLoop) -> EventLoopFuture<Int64> {
        seed.store(value, ordering: .releasing)
        return eventLoop.makeSucceededFuture(value)
    }

    public var summary: String { "memory (this process only; lost on restart)" }
}
