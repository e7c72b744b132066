import Web

/// GET `/Health`: 200 `ok` when storage answers within a second, else 503. No session, no
/// cookie, no template: a load balancer or monitor calls it often.
enum HealthPage {
    static func get(_ context: RequestContext) throws -> Response {
        do {
            try context.services.storage.ping(timeout: 1)
            return plain("ok\n", status: 200)
        } catch {
            context.services.log.error("health check: storage does not answer: \(error)")
            return plain("storage unavailable\n", status: 503)
        }
    }

    private static func plain(_ text: String, status: Int) -> Response {
        var response = Response.text(text, status: status)
        response.headers.append((name: "Cache-Control", value: "no-store"))
        response.headers.append((name: "X-Content-Type-Options", value: "nosniff"))
        return response
    }
}
