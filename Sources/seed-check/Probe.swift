import AsyncHTTPClient
import Foundation

/// Sends seed-check's requests: each with its own timeout, all within one overall time budget,
/// so that seed-check never hangs however the deployment misbehaves.
///
/// An endpoint that could not be reached once (refused, timed out, unknown name) is not tried
/// again: later requests to it fail at once with the same failure instead of waiting again.
actor Probe {
    private let client: HTTPClient
    private let requestTimeout: Duration
    private let budget: Duration
    private let budgetEnds: ContinuousClock.Instant
    private var unreachable: [Endpoint: ProbeFailure] = [:]
    /// How many answers through the load balancer each instance gave, by `X-Served-By`.
    private(set) var answersThroughLB: [String: Int] = [:]

    init(client: HTTPClient, requestTimeout: Duration, budget: Duration) {
        self.client = client
        self.requestTimeout = requestTimeout
        self.budget = budget
        self.budgetEnds = ContinuousClock.now + budget
    }

    func failure(reaching endpoint: Endpoint) -> ProbeFailure? { unreachable[endpoint] }

    func get(_ endpoint: Endpoint) async throws(ProbeFailure) -> Reply {
        try await send(endpoint, body: nil)
    }

    func post(_ endpoint: Endpoint, body: String) async throws(ProbeFailure) -> Reply {
        try await send(endpoint, body: body)
    }

    func postSeed(_ endpoint: Endpoint, _ value: Int64) async throws(ProbeFailure) -> Reply {
        try await post(endpoint, body: "{\"num\": \(value)}")
    }

    /// A GET when `body` is nil, else a POST of that JSON body.
    private func send(_ endpoint: Endpoint, body: String?) async throws(ProbeFailure) -> Reply {
        if let known = unreachable[endpoint] { throw known }
        let remaining = ContinuousClock.now.duration(to: budgetEnds)
        guard remaining > .milliseconds(50) else { throw .outOfTime(seconds: budget.seconds) }
        let timeout = min(requestTimeout, remaining)

        var request = HTTPClientRequest(url: endpoint.root)
        request.headers.add(name: "User-Agent", value: "seed-check")
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(Array(body.utf8))
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeout.milliseconds))
            // 64 KiB is far more than a seed; an error page from a proxy fits too.
            let bytes = try await response.body.collect(upTo: 64 * 1024)
            let reply = Reply(
                status: Int(response.status.code),
                servedBy: response.headers.first(name: "X-Served-By"),
                contentType: response.headers.first(name: "Content-Type"),
                location: response.headers.first(name: "Location"),
                body: String(decoding: bytes.readableBytesView, as: UTF8.self)
            )
            if endpoint.isLoadBalancer, let name = reply.servedBy {
                answersThroughLB[name, default: 0] += 1
            }
            return reply
        } catch {
            let failure = ProbeFailure(classifying: error, timeoutSeconds: timeout.seconds)
            if failure.meansUnreachable { unreachable[endpoint] = failure }
            throw failure
        }
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }

    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
