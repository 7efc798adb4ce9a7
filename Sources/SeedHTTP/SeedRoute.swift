import NIOHTTP1

/// What a request head asks of this server, decided before any of its body is read.
enum SeedRoute: Equatable {
    /// `GET /` or `HEAD /`: answer the seed.
    case read
    /// `POST /`: collect the body, parse it, set the seed.
    case write
    /// Anything else: answer this refusal once the request has been read to its end.
    case refuse(Refusal)

    enum Refusal: Equatable {
        case targetTooLong(bytes: Int)
        case headerFieldsTooLarge(bytes: Int)
        case notFound(path: String)
        case methodNotAllowed(method: String)
        case bodyTooLarge(declared: Int?)
    }

    /// The request target is origin-form (RFC 9112 §3.2.1); the query, if any, is ignored, as a
    /// browser or curl may add one and it cannot change what `/` means here.
    init(_ head: HTTPRequestHead, maximumBodyBytes: Int) {
        let target = head.uri
        if target.utf8.count > HTTPLimits.maximumTargetBytes {
            self = .refuse(.targetTooLong(bytes: target.utf8.count))
            return
        }
        let headerBytes = head.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        if headerBytes > HTTPLimits.maximumHeaderBytes {
            self = .refuse(.headerFieldsTooLarge(bytes: headerBytes))
            return
        }
        // Compared without splitting: this runs for every request, and a split allocates.
        guard target == "/" || target.utf8.starts(with: "/?".utf8) else {
            let path = target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
            self = .refuse(.notFound(path: path))
            return
        }
        switch head.method {
        case .GET, .HEAD:
            self = .read
        case .POST:
            let declared = head.headers.first(name: "content-length").flatMap(Int.init)
            if let declared, declared > maximumBodyBytes {
                self = .refuse(.bodyTooLarge(declared: declared))
            } else {
                self = .write
            }
        default:
            self = .refuse(.methodNotAllowed(method: head.method.rawValue))
        }
    }
}
