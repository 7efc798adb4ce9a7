/// Turns the commands waiting in the queue into what goes on the wire: one pipeline, with runs of
/// identical read-only commands (`GET seed`, `GET seed`, ...) sent once and their reply shared.
///
/// Why sharing keeps every read linearizable: each waiting command was invoked before the worker
/// took the batch from the queue, and the batch is written to the socket after that. So the one
/// GET that answers a run executes inside Redis at an instant after every read in the run was
/// invoked and before any of them completes — a valid linearization point for each. Only runs
/// with no write between them are merged, and Redis executes a pipeline in order, so every read
/// still sees exactly the writes queued before it and none queued after it. A read never shares a
/// GET that was sent before the read arrived (that GET could predate a write it must observe).
struct PipelinePlan<Waiter> {
    struct Group {
        let command: RedisCommand
        var waiters: [Waiter]
    }

    private(set) var groups: [Group] = []

    init(_ batch: [(command: RedisCommand, waiter: Waiter)]) {
        groups.reserveCapacity(batch.count)
        for (command, waiter) in batch {
            if command.mayShareReply, let last = groups.last, last.command == command {
                groups[groups.count - 1].waiters.append(waiter)
            } else {
                groups.append(Group(command: command, waiters: [waiter]))
            }
        }
    }

    var commands: [[String]] { groups.map(\.command.arguments) }
}
