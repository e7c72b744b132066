import Web

/// GET `/Health`: 200 `ok` when storage answers within a second, else 503. No session, no
/// cookie, no template: a load balancer or monitor calls it often.
enum HealthPage {
    static func get(_ context: RequestContext) throws -> Response {
        do {
            try context.services.storage.ping(timeout: 1)
            return Response.text("ok\n", status: 200)
        } catch {
            Log.error("health check: storage does not answer: \(error)")
            return Response.text("storage unavailable\n", status: 503)
        }
    }
}
