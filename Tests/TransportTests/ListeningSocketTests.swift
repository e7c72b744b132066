import Foundation
import Testing
@testable import Transport
#if canImport(Glibc)
import Glibc
#endif

/// The socket the supervisor binds once and hands to every worker.
@Suite struct ListeningSocketTests {
    /// A short folder name: unix socket paths are limited to 107 bytes.
    static func temporaryFolder() throws -> String {
        let path = "/tmp/cs-sock-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func fileMode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode
    }

    static func isSocket(_ path: String) -> Bool {
        guard let mode = fileMode(path) else { return false }
        return mode & S_IFMT == S_IFSOCK
    }

    /// Connects to a unix socket; true when someone is listening.
    static func connects(toUnix path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    static func connects(toLoopbackPort port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    @Test func unixSocketGetsMode0660ByDefault() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.sock"
        let socket = try ListeningSocket.bind(.unix(path: path))
        defer { socket.close() }
        #expect(Self.isSocket(path))
        #expect(Self.fileMode(path).map { $0 & 0o7777 } == 0o660)
        #expect(Self.connects(toUnix: path))
    }

    @Test(arguments: [0o600 as mode_t, 0o666, 0o660])
    func unixSocketGetsTheConfiguredMode(_ mode: mode_t) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.sock"
        let socket = try ListeningSocket.bind(.unix(path: path), mode: mode)
        defer { socket.close() }
        #expect(Self.fileMode(path).map { $0 & 0o7777 } == mode)
    }

    @Test func numericOwnerAndGroupAreApplied() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.sock"
        let socket = try ListeningSocket.bind(.unix(path: path), owner: String(getuid()), group: String(getgid()))
        defer { socket.close() }
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_uid == getuid())
        #expect(info.st_gid == getgid())
    }

    @Test func unknownOwnerIsAnError() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: SystemError.self) {
            try ListeningSocket.bind(.unix(path: folder + "/countersign.sock"), owner: "no-such-user-countersign")
        }
    }

    @Test func aPathALiveServerAnswersOnIsRefused() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.sock"
        let first = try ListeningSocket.bind(.unix(path: path))
        defer { first.close() }
        do {
            let second = try ListeningSocket.bind(.unix(path: path))
            second.close()
            Issue.record("a second server took over a live socket")
        } catch let error as SystemError {
            #expect(error.code == EADDRINUSE)
            #expect(error.description.contains(path))
        }
        // The first server still answers.
        #expect(Self.connects(toUnix: path))
    }

    @Test func aStaleSocketFileIsReplaced() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.sock"
        let dead = try ListeningSocket.bind(.unix(path: path))
        _ = Glibc.close(dead.descriptor)  // a crashed server: the file stays, nobody listens
        #expect(Self.isSocket(path))
        #expect(!Self.connects(toUnix: path))

        let socket = try ListeningSocket.bind(.unix(path: path))
        defer { socket.close() }
        #expect(Self.connects(toUnix: path))
    }

    @Test func aRegularFileAtTheSocketPathIsNotDeleted() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/important.db"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        let socket = try? ListeningSocket.bind(.unix(path: path))
        socket.map { _ = Glibc.close($0.descriptor) }
        #expect(socket == nil, "bind must refuse a path that holds a regular file")
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "precious", "the file must survive")
    }

    @Test func closeRemovesTheSocketFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.sock"
        let socket = try ListeningSocket.bind(.unix(path: path))
        socket.close()
        #expect(Self.fileMode(path) == nil)
    }

    @Test func aTooLongPathIsAnError() {
        let path = "/tmp/" + String(repeating: "x", count: 120) + ".sock"
        do {
            let socket = try ListeningSocket.bind(.unix(path: path))
            socket.close()
            Issue.record("bound a path longer than sun_path")
        } catch let error as SystemError {
            #expect(error.code == ENAMETOOLONG)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aMissingFolderIsAnError() {
        #expect(throws: SystemError.self) {
            try ListeningSocket.bind(.unix(path: "/tmp/cs-no-such-folder-\(UUID().uuidString.prefix(8))/x.sock"))
        }
    }

    @Test func tcpOnPortZeroReportsTheChosenPort() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { socket.close() }
        let port = try #require(socket.boundPort)
        #expect(port != 0)
        #expect(Self.connects(toLoopbackPort: port))
    }

    @Test func tcpPortInUseIsAnError() throws {
        let first = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { first.close() }
        let port = try #require(first.boundPort)
        do {
            let second = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: port))
            second.close()
            Issue.record("bound a port another socket listens on")
        } catch let error as SystemError {
            #expect(error.code == EADDRINUSE)
        }
    }

    @Test func unresolvableHostIsAnError() {
        #expect(throws: SystemError.self) {
            try ListeningSocket.bind(.tcp(host: "no such host", port: 0))
        }
    }

    @Test func unixSocketHasNoPort() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let socket = try ListeningSocket.bind(.unix(path: folder + "/countersign.sock"))
        defer { socket.close() }
        #expect(socket.boundPort == nil)
    }
}
