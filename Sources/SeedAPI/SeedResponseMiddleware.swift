import HTTPTypes
import Hummingbird

/// Runs around every request: refuses methods `/` does not serve, turns every error into a
/// plain-text answer, and stamps each response with the instance that served it.
struct SeedResponseMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// `X-Served-By` lets a person behind the load balancer see which target answered.
    let servedBy: String
    private static let allowedMethods: Set<HTTPRequest.Method> = [.get, .head, .post]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            if request.uri.path == "/", !Self.allowedMethods.contains(request.method) {
                throw PlainTextError.methodNotAllowed(request.method)
            }
            response = try await next(request, context)
        } catch let error as PlainTextError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            response = try PlainTextError.notFound(request.uri.path).response(from: request, context: context)
        } catch let error as HTTPResponseError where error.status.code < 500 {
            let reason = "\(error.status.code) \(error.status.reasonPhrase): send GET / or POST / with {\"num\": N}"
            response = try PlainTextError(status: error.status, message: reason).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(error)")
            response = try PlainTextError(status: .internalServerError, message: "internal error; see the server log")
                .response(from: request, context: context)
        }
        // The seed's answers come with it already (SeedResponseCache): setting it again would copy
        // the header block they share.
        if response.headers[.servedBy] == nil {
            response.headers[.servedBy] = servedBy
        }
        return response
    }
}

extension HTTPField.Name {
    /// Which instance answered: every response carries it.
    public static let servedBy = Self("X-Served-By")!
}
