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
        var response = Application.fixedPage(status: 503, title: "Service unavailable", heading: "Service unavailable",
                                             text: "This service is unavailable for a moment. Please try again shortly.")
        response.headers.append((name: "Retry-After", value: "5"))
        response.headers.append((name: "Cache-Control", value: "no-store"))
        return response
    }
}
