import Foundation
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Through a real socket: what only the HTTP server itself can show.
@Suite("Raw bytes over a socket", .timeLimit(.minutes(1)))
struct SeedServerRawSocketTests {
    @Test("GET and POST over a real connection")
    func liveRoundTrip() async throws {
        try await withLiveServer(testSettings()) { client async throws in
            #expect(try await client.postSeed(#"{"num": 64}"#) == Answer(.ok, "64"))
            #expect(try await client.getSeed() == Answer(.ok, "64"))
        }
    }

    @Test("a declared Content-Length over 1 KiB is refused with 413 before the body is read")
    func declaredTooLarge() async throws {
        try await withLiveServer(testSettings()) { client async throws in
            _ = try await client.postSeed(#"{"num": 3}"#)
            let port = client.port
            // Raw bytes: the test client would set the true length itself. Only 10 of the 5 MB
            // declared are sent, so an answer that waits for the body never comes in time.
            var reply = ""
            let elapsed = try ContinuousClock().measure {
                reply = try rawExchange(port: port, request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n{\"num\": 4}")
            }
            #expect(elapsed < .milliseconds(1500), "413 after \(elapsed): refused from the header, it should come at once")
            #expect(reply.hasPrefix("HTTP/1.1 413"), "\(reply)")
            #expect(reply.contains("1024 bytes"))
            #expect(try await client.getSeed() == Answer(.ok, "3"))
        }
    }

    /// Sends `request` on a fresh connection and reads until the answer is complete or the
    /// server stops sending (10 s at most: a backstop; the caller times what it promises).
    private func rawExchange(port: Int, request: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            if let text = String(validating: received, as: UTF8.self), text.contains("\r\n\r\n"),
                text.components(separatedBy: "\r\n\r\n").last?.hasSuffix("\n") == true
            {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
