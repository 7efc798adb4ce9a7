/// What went wrong, in three parts: what seed-check saw, the likely cause, and the fix.
/// This is the point of seed-check: a student reads `cause` and `fix`, not a stack trace.
struct Diagnosis: Sendable {
    let seen: String
    let cause: String
    let fix: String
}

extension Endpoint {
    /// "the LB" or "target 2 (http://…)": how the explanations name an endpoint.
    var label: String {
        switch role {
        case .loadBalancer: "the LB"
        case .target(let number): "target \(number) (\(base))"
        }
    }
}
