extension Grader {
    /// Answers through the LB to look at, at most, before deciding a target never answers.
    static let spreadRequests = 12

    /// 4. Both targets are seen answering through the LB (`X-Served-By`).
    func checkBothTargetsServe() async -> CheckResult {
        let id = "lb-both-targets"
        let check = "both targets answer through the LB (X-Served-By)"
        if let skipped = await skipIfUnreachable([lb], id: id, check: check) { return skipped }

        let expected = Set(targets.compactMap { names[$0] })
        if targets.count >= 2, expected.count == 1, targets.allSatisfy({ names[$0] != nil }) {
            let only = expected.first ?? ""
            return .fail(id, check, Diagnosis(
                seen: "every target calls itself \(only) in X-Served-By",
                cause: "the targets cannot be told apart",
                fix: "give each instance its own --instance-name (or leave it unset: the host name)"
            ))
        }
        let wanted = targets.isEmpty || expected.count < targets.count ? 2 : expected.count
        var seen = await probe.answersThroughLB
        var asked = 0
        do throws(ProbeFailure) {
            while !Self.enough(seen, expected: expected, wanted: wanted), asked < Self.spreadRequests {
                let reply = try await probe.get(lb)
                asked += 1
                if reply.status != 200 {
                    return .fail(id, check, Diagnosis(unexpected: reply, from: lb, doing: "GET \(lb.root)"))
                }
                seen = await probe.answersThroughLB
            }
        } catch {
            return .fail(id, check, Diagnosis(error, reaching: lb, doing: "GET \(lb.root)"))
        }
        let tally = seen.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        if Self.enough(seen, expected: expected, wanted: wanted) {
            return .pass(id, check, "answers through the LB came from \(tally)")
        }
        if seen.isEmpty {
            return .fail(id, check, Diagnosis(
                seen: "no answer through the LB carried an X-Served-By header",
                cause: "the server does not say which instance answered",
                fix: "send `X-Served-By: <instance name>` on every response (seed-server does; set --instance-name)"
            ))
        }
        let missing = expected.subtracting(seen.keys).sorted()
        let absent = missing.isEmpty ? "a second instance" : missing.joined(separator: " and ")
        return .fail(id, check, Diagnosis(
            seen: "only \(tally) answered through the LB; \(absent) never did",
            cause: "\(absent) is not in the LB's rotation: not registered in the target group, failing its health check (see its row), or the LB uses sticky sessions",
            fix: "register both instances in the target group (health-check path `/`), and turn stickiness off"
        ))
    }

    private static func enough(_ seen: [String: Int], expected: Set<String>, wanted: Int) -> Bool {
        expected.count >= 2 ? expected.isSubset(of: seen.keys) : seen.count >= wanted
    }
}
