/// An error reply Redis sent while a connection was being set up, with what the operator can do.
///
/// Redis refuses some connections by writing one error reply and closing the socket at once
/// (protected mode, `maxclients`), and answers others with an error to AUTH, SELECT or PING
/// (a wrong password, a database out of range, a data set still loading). Its own words are
/// kept verbatim, so the log and the 503 say exactly what Redis said; the hint says what to
/// change. The prefixes are Redis' error codes: the first word of an error reply (RESP
/// specification, "Simple errors"); `ERR max number of clients reached` is matched whole.
struct RedisRefusal: Sendable, Equatable {
    /// The error reply as Redis sent it, without the leading `-`: `DENIED Redis is running in ...`.
    let reply: String

    /// Whether the refusal concerns the whole connection rather than one setup command.
    var isAboutConnection: Bool {
        hasCode("DENIED") || hasCode("NOAUTH") || hasCode("LOADING") || reply.hasPrefix(Self.maxClients)
    }

    /// What to do about it, in one clause.
    var hint: String {
        if hasCode("DENIED") {
            return "Redis is in protected mode and refuses clients from other hosts while it has no "
                + "password: set one (requirepass) and put it in --redis-url / REDIS_URL "
                + "(redis://:PASSWORD@host:port), or, on a private network only, start Redis with "
                + "--protected-mode no"
        }
        if hasCode("NOAUTH") {
            return "it needs a password: put it in --redis-url / REDIS_URL (redis://:PASSWORD@host:port)"
        }
        if hasCode("WRONGPASS") {
            return "check the user and password in --redis-url / REDIS_URL"
        }
        if hasCode("NOPERM") {
            return "the user in --redis-url / REDIS_URL lacks a permission: allow it PING, GET and SET "
                + "on the key (ACL SETUSER)"
        }
        if hasCode("LOADING") {
            return "Redis is loading its data set into memory; requests get 503 until it is done"
        }
        if reply.hasPrefix(Self.maxClients) {
            return "Redis already has as many clients as its maxclients setting allows: raise "
                + "maxclients, or find the clients holding connections (redis-cli CLIENT LIST); "
                + "retrying meanwhile"
        }
        if reply.contains("DB index") {
            return "check the database number in --redis-url / REDIS_URL (the /N at its end)"
        }
        return "check --redis-url / REDIS_URL and Redis' own log"
    }

    private static let maxClients = "ERR max number of clients reached"

    /// Redis error replies start with an upper-case code followed by a space.
    private func hasCode(_ code: String) -> Bool {
        reply == code || reply.hasPrefix(code + " ")
    }
}
