#if canImport(Glibc)
import Glibc
#endif

/// The listening socket the supervisor creates once and hands to every worker on fd 0, as
/// spawn-fcgi and mod_fcgid do. Created here rather than by `FCGX_OpenSocket`, which unlinks a
/// live socket, sets no permissions and calls `exit()` on a bind error.
public struct ListeningSocket {
    public let descriptor: Int32
    public let address: ListenAddress
    /// False for a socket someone else made (systemd): closing it leaves its file alone.
    var removesFileOnClose = true

    /// Unix sockets get `mode` and, when given, `owner`/`group` (names or numeric ids), like
    /// php-fpm's `listen.mode/owner/group`. A unix path that another live server still answers
    /// on is refused instead of stolen; a stale one is removed.
    public static func bind(_ address: ListenAddress, mode: mode_t = 0o660, owner: String? = nil, group: String? = nil, backlog: Int32 = 1024) throws -> ListeningSocket {
        switch address {
        case .unix(let path):
            return try bindUnix(path: path, mode: mode, owner: owner, group: group, backlog: backlog, address: address)
        case .tcp(let host, let port):
            return try bindTCP(host: host, port: port, backlog: backlog, address: address)
        }
    }

    private static func bindUnix(path: String, mode: mode_t, owner: String?, group: String?, backlog: Int32, address: ListenAddress) throws -> ListeningSocket {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard path.utf8.count < capacity else {
            throw SystemError("unix socket path \(path) is longer than \(capacity - 1) bytes", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)

        var existing = stat()
        if lstat(path, &existing) == 0 {
            // Only a socket file may be replaced, and only a stale one: never delete a regular
            // file that happens to sit at a mistyped path, never steal a live server's socket.
            guard existing.st_mode & S_IFMT == S_IFSOCK else {
                throw SystemError("\(path) exists and is not a socket", code: EEXIST)
            }
            if isAnswering(&addr, length: length) {
                throw SystemError("\(path) is in use by a running server", code: EADDRINUSE)
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        // Create the socket file with no access for anyone, then open it up as configured, so it is
        // never reachable with looser permissions than asked for.
        let previousMask = umask(0o777)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) } }
        let bindErrno = errno
        umask(previousMask)
        guard bound == 0 else { Glibc.close(fd); throw SystemError("bind \(path)", code: bindErrno) }
        if owner != nil || group != nil {
            // (uid_t)-1 / (gid_t)-1 tell chown to leave that id as it is.
            let uid = try owner.map(userID) ?? uid_t.max
            let gid = try group.map(groupID) ?? gid_t.max
            guard chown(path, uid, gid) == 0 else { Glibc.close(fd); throw SystemError("chown \(path)") }
        }
        guard chmod(path, mode) == 0 else { Glibc.close(fd); throw SystemError("chmod \(path)") }
        guard listen(fd, backlog) == 0 else { Glibc.close(fd); throw SystemError("listen \(path)") }
        return ListeningSocket(descriptor: fd, address: address)
    }

    private static func bindTCP(host: String, port: UInt16, backlog: Int32, address: ListenAddress) throws -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else {
            throw SystemError("cannot resolve \(host): \(String(cString: gai_strerror(status)))", code: EINVAL)
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SystemError("bind \(address)", code: code)
        }
        guard listen(fd, backlog) == 0 else { Glibc.close(fd); throw SystemError("listen \(address)") }
        return ListeningSocket(descriptor: fd, address: address)
    }

    /// The port the kernel chose when the address asked for port 0.
    public var boundPort: UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        guard ok == 0 else { return nil }
        return withUnsafePointer(to: &storage) { pointer -> UInt16? in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET: return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            case AF_INET6: return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            default: return nil
            }
        }
    }

    /// Closes the socket and removes a unix socket file.
    public func close() {
        _ = Glibc.close(descriptor)
        if removesFileOnClose, case .unix(let path) = address { unlink(path) }
    }

    private static func isAnswering(_ addr: inout sockaddr_un, length: socklen_t) -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { Glibc.close(probe) }
        let result = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, length) } }
        return result == 0
    }

    private static func userID(_ name: String) throws -> uid_t {
        if let id = UInt32(name) { return id }
        guard let entry = getpwnam(name) else { throw SystemError("unknown user \(name)", code: EINVAL) }
        return entry.pointee.pw_uid
    }

    private static func groupID(_ name: String) throws -> gid_t {
        if let id = UInt32(name) { return id }
        guard let entry = getgrnam(name) else { throw SystemError("unknown group \(name)", code: EINVAL) }
        return entry.pointee.gr_gid
    }
}
