import Testing

@testable import RedisClient

@Suite("Pipelines, read coalescing and overwrite coalescing")
struct PipelinePlanTests {
    @Test("only adjacent identical reads share a reply; writes split them")
    func coalescesAdjacentReads() {
        let batch: [(command: RedisCommand, waiter: Int)] = [
            (.get("a"), 1), (.get("a"), 2), (.set("a", "5"), 3), (.get("a"), 4),
            (.get("b"), 5), (.get("b"), 6), (.get("a"), 7),
        ]
        let plan = PipelinePlan(batch)
        #expect(plan.commands == [["GET", "a"], ["SET", "a", "5"], ["GET", "a"], ["GET", "b"], ["GET", "a"]])
        #expect(plan.groups.map(\.waiters) == [[1, 2], [3], [4], [5, 6], [7]])
    }

    @Test("adjacent overwrites of one key send only the last value, and its reply answers them all")
    func coalescesAdjacentOverwrites() {
        let batch: [(command: RedisCommand, waiter: Int)] = [
            (.set("a", "1"), 1), (.set("a", "2"), 2), (.set("a", "3"), 3),
        ]
        let plan = PipelinePlan(batch)
        #expect(plan.commands == [["SET", "a", "3"]])
        #expect(plan.groups.map(\.waiters) == [[1, 2, 3]])
    }

    @Test("a read, another key or another command between overwrites keeps them apart")
    func keepsSeparatedOverwritesApart() {
        let batch: [(command: RedisCommand, waiter: Int)] = [
            (.set("a", "1"), 1), (.get("a"), 2), (.set("a", "2"), 3), (.set("b", "9"), 4),
            (.set("a", "3"), 5), (.ping, 6), (.set("a", "4"), 7), (.ping, 8), (.ping, 9),
        ]
        let plan = PipelinePlan(batch)
        #expect(plan.commands == [
            ["SET", "a", "1"], ["GET", "a"], ["SET", "a", "2"], ["SET", "b", "9"], ["SET", "a", "3"],
            ["PING"], ["SET", "a", "4"], ["PING"], ["PING"],
        ])
        #expect(plan.groups.map(\.waiters) == [[1], [2], [3], [4], [5], [6], [7], [8], [9]])
    }

    @Test("an empty batch sends nothing")
    func empty() {
        #expect(PipelinePlan<Int>([]).commands.isEmpty)
    }
}
