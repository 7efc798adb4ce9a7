extension Grader {
    /// 1. `GET /` through the load balancer answers 200 and an integer.
    func checkLBAnswersInteger() async -> CheckResult {
        let id = "lb-get"
        let check = "GET / through the LB answers an integer"
        let action = "GET \(lb.root)"
        do throws(ProbeFailure) {
            let reply = try await probe.get(lb)
            guard reply.status == 200, reply.seed != nil else {
                return .fail(id, check, Diagnosis(unexpected: reply, from: lb, doing: action))
            }
            return .pass(id, check, reply.summary)
        } catch {
            return .fail(id, check, Diagnosis(error, reaching: lb, doing: action))
        }
    }
}
