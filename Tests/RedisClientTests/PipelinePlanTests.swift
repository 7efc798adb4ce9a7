import Testing

@testable import RedisClient

@Suite("Pipelines and read coalescing")
struct PipelinePlanTests {
    @Test("only adjacent identical reads share a reply; writes split them")
    func coalescesAdjacentReads() {
        let batch: [(command: RedisCommand, waiter: Int)] = [
            (.get("a"), 1), (.get("a"), 2), (.set("a", "5"), 3), (.get("a"), 4),
            (.get("b"), 5), (.get("b"), 6), (.set("a", "6"), 7), (.set("a", "6"), 8),
        ]
        let plan = PipelinePlan(batch)
        #expect(plan.commands == [
            ["GET", "a"], ["SET", "a", "5"], ["GET", "a"], ["GET", "b"], ["SET", "a", "6"], ["SET", "a", "6"],
        ])
        #expect(plan.groups.map(\.waiters) == [[1, 2], [3], [4], [5, 6], [7], [8]])
    }

    @Test("an empty batch sends nothing")
    func empty() {
        #expect(PipelinePlan<Int>([]).commands.isEmpty)
    }
}
