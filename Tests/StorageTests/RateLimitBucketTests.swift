import Foundation
import PostgresStorage
import SQLiteStorage
import Storage
import TestSupport
import Testing

/// The limits above `RateLimitBuckets.exactCeiling` (100), which count per key and time bucket:
/// they may refuse a little early, never let through more than the limit, and read a bounded
/// number of rows whatever the traffic. Both engines.
@Suite("RateLimitStore bucketed limits")
struct RateLimitBucketTests {
    let db: TemporaryDatabase
    let storage: any StorageBackend
    var limits: any RateLimitStore { storage.rateLimits }

    init() throws {
        db = try TemporaryDatabase()
        storage = try db.migratedStorage()
    }

    func at(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }

    func rowsRead() -> Int {
        (limits as? SQLiteRateLimitStore)?.rowsRead ?? (limits as? PostgresRateLimitStore)?.rowsRead ?? -1
    }

    func bucketRows() throws -> Int {
        try db.scalar("SELECT count(*) FROM countersign_rate_limit_buckets")
    }

    @Test func widthsCutTheWindowsInUseIntoAboutSixty() {
        #expect(RateLimitBuckets.width(for: 3600) == 60)
        #expect(RateLimitBuckets.width(for: 86_400) == 1440)
        #expect(RateLimitBuckets.width(for: 600) == 1)
    }

