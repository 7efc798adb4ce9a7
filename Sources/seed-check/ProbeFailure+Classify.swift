import AsyncHTTPClient

extension ProbeFailure {
    /// Sorts an error from AsyncHTTPClient into the cases seed-check can explain.
    ///
    /// Connection errors come from SwiftNIO types this target does not depend on directly
    /// (`NIOConnectionError`, `IOError`), so they are recognised by their description, which
    /// carries the system's own words ("Connection refused", errno 111) and the DNS failures.
    init(classifying error: any Error, timeoutSeconds: Double) {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                self = .connectTimedOut(seconds: timeoutSeconds)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                self = .noAnswer(seconds: timeoutSeconds)
            case .remoteConnectionClosed, .uncleanShutdown:
                self = .closedWithoutAnswer
            case .tlsHandshakeTimeout:
                self = .tlsFailed("the TLS handshake timed out")
            default:
                self = .other(String(describing: clientError))
            }
            return
        }
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("connection refused") || lowered.contains("errno: 111") {
            self = .refused
        } else if lowered.contains("dnsaerror: optional") || lowered.contains("dnsaaaaerror: optional")
            || lowered.contains("name or service not known") || lowered.contains("unknown host")
            || lowered.contains("no address") || lowered.contains("getaddrinfo")
        {
            self = .nameNotResolved
        } else if lowered.contains("connecttimeout") || lowered.contains("connect timeout") {
            self = .connectTimedOut(seconds: timeoutSeconds)
        } else if lowered.contains("ssl") || lowered.contains("tls") || lowered.contains("handshake") {
            self = .tlsFailed(text)
        } else if lowered.contains("connection reset") || lowered.contains("eof") {
            self = .closedWithoutAnswer
        } else {
            self = .other(text)
        }
    }
}
