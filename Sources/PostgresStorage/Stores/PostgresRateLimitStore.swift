import FoundationEssentials
import Storage

/// `RateLimitStore` on `countersign_rate_limit_events`: one row per counted event. Check and
/// record run in one transaction that first takes a transaction-scoped advisory lock per key
/// (`pg_advisory_xact_lock` on the key's 64-bit hash, in sorted order so two workers never
/// wait on each other crosswise): workers of every pool queue per key, and two of them cannot
/// both take the last allowed event. Keys that share a hash only queue together.
public final class PostgresRateLimitStore: RateLimitStore {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func consume(key: String, limit: Int, window: TimeInterval, now: Date) throws -> Date? {
        try consumeAll([RateLimit(key: key, limit: limit, window: window)], now: now)
    }

    public func check(key: String, limit: Int, window: TimeInterval, now: Date) throws -> Date? {
        try retryDate(RateLimit(key: key, limit: limit, window: window), now: now)
    }

    public func consumeAll(_ limits: [RateLimit], now: Date) throws -> Date? {
        guard !limits.isEmpty else { return nil }
        return try connection.transaction {
            for key in Set(limits.map(\.key)).sorted() {
                try connection.run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key])
            }
            var latest: Date?
            for limit in limits {
                if let retry = try retryDate(limit, now: now) {
                    latest = max(latest ?? retry, retry)
                }
            }
            if let latest { return latest }
            for key in Set(limits.map(\.key)) {
                try connection.run("INSERT INTO countersign_rate_limit_events (key, at) VALUES ($1, $2)", [key, now])
            }
            return nil
        }
    }

    public func release(_ limits: [RateLimit], at date: Date) throws {
        try connection.transaction {
            for key in Set(limits.map(\.key)) {
                try connection.run("""
                    DELETE FROM countersign_rate_limit_events WHERE id =
                        (SELECT id FROM countersign_rate_limit_events WHERE key = $1 AND at = $2 LIMIT 1)
                    """, [key, date])
            }
        }
    }

    public func count(key: String, window: TimeInterval, now: Date) throws -> Int {
        try connection.queryFirst("SELECT count(*) FROM countersign_rate_limit_events WHERE key = $1 AND at > $2",
                                  [key, now.timeIntervalSince1970 - window]) { $0.int(at: 0) } ?? 0
    }

    public func record(key: String, at date: Date) throws {
        try connection.run("INSERT INTO countersign_rate_limit_events (key, at) VALUES ($1, $2)", [key, date])
    }

    public func forget(key: String) throws {
        try connection.run("DELETE FROM countersign_rate_limit_events WHERE key = $1", [key])
    }

    public func prune(before date: Date) throws {
        try connection.run("DELETE FROM countersign_rate_limit_events WHERE at < $1", [date])
    }

    /// As on SQLite: nil when one more event fits, else when the event at position `limit`
    /// (newest first) leaves the window. Events stamped after `now` count too.
    private func retryDate(_ limit: RateLimit, now: Date) throws -> Date? {
        guard limit.limit > 0 else { return .distantFuture }
        let blocking = try connection.queryFirst("""
            SELECT at FROM countersign_rate_limit_events
            WHERE key = $1 AND at > $2
            ORDER BY at DESC LIMIT 1 OFFSET $3
            """, [limit.key, now.timeIntervalSince1970 - limit.window, limit.limit - 1]) { $0.double(at: 0) }
        return blocking.map { Date(timeIntervalSince1970: $0 + limit.window) }
    }
}
