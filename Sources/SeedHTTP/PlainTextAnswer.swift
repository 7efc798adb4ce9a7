import NIOCore
import NIOHTTP1

/// One complete answer: a status, the header fields every answer of this server carries, and a
/// plain-text body. Errors are one line that says what happened and what to do instead.
struct PlainTextAnswer: Sendable {
    let status: HTTPResponseStatus
    let body: ByteBuffer
    /// Header fields without `Date` and `Connection`, which depend on when and what it answers.
    let headers: HTTPHeaders

    /// - Parameters:
    ///   - text: the body, sent as it is (errors end it with a newline; the seed does not).
    ///   - servedBy: the `X-Served-By` value, naming this instance.
    ///   - extraHeaders: more fields, e.g. `Allow` on a 405 (RFC 9110 §15.5.6).
    init(status: HTTPResponseStatus, text: String, servedBy: String, extraHeaders: [(String, String)] = []) {
        self.status = status
        self.body = ByteBuffer(string: text)
        var headers = HTTPHeaders()
        headers.reserveCapacity(5 + extraHeaders.count)
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        // The seed changes: no cache between a client and this server may answer for it
        // (RFC 9111 §5.2.2.5).
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Served-By", value: servedBy)
        headers.add(contentsOf: extraHeaders)
        self.headers = headers
    }

    /// An error answer: `message` plus a newline.
    static func refusal(_ status: HTTPResponseStatus, _ message: String, servedBy: String,
                        extraHeaders: [(String, String)] = []) -> PlainTextAnswer {
        PlainTextAnswer(status: status, text: message + "\n", servedBy: servedBy, extraHeaders: extraHeaders)
    }

    /// The response head for a request of `requestVersion`, saying whether the connection stays open.
    ///
    /// The answer is HTTP/1.1 whatever the request's minor version (RFC 9110 §6.2). HTTP/1.1 keeps
    /// connections open unless told otherwise; HTTP/1.0 closes them unless the request asked for
    /// keep-alive, and then the answer must say it keeps the connection (RFC 9112 §9.3).
    func head(requestVersion: HTTPVersion, keepAlive: Bool, date: String) -> HTTPResponseHead {
        var headers = self.headers
        headers.add(name: "Date", value: date)
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if requestVersion.major == 1, requestVersion.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: .http1_1, status: status, headers: headers)
    }
}
