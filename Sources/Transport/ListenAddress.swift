/// Where the FastCGI socket listens: `unix:PATH` or `HOST:PORT` (`[::1]:9000` for IPv6).
public enum ListenAddress: Equatable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: UInt16)

    /// Parses the `server.listen` syntax; `resolve` makes a relative unix path absolute.
    public static func parse(_ text: String, resolve: (String) -> String = { $0 }) -> ListenAddress? {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            return path.isEmpty ? nil : .unix(path: resolve(path))
        }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return .tcp(host: host, port: port)
    }

    /// True for unix sockets and for 127.0.0.0/8, ::1 and localhost: only the local web server
    /// can reach them. FastCGI has no authentication, so anything else needs explicit consent.
    public var isLocal: Bool {
        switch self {
        case .unix: return true
        case .tcp(let host, _):
            if host == "localhost" || host == "::1" { return true }
            let parts = host.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }
}
