#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Why the server could not listen, in words that say what to do next, in place of the socket
/// error (`bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`).
///
/// The causes are bind(2)'s errors: `EADDRINUSE`, `EACCES` (a port below 1024 without the
/// privilege, POSIX "reserved ports") and `EADDRNOTAVAIL` (an address this machine does not have).
public struct ListenFailure: Error, CustomStringConvertible, Sendable {
    public let description: String

    /// The explanation of `error` from binding `host`:`port`, or nil if it is none of the above.
    init?(_ error: any Error, host: String, port: Int) {
        guard let io = error as? IOError else { return nil }
        switch io.errnoCode {
        case EADDRINUSE:
            description = "port \(port) on \(host) is already in use: stop what listens there "
                + "(`ss -ltnp 'sport = :\(port)'` or `lsof -i :\(port)` shows it), or pick another "
                + "port with --port or PORT (e.g. PORT=\(port == 8080 ? 8090 : 8080))"
        case EACCES:
            description = "port \(port) on \(host) is not permitted: ports below 1024 need root "
                + "privileges; use --port or PORT of 1024 or more (e.g. 8080), and put a load balancer "
                + "on port 80 in front"
        case EADDRNOTAVAIL:
            description = "\(host) is not an address of this machine: use --host 0.0.0.0 (every "
                + "interface) or 127.0.0.1 (this machine only), or one of `ip -brief address`"
        default:
            return nil
        }
    }
}
