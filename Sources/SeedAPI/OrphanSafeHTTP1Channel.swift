import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Hummingbird's HTTP/1 connection setup, made safe against a shutdown race in SwiftNIO.
///
/// A connection accepted just as the listener closes is set up on its own event loop, but when it
/// is handed back, the server's accept loop has already finished, so it is never served. Its
/// `NIOAsyncChannel` is then released unfinished, which SwiftNIO treats as a programming error
/// and traps on: the process would die in the middle of its drain, taking the requests on its
/// open connections with it. So each connection set up here is remembered until the server takes
/// it; one that is never taken is finished here once its socket closes (by the client, or when
/// the drain ends and every connection is closed).
struct OrphanSafeHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    private let untaken = UntakenConnections()

    init(_ http1: HTTP1Channel) {
        self.http1 = http1
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).map { [untaken] connection in
            untaken.insert(connection)
            channel.closeFuture.whenComplete { _ in
                guard untaken.take(connection) else { return }
                // Never served: finish it the way the server would have, so it is released cleanly.
                Task { try? await connection.executeThenClose { _, _ in } }
            }
            return connection
        }
    }

    func handle(value connection: Value, logger: Logger) async {
        // Already finished above if its socket closed before the server got to it.
        guard untaken.take(connection) else { return }
        await http1.handle(value: connection, logger: logger)
    }
}

/// Connections set up but not yet taken by the server or by the cleanup; each is taken once.
private final class UntakenConnections: Sendable {
    private let connections = Mutex<[ObjectIdentifier: OrphanSafeHTTP1Channel.Value]>([:])

    func insert(_ connection: OrphanSafeHTTP1Channel.Value) {
        connections.withLock { $0[ObjectIdentifier(connection.channel)] = connection }
    }

    /// True for the one caller that takes it.
    func take(_ connection: OrphanSafeHTTP1Channel.Value) -> Bool {
        connections.withLock { $0.removeValue(forKey: ObjectIdentifier(connection.channel)) != nil }
    }
}
