import Hummingbird
import NIOCore
import SeedInput
import SeedStorage

/// `GET /` reads the seed, `POST /` sets it. `HEAD /` comes from the router (GET without a body).
struct SeedController: Sendable {
    let store: any SeedStore
    let responses: SeedResponseCache

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/", use: read)
        router.post("/", use: write)
    }

    @Sendable func read(_ request: Request, context: BasicRequestContext) async throws -> Response {
        do {
            return responses.response(for: try await store.read())
        } catch {
            throw PlainTextError.unavailable(error.description)
        }
    }

    @Sendable func write(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let limit = SeedRequestBody.maximumBytes
        // A declared length over the limit is refused before a byte of the body is read.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw inputError(.bodyTooLarge(limit: limit))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw inputError(.bodyTooLarge(limit: limit))
        } catch {
            // The HTTP parser could not read a whole body: cut short, bad chunked framing, an
            // unknown Transfer-Encoding. The client's mistake, so a 4xx, and nothing is applied.
            throw PlainTextError(
                status: .badRequest,
                message: "the request body could not be read (\(error)): send the whole body, with a correct Content-Length")
        }
        let seed: Int64
        switch SeedRequestBody.parse(body.readableBytesView) {
        case .success(let value): seed = value
        case .failure(let error): throw inputError(error)
        }
        do {
            return responses.response(for: try await store.write(seed))
        } catch {
            throw PlainTextError.unavailable(error.description)
        }
    }

    private func inputError(_ error: SeedInputError) -> PlainTextError {
        PlainTextError(status: error.isBodyTooLarge ? .contentTooLarge : .badRequest, message: error.description)
    }
}
