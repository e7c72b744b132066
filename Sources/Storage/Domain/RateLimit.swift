import FoundationEssentials

/// At most `limit` events under `key` in any sliding `window` of seconds.
public struct RateLimit: Sendable, Equatable {
    /// What is counted, e.g. "phone-send:user:<id>", "lookup-ip:203.0.113.9" or "sms:daily".
    public var key: String
    public var limit: Int
    public var window: TimeInterval

    public init(key: String, limit: Int, window: TimeInterval) {
        self.key = key
        self.limit = limit
        self.window = window
    }
}
