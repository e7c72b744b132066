import FoundationEssentials
import Storage

/// `RateLimitStore` on `countersign_rate_limit_events`: one row per counted event (key, REAL
/// Unix seconds). Check-and-record runs under `BEGIN IMMEDIATE`, so two workers cannot both take
/// the last allowed event.
public final class SQLiteRateLimitStore: RateLimitStore {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
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
            var latest: Date?
            for limit in limits {
                if let retry = try retryDate(limit, now: now) {
                    latest = max(latest ?? retry, retry)
                }
            }
            if let latest { return latest }
            var recorded: Set<String> = []
            for limit in limits where recorded.insert(limit.key).inserted {
                try connection.run("INSERT INTO countersign_rate_limit_events (key, at) VALUES (?, ?)",
                                   [limit.key, now.timeIntervalSince1970])
            }
            return nil
        }
    }

    public func release(_ limits: [RateLimit], at date: Date) throws {
        try connection.transaction {
            for key in Set(limits.map(\.key)) {
                try connection.run("""
                    DELETE FROM countersign_rate_limit_events WHERE rowid =
                        (SELECT rowid FROM countersign_rate_limit_events WHERE key = ? AND at = ? LIMIT 1)
                    """, [key, date.timeIntervalSince1970])
            }
        }
    }

    public func count(key: String, window: TimeInterval, now: Date) throws -> Int {
        try connection.queryFirst("SELECT count(*) FROM countersign_rate_limit_events WHERE key = ? AND at > ?",
                                  [key, now.timeIntervalSince1970 - window]) { $0.int(at: 0) } ?? 0
    }

    public func record(key: String, at date: Date) throws {
        try connection.run("INSERT INTO countersign_rate_limit_events (key, at) VALUES (?, ?)", [key, date.timeIntervalSince1970])
    }

    public func forget(key: String) throws {
        try connection.run("DELETE FROM countersign_rate_limit_events WHERE key = ?", [key])
    }

    public func prune(before date: Date) throws {
        try connection.run("DELETE FROM countersign_rate_limit_events WHERE at < ?", [date.timeIntervalSince1970])
    }

    /// nil when one more event fits. Otherwise, newest first, the event at position `limit`
    /// (counting from 1) is the one whose leaving brings the count below the limit: with exactly
    /// `limit` events that is the oldest. One statement, so it reads one consistent snapshot.
    /// Events stamped after `now` count too: a request that read the clock earlier may get the
    /// write lock after one that read it later, and must still see that one's event.
    private func retryDate(_ limit: RateLimit, now: Date) throws -> Date? {
        guard limit.limit > 0 else { return .distantFuture }
        let now = now.timeIntervalSince1970
        let blocking = try connection.queryFirst("""
            SELECT at FROM countersign_rate_limit_events
            WHERE key = ? AND at > ?
            ORDER BY at DESC LIMIT 1 OFFSET ?
            """, [limit.key, now - limit.window, limit.limit - 1]) { $0.double(at: 0) }
        return blocking.map { Date(timeIntervalSince1970: $0 + limit.window) }
    }
}
