/// Explanations for an instance's own 503, told apart by the reason the server gives in its body.
///
/// seed-server answers `503` with `seed unavailable: <reason>` (SeedRequestHandler), where the
/// reason is the Redis client's or the store's own message. The excerpt in `seen` is cut to one
/// table cell, so the part that names the cause (a refusal's Redis error, the replica, the key)
/// is quoted in `cause` instead.
extension Diagnosis {
    init(backendDown reply: Reply, seen: String) {
        let seen = seen + " — the instance itself says its backend is down"
        let said = Self.reason(in: reply.body)
        if said.contains(" refused ") {
            // "Redis at H refused the connection: NOAUTH … — <hint>"
            self.init(seen: seen,
                      cause: "Redis refuses the server: \(Self.before(" — ", in: said))",
                      fix: Self.after(" — ", in: said)
                        ?? "check the password and user in --redis-url / REDIS_URL, and Redis's protected mode")
        } else if said.contains("read-only replica") || said.contains("READONLY") {
            // The client's own words once it knows ("… is a read-only replica …"), or Redis'
            // `READONLY` error to the write that found out.
            self.init(seen: seen,
                      cause: "--redis-url / REDIS_URL names a read-only replica, where no POST can be stored: \(said)",
                      fix: "point --redis-url / REDIS_URL at the primary (ElastiCache: the primary endpoint, not a reader endpoint)")
        } else if said.contains("which is not an integer") {
            // "Redis key 'K' holds "…", which is not an integer — POST a new seed, or …"
            self.init(seen: seen,
                      cause: "the seed's Redis key holds something that is not an integer, written by another program: \(Self.before(" — ", in: said))",
                      fix: Self.after(" — ", in: said) ?? "POST a new seed, or delete the key with redis-cli DEL")
        } else {
            self.init(seen: seen,
                      cause: "the server cannot reach Redis (it answers 503 until it can)"
                        + (said.isEmpty ? "" : ": \(Self.before(" — ", in: said))"),
                      fix: "check --redis-url / REDIS_URL (host, port, password) and that Redis's security group allows the instances")
        }
    }

    /// The server's reason without its `seed unavailable: ` lead, on one line, at most 300 characters.
    private static func reason(in body: String) -> String {
        var said = body.split(whereSeparator: \.isNewline).joined(separator: " ")
        if let lead = said.range(of: "seed unavailable: ") { said = String(said[lead.upperBound...]) }
        return String(said.prefix(300))
    }

    private static func before(_ separator: String, in text: String) -> String {
        text.range(of: separator).map { String(text[..<$0.lowerBound]) } ?? text
    }

    private static func after(_ separator: String, in text: String) -> String? {
        text.range(of: separator).map { String(text[$0.upperBound...]) }
    }
}
