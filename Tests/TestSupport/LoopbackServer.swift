import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The accept loop of the fake servers: a listener on 127.0.0.1 (port 0) served on its own
/// thread, one connection at a time, until `stop()`.
public final class LoopbackServer: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false

    public init() throws {
        (listener, port) = try LoopbackListener.open()
    }

    /// Starts the loop; `converse` gets each connection and may read and write until it returns.
    public func start(_ converse: @escaping @Sendable (SocketStream) -> Void) {
        Thread { [self] in
            defer { close(listener) }
            while !lock.withLock({ stopped }) {
                var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 50) > 0 else { continue }
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { continue }
                converse(SocketStream(fd: connection))
                close(connection)
            }
        }.start()
    }

    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }
}
