import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` (Debian's package) on a free loopback port, with its own data folder.
/// Tests start it, stop it, kill it and freeze it; nothing here imitates Redis.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    public let password: String?
    /// More `redis-server` options, e.g. `["--maxclients", "1"]`.
    public let extraArguments: [String]
    private let directory: URL
    private var process: Process?

    public init(port: Int? = nil, password: String? = nil, extraArguments: [String] = []) throws {
        self.port = try port ?? Self.freePort()
        self.password = password
        self.extraArguments = extraArguments
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        process.map { if $0.isRunning { kill($0.processIdentifier, SIGKILL) } }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `redis://[:password@]127.0.0.1:port/db`.
    public func url(database: Int = 0, username: String? = nil) -> String {
        var auth = ""
        if let password { auth = "\(username ?? ""):\(password)@" }
        return "redis://\(auth)127.0.0.1:\(port)/\(database)"
    }

    /// Starts the server and waits until it accepts connections.
    @discardableResult
    public func start() async throws -> Self {
        let process = Process()
        process.executableURL = try Self.redisServerPath()
        var arguments = [
            "--bind", "127.0.0.1", "--port", String(port), "--dir", directory.path,
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
        ]
        if let password { arguments += ["--requirepass", password] }
        process.arguments = arguments + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if Self.canConnect(port: port) { return self }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSupportError("redis-server did not listen on 127.0.0.1:\(port) within 10 s")
    }

    /// Stops the server with SIGKILL (a crash) or SIGTERM, and waits for it to exit.
    public func stop(signal: Int32 = SIGKILL) async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        kill(process.processIdentifier, signal)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        self.process = nil
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) the server: its connections stay open, it answers nothing.
    public func freeze(_ frozen: Bool) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, frozen ? SIGSTOP : SIGCONT)
    }

    /// Runs one command through redis-cli and returns its output.
    @discardableResult
    public func cli(_ arguments: String...) throws -> String {
        try launchCLI(arguments).output()
    }

    /// Starts redis-cli with `arguments` without waiting for it: for commands that block Redis'
    /// other clients while they run (`DEBUG RELOAD`). Call `output()` on the result to wait.
    public func launchCLI(_ arguments: [String]) throws -> RunningCLI {
        let process = Process()
        process.executableURL = try Self.executable(named: "redis-cli")
        var all = ["-h", "127.0.0.1", "-p", String(port), "--no-auth-warning"]
        if let password { all += ["-a", password] }
        process.arguments = all + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return RunningCLI(process: process, pipe: output)
    }

    private static func redisServerPath() throws -> URL {
        try executable(named: "redis-server")
    }

    /// The first executable `name` on `PATH` (then Debian's and Homebrew's usual folders, for a
    /// test runner started with a bare environment).
    private static func executable(named name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return URL(fileURLWithPath: candidate)
            }
        }
        throw TestSupportError("\(name) not found on PATH: `make test` installs it (apt-get install redis-server)")
    }
}

/// A redis-cli process started by `RedisServerProcess.launchCLI`.
public struct RunningCLI: @unchecked Sendable {
    let process: Process
    let pipe: Pipe

    /// Waits for redis-cli to exit and returns what it printed, trimmed.
    public func output() -> String {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
