/// The 429 answer: `Retry-After` in whole seconds and a message that says when to try again.
extension HTTPError {
    /// `seconds` is rounded up (and at least 1) so the client never retries too early. With
    /// `what`, the message is `what` followed by the wait in words ("… Please try again in 3
    /// minutes."); without, the reason phrase.
    public static func tooManyRequests(retryAfter seconds: Double, what: String? = nil) -> HTTPError {
        let whole = max(1, Int(seconds.rounded(.up)))
        let message = what.map { "\($0) Please try again \(describeWait(seconds: whole))." }
        return HTTPError(429, message: message, headers: [Header("Retry-After", String(whole))])
    }

    /// "in 45 seconds", "in 3 minutes", "in 2 hours".
    public static func describeWait(seconds: Int) -> String {
        if seconds < 90 { return seconds == 1 ? "in 1 second" : "in \(seconds) seconds" }
        let minutes = (seconds + 59) / 60
        if minutes < 90 { return "in \(minutes) minutes" }
        let hours = (minutes + 59) / 60
        return "in \(hours) hours"
    }
}
