import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The `200` answers that carry the seed, rendered once per value.
///
/// Almost every request reads a seed that has not changed since the previous answer, so they
/// share that answer's body buffer and header block (read-only, so sharing them across threads is
/// safe) instead of formatting the number, allocating a buffer for it and building the headers
/// again. A new value is rendered once, outside the lock, and then replaces the old one.
final class SeedResponseCache: Sendable {
    private struct Rendered: Sendable {
        let seed: Int64
        let headers: HTTPFields
        let body: ByteBuffer
    }

    private let servedBy: String
    private let last = Mutex<Rendered?>(nil)

    init(servedBy: String) {
        self.servedBy = servedBy
    }

    /// The seed as the body: decimal digits, no quotes, no newline.
    func response(for seed: Int64) -> Response {
        let rendered: Rendered
        if let cached = last.withLock({ $0 }), cached.seed == seed {
            rendered = cached
        } else {
            rendered = render(seed)
            last.withLock { $0 = rendered }
        }
        return Response(status: .ok, headers: rendered.headers, body: .init(byteBuffer: rendered.body))
    }

    private func render(_ seed: Int64) -> Rendered {
        let body = ByteBuffer(string: String(seed))
        let headers: HTTPFields = [
            .contentType: PlainText.contentType,
            .contentLength: String(body.readableBytes),
            .servedBy: servedBy,
        ]
        return Rendered(seed: seed, headers: headers, body: body)
    }
}
