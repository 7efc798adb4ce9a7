extension Grader {
    /// Bodies the grader sends to see them refused, each with what is wrong with it.
    static let malformedBodies: [(body: String, flaw: String)] = [
        (#"{"num": "12"}"#, "a string"),
        (#"{"num": 1.5}"#, "a fraction"),
        (#"{"num": 99999999999999999999}"#, "beyond 64 bits"),
        (#"{"seed": 12}"#, "no num field"),
        ("num=12", "not JSON"),
    ]

    /// 5. Malformed bodies are refused with a 4xx and leave the seed as it was.
    func checkMalformedBodiesRefused() async -> CheckResult {
        let id = "malformed-refused"
        let check = "malformed bodies are refused with 4xx, seed unchanged"
        if let skipped = await skipIfUnreachable([lb], id: id, check: check) { return skipped }
        let value = SeedValues.fresh()
        do throws(ProbeFailure) {
            let stored = try await probe.postSeed(lb, value)
            guard stored.status == 200 else {
                return .skip(id, check, "not run: POST {\"num\": \(value)} through the LB answered \(stored.summary) (see above)")
            }
            let before = try await seedByInstance()
            var wrong: [(flaw: String, body: String, reply: Reply)] = []
            for (body, flaw) in Self.malformedBodies {
                let reply = try await probe.post(lb, body: body)
                if !(400..<500).contains(reply.status) { wrong.append((flaw, body, reply)) }
            }
            let after = try await seedByInstance()

            if let first = wrong.first {
                let list = wrong.map { "\($0.body) (\($0.flaw)) → \($0.reply.summary)" }.joined(separator: "; ")
                let serverFailed = first.reply.status >= 500
                return .fail(id, check, Diagnosis(
                    seen: "\(wrong.count) of \(Self.malformedBodies.count) bad bodies were not refused with 4xx: \(list)",
                    cause: serverFailed
                        ? "the server fails on a client mistake instead of refusing it: a bad body must get a 4xx, never a 5xx"
                        : "the server accepts a body whose `num` is not a 64-bit integer",
                    fix: "validate the body first; answer 400 with a one-line reason unless `num` is an integer in the signed 64-bit range"
                ))
            }
            let changed = before.keys.filter { name in after[name].map { $0 != before[name] } ?? false }.sorted()
            if !changed.isEmpty {
                let story = changed.map { "\($0): \(before[$0]!.text) → \(after[$0]!.text)" }.joined(separator: ", ")
                return .fail(id, check, Diagnosis(
                    seen: "every bad body got a 4xx, but the seed changed: \(story)",
                    cause: "a refused request still wrote to the store",
                    fix: "validate the whole body before writing the seed"
                ))
            }
            let kept = after.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.text)" }.joined(separator: ", ")
            return .pass(id, check, "\(Self.malformedBodies.count) bad bodies got 4xx; seed unchanged (\(kept))")
        } catch {
            return .fail(id, check, Diagnosis(error, reaching: lb, doing: "POST bad bodies to \(lb.root)"))
        }
    }

    /// The seed as each instance behind the LB reports it (a few GETs, so round robin reaches
    /// every instance). Keyed by instance, so two instances that disagree are not a "change".
    private func seedByInstance() async throws(ProbeFailure) -> [String: SeedReading] {
        var readings: [String: SeedReading] = [:]
        for _ in 0..<4 {
            let reply = try await probe.get(lb)
            readings[reply.servedBy ?? "?"] = SeedReading(status: reply.status, body: reply.bodyExcerpt)
        }
        return readings
    }
}

/// One instance's answer to GET /, compared before and after the bad bodies.
struct SeedReading: Equatable {
    let status: Int
    let body: String
    var text: String { status == 200 ? body : "\(status) \(body)" }
}
