import NIOCore
import NIOPosix

/// Where the seed lives. Every instance behind the load balancer must see the same one.
///
/// The HTTP server asks on a connection's event loop and must not block it, so a store answers
/// with a future; `async` forms are derived from those for callers outside NIO.
public protocol SeedStore: Sendable {
    /// The current seed (0 when none was ever set), or a `SeedStoreError`.
    func read(on eventLoop: any EventLoop) -> EventLoopFuture<Int64>
    /// Sets the seed; succeeds with the value now stored, or fails with a `SeedStoreError`.
    func write(_ seed: Int64, on eventLoop: any EventLoop) -> EventLoopFuture<Int64>
    /// A one-line description for the start-up log: which backend, and where.
    var summary: String { get }
}

extension SeedStore {
    /// The current seed; 0 when none was ever set.
    /// - Throws: `SeedStoreError` when the store cannot answer.
    public func read() async throws -> Int64 {
        try await read(on: MultiThreadedEventLoopGroup.singleton.any()).get()
    }

    /// Sets the seed and returns the value now stored.
    /// - Throws: `SeedStoreError` when the store cannot answer.
    public func write(_ seed: Int64) async throws -> Int64 {
        try await write(seed, on: MultiThreadedEventLoopGroup.singleton.any()).get()
    }
}
