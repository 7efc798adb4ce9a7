/// A Redis reply copied out of hiredis' memory, so no C pointer outlives the call that read it.
public enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case null
    case array([RedisReply])

    /// The reply's text for bulk strings and status replies.
    public var string: String? {
        switch self {
        case .bulkString(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text): return text
        default: return nil
        }
    }

    /// A short form for error messages.
    var summary: String {
        switch self {
        case .status(let text): return "+\(text)"
        case .error(let text): return "-\(text)"
        case .integer(let value): return ":\(value)"
        case .bulkString(let bytes): return "\"\(String(decoding: bytes.prefix(64), as: UTF8.self))\""
        case .null: return "(nil)"
        case .array(let items): return "array of \(items.count)"
        }
    }

    /// Replies after which this connection must not be used again: the node became a replica
    /// (a failover) or is still loading its data set. A new connection finds the new primary.
    var demandsReconnect: Bool {
        guard case .error(let text) = self else { return false }
        return text.hasPrefix("READONLY") || text.hasPrefix("LOADING") || text.hasPrefix("MASTERDOWN")
    }
}
