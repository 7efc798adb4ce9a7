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

    /// AUTH and SELECT as the URL says, ROLE to make sure this node takes writes, then PING: the
    /// connection counts as up only once that round trip has been answered with PONG.
    ///
    /// All of it goes out as one pipeline. Redis refuses some connections by writing one error
    /// reply and closing the socket (protected mode, maxclients): that reply arrives as the answer
    /// to the first command and the next read fails. The reply, not the broken connection after
    /// it, is the reason reported.
    private func handshake(_ url: RedisURL) throws {
        var setup: [[String]] = []
        if let password = url.password {
            setup.append(url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if url.database != 0 { setup.append(["SELECT", String(url.database)]) }
        setup.append(["ROLE"])
        setup.append(["PING"])
        let (replies, failure) = exchange(setup)
        var roleError: String?
        for (command, reply) in zip(setup, replies) {
            let name = command[0]
            if case .error(let text) = reply {
                // Some managed Redis services rename or hide ROLE; then the PING after it decides,
                // and READONLY replies later tell a replica apart.
                if name == "ROLE" {
                    roleError = text
                    continue
                }
                throw RedisClientError.refused(endpoint: endpoint, command: name, reply: text)
            }
            if name == "ROLE", case .array(let role) = reply, let first = role.first?.string, first != "master" {
                throw RedisClientError.notPrimary(endpoint: endpoint)
            }
        }
        if let failure {
            if let roleError { throw RedisClientError.refused(endpoint: endpoint, command: "ROLE", reply: roleError) }
            throw RedisClientError.cannotConnect(endpoint: endpoint, reason: failure)
        }
        guard case .status("PONG") = replies.last else {
            throw RedisClientError.unexpectedReply(endpoint: endpoint, command: "PING", reply: replies.last?.summary ?? "none")
        }
    }

    /// Sends every command in one write and reads their replies in order: one round trip.
    ///
    /// Throws `connectionLost` if the connection broke or timed out; the connection is then
    /// unusable and must be dropped. Error replies from Redis are returned, not thrown.
    func pipeline(_ commands: [[String]]) throws -> [RedisReply] {
        let (replies, failure) = exchange(commands)
        if let failure {
            throw RedisClientError.connectionLost(endpoint: endpoint, reason: failure)
        }
        return replies
    }

    /// Sends `commands` in one write and reads replies until it has one for each or the
    /// connection fails: the replies read, and the reason it failed (nil when none did).
    private func exchange(_ commands: [[String]]) -> (replies: [RedisReply], failure: String?) {
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for command in commands where !append(command) {
            return (replies, Self.errorString(context))
        }
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                return (replies, Self.errorString(context))
            }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            defer { freeReplyObject(raw) }
            replies.append(Self.copy(reply))
        }
        return (replies, nil)
    }

    /// Formats one command into hiredis' output buffer (binary-safe, no variadic C call).
    /// False if hiredis could not (out of memory; the context says why).
    private func append(_ arguments: [String]) -> Bool {
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
        return status == REDIS_OK
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
