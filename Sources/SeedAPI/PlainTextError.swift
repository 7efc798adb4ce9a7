import HTTPTypes
import Hummingbird

/// An error answered as one line of plain text: what happened and what to do instead.
struct PlainTextError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        PlainText.response(status: status, text: message + "\n", extraHeaders: headers)
    }

    static func notFound(_ path: String) -> PlainTextError {
        PlainTextError(status: .notFound, message: "no such path \(path): the seed is at / (GET to read, POST {\"num\": N} to set)")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method) -> PlainTextError {
        PlainTextError(
            status: .methodNotAllowed,
            message: "method \(method.rawValue) is not allowed on /: use GET to read the seed or POST {\"num\": N} to set it",
            headers: [.allow: "GET, HEAD, POST"])
    }

    static func unavailable(_ reason: String) -> PlainTextError {
        PlainTextError(status: .serviceUnavailable, message: "seed unavailable: \(reason)")
    }
}
