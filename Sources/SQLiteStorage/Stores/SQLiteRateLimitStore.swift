public import FoundationEssentials
public import Storage

/// `RateLimitStore` on two tables: `countersign_rate_limit_events`, one row per counted event
/// (key, REAL Unix seconds), read for the exact limits; and `countersign_rate_limit_buckets`,
/// counts per key and time bucket (`RateLimitBuckets`), read for the large ones, so their cost
/// does not grow with traffic. Every event goes into both. Check-and-record runs under
/// `BEGIN IMMEDIATE`, so two workers cannot both take the last allowed event.
///
/// Every read fetches the rows it reads (no OFFSET, no aggregate over a range), so `rowsRead`
/// is what the engine read — for tests showing that a limit's cost is bounded.
public final class SQLiteRateLimitStore: RateLimitStore {
    private let connection: SQLiteConnection
    /// Rows fetched by this store's reads since it was made.
    public private(set) var rowsRead = 0

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
            for key in Set(limits.map(\.key)).sorted() {
                try insert(key: key, at: now)
            }
            return nil
        }
    }

    public func release(_ limits: [RateLimit], at date: Date) throws {
        try connection.transaction {
            for key in Set(limits.map(\.key)).sorted() {
                let deleted = try connection.run("""
                    DELETE FROM countersign_rate_limit_events WHERE rowid =
                        (SELECT rowid FROM countersign_rate_limit_events WHERE key = ? AND at = ? LIMIT 1)
                    """, [key, date.timeIntervalSince1970])
                // Only what was recorded is given back: buckets never go below their events.
                guard deleted == 1 else { continue }
                for width in RateLimitBuckets.widths {
                    try connection.run("""
                        UPDATE countersign_rate_limit_buckets SET count = count - 1
                        WHERE key = ? AND width = ? AND start = ? AND count > 0
                        """, [key, width, RateLimitBuckets.start(of: date, width: width)])
                }
            }
        }
    }

    public func count(key: String, window: TimeInterval, now: Date) throws -> Int {
        let exact = try recentEvents(key: key, after: now.timeIntervalSince1970 - window, newestFirst: false,
                                     limit: RateLimitBuckets.exactCeiling + 1).count
        guard exact > RateLimitBuckets.exactCeiling else { return exact }
        return try buckets(key: key, window: window, now: now).reduce(0) { $0 + $1.count }
    }

    public func record(key: String, at date: Date) throws {
        try connection.transaction { try insert(key: key, at: date) }
    }

    public func forget(key: String) throws {
        try connection.transaction {
            try connection.run("DELETE FROM countersign_rate_limit_events WHERE key = ?", [key])
            try connection.run("DELETE FROM countersign_rate_limit_buckets WHERE key = ?", [key])
        }
    }

    public func prune(before date: Date) throws {
        let before = date.timeIntervalSince1970
        try connection.transaction {
            try connection.run("DELETE FROM countersign_rate_limit_events WHERE at < ?", [before])
            // A bucket goes when all of it is before `before`; `start < ?` lets the index find them.
            try connection.run("DELETE FROM countersign_rate_limit_buckets WHERE start < ? AND start + width <= ?",
                               [before, before])
        }
    }

    /// One event: its row, and one more in its bucket of every width.
    private func insert(key: String, at date: Date) throws {
        try connection.run("INSERT INTO countersign_rate_limit_events (key, at) VALUES (?, ?)", [key, date.timeIntervalSince1970])
        let widths = RateLimitBuckets.widths
        try connection.run("""
            INSERT INTO countersign_rate_limit_buckets (key, width, start, count)
            VALUES \(widths.map { _ in "(?, ?, ?, 1)" }.joined(separator: ", "))
            ON CONFLICT (key, width, start) DO UPDATE SET count = count + 1
            """, widths.flatMap { width -> SQLiteArguments in [key, width, RateLimitBuckets.start(of: date, width: width)] })
    }

    /// nil when one more event fits, else when it will. Events stamped after `now` count too: a
    /// request that read the clock earlier may get the write lock after one that read it later,
    /// and must still see that one's event.
    private func retryDate(_ limit: RateLimit, now: Date) throws -> Date? {
        guard limit.limit > 0 else { return .distantFuture }
        if limit.limit <= RateLimitBuckets.exactCeiling {
            // Newest first, the event at position `limit` is the one whose leaving brings the
            // count below the limit: with exactly `limit` events, the oldest. At most `limit` rows.
            let events = try recentEvents(key: limit.key, after: now.timeIntervalSince1970 - limit.window,
                                          newestFirst: true, limit: limit.limit)
            guard events.count == limit.limit, let blocking = events.last else { return nil }
            return Date(timeIntervalSince1970: blocking + limit.window)
        }
        return RateLimitBuckets.retryDate(try buckets(key: limit.key, window: limit.window, now: now), limit: limit)
    }

    /// The stamps of up to `limit` events of `key` after `after` (future ones included).
    private func recentEvents(key: String, after: Double, newestFirst: Bool, limit: Int) throws -> [Double] {
        let rows = try connection.query("""
            SELECT at FROM countersign_rate_limit_events WHERE key = ? AND at > ?
            ORDER BY at \(newestFirst ? "DESC" : "ASC") LIMIT ?
            """, [key, after, limit]) { $0.double(at: 0) }
        rowsRead += rows.count
        return rows
    }

    /// The buckets of the width for `window` that hold any event counting at `now`, oldest first.
    private func buckets(key: String, window: TimeInterval, now: Date) throws -> [RateLimitBuckets.Bucket] {
        let width = RateLimitBuckets.width(for: window)
        let rows = try connection.query("""
            SELECT start, count FROM countersign_rate_limit_buckets
            WHERE key = ? AND width = ? AND start > ? ORDER BY start
            """, [key, width, RateLimitBuckets.firstStart(window: window, width: width, now: now)]) {
            RateLimitBuckets.Bucket(start: $0.int(at: 0), count: $0.int(at: 1))
        }
        rowsRead += rows.count
        return rows
    }
}
