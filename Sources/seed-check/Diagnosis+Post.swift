/// Explanations for a `POST /` with a valid body that was not accepted.
extension Diagnosis {
    init(postRefused reply: Reply, value: Int64, at endpoint: Endpoint, doing action: String) {
        let seen = "\(action): \(reply.summary)"
        switch reply.status {
        case 404, 405:
            self.init(seen: seen,
                      cause: "POST / is not served",
                      fix: "accept POST at the root path `/` with a JSON body like {\"num\": 42}")
        case 400, 415, 422:
            self.init(seen: seen,
                      cause: "the server refused a valid body: {\"num\": \(value)} is a 64-bit integer",
                      fix: "accept any JSON object whose `num` is an integer in the signed 64-bit range, whatever the Content-Type")
        case 413:
            self.init(seen: seen,
                      cause: "a body of a few bytes was called too large",
                      fix: "allow bodies up to 1 KiB")
        default:
            self.init(unexpected: reply, from: endpoint, doing: action)
        }
    }
}
