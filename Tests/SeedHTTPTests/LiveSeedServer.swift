import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import RedisClient
import SeedHTTP
import ServiceLifecycle
import Synchronization

/// Settings for a server under test: memory by default, or Redis at `redisURL`; a free port.
func testSettings(backend: SeedServerSettings.Backend = .memory, redisURL: String? = nil,
                  instanceName: String = "test-instance") throws -> SeedServerSettings {
    var settings = SeedServerSettings(host: "127.0.0.1", port: 0, backend: backend, instanceName: instanceName)
    if let redisURL { settings.redisURL = try RedisURL(parsing: redisURL) }
    settings.redisTimeout = .milliseconds(300)
    return settings
}

/// Runs a real `SeedServer` on a loopback socket for the length of `body`, then shuts it down
/// gracefully, whatever `body` did.
func withLiveServer<T: Sendable>(_ settings: SeedServerSettings,
                                 _ body: (SeedClient) async throws -> T) async throws -> T {
    let logger = Logger(label: "test")
    let server = SeedServer(settings, logger: logger)
    let running = RunningGroup()
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            try await server.run(logger: logger, signals: []) { started in running.group.withLock { $0 = started } }
        }
        let outcome: Result<T, any Error>
        do {
            let port = try await server.http.localAddress.port ?? 0
            outcome = .success(try await body(SeedClient(port: port)))
        } catch {
            outcome = .failure(error)
        }
        await running.group.withLock { $0 }?.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try outcome.get()
    }
}

/// The service group a test server runs in, once it has started.
private final class RunningGroup: Sendable {
    let group = Mutex<ServiceGroup?>(nil)
}

/// A status and a body text, comparable in one expectation.
struct Answer: Equatable, Sendable, CustomStringConvertible {
    let status: HTTPResponseStatus
    let body: String
    init(_ status: HTTPResponseStatus, _ body: String) {
        self.status = status
        self.body = body
    }
    var description: String { "\(status.code) \(body)" }
}

/// A real HTTP client (AsyncHTTPClient) talking to one server under test.
struct SeedClient: Sendable {
    let port: Int

    /// One request and its whole response.
    func exchange(_ method: HTTPMethod, path: String = "/", body: String? = nil,
                  headers: [(String, String)] = []) async throws -> (status: HTTPResponseStatus, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(contentsOf: headers)
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 16)
        return (response.status, response.headers, String(buffer: bytes))
    }

    func send(_ method: HTTPMethod, path: String = "/", body: String? = nil,
              headers: [(String, String)] = []) async throws -> Answer {
        let response = try await exchange(method, path: path, body: body, headers: headers)
        return Answer(response.status, response.body)
    }

    func getSeed() async throws -> Answer { try await send(.GET) }

    func postSeed(_ body: String, contentType: String? = "application/json") async throws -> Answer {
        try await send(.POST, body: body, headers: contentType.map { [("Content-Type", $0)] } ?? [])
    }
}
