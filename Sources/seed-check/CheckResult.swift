/// One row of seed-check's table: what was checked, how it went, and — when it failed — the
/// likely cause and what to do about it.
struct CheckResult: Sendable, Codable {
    enum Outcome: String, Sendable, Codable {
        case pass = "PASS"
        case fail = "FAIL"
        /// Not run, because what it needs already failed (named in `detail`).
        case skip = "SKIP"
    }

    /// A stable identifier, e.g. `lb-get`, `share:seed-a->seed-b`, for scripts reading `--json`.
    let id: String
    /// What was checked, in words.
    let check: String
    let result: Outcome
    /// What was seen.
    let detail: String
    let cause: String?
    let fix: String?

    static func pass(_ id: String, _ check: String, _ detail: String) -> CheckResult {
        CheckResult(id: id, check: check, result: .pass, detail: detail, cause: nil, fix: nil)
    }

    static func fail(_ id: String, _ check: String, _ diagnosis: Diagnosis) -> CheckResult {
        CheckResult(id: id, check: check, result: .fail, detail: diagnosis.seen, cause: diagnosis.cause, fix: diagnosis.fix)
    }

    static func skip(_ id: String, _ check: String, _ reason: String) -> CheckResult {
        CheckResult(id: id, check: check, result: .skip, detail: reason, cause: nil, fix: nil)
    }
}
