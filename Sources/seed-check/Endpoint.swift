import Foundation

/// One address seed-check talks to: the load balancer, or one target (an instance) behind it.
struct Endpoint: Sendable, Hashable {
    enum Role: Sendable, Hashable {
        case loadBalancer
        case target(number: Int)
    }

    let role: Role
    /// Scheme, host and port, no path: `http://127.0.0.1:8080`.
    let base: String
    let host: String
    let port: Int

    var root: String { base + "/" }
    var hostAndPort: String { "\(host):\(port)" }
    var isLoadBalancer: Bool { role == .loadBalancer }

    /// Accepts `http://host[:port][/]`, `https://…`, or a bare `host[:port]` (taken as http).
    init(parsing text: String, role: Role) throws(EndpointError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let parts = URLComponents(string: withScheme),
              let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parts.host, !host.isEmpty
        else {
            throw EndpointError(text: text, problem: "is not an http:// or https:// URL")
        }
        // The grader only ever asks for `/`; a longer path is a copy-paste slip worth naming.
        guard parts.path.isEmpty || parts.path == "/" else {
            throw EndpointError(text: text, problem: "has the path \(parts.path): give the address alone, e.g. http://\(host)")
        }
        self.role = role
        self.host = host
        self.port = parts.port ?? (scheme == "https" ? 443 : 80)
        let printedHost = host.contains(":") ? "[\(host)]" : host
        self.base = parts.port == nil ? "\(scheme)://\(printedHost)" : "\(scheme)://\(printedHost):\(self.port)"
    }
}

struct EndpointError: Error, CustomStringConvertible {
    let text: String
    let problem: String
    var description: String { "\"\(text)\" \(problem)" }
}
