/// Where the seed lives. Every instance behind the load balancer must see the same one.
public protocol SeedStore: Sendable {
    /// The current seed; 0 when none was ever set.
    func read() async throws(SeedStoreError) -> Int64
    /// Sets the seed and returns the value now stored.
    func write(_ seed: Int64) async throws(SeedStoreError) -> Int64
    /// A one-line description for the start-up log: which backend, and where.
    var summary: String { get }
}
