/// Retries `body` until it succeeds, for at most `seconds`: how tests wait for a recovery.
func eventually<T>(within seconds: Int = 10, _ body: () async throws -> T) async throws -> T {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while true {
        do {
            return try await body()
        } catch where ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The error `body` throws and how long it took to throw it (monotonic clock).
func failure(_ body: () async throws -> some Any) async -> (text: String, took: Duration) {
    let start = ContinuousClock.now
    do {
        _ = try await body()
        return ("no error", ContinuousClock.now - start)
    } catch {
        return ("\(error)", ContinuousClock.now - start)
    }
}
