import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1:`port` that does nothing but stay open: how a test fills
/// a Redis started with `--maxclients 1`. Closed by `close()` or when released.
public final class HeldConnection: @unchecked Sendable {
    private var fd: Int32

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("cannot create a socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            let reason = errno
            Glibc.close(fd)
            throw TestSupportError("cannot connect to 127.0.0.1:\(port): errno \(reason)")
        }
    }

    deinit { close() }

    /// Whether the server has written anything or closed the connection. Redis turns a client
    /// away (maxclients) by writing an error and closing; one it accepted stays silent until
    /// asked something, so a silent open connection holds its place.
    public var heardFromServer: Bool {
        var byte: UInt8 = 0
        let received = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return !(received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    }

    public func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }
}
