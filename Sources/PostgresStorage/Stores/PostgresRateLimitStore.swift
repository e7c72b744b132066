public import FoundationEssentials
public import Storage

/// `RateLimitStore` on `countersign_rate_limit_events` (one row per counted event, read for the
/// exact limits) and `countersign_rate_limit_buckets` (counts per key and time bucket,
/// `RateLimitBuckets`, read for the large ones), as on SQLite. Check and record run in one
/// transaction that first takes a transaction-scoped advisory lock per key
/// (`pg_advisory_xact_lock` on the key's 64-bit hash, in sorted order so two workers never
/// wait on each other crosswise): workers of every pool queue per key, and two of them cannot
/// both take the last allowed event. Keys that share a hash only queue together.
///
/// Every read fetches the rows it reads, so `rowsRead` is what the server read — for tests.
public final class PostgresRateLimitStore: RateLimitStore {
    private let connection: PostgresConnection
    /// Rows fetched by this store's reads since it was made.
    public private(set) var rowsRead = 0

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
        let keys = Set(limits.map(\.key)).sorted()
        return try connection.transaction {
            for key in keys {
                try connection.run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key])
            }
            var latest: Date?
            for limit in limits {
                if let retry = try retryDate(limit, now: now) {
                    latest = max(latest ?? retry, retry)
                }
            }
            if let latest { return latest }
            for key in keys {
                try insert(key: key, at: now)
            }
            return nil
        }
    }

    public func release(_ limits: [RateLimit], at date: Date) throws {
        try connection.transaction {
            for key in Set(limits.map(\.key)).sorted() {
                let deleted = try connection.run("""
                    DELETE FROM countersign_rate_limit_events WHERE id =
                        (SELECT id FROM countersign_rate_limit_events WHERE key = $1 AND at = $2 LIMIT 1)
                    """, [key, date])
                // Only what was recorded is given back: buckets never go below their events.
                guard deleted == 1 else { continue }
                for width in RateLimitBuckets.widths {
                    try connection.run("""
                        UPDATE countersign_rate_limit_buckets SET count = count - 1
                        WHERE key = $1 AND width = $2 AND start = $3 AND count > 0
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
            try connection.run("DELETE FROM countersign_rate_limit_events WHERE key = $1", [key])
            try connection.run("DELETE FROM countersign_rate_limit_buckets WHERE key = $1", [key])
        }
    }

    public func prune(before date: Date) throws {
        let before = date.timeIntervalSince1970
        try connection.transaction {
            try connection.run("DELETE FROM countersign_rate_limit_events WHERE at < $1", [before])
            // A bucket goes when all of it is before `before`; `start < $1` lets the index find them.
            let whole = Int(before.rounded(.down))
            try connection.run("DELETE FROM countersign_rate_limit_buckets WHERE start < $1 AND start + width <= $2",
                               [whole, whole])
        }
    }

    /// One event: its row, and one more in its bucket of every width (rows locked in the order of
    /// `widths`, the same in every transaction). One statement, so one round trip.
    private func insert(key: String, at date: Date) throws {
        try connection.run(Self.insertSQL, [key, date] + RateLimitBuckets.widths.flatMap { width -> PostgresArguments in
            [width, RateLimitBuckets.start(of: date, width: width)]
        })
    }

    private static let insertSQL = """
        WITH event AS (INSERT INTO countersign_rate_limit_events (key, at) VALUES ($1, $2))
        INSERT INTO countersign_rate_limit_buckets (key, width, start, count) VALUES \(
            RateLimitBuckets.widths.indices.map { "($1, $\(2 * $0 + 3), $\(2 * $0 + 4), 1)" }.joined(separator: ", "))
        ON CONFLICT (key, width, start) DO UPDATE SET count = countersign_rate_limit_buckets.count + 1
        """

    /// As on SQLite: nil when one more event fits, else when it will. Events stamped after `now`
    /// count too.
    private func retryDate(_ limit: RateLimit, now: Date) throws -> Date? {
        guard limit.limit > 0 else { return .distantFuture }
        if limit.limit <= RateLimitBuckets.exactCeiling {
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
            SELECT at FROM countersign_rate_limit_events WHERE key = $1 AND at > $2
            ORDER BY at \(newestFirst ? "DESC" : "ASC") LIMIT $3
            """, [key, after, limit]) { $0.double(at: 0) }
        rowsRead += rows.count
        return rows
    }

    /// The buckets of the width for `window` that hold any event counting at `now`, oldest first.
    private func buckets(key: String, window: TimeInterval, now: Date) throws -> [RateLimitBuckets.Bucket] {
        let width = RateLimitBuckets.width(for: window)
        let rows = try connection.query("""
            SELECT start, count FROM countersign_rate_limit_buckets
            WHERE key = $1 AND width = $2 AND start > $3 ORDER BY start
            """, [key, width, RateLimitBuckets.firstStart(window: window, width: width, now: now)]) {
            RateLimitBuckets.Bucket(start: $0.int(at: 0), count: $0.int(at: 1))
        }
        rowsRead += rows.count
        return rows
    }
}
