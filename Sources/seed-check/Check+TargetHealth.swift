extension Grader {
    /// 3b. `GET /` on a target answers 200: the health check the LB's target group runs.
    mutating func checkHealth(of target: Endpoint) async -> CheckResult {
        let id = "health:\(target.base)"
        let check = "GET / on \(target.base) answers 200 (the health check)"
        let action = "GET \(target.root)"
        do throws(ProbeFailure) {
            let reply = try await probe.get(target)
            if let servedBy = reply.servedBy { names[target] = servedBy }
            guard reply.status == 200, reply.seed != nil else {
                var diagnosis = Diagnosis(unexpected: reply, from: target, doing: action)
                if reply.status != 200 {
                    diagnosis = Diagnosis(
                        seen: diagnosis.seen,
                        cause: diagnosis.cause + "; the LB takes this target out of rotation until it answers 200",
                        fix: diagnosis.fix
                    )
                }
                return .fail(id, check, diagnosis)
            }
            return .pass(id, check, reply.summary)
        } catch {
            return .fail(id, check, Diagnosis(error, reaching: target, doing: action))
        }
    }
}
