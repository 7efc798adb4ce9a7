import HTTPTypes
import Hummingbird
import NIOCore

/// Plain-text responses, with the headers every one of them shares built once.
enum PlainText {
    static let contentType = "text/plain; charset=utf-8"

    static func response(status: HTTPResponse.Status, text: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extraHeaders)
        let buffer = ByteBuffer(string: text)
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// The seed as the body: decimal digits, no quotes, no newline.
    static func seed(_ value: Int64) -> Response {
        response(status: .ok, text: String(value))
    }
}
