/// One Redis command, and how it may be merged with its neighbours in the queue.
public struct RedisCommand: Sendable, Equatable {
    /// What `PipelinePlan` may do with a run of adjacent commands (see there for why each keeps
    /// every operation linearizable).
    public enum Merging: Sendable, Equatable {
        /// Sent as queued.
        case never
        /// A read with no side effect: adjacent identical ones are sent once and share the reply.
        case identicalReads
        /// Replaces the whole value of `key`: of adjacent ones on the same key only the last is
        /// sent, and its reply answers them all.
        case overwrites(key: String)
    }

    public let arguments: [String]
    public let merging: Merging

    public init(_ arguments: [String], merging: Merging = .never) {
        self.arguments = arguments
        self.merging = merging
    }

    public static func get(_ key: String) -> RedisCommand { .init(["GET", key], merging: .identicalReads) }
    public static func set(_ key: String, _ value: String) -> RedisCommand {
        .init(["SET", key, value], merging: .overwrites(key: key))
    }
    public static let ping = RedisCommand(["PING"])

    /// Whether this command, queued right after `previous`, may go out as part of it.
    func merges(after previous: RedisCommand) -> Bool {
        switch merging {
        case .never: false
        case .identicalReads: previous == self
        case .overwrites: previous.merging == merging
        }
    }
}
