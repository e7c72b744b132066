import FoundationEssentials
import Web

/// The 429 answer: `Retry-After` in seconds and a page that says when to try again.
enum RetryAfter {
    static func error(retryAt: Date, now: Date, what: String) -> HTTPError {
        let seconds = max(1, Int(retryAt.timeIntervalSince(now).rounded(.up)))
        return HTTPError(429, message: "\(what) Please try again \(describe(seconds: seconds)).", headers: [.init("Retry-After", String(seconds))])
    }

    /// "in 45 seconds", "in 3 minutes", "in 2 hours".
    static func describe(seconds: Int) -> String {
        if seconds < 90 { return seconds == 1 ? "in 1 second" : "in \(seconds) seconds" }
        let minutes = (seconds + 59) / 60
        if minutes < 90 { return "in \(minutes) minutes" }
        let hours = (minutes + 59) / 60
        return "in \(hours) hours"
    }
}
