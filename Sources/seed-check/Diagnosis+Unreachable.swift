import Foundation

/// Explanations for requests that got no HTTP answer at all.
extension Diagnosis {
    init(_ failure: ProbeFailure, reaching endpoint: Endpoint, doing action: String) {
        let address = endpoint.hostAndPort
        let what = endpoint.isLoadBalancer ? "load balancer" : "server"
        switch failure {
        case .refused:
            self.init(
                seen: "\(action): connection refused on \(address)",
                cause: "nothing listens on port \(endpoint.port) there: is the \(what) running, on this port, and is the port open in the instance's security group?",
                fix: endpoint.isLoadBalancer
                    ? "use the LB's DNS name and its listener port (an ALB listens on 80 unless you added a listener); locally, `make stack` starts one"
                    : "start it with `seed-server --port \(endpoint.port) --backend redis --redis-url …` (its log says where it listens), or correct the URL"
            )
        case .connectTimedOut(let seconds):
            self.init(
                seen: "\(action): no connection to \(address) within \(seconds.shortText) s",
                cause: "the packets are dropped on the way: most often the security group does not allow inbound TCP \(endpoint.port) (or the instance has no public address)",
                fix: endpoint.isLoadBalancer
                    ? "allow TCP \(endpoint.port) from 0.0.0.0/0 in the LB's security group, and make the LB internet-facing in public subnets"
                    : "allow TCP \(endpoint.port) from your IP (to test a target directly) and from the LB's security group (for its health checks)"
            )
        case .nameNotResolved:
            self.init(
                seen: "\(action): the name \(endpoint.host) does not resolve",
                cause: "a typo in the address, or a load balancer that was deleted",
                fix: "copy the DNS name again (EC2 console → Load Balancers → DNS name), or use the instance's public IP"
            )
        case .noAnswer(let seconds):
            self.init(
                seen: "\(action): \(address) accepted the connection but did not answer within \(seconds.shortText) s",
                cause: endpoint.isLoadBalancer
                    ? "the LB waits on a target that hangs — most often a server stuck connecting to a Redis it cannot reach"
                    : "the server hangs — most often on a Redis it cannot reach (it should answer 503 within its Redis timeout)",
                fix: "check REDIS_URL / --redis-url and that Redis's security group allows the instances on its port; read the server's log"
            )
        case .closedWithoutAnswer:
            self.init(
                seen: "\(action): \(address) closed the connection without answering",
                cause: "the server crashed on this request, or what listens there does not speak HTTP (Redis? a TLS port?)",
                fix: "read the server's log; check the URL's scheme (http://) and port"
            )
        case .tlsFailed(let details):
            self.init(
                seen: "\(action): TLS failed with \(address) (\(details))",
                cause: "an https:// URL for a listener that speaks plain HTTP, or a certificate that does not match",
                fix: "use http:// unless you set up an HTTPS listener with a certificate"
            )
        case .outOfTime(let seconds):
            self.init(
                seen: "\(action): seed-check's time budget (\(seconds.shortText) s) ran out",
                cause: "the deployment answers very slowly",
                fix: "look for a slow or hanging target in the rows above; raise --budget if the network is just slow"
            )
        case .other(let details):
            self.init(
                seen: "\(action): no answer from \(address): \(details)",
                cause: "a network problem seed-check cannot name",
                fix: "try `curl -v \(endpoint.root)` from the same machine and read the server's log"
            )
        }
    }
}

extension Double {
    /// 5 → "5", 0.5 → "0.5".
    var shortText: String {
        self == rounded() ? String(Int(self)) : String(format: "%.1f", self)
    }
}
