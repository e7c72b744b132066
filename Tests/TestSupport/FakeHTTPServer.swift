import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 server on 127.0.0.1 (port 0) running on its own thread, for testing
/// the providers against the exact requests they document. It records every request and answers
/// with whatever the test's handler returns, optionally after a delay (to provoke timeouts).
public final class FakeHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]

        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The body as `application/x-www-form-urlencoded` pairs, in order.
        public var formPairs: [(String, String)] { FormDecoding.decode(bodyText) }
        public var form: [String: String] { Dictionary(formPairs, uniquingKeysWith: { first, _ in first }) }

        /// The decoded `Authorization: Basic` credentials.
        public var basicAuth: (user: String, password: String)? {
            guard let value = headers["authorization"], value.hasPrefix("Basic "),
                  let data = Data(base64Encoded: String(value.dropFirst(6))),
                  let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
    }

    public struct Reply: Sendable {
        public var status: Int
        public var body: String
        public var delay: TimeInterval = 0
        /// Held back until the test opens this gate (10 s at the most): a client that answers
        /// with a timeout while the reply is held gave up on its own.
        public var heldUntil: Gate?

        public init(status: Int, body: String, delay: TimeInterval = 0, heldUntil: Gate? = nil) {
            self.status = status
            self.body = body
            self.delay = delay
            self.heldUntil = heldUntil
        }
    }

    public var port: UInt16 { server.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let server: LoopbackServer
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var sent = 0

    public var requests: [Request] { lock.withLock { recorded } }
    /// How many replies have been written so far.
    public var repliesSent: Int { lock.withLock { sent } }

    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        server = try LoopbackServer()
        self.handler = handler
        server.start { [self] in handle($0) }
    }

    /// Always answers `status` with `body`.
    public convenience init(status: Int, body: String, delay: TimeInterval = 0, heldUntil: Gate? = nil) throws {
        try self.init { _ in Reply(status: status, body: body, delay: delay, heldUntil: heldUntil) }
    }

    deinit {
        stop()
    }

    public func stop() {
        server.stop()
    }

    private func handle(_ stream: SocketStream) {
        guard let head = stream.readUntil(Array("\r\n\r\n".utf8)) else { return }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard let requestLine = lines.first?.split(separator: " "), requestLine.count == 3 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard let body = stream.read(count: length) else { return }
        let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
        lock.withLock { recorded.append(request) }

        let reply = handler(request)
        if reply.delay > 0 { Thread.sleep(forTimeInterval: reply.delay) }
        if let gate = reply.heldUntil { _ = gate.wait(upTo: 10) }
        let bodyBytes = Array(reply.body.utf8)
        let response = "HTTP/1.1 \(reply.status) Fake\r\nContent-Type: application/json\r\nContent-Length: \(bodyBytes.count)\r\nConnection: close\r\n\r\n"
        lock.withLock { sent += 1 }
        stream.write(Array(response.utf8) + bodyBytes)
    }
}

/// A listening TCP socket on 127.0.0.1 with a port the kernel picks.
public enum LoopbackListener {
    public struct Failure: Error { let call: String }

    public static func open() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw Failure(call: "bind/listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}

/// Buffered blocking reads and whole writes on a connected socket.
public final class SocketStream {
    private let fd: Int32
    private var buffer: [UInt8] = []

    public init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 5, tv_usec: 0)  // a stuck client must not hang the test run
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Everything up to and including `delimiter`, or nil at end of stream.
    public func readUntil(_ delimiter: [UInt8]) -> [UInt8]? {
        while true {
            if let range = firstRange(of: delimiter) {
                let out = Array(buffer[..<range])
                buffer.removeFirst(range)
                return out
            }
            guard fill() else { return nil }
        }
    }

    public func readLine() -> String? {
        readUntil(Array("\r\n".utf8)).map { String(decoding: $0.dropLast(2), as: UTF8.self) }
    }

    public func read(count: Int) -> [UInt8]? {
        while buffer.count < count {
            guard fill() else { return nil }
        }
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }  // the client gave up (e.g. after its timeout)
            offset += sent
        }
    }

    public func write(_ text: String) { write(Array(text.utf8)) }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    private func firstRange(of delimiter: [UInt8]) -> Int? {
        guard buffer.count >= delimiter.count else { return nil }
        for start in 0...(buffer.count - delimiter.count) where buffer[start..<start + delimiter.count].elementsEqual(delimiter) {
            return start + delimiter.count
        }
        return nil
    }
}

/// The test side of form encoding: `+` and `%XX` decoded, as servers do.
public enum FormDecoding {
    public static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
        }
    }

    public static func unescape(_ text: Substring) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "<bad escape>"
    }
}
