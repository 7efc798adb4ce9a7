import ArgumentParser
import AsyncHTTPClient

/// seed-check: does what the course autograder does to a seedkeeper deployment, and explains
/// every failure with its likely cause and fix. Exit code 0 only when every check passes.
@main
struct SeedCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-check",
        abstract: "Check a seedkeeper deployment the way the autograder does, and explain each failure.",
        discussion: """
            Checks, in order: GET / through the load balancer answers an integer; a random value \
            POSTed through it is read back by 20 GETs; with --target (give it once per instance): \
            GET / on each target answers 200 (the health check) and a value POSTed to one target is \
            read from the other, both ways; both targets answer through the LB (X-Served-By); \
            malformed bodies are refused with 4xx and leave the seed as it was.

            Every request has a timeout; the whole run has a time budget. Exit code 0 only when \
            every check passes.

            Example (the local stack, `make stack`):
              seed-check --lb http://127.0.0.1:8080 --target http://127.0.0.1:8081 --target http://127.0.0.1:8082
            """
    )

    @Option(name: .customLong("lb"), help: ArgumentHelp(
        "The load balancer, e.g. http://my-alb-123.us-east-1.elb.amazonaws.com",
        valueName: "url"))
    var loadBalancer: String

    @Option(name: .customLong("target"), help: ArgumentHelp(
        "One instance behind it, e.g. http://3.91.2.3:8080; give it once per instance (two or more).",
        valueName: "url"))
    var targets: [String] = []

    @Flag(name: .long, help: "Print the results as JSON instead of a table.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Seconds one request may take.", valueName: "seconds"))
    var timeout: Double = 5

    @Option(name: .long, help: ArgumentHelp("Seconds the whole run may take.", valueName: "seconds"))
    var budget: Double = 90

    func validate() throws {
        _ = try endpoints()
        if targets.count == 1 {
            throw ValidationError("give --target once per instance (at least two), or not at all: one target cannot show that the instances share the seed")
        }
        guard timeout > 0, budget > 0 else {
            throw ValidationError("--timeout and --budget must be positive numbers of seconds")
        }
    }

    func run() async throws {
        let (lb, targetEndpoints) = try endpoints()
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.clientConfiguration(timeout: timeout))
        let probe = Probe(client: client, requestTimeout: .milliseconds(Int64(timeout * 1000)),
                          budget: .milliseconds(Int64(budget * 1000)))
        var grader = Grader(probe: probe, lb: lb, targets: targetEndpoints)
        let results = await grader.run()
        try await client.shutdown()

        print(json
              ? JSONReport.render(results, lb: lb, targets: targetEndpoints)
              : TableReport.render(results, lb: lb, targets: targetEndpoints))
        if !results.allSatisfy({ $0.result == .pass }) {
            throw ExitCode.failure
        }
    }

    private func endpoints() throws -> (Endpoint, [Endpoint]) {
        do {
            let lb = try Endpoint(parsing: loadBalancer, role: .loadBalancer)
            let parsed = try targets.enumerated().map { (index, text) throws(EndpointError) in
                try Endpoint(parsing: text, role: .target(number: index + 1))
            }
            return (lb, parsed)
        } catch {
            throw ValidationError(error.description)
        }
    }

    private static func clientConfiguration(timeout: Double) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        let millis = Int64(timeout * 1000)
        configuration.timeout = .init(connect: .milliseconds(min(millis, 3000)), read: .milliseconds(millis))
        // The grader does not follow redirects; a redirect is reported, not followed.
        configuration.redirectConfiguration = .disallow
        // A refused connection is an answer to report at once, not something to retry until the
        // deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return configuration
    }
}
