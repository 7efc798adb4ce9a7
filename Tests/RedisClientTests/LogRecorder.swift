import Logging
import Synchronization

/// Keeps every line a `Logger` writes, so a test can count how often something was logged.
final class LogRecorder: Sendable {
    struct Line: Sendable {
        let level: Logger.Level
        let message: String
    }

    private let lines = Mutex<[Line]>([])

    /// A logger that writes here, at `trace` level and above.
    func logger() -> Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    /// The lines at `level` whose message contains `text`.
    func lines(at level: Logger.Level, containing text: String) -> [String] {
        lines.withLock { $0.filter { $0.level == level && $0.message.contains(text) }.map(\.message) }
    }

    fileprivate func append(_ line: Line) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append(Line(level: event.level, message: event.message.description))
        }
    }
}
