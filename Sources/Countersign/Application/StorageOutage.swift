import Phone
import Storage
import Web

/// What a request gets while storage does not answer (the PostgreSQL server is down or
/// unreachable): 503 with a plain page, nothing internal shown. The worker stays up; its
/// storage connects again by itself at a later request.
enum StorageOutage {
    /// Whether `error`, or the storage failure it wraps, is storage not answering.
    static func isOutage(_ error: any Error) -> Bool {
        if case StorageError.unavailable = error { return true }
        if case PhoneVerificationError.storage(let underlying) = error { return isOutage(underlying) }
        return false
    }

    static func response() -> Response {
        var response = Response.html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Service unavailable</title></head><body><h1>Service unavailable</h1><p>This service is unavailable for a moment. Please try again shortly.</p></body></html>", status: 503)
        response.headers.append((name: "Retry-After", value: "5"))
        response.headers.append((name: "Cache-Control", value: "no-store"))
        SecurityHeaders.apply(to: &response)
        return response
    }
}
