import CHiredis

/// One blocking hiredis connection. The only file that touches hiredis' C API.
///
/// Every call here blocks the calling thread for up to the timeout, so a `RedisConnection` lives
/// on `RedisCommandQueue`'s own thread and is never used from an event loop or the cooperative
/// pool. It is not `Sendable`: it is created, used and freed on that one thread.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    let endpoint: String

    /// Connects, then logs in and selects the database the URL names. Throws on any failure.
    init(url: RedisURL, timeout: Duration) throws {
        endpoint = url.endpoint
        let tv = Self.cTimeval(timeout)
        guard let context = redisConnectWithTimeout(url.host, Int32(url.port), tv) else {
            throw RedisClientError.cannotConnect(endpoint: url.endpoint, reason: "out of memory")
        }
        // From here on `deinit` owns the context: it runs (and frees it) even when init throws.
        self.context = context
        guard context.pointee.err == 0 else {
            throw RedisClientError.cannotConnect(endpoint: url.endpoint, reason: Self.errorString(context))
        }
        // Connect has its own timeout above; this one bounds every read and write after it.
        guard redisSetTimeout(context, tv) == REDIS_OK else {
            throw RedisClientError.cannotConnect(endpoint: url.endpoint, reason: Self.errorString(context))
        }
        try handshake(url)
    }

    deinit {
        redisFree(context)
    }

    /// AUTH and SELECT as the URL says, then make sure this node takes writes.
    private func handshake(_ url: RedisURL) throws {
        var setup: [[String]] = []
        if let password = url.password {
            setup.append(url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if url.database != 0 { setup.append(["SELECT", String(url.database)]) }
        setup.append(["ROLE"])
        let replies = try pipeline(setup)
        for (command, reply) in zip(setup, replies) {
            let name = command[0]
            if case .error(let text) = reply {
                if text.hasPrefix("NOAUTH") {
                    throw RedisClientError.rejected(endpoint: endpoint, command: "the connection", reply: "it needs a password")
                }
                // Some managed Redis services rename or hide ROLE; then trust READONLY replies.
                if name == "ROLE" { continue }
                throw RedisClientError.rejected(endpoint: endpoint, command: name, reply: text)
            }
            if name == "ROLE", case .array(let role) = reply, let first = role.first?.string, first != "master" {
                throw RedisClientError.notPrimary(endpoint: endpoint)
            }
        }
    }

    /// Sends every command in one write and reads their replies in order: one round trip.
    ///
    /// Throws `connectionLost` if the connection broke or timed out; the connection is then
    /// unusable and must be dropped. Error replies from Redis are returned, not thrown.
    func pipeline(_ commands: [[String]]) throws -> [RedisReply] {
        for command in commands {
            try append(command)
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw RedisClientError.connectionLost(endpoint: endpoint, reason: Self.errorString(context))
            }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            defer { freeReplyObject(raw) }
            replies.append(Self.copy(reply))
        }
        return replies
    }

    /// Formats one command into hiredis' output buffer (binary-safe, no variadic C call).
    private func append(_ arguments: [String]) throws {
        // All arguments in one buffer; hiredis copies them while formatting, so the pointers only
        // need to live for this call. The extra 0 keeps the buffer non-empty for empty arguments.
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(bytes.count)
            bytes.append(contentsOf: argument.utf8)
            lengths.append(bytes.count - offsets.last!)
        }
        bytes.append(0)
        let status = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            var argv: [UnsafePointer<CChar>?] = offsets.map { (base + $0).assumingMemoryBound(to: CChar.self) }
            return argv.withUnsafeMutableBufferPointer { argvBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    redisAppendCommandArgv(context, Int32(arguments.count), argvBuffer.baseAddress, lengthBuffer.baseAddress)
                }
            }
        }
        guard status == REDIS_OK else {
            throw RedisClientError.connectionLost(endpoint: endpoint, reason: Self.errorString(context))
        }
    }

    private static func copy(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(r.str, Int(r.len)))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes(r.str, Int(r.len)), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(r.str, Int(r.len)), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(r.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            return .array((0..<Int(r.elements)).map { copy(r.element[$0]!) })
        default:
            // RESP3 types (hiredis 1.x) never appear: we speak RESP2.
            return .error("unsupported reply type \(r.type)")
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        let reason = withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        switch reason {
        case "": return "unknown error"
        // hiredis reports a read timeout as the errno text of EAGAIN.
        case "Resource temporarily unavailable": return "timed out"
        default: return reason
        }
    }

    private static func cTimeval(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
