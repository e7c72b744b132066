import FoundationEssentials
import Transport
import Web

/// GET `/Metrics`: the whole pool's counters in Prometheus text format 0.0.4, for clients in
/// `server.status_allow` (after `server.trusted_proxies`); anyone else gets the same 404 as an
/// unknown page, so the route's existence is not disclosed.
enum MetricsPage {
    static let families: [(name: String, type: String, help: String)] = [
        ("countersign_requests_total", "counter", "Requests answered, by route and HTTP status."),
        ("countersign_signins_total", "counter", "Password sign-ins, by result."),
        ("countersign_lockouts_total", "counter", "Accounts locked after too many failed sign-ins."),
        ("countersign_sms_sent_total", "counter", "Verification codes sent by SMS, by destination region."),
        ("countersign_codes_verified_total", "counter", "Phone numbers verified with a right code, by region."),
        ("countersign_sms_refused_total", "counter", "Code sends refused by a limit or guard, by reason."),
        ("countersign_sms_failed_total", "counter", "Code sends the SMS provider failed."),
    ]

    static func get(_ context: RequestContext) throws -> Response {
        let allowed = context.services.settings.server.statusAllow.contains { $0.contains(context.clientAddress) }
        guard allowed else { throw HTTPError(404, message: "There is no page at this address.") }
        var response = Response.text(render(context.services.metrics.file), status: 200)
        response.headers = response.headers.filter { $0.name.lowercased() != "content-type" }
        response.headers.append((name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8"))
        response.headers.append((name: "Cache-Control", value: "no-store"))
        response.headers.append((name: "X-Content-Type-Options", value: "nosniff"))
        return response
    }

    static func render(_ file: PoolStatusFile) -> String {
        var byFamily: [String: [(key: String, value: UInt64)]] = [:]
        for series in file.counters() {
            let family = String(series.key.prefix { $0 != "{" })
            byFamily[family, default: []].append(series)
        }
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for series in (byFamily[family.name] ?? []).sorted(by: { $0.key < $1.key }) {
                text += "\(series.key) \(series.value)\n"
            }
        }
        let workers = file.workers().filter { !$0.retiring }
        // A worker without a supervisor (spawn-fcgi, mod_fcgid) has no slots: it is the pool.
        let running = file.path == nil ? 1 : workers.count
        text += "# HELP countersign_workers Worker processes serving (not counting ones leaving after a reload).\n"
        text += "# TYPE countersign_workers gauge\ncountersign_workers \(running)\n"
        text += "# HELP countersign_workers_busy Workers handling a request right now.\n"
        text += "# TYPE countersign_workers_busy gauge\ncountersign_workers_busy \(workers.filter { $0.state == .busy }.count)\n"
        text += "# HELP countersign_worker_restarts_total Workers that died without being asked to and were restarted.\n"
        text += "# TYPE countersign_worker_restarts_total counter\ncountersign_worker_restarts_total \(file.restarts)\n"
        return text
    }
}
