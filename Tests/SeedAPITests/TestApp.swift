import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RedisClient
import SeedAPI

/// Settings for an app under test: memory by default, or Redis at `redisURL`.
func testSettings(backend: SeedServerSettings.Backend = .memory, redisURL: String? = nil,
                  instanceName: String = "test-instance") throws -> SeedServerSettings {
    var settings = SeedServerSettings(host: "127.0.0.1", port: 0, backend: backend, instanceName: instanceName)
    if let redisURL { settings.redisURL = try RedisURL(parsing: redisURL) }
    settings.redisTimeout = .milliseconds(300)
    return settings
}

func testApp(_ settings: SeedServerSettings) async throws -> some ApplicationProtocol {
    try await buildApplication(settings, logger: Logger(label: "test"))
}

/// A response's status and body text, comparable in one expectation.
struct Answer: Equatable, CustomStringConvertible {
    let status: HTTPResponse.Status
    let body: String
    init(_ status: HTTPResponse.Status, _ body: String) {
        self.status = status
        self.body = body
    }
    var description: String { "\(status.code) \(body)" }
}

extension TestClientProtocol {
    func getSeed() async throws -> Answer {
        try await execute(uri: "/", method: .get) { Answer($0.status, String(buffer: $0.body)) }
    }

    func postSeed(_ body: String, contentType: String? = "application/json") async throws -> Answer {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body)) {
            Answer($0.status, String(buffer: $0.body))
        }
    }
}
