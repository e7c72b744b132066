import Config
import FoundationEssentials
import Transport
import Web

/// `[server]`: where the pool listens, how it is shaped, and how the site is addressed.
///
/// Keys: `server.listen`, `server.allow_remote`, `server.listen_mode`, `server.listen_owner`,
/// `server.listen_group`, `server.workers`, `server.max_requests`, `server.shutdown_timeout`,
/// `server.base_url` (required), `server.mount`, `server.max_body`, `server.after_login`,
/// `server.app_name`, `server.trusted_proxies`, `server.status_allow`.
struct ServerSettings {
    var listen: ListenAddress
    var listenMode: UInt32
    var listenOwner: String?
    var listenGroup: String?
    var workers: Int
    var maxRequests: Int
    var shutdownTimeout: TimeInterval
    /// `https://example.com` — links in emails and the WebOTP line are built from it, never from
    /// the Host header, which a client controls.
    var baseURL: String
    /// The host name of `baseURL` without port, for the WebOTP line.
    var baseHost: String
    var mount: String
    var maxBody: Int
    var afterLogin: String
    var appName: String
    var trustedProxies: [CIDR]
    /// Clients (after `trustedProxies`) that may read `/Metrics`.
    var statusAllow: [CIDR]

    init(config: Config) {
        let listenText = config.string("server.listen", default: "unix:countersign.sock")
        if let address = ListenAddress.parse(listenText, resolve: config.resolvePath) {
            listen = address
        } else {
            config.fail("server.listen", "must be unix:PATH or HOST:PORT, got \"\(listenText)\"")
            listen = .unix(path: config.resolvePath("countersign.sock"))
        }
        if !listen.isLocal && !config.bool("server.allow_remote", default: false) {
            config.fail("server.listen", "\(listen) is reachable from other machines; FastCGI has no authentication, so set server.allow_remote = true if you really mean it")
        }
        let modeText = config.string("server.listen_mode", default: "0660")
        if let mode = UInt32(modeText, radix: 8), mode <= 0o777 {
            listenMode = mode
        } else {
            config.fail("server.listen_mode", "must be an octal mode such as 0660")
            listenMode = 0o660
        }
        listenOwner = config.optionalString("server.listen_owner")
        listenGroup = config.optionalString("server.listen_group")
        workers = config.int("server.workers", default: 2, range: 1...512)
        maxRequests = config.int("server.max_requests", default: 0, range: 0...Int(Int32.max))
        shutdownTimeout = config.duration("server.shutdown_timeout", default: "10s", allowZero: true)

        baseURL = config.string("server.base_url", default: nil)
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        // Parsed by the same rules as the Origin check of every POST, so a base URL accepted here
        // is one that check understands.
        if let origin = WebOrigin(url: baseURL) {
            baseHost = String(origin.host.filter { $0 != "[" && $0 != "]" })
        } else {
            baseHost = ""
            if !baseURL.isEmpty {
                config.fail("server.base_url", "must be an absolute http:// or https:// URL such as https://example.com")
            }
        }

        mount = config.string("server.mount", default: "/Account")
        if !mount.hasPrefix("/") || mount.hasSuffix("/") || mount.contains("?") {
            config.fail("server.mount", "must start with / and not end with /, e.g. /Account")
        }
        maxBody = config.size("server.max_body", default: 64 * 1024)
        afterLogin = config.string("server.after_login", default: mount + "/Manage")
        if !ReturnURL.isLocal(afterLogin) {
            config.fail("server.after_login", "must be a local path starting with /")
        }
        appName = config.string("server.app_name", default: "Countersign")
        trustedProxies = []
        for item in config.list("server.trusted_proxies") {
            do {
                trustedProxies.append(try CIDR(item))
            } catch {
                config.fail("server.trusted_proxies", "\(error)")
            }
        }
        statusAllow = []
        for item in config.list("server.status_allow", default: ["127.0.0.1/32", "::1/128"]) {
            do {
                statusAllow.append(try CIDR(item))
            } catch {
                config.fail("server.status_allow", "\(error)")
            }
        }
    }
}
