import HTTPTypes
import Hummingbird
import NIOCore

/// Plain-text answers: errors, refusals, and (through `SeedResponseCache`) the seed.
enum PlainText {
    static let contentType = "text/plain; charset=utf-8"

    static func response(status: HTTPResponse.Status, text: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extraHeaders)
        let buffer = ByteBuffer(string: text)
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
