import SeedStorage
import Synchronization

/// The `200` answers that carry the seed, rendered once per value and shared.
///
/// Almost every request reads a seed that has not changed since the previous answer, so they
/// share that answer (its body buffer and header block are copy-on-write values, never mutated in
/// place, so sharing them across event loops is safe) instead of formatting the number and
/// building the headers again. A new value is rendered once, outside the lock.
final class SeedAnswers: Sendable {
    private let servedBy: String
    private let last = Mutex<(seed: Int64, answer: PlainTextAnswer)?>(nil)

    init(servedBy: String) {
        self.servedBy = servedBy
    }

    /// The seed as the body: decimal digits, no quotes, no newline.
    func answer(for seed: Int64) -> PlainTextAnswer {
        if let cached = last.withLock({ $0 }), cached.seed == seed {
            return cached.answer
        }
        let answer = PlainTextAnswer(status: .ok, text: String(seed), servedBy: servedBy)
        last.withLock { $0 = (seed, answer) }
        return answer
    }
}
