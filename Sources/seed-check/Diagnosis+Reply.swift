/// Explanations for HTTP answers that are not what the grader expects.
extension Diagnosis {
    /// `GET /` answered, but not `200` with an integer body.
    init(unexpected reply: Reply, from endpoint: Endpoint, doing action: String) {
        let seen = "\(action): \(reply.summary)"
        // The LB made this answer itself when no instance signed it and it is an error page.
        let fromLB = endpoint.isLoadBalancer && reply.servedBy == nil
        switch reply.status {
        case 200..<300 where reply.looksLikeHTML:
            self.init(seen: seen,
                      cause: "an HTML page, not the seed: another web server (a default nginx or Apache page?) answers on this port",
                      fix: "stop that server or point the URL (or the target group's port) at seed-server's --port")
        case 200..<300:
            self.init(seen: seen,
                      cause: "GET / must answer the seed alone, as decimal digits (no JSON, no quotes, no text around it)",
                      fix: "answer `Content-Type: text/plain` with the body `42`, not `{\"num\": 42}`")
        case 301, 302, 303, 307, 308:
            let target = reply.location.map { " to \($0)" } ?? ""
            self.init(seen: seen + " (redirect\(target))",
                      cause: "a redirect (an HTTP→HTTPS listener rule?): the grader does not follow redirects",
                      fix: "give the URL it redirects to, or make the listener forward to the target group")
        case 400..<500 where reply.status == 404:
            self.init(seen: seen,
                      cause: fromLB
                        ? "the LB's listener has no rule that forwards `/` to the target group"
                        : "the server has no route for `/`",
                      fix: fromLB
                        ? "make the listener's default action forward to the target group"
                        : "serve GET / (the seed) and POST / (set it) at the root path")
        case 400..<500:
            self.init(seen: seen,
                      cause: "the request was refused (\(reply.status)): a listener rule, WAF or the server itself rejects a plain GET /",
                      fix: "GET / needs no headers, cookies or credentials; remove the rule that blocks it")
        case 502:
            self.init(seen: seen,
                      cause: "the LB got no valid answer from a target: nothing listens on the target group's port, the server crashed, or it closed an idle connection the LB reused",
                      fix: "make the target group's port the server's --port; check the targets are healthy (health-check path `/`); the server's keep-alive timeout must exceed the ALB's 60 s")
        case 503 where fromLB:
            self.init(seen: seen,
                      cause: "LB answered 503: no healthy targets — none registered, or all fail the health check",
                      fix: "register both instances in the target group; its health-check path must be `/` on the traffic port, expecting 200 (with --target, the targets' rows say why they fail)")
        case 503:
            self.init(backendDown: reply, seen: seen)
        case 504:
            self.init(seen: seen,
                      cause: "a target did not answer the LB in time: it hangs, most often on a Redis it cannot reach, or the instance's security group drops the LB's traffic",
                      fix: "allow the app port from the LB's security group on the instances; check REDIS_URL and Redis's security group")
        case 500..<600:
            self.init(seen: seen,
                      cause: "the server failed on a plain GET / (\(reply.status))",
                      fix: "read the server's log; with the Redis backend, check --redis-url")
        default:
            self.init(seen: seen,
                      cause: "an answer the grader does not expect (\(reply.status))",
                      fix: "GET / must answer 200 with the seed as its body")
        }
    }
}
