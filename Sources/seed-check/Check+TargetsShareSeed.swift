extension Grader {
    /// 3. A value POSTed to one target is read from the other. The reading side is first set to a
    /// different value, so a stale copy cannot pass by luck.
    func checkShared(writtenTo writer: Endpoint, readFrom reader: Endpoint) async -> CheckResult {
        let writerName = name(of: writer)
        let readerName = name(of: reader)
        let id = "share:\(writer.base)->\(reader.base)"
        let check = "a value POSTed to \(writerName) is read from \(readerName)"
        if let skipped = await skipIfUnreachable([writer, reader], id: id, check: check) { return skipped }
        let before = SeedValues.fresh()
        let value = SeedValues.fresh(avoiding: before)
        var talkingTo = reader  // which side a network failure came from
        do throws(ProbeFailure) {
            let primed = try await probe.postSeed(reader, before)
            guard primed.status == 200 else {
                return .fail(id, check, Diagnosis(postRefused: primed, value: before, at: reader,
                                                  doing: "POST {\"num\": \(before)} to \(reader.root)"))
            }
            talkingTo = writer
            let stored = try await probe.postSeed(writer, value)
            guard stored.status == 200 else {
                return .fail(id, check, Diagnosis(postRefused: stored, value: value, at: writer,
                                                  doing: "POST {\"num\": \(value)} to \(writer.root)"))
            }
            talkingTo = reader
            let read = try await probe.get(reader)
            guard read.status == 200 else {
                return .fail(id, check, Diagnosis(unexpected: read, from: reader, doing: "GET \(reader.root)"))
            }
            let story = "set \(readerName) to \(before), POSTed \(value) to \(writerName); \(readerName) answered \(read.bodyExcerpt)"
            if read.seed == value {
                return .pass(id, check, story)
            }
            if read.seed == before {
                return .fail(id, check, Diagnosis(
                    seen: story,
                    cause: "target \(readerName) returned its own value: each instance keeps its own seed",
                    fix: "start both with `--backend redis` and the same `--redis-url` (and the same --redis-key, if you set one)"
                ))
            }
            return .fail(id, check, Diagnosis(
                seen: story + ", neither value",
                cause: "another client wrote the seed meanwhile, or the instances do not read what they write",
                fix: "stop other clients while checking; give both instances the same --redis-url and --redis-key"
            ))
        } catch {
            return .fail(id, check, Diagnosis(error, reaching: talkingTo, doing: "POST to \(writerName), GET from \(readerName)"))
        }
    }
}
