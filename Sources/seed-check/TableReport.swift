/// The human-readable report: one row per check (check · result · detail); under a failed row,
/// the likely cause and the fix.
enum TableReport {
    static func render(_ results: [CheckResult], lb: Endpoint, targets: [Endpoint]) -> String {
        let checkWidth = max(5, results.map(\.check.count).max() ?? 0)
        let indent = String(repeating: " ", count: checkWidth + 2 + 6 + 2)
        func row(_ check: String, _ result: String, _ detail: String) -> String {
            check.padded(to: checkWidth) + "  " + result.padded(to: 6) + "  " + detail
        }
        var lines = ["seed-check: \(lb.base)" + (targets.isEmpty ? "" : " with targets " + targets.map(\.base).joined(separator: ", ")), ""]
        lines.append(row("CHECK", "RESULT", "DETAIL"))
        for result in results {
            lines.append(row(result.check, result.result.rawValue, result.detail))
            if let cause = result.cause { lines.append(indent + "cause: " + cause) }
            if let fix = result.fix { lines.append(indent + "fix:   " + fix) }
        }
        let failed = results.filter { $0.result == .fail }.count
        let skipped = results.filter { $0.result == .skip }.count
        let passed = results.count - failed - skipped
        lines.append("")
        lines.append(failed + skipped == 0
            ? "all \(results.count) checks passed: the grader should pass this deployment"
            : "\(passed) of \(results.count) checks passed, \(failed) failed, \(skipped) not run: fix the first FAIL first — later rows often follow from it")
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padded(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
