/// One Redis command, and whether identical neighbours in the queue may share its reply.
public struct RedisCommand: Sendable, Equatable {
    public let arguments: [String]
    /// True for reads with no side effect. Adjacent identical ones are sent once (see
    /// `PipelinePlan` for why that keeps reads linearizable).
    public let mayShareReply: Bool

    public init(_ arguments: [String], mayShareReply: Bool = false) {
        self.arguments = arguments
        self.mayShareReply = mayShareReply
    }

    public static func get(_ key: String) -> RedisCommand { .init(["GET", key], mayShareReply: true) }
    public static func set(_ key: String, _ value: String) -> RedisCommand { .init(["SET", key, value]) }
    public static let ping = RedisCommand(["PING"])
}
