#if canImport(Glibc)
import Glibc
#endif
internal import CFastCGI
import Web

/// One worker process: accepts FastCGI connections on fd 0, one request at a time, like a
/// php-fpm child.
///
/// Shutdown without signal handlers: SIGTERM and SIGINT stay blocked for the whole life of the
/// worker and arrive on a `signalfd`. The worker `poll`s the listening socket and that descriptor
/// together, so a request in flight always finishes (libfcgi's reads and writes do not survive
/// `EINTR`) and an idle worker stops at once. The listening socket is non-blocking: when another
/// worker wins the race for a connection, `FCGX_Accept_r` returns `-EAGAIN` and we poll again.
public final class FastCGIWorker {
    public struct Settings {
        /// Bodies above this are not read further; the request is marked so the app answers 413.
        public var maxBody: Int
        /// Exit after this many requests so the supervisor starts a fresh worker (0: never).
        public var maxRequests: Int

        public init(maxBody: Int, maxRequests: Int) {
            self.maxBody = maxBody
            self.maxRequests = maxRequests
        }
    }

    private let responder: Responder
    private let settings: Settings
    private let listenDescriptor: Int32 = 0
    private let status: PoolStatusFile
    private let slot: Int?

    /// - Parameters:
    ///   - status: the pool's shared memory; with `slot` (from the supervisor), the worker keeps
    ///     its state (idle/busy) and request count there for `countersign status`.
    public init(responder: Responder, settings: Settings, status: PoolStatusFile = .anonymous(), slot: Int? = nil) {
        self.responder = responder
        self.settings = settings
        self.status = status
        self.slot = slot
    }

    /// True when fd 0 is a listening socket (spawned by us, spawn-fcgi or mod_fcgid), false for
    /// plain CGI, where fd 0 is a pipe, a file or a terminal.
    public static var isListeningSocketOnStandardInput: Bool {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0 && value != 0
    }

    /// Serves until SIGTERM/SIGINT, the parent's death, or `maxRequests`. Returns the number of
    /// requests served.
    @discardableResult
    public func run() throws -> Int {
        let stopSignals = SignalSet([SIGTERM, SIGINT])
        stopSignals.block()
        signal(SIGPIPE, SIG_IGN)
        // Die with the supervisor rather than linger as an orphan holding the socket.
        _ = countersign_set_parent_death_signal(SIGTERM)
        let stopDescriptor = try stopSignals.makeDescriptor()
        defer { close(stopDescriptor) }

        guard FCGX_Init() == 0 else { throw SystemError("FCGX_Init", code: EIO) }
        let flags = fcntl(listenDescriptor, F_GETFL)
        guard flags >= 0, fcntl(listenDescriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { throw SystemError("fcntl O_NONBLOCK on fd 0") }

        var request = FCGX_Request()
        guard FCGX_InitRequest(&request, listenDescriptor, 0) == 0 else { throw SystemError("FCGX_InitRequest", code: EIO) }
        defer { FCGX_Free(&request, 1) }

        var served = 0
        if let slot { status.setState(slot: slot, .idle) }
        while settings.maxRequests == 0 || served < settings.maxRequests {
            var descriptors = [
                pollfd(fd: listenDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw SystemError("poll")
            }
            if descriptors[1].revents != 0 { break }
            guard descriptors[0].revents & Int16(POLLIN) != 0 else { continue }

            let accepted = FCGX_Accept_r(&request)
            if accepted < 0 {
                // -EAGAIN: another worker took the connection. Anything else is the peer's
                // problem (reset, aborted), not a reason to stop serving.
                continue
            }
            if let slot { status.setState(slot: slot, .busy) }
            serve(&request)
            FCGX_Finish_r(&request)
            served += 1
            if let slot {
                status.countRequest(slot: slot)
                status.setState(slot: slot, .idle)
            }
        }
        return served
    }

    private func serve(_ request: inout FCGX_Request) {
        let parameters = Self.parameters(request.envp)
        let stream = request.in
        let contentLength = parameters.last { $0.name == "CONTENT_LENGTH" }?.value
        // An AUTHORIZER request (Apache mod_authnz_fcgi) has no stdin stream at all: reading one
        // would wait for records that never come.
        let isAuthorizer = parameters.last { $0.name == "FCGI_ROLE" }?.value == "AUTHORIZER"
        let body = isAuthorizer ? RequestBodyReader.Body(bytes: [], exceedsLimit: false)
            : RequestBodyReader.read(declaredLength: RequestBodyReader.declaredLength(contentLength: contentLength), maxBody: settings.maxBody) { buffer in
                Int(FCGX_GetStr(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buffer.count), stream))
            }
        let httpRequest = CGIEnvironment.request(fields: parameters, body: body.bytes, bodyExceedsLimit: body.exceedsLimit)
        let response = responder.respond(to: httpRequest)
        let bytes = CGIResponseEncoder.encode(response, includeBody: httpRequest.method != "HEAD")
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = FCGX_PutStr(chars.baseAddress, Int32(chars.count), request.out)
            }
        }
    }

    /// Copies libfcgi's parameter array: its strings die at the next `FCGX_Finish_r`. Only the
    /// parameters `CGIEnvironment` reads are copied: nginx sends about thirty, and a String pair
    /// plus a hash for each of the unused ones was a quarter of an `/Auth` request. In the order
    /// received, without a dictionary: `CGIEnvironment.request(fields:)` reads them in one pass.
    static func parameters(_ envp: FCGX_ParamArray?) -> [CGIEnvironment.Field] {
        var result: [CGIEnvironment.Field] = []
        guard var cursor = envp else { return result }
        result.reserveCapacity(16)
        while let entry = cursor.pointee {
            // Split at the first "=" on bytes (a Character search is far slower, and this runs
            // for every parameter of every request).
            let length = strlen(entry)
            entry.withMemoryRebound(to: UInt8.self, capacity: length) { start in
                let bytes = UnsafeBufferPointer(start: start, count: length)
                if let equals = bytes.firstIndex(of: UInt8(ascii: "=")), CGIEnvironment.reads(UnsafeBufferPointer(rebasing: bytes[..<equals])) {
                    result.append((name: String(decoding: bytes[..<equals], as: UTF8.self), value: String(decoding: bytes[(equals + 1)...], as: UTF8.self)))
                }
            }
            cursor += 1
        }
        return result
    }
}
