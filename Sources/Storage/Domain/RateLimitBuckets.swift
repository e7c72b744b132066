public import FoundationEssentials

/// The arithmetic of the bucketed limits of `RateLimitStore`, shared by the engines.
///
/// Every event is counted in one bucket of each width in `widths` (whole seconds, a bucket of
/// width `w` starts at a multiple of `w` in Unix time). A limit above `exactCeiling` reads the
/// buckets of the widest width that still cuts its window into about 30 or more, and counts a
/// bucket whole while any part of it is inside the window: never fewer events than the window
/// holds, so it never lets through more than the limit, and it reads at most
/// `window / width + 1` rows (61 for an hour or a day) whatever the traffic.
public enum RateLimitBuckets {
    /// Limits up to this many events are exact: they read their events (at most `limit` rows).
    public static let exactCeiling = 100

    /// 1 s for windows under 30 minutes, 1 minute up to 12 hours, 24 minutes (a day / 60) above.
    public static let widths = [1, 60, 1440]

    public struct Bucket: Equatable, Sendable {
        public var start: Int
        public var count: Int

        public init(start: Int, count: Int) {
            self.start = start
            self.count = count
        }
    }

    /// The width a limit of `window` reads.
    public static func width(for window: TimeInterval) -> Int {
        widths.last { Double($0) * 30 <= window } ?? widths[0]
    }

    /// The start of the bucket of width `width` that holds an event at `date`.
    public static func start(of date: Date, width: Int) -> Int {
        Int((date.timeIntervalSince1970 / Double(width)).rounded(.down)) * width
    }

    /// Buckets with a start above this hold an event that counts at `now`: a bucket
    /// [start, start + width) reaches into the window (now - window, …] while
    /// start + width > now - window. Whole seconds, for an integer column.
    public static func firstStart(window: TimeInterval, width: Int, now: Date) -> Int {
        Int((now.timeIntervalSince1970 - window - Double(width)).rounded(.down))
    }

    /// nil when one more event fits under `limit` in `buckets` (oldest first, those
    /// `firstStart` selects), else when enough of the oldest have left the window for it to.
    public static func retryDate(_ buckets: [Bucket], limit: RateLimit) -> Date? {
        var total = buckets.reduce(0) { $0 + $1.count }
        guard total >= limit.limit else { return nil }
        for bucket in buckets {
            total -= bucket.count
            // The bucket stops counting when start + width <= now - window.
            if total < limit.limit {
                return Date(timeIntervalSince1970: Double(bucket.start + width(for: limit.window)) + limit.window)
            }
        }
        return .distantFuture  // only with a limit of 0, which callers answer before reading
    }
}
