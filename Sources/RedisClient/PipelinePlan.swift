/// Turns the commands waiting in the queue into what goes on the wire: one pipeline, where a run
/// of identical reads (`GET seed`, `GET seed`, ...) is sent once and shares its reply, and a run
/// of overwrites of one key (`SET seed 1`, `SET seed 2`, ...) sends only its last command, whose
/// reply answers them all.
///
/// Why both keep every operation linearizable. Each waiting command was invoked before the worker
/// took the batch from the queue, and the batch is written to the socket after that; Redis runs
/// one command at a time, in pipeline order. So the one command sent for a run executes at an
/// instant after every operation in the run was invoked and before any of them completes.
/// - Reads: that instant is a valid linearization point for each read in the run. Only runs with
///   no write between them are merged, so every read still sees exactly the writes queued before
///   it and none queued after it. A read never shares a GET that was sent before the read arrived
///   (that GET could predate a write it must observe).
/// - Overwrites: order the run's writes as queued, all at that instant. Each but the last is
///   replaced by the next before any other command, from this client or another, can run in
///   Redis, so no read anywhere could have seen its value; and since a SET replaces the whole
///   value, what remains is exactly what the last one leaves. If that SET fails, all of them fail,
///   and none took effect.
///
/// With the HTTP core on SwiftNIO the argument is unchanged, because its two ends are: an HTTP
/// request's operation is invoked when `RedisSeedStore` queues its command (after the request's
/// end was read, so after the client sent it), and it completes when `ReplyDelivery` completes its
/// promise on the request's event loop, after the reply was read (so before the client sees the
/// answer). Between those two points sits the one command sent for its run. Measured, and not
/// adopted for now (Benchmarks/PROFILE.md): a connection per event loop on a NIO channel, which
/// would batch each loop's commands of one pass; the same argument holds there with "the end of
/// the loop's pass" in place of "the worker took the batch", but only per connection, so an
/// outage or failover seen on one loop must then be acted on for all of them.
struct PipelinePlan<Waiter> {
    struct Group {
        var command: RedisCommand
        var waiters: [Waiter]
    }

    private(set) var groups: [Group] = []

    init(_ batch: [(command: RedisCommand, waiter: Waiter)]) {
        groups.reserveCapacity(batch.count)
        for (command, waiter) in batch {
            if let last = groups.last, command.merges(after: last.command) {
                // For overwrites the later command is the one sent; for reads they are identical.
                groups[groups.count - 1].command = command
                groups[groups.count - 1].waiters.append(waiter)
            } else {
                groups.append(Group(command: command, waiters: [waiter]))
            }
        }
    }

    var commands: [[String]] { groups.map(\.command.arguments) }
}
