#if canImport(Glibc)
import Glibc
#endif

/// systemd socket activation (`sd_listen_fds(3)`): when `LISTEN_PID` is this process and
/// `LISTEN_FDS` is at least 1, the listening socket is already open on fd 3. systemd (or
/// `systemd-socket-activate`) owns it: we never bind, chmod or remove it.
extension ListeningSocket {
    static let firstPassedDescriptor: Int32 = 3

    /// The passed socket, or nil when this process was not socket-activated.
    public static func passedBySystemd(environment: [String: String]) throws -> ListeningSocket? {
        guard let pid = environment["LISTEN_PID"].flatMap({ Int32($0) }), pid == getpid(),
              let count = environment["LISTEN_FDS"].flatMap({ Int($0) }), count >= 1 else { return nil }
        let fd = firstPassedDescriptor
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0, value != 0 else {
            throw SystemError("LISTEN_FDS is set but fd 3 is not a listening socket", code: ENOTSOCK)
        }
        if count > 1 {
            // Only the first is used; say so rather than ignore the others silently.
            let warning = Array("countersign: systemd passed \(count) sockets; serving on the first (fd 3) only\n".utf8)
            _ = warning.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        }
        // Workers get it on fd 0; fd 3 itself must not leak into them.
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var socket = ListeningSocket(descriptor: fd, address: address(of: fd))
        socket.removesFileOnClose = false
        return socket
    }

    private static func address(of fd: Int32) -> ListenAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard ok == 0 else { return .unix(path: "(fd 3)") }
        return withUnsafePointer(to: &storage) { pointer -> ListenAddress in
            switch Int32(pointer.pointee.ss_family) {
            case AF_UNIX:
                return pointer.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { un in
                    withUnsafeBytes(of: un.pointee.sun_path) { raw in
                        .unix(path: String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self))
                    }
                }
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                    var address = sin.pointee.sin_addr
                    inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                    return .tcp(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                                port: UInt16(bigEndian: sin.pointee.sin_port))
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    var address = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    return .tcp(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                                port: UInt16(bigEndian: sin6.pointee.sin6_port))
                }
            default:
                return .unix(path: "(fd 3)")
            }
        }
    }
}
