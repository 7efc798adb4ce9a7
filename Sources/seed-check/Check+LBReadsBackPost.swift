extension Grader {
    static let readBackCount = 20

    /// 2. A random value POSTed through the LB is read back by 20 GETs through the LB.
    func checkLBReadsBackPost() async -> CheckResult {
        let id = "lb-read-back"
        let check = "a value POSTed through the LB is read back by \(Self.readBackCount) GETs"
        if let skipped = await skipIfUnreachable([lb], id: id, check: check) { return skipped }
        let value = SeedValues.fresh()
        let postAction = "POST {\"num\": \(value)} to \(lb.root)"
        do throws(ProbeFailure) {
            let stored = try await probe.postSeed(lb, value)
            guard stored.status == 200 else {
                return .fail(id, check, Diagnosis(postRefused: stored, value: value, at: lb, doing: postAction))
            }
            var others: [Reply] = []
            var servers: [String: Int] = [:]
            for _ in 0..<Self.readBackCount {
                let reply = try await probe.get(lb)
                guard reply.status == 200 else {
                    return .fail(id, check, Diagnosis(unexpected: reply, from: lb, doing: "GET \(lb.root) after the POST"))
                }
                servers[reply.servedBy ?? "?", default: 0] += 1
                if reply.seed != value { others.append(reply) }
            }
            if others.isEmpty {
                let by = servers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
                return .pass(id, check, "POSTed \(value); all \(Self.readBackCount) GETs answered it (\(by))")
            }
            return .fail(id, check, Self.staleReads(others, value: value, writer: stored.servedBy))
        } catch {
            return .fail(id, check, Diagnosis(error, reaching: lb, doing: "POST, then GET \(lb.root)"))
        }
    }

    private static func staleReads(_ others: [Reply], value: Int64, writer: String?) -> Diagnosis {
        let answers = Dictionary(grouping: others) { "\($0.servedBy ?? "an unnamed instance") said \($0.bodyExcerpt)" }
            .sorted { $0.key < $1.key }
            .map { "\($0.key) ×\($0.value.count)" }
            .joined(separator: ", ")
        let seen = "POSTed \(value)\(writer.map { " (\($0) took it)" } ?? ""); \(others.count) of \(readBackCount) GETs answered another value: \(answers)"
        if let writer, others.allSatisfy({ $0.servedBy == writer }) {
            return Diagnosis(
                seen: seen,
                cause: "\(writer) itself answered another value than the one it just stored: it does not keep the POSTed value, or another client writes the seed at the same time",
                fix: "store the value before answering the POST; stop other clients while checking"
            )
        }
        return Diagnosis(
            seen: seen,
            cause: "each instance keeps its own seed: a value POSTed to one instance is not seen by the other",
            fix: "start both with `--backend redis` and the same `--redis-url`"
        )
    }
}
