/// Runs the autograder's checks, in its order, against one deployment.
struct Grader {
    let probe: Probe
    let lb: Endpoint
    let targets: [Endpoint]
    /// What each target calls itself in `X-Served-By`, learned by its health check.
    var names: [Endpoint: String] = [:]

    init(probe: Probe, lb: Endpoint, targets: [Endpoint]) {
        self.probe = probe
        self.lb = lb
        self.targets = targets
    }

    mutating func run() async -> [CheckResult] {
        var results: [CheckResult] = []
        results.append(await checkLBAnswersInteger())
        results.append(await checkLBReadsBackPost())
        for target in targets {
            results.append(await checkHealth(of: target))
        }
        for writer in targets {
            for reader in targets where reader != writer {
                results.append(await checkShared(writtenTo: writer, readFrom: reader))
            }
        }
        results.append(await checkBothTargetsServe())
        results.append(await checkMalformedBodiesRefused())
        return results
    }

    /// A target's name for the table: what it says in `X-Served-By`, else its number.
    func name(of target: Endpoint) -> String {
        if let name = names[target] { return name }
        if case .target(let number) = target.role { return "target \(number)" }
        return "the LB"
    }

    /// The row to show instead of running a check whose endpoint already failed to answer.
    func skipIfUnreachable(_ endpoints: [Endpoint], id: String, check: String) async -> CheckResult? {
        for endpoint in endpoints where await probe.failure(reaching: endpoint) != nil {
            return .skip(id, check, "not run: \(endpoint.label) did not answer (see above)")
        }
        return nil
    }
}
