import FoundationEssentials

/// Sliding-window counters shared by every worker (send limits, email limits, lookup limits).
///
/// An event at time `t` counts for a check at `now` while `now - window < t <= now`, so it stops
/// counting at exactly `t + window`. A limit of 0 refuses everything (retry at
/// `Date.distantFuture`).
public protocol RateLimitStore: AnyObject {
    /// Atomically: if fewer than `limit` events were recorded under `key` in the window, records
    /// one at `now` and returns nil; otherwise records nothing and returns when the next event
    /// will be allowed: when the oldest counted event leaves the window (with more events than
    /// the limit, after a limit was lowered, when enough of them have left it).
    func consume(key: String, limit: Int, window: TimeInterval, now: Date) throws -> Date?

    /// The same answer as `consume`, without recording anything.
    func check(key: String, limit: Int, window: TimeInterval, now: Date) throws -> Date?

    /// Atomically consumes under several limits: all or nothing. Returns nil when every limit
    /// allowed it (one event is recorded per distinct key, so a cooldown and an hourly limit on
    /// the same key count one send once), or the latest retry date among the refusing limits.
    func consumeAll(_ limits: [RateLimit], now: Date) throws -> Date?

    /// Takes back what a successful `consumeAll(limits, now: at)` recorded: one event at exactly
    /// `at` under each distinct key. For an action that is counted first (so two workers cannot
    /// both take the last allowed event) and then fails (an SMS provider refuses the message), so
    /// that the failure does not use up anyone's allowance. Events under one key at one instant
    /// are indistinguishable, so taking back any one of them is taking back our own.
    func release(_ limits: [RateLimit], at: Date) throws

    /// How many events under `key` count at `now` in the window (the same events `check` counts,
    /// later-stamped ones included). One read; for statistics such as the SMS conversion guard,
    /// where a count a moment old is good enough, so it takes no lock and may run beside writers.
    func count(key: String, window: TimeInterval, now: Date) throws -> Int

    /// Records one event under `key` at `at`, whatever the count (for things that are counted, not
    /// limited: codes verified, wrong codes). One atomic insert; concurrent records all count.
    func record(key: String, at: Date) throws

    /// Forgets every event under `key` (the limits of a deleted user).
    func forget(key: String) throws

    /// Forgets events before `before` (pass `now` minus the longest window in use).
    func prune(before: Date) throws
}