    /// 200 events at -3599.5 are in the hour window at 0 and out of it from 0.5 on, but their
    /// minute bucket [-3600, -3540) counts whole until 60: the limit refuses early rather than
    /// late, and says so in its retry date. 8 workers racing never get more than the limit.
    @Test func workersRacingNeverGetMoreThanTheLimitAndAPartlyExpiredBucketCountsWhole() throws {
        for _ in 0..<200 { try limits.record(key: "region", at: at(-3599.5)) }
        let db = self.db
        let limit = RateLimit(key: "region", limit: 300, window: 3600)
        let answers = onThreads(8) { _ -> [String] in
            do {
                let storage = try db.open()
                return try (0..<40).map { _ in try storage.rateLimits.consumeAll([limit], now: epoch) == nil ? "allowed" : "refused" }
            } catch {
                return ["\(error)"]
            }
        }.flatMap { $0 }
        #expect(answers.filter { $0 == "allowed" }.count == 100)
        #expect(answers.filter { $0 == "refused" }.count == 220)
        // Exactly, 100 events count at 1; the bucket still counts its 200 until 60.
        #expect(try limits.count(key: "region", window: 3600, now: at(1)) == 100)
        #expect(try limits.consumeAll([limit], now: at(1)) == at(60))
        for _ in 0..<200 { #expect(try limits.consumeAll([limit], now: at(60)) == nil) }
        #expect(try limits.consumeAll([limit], now: at(60)) == at(3660))  // when [0, 60) leaves
    }

    @Test func theRetryDateIsWhenEnoughBucketsLeave() throws {
        for (second, events) in [(10.0, 120), (70, 60), (130, 50)] {
            for _ in 0..<events { try limits.record(key: "k", at: at(second)) }
        }
        // 230 events in [0, 60), [60, 120), [120, 180). A limit of 200 fits once [0, 60) leaves.
        #expect(try limits.check(key: "k", limit: 200, window: 3600, now: at(200)) == at(3660))
        // A limit of 101 needs [60, 120) gone too.
        #expect(try limits.check(key: "k", limit: 101, window: 3600, now: at(200)) == at(3720))
        #expect(try limits.check(key: "k", limit: 231, window: 3600, now: at(200)) == nil)
        // Above 100 a count is the buckets' sum, which may include a partly expired one: the
        // 120 events of 10 left the window at 3610, their bucket at 3660.
        #expect(try limits.count(key: "k", window: 3600, now: at(3650)) == 230)
        #expect(try limits.count(key: "k", window: 3600, now: at(3660)) == 110)
        #expect(try limits.consume(key: "k", limit: 200, window: 3600, now: at(3659)) == at(3660))
        #expect(try limits.consume(key: "k", limit: 200, window: 3600, now: at(3660)) == nil)
    }

    @Test func releaseGivesBackWhatConsumeAllRecordedAndNothingMore() throws {
        let send = [RateLimit(key: "daily", limit: 150, window: 86_400), RateLimit(key: "user", limit: 1, window: 60)]
        for second in 0..<150 {
            #expect(try limits.consumeAll([send[0]], now: at(Double(second))) == nil)
        }
        #expect(try limits.consumeAll(send, now: at(150)) != nil)
        try limits.release(send, at: at(149))
        #expect(try limits.consumeAll(send, now: at(150)) == nil)
        #expect(try limits.consumeAll([send[0]], now: at(151)) != nil)
        // Nothing was recorded at 151: releasing it gives nothing back.
        try limits.release(send, at: at(151))
        #expect(try limits.consumeAll([send[0]], now: at(152)) != nil)
        #expect(try limits.count(key: "daily", window: 86_400, now: at(152)) == 150)
    }

    @Test func pruneForgetsBucketsWhollyBeforeTheDate() throws {
        try limits.record(key: "k", at: at(0))
        try limits.record(key: "k", at: at(45))
        #expect(try bucketRows() == 4)  // 1 s at 0 and at 45, one minute, one 24-minute bucket
        try limits.prune(before: at(30))
        #expect(try bucketRows() == 3)
        #expect(try limits.count(key: "k", window: 86_400, now: at(50)) == 1)
        try limits.prune(before: at(1440))
        #expect(try bucketRows() == 0)
        #expect(try db.scalar("SELECT count(*) FROM countersign_rate_limit_events") == 0)
    }

    /// The cost test: after a busy day of 20 000 events, one send reads as many rows as on a
    /// quiet one — the buckets of its large limits and at most `limit` events of its small ones.
    @Test func aSendReadsABoundedNumberOfRowsWhateverTheTraffic() throws {
        let send = [
            RateLimit(key: "user", limit: 1, window: 60),
            RateLimit(key: "user", limit: 5, window: 3600),
            RateLimit(key: "region", limit: Int(Int32.max), window: 3600),
            RateLimit(key: "daily", limit: 100_000_000, window: 86_400),
        ]
        func rowsOfOneSend(now: Date) throws -> Int {
            let before = rowsRead()
            #expect(try limits.consumeAll(send, now: now) == nil)
            return rowsRead() - before
        }
        let quiet = try rowsOfOneSend(now: at(0))
        for index in 0..<20_000 {
            let stamp = at(86_400 + 82_800 * Double(index) / 20_000)
            try limits.record(key: "daily", at: stamp)
            if index % 4 == 0 { try limits.record(key: "region", at: stamp) }
        }
        let busy = try rowsOfOneSend(now: at(86_400 + 82_800))
        // 61 buckets of the day, 61 of the hour, at most 1 + 5 events of the user.
        #expect(busy <= 61 + 61 + 6)
        #expect(busy - quiet <= 61 + 61)
        let beforeCount = rowsRead()
        #expect(try limits.count(key: "daily", window: 86_400, now: at(86_400 + 82_800)) >= 20_000)
        #expect(rowsRead() - beforeCount <= 101 + 61)
    }

    /// A site upgraded in the middle of a busy day keeps its daily count: the migration fills the
    /// buckets from the events already recorded.
    @Test func theMigrationCountsTheEventsRecordedBeforeIt() throws {
        try db.execute("""
            DROP TABLE countersign_rate_limit_buckets;
            DELETE FROM countersign_migrations WHERE name = '0400_rate_limit_buckets';
            """)
        for second in 0..<150 {
            try db.run("INSERT INTO countersign_rate_limit_events (key, at) VALUES ($1, $2)", ["daily", epoch.timeIntervalSince1970 + Double(second)])
        }
        #expect(try db.open().migrate() == ["0400_rate_limit_buckets"])
        #expect(try limits.consume(key: "daily", limit: 150, window: 86_400, now: at(200)) == at(86_400 + 1440))
        #expect(try limits.count(key: "daily", window: 86_400, now: at(200)) == 150)
        #expect(try db.scalar("SELECT sum(count) FROM countersign_rate_limit_buckets WHERE width = 60") == 150)
    }

    /// The exact limits race too: 8 workers against a limit of 100 (the largest exact one).
    @Test func workersRacingForAnExactLimitGetExactlyIt() throws {
        let db = self.db
        let answers = onThreads(8) { _ -> [String] in
            do {
                let storage = try db.open()
                return try (0..<20).map { _ in
                    try storage.rateLimits.consumeAll([RateLimit(key: "k", limit: 100, window: 3600)], now: epoch) == nil ? "allowed" : "refused"
                }
            } catch {
                return ["\(error)"]
            }
        }.flatMap { $0 }
        #expect(answers.filter { $0 == "allowed" }.count == 100)
        #expect(answers.filter { $0 == "refused" }.count == 60)
        #expect(try limits.check(key: "k", limit: 100, window: 3600, now: at(1)) == at(3600))
    }
}
