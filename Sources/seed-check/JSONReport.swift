import Foundation

/// The machine-readable report (`--json`): the same rows as the table, and the verdict.
struct JSONReport: Codable {
    let lb: String
    let targets: [String]
    let passed: Bool
    let checks: [CheckResult]

    static func render(_ results: [CheckResult], lb: Endpoint, targets: [Endpoint]) -> String {
        let report = JSONReport(
            lb: lb.base,
            targets: targets.map(\.base),
            passed: results.allSatisfy { $0.result == .pass },
            checks: results
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
