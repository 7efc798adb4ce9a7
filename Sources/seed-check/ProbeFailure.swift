/// Why a request got no HTTP answer at all. Each case has its own likely cause (see Diagnosis).
enum ProbeFailure: Error, Sendable, Equatable {
    /// Nothing listens on that port (or a firewall rejects rather than drops).
    case refused
    /// The TCP connection never completed: packets are dropped, typically by a security group.
    case connectTimedOut(seconds: Double)
    /// The host name does not resolve.
    case nameNotResolved
    /// Connected, but no complete answer arrived in time.
    case noAnswer(seconds: Double)
    /// Connected, then the peer closed without answering.
    case closedWithoutAnswer
    /// TLS was attempted and failed (an https:// URL on a plain-HTTP port, or a bad certificate).
    case tlsFailed(String)
    /// seed-check's own time budget ran out before this request could be sent.
    case outOfTime(seconds: Double)
    /// Anything else, as the HTTP client reported it.
    case other(String)

    /// Failures that make every later request to the same endpoint pointless.
    var meansUnreachable: Bool {
        switch self {
        case .refused, .connectTimedOut, .nameNotResolved, .noAnswer, .tlsFailed, .outOfTime: true
        case .closedWithoutAnswer, .other: false
        }
    }
}
