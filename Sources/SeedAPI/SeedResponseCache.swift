import Hummingbird
import Synchronization

/// The `200` answers that carry the seed, rendered once per value.
///
/// Almost every request reads a seed that has not changed since the previous answer, so they
/// share that answer (its body buffer and header block are read-only, so sharing them across
/// threads is safe) instead of formatting the number, allocating a buffer for it and building the
/// headers again. A new value is rendered once, outside the lock, and then replaces the old one.
final class SeedResponseCache: Sendable {
    private struct Rendered: Sendable {
        let seed: Int64
        let response: Response
    }

    private let servedBy: String
    private let last = Mutex<Rendered?>(nil)

    init(servedBy: String) {
        self.servedBy = servedBy
    }

    /// The seed as the body: decimal digits, no quotes, no newline.
    func response(for seed: Int64) -> Response {
        if let cached = last.withLock({ $0 }), cached.seed == seed {
            return cached.response
        }
        let response = PlainText.response(status: .ok, text: String(seed), extraHeaders: [.servedBy: servedBy])
        last.withLock { $0 = Rendered(seed: seed, response: response) }
        return response
    }
}
