import Crypto
import Foundation
import SQLiteStorage
import Storage
import TestSupport
import Testing
import Timekeeping

@Suite("RateLimitStore conformance")
struct RateLimitStoreTests {
    let db: TemporaryDatabase
    let storage: any StorageBackend
    var limits: any RateLimitStore { storage.rateLimits }

    init() throws {
        db = try TemporaryDatabase()
        storage = try db.migratedStorage()
    }

    func at(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }

    func eventCount() throws -> Int {
        try db.scalar("SELECT count(*) FROM countersign_rate_limit_events")
    }

    @Test func theLimitIsReachedAndTheRetryDateIsWhenTheOldestEventLeaves() throws {
        for second in [0.0, 10, 20] {
            #expect(try limits.consume(key: "sms:user:1", limit: 3, window: 60, now: at(second)) == nil)
        }
        #expect(try limits.consume(key: "sms:user:1", limit: 3, window: 60, now: at(30)) == at(60))
        #expect(try limits.consume(key: "sms:user:1", limit: 3, window: 60, now: at(59.5)) == at(60))
        #expect(try eventCount() == 3)  // refusals record nothing
    }

    @Test func theWindowSlides() throws {
        for second in [0.0, 10, 20] {
            #expect(try limits.consume(key: "k", limit: 3, window: 60, now: at(second)) == nil)
        }
        // At 60 the event of 0 is out: (0, 60] holds 10 and 20.
        #expect(try limits.consume(key: "k", limit: 3, window: 60, now: at(60)) == nil)
        #expect(try limits.consume(key: "k", limit: 3, window: 60, now: at(61)) == at(70))
        #expect(try limits.consume(key: "k", limit: 3, window: 60, now: at(70)) == nil)
        #expect(try limits.consume(key: "k", limit: 3, window: 60, now: at(75)) == at(80))
    }

    /// Two workers: one reads the clock at 50 but gets the write lock after one that read 50.001.
    /// The later-stamped event must still count, or parallel requests overshoot the limit.
    @Test func eventsStampedAfterTheCallersNowStillCount() throws {
        #expect(try limits.consume(key: "k", limit: 1, window: 60, now: at(50.001)) == nil)
        #expect(try limits.consume(key: "k", limit: 1, window: 60, now: at(50)) != nil)
    }

    @Test func checkAnswersLikeConsumeWithoutRecording() throws {
        for _ in 0..<5 {
            #expect(try limits.check(key: "k", limit: 2, window: 60, now: at(0)) == nil)
        }
        #expect(try eventCount() == 0)
        #expect(try limits.consume(key: "k", limit: 2, window: 60, now: at(0)) == nil)
        #expect(try limits.consume(key: "k", limit: 2, window: 60, now: at(5)) == nil)
        #expect(try limits.check(key: "k", limit: 2, window: 60, now: at(6)) == at(60))
        #expect(try eventCount() == 2)
    }

    @Test func keysAreCountedSeparately() throws {
        #expect(try limits.consume(key: "ip:203.0.113.9", limit: 1, window: 60, now: at(0)) == nil)
        #expect(try limits.consume(key: "ip:203.0.113.10", limit: 1, window: 60, now: at(0)) == nil)
        #expect(try limits.consume(key: "ip:203.0.113.9", limit: 1, window: 60, now: at(1)) == at(60))
    }

    @Test func aLoweredLimitWaitsUntilEnoughEventsLeave() throws {
        for second in [0.0, 10, 20] {
            #expect(try limits.consume(key: "k", limit: 5, window: 60, now: at(second)) == nil)
        }
        // Limit now 3: the one of 0 must leave → 60.
        #expect(try limits.check(key: "k", limit: 3, window: 60, now: at(30)) == at(60))
        // Limit now 2: two of the three must leave, the second at 70.
        #expect(try limits.check(key: "k", limit: 2, window: 60, now: at(30)) == at(70))
        // Limit now 1: all three must leave, the last at 80.
        #expect(try limits.check(key: "k", limit: 1, window: 60, now: at(30)) == at(80))
    }

    @Test func aLimitOfZeroRefusesForever() throws {
        #expect(try limits.consume(key: "k", limit: 0, window: 60, now: at(0)) == .distantFuture)
        #expect(try eventCount() == 0)
    }

    @Test func consumeAllIsAllOrNothing() throws {
        #expect(try limits.consume(key: "user", limit: 1, window: 60, now: at(0)) == nil)
        let send = [
            RateLimit(key: "user", limit: 1, window: 60),
            RateLimit(key: "number", limit: 5, window: 3600),
            RateLimit(key: "ip", limit: 20, window: 3600),
        ]
        #expect(try limits.consumeAll(send, now: at(10)) == at(60))
        #expect(try limits.check(key: "number", limit: 1, window: 3600, now: at(10)) == nil)  // untouched
        #expect(try limits.check(key: "ip", limit: 1, window: 3600, now: at(10)) == nil)
        #expect(try eventCount() == 1)

        #expect(try limits.consumeAll(send, now: at(60)) == nil)
        #expect(try limits.check(key: "number", limit: 1, window: 3600, now: at(60)) == at(3660))
        #expect(try limits.check(key: "ip", limit: 1, window: 3600, now: at(60)) == at(3660))
        #expect(try eventCount() == 4)
    }

    @Test func consumeAllAnswersTheLatestRetryAmongRefusingLimits() throws {
        #expect(try limits.consume(key: "a", limit: 1, window: 60, now: at(0)) == nil)
        #expect(try limits.consume(key: "b", limit: 1, window: 100, now: at(0)) == nil)
        let retry = try limits.consumeAll([
            RateLimit(key: "a", limit: 1, window: 60),
            RateLimit(key: "b", limit: 1, window: 100),
            RateLimit(key: "c", limit: 1, window: 500),
        ], now: at(1))
        #expect(retry == at(100))
    }

    @Test func consumeAllRecordsOneEventPerKey() throws {
        // A cooldown and an hourly limit on one key count one send once.
        let send = [RateLimit(key: "user", limit: 1, window: 60), RateLimit(key: "user", limit: 3, window: 3600)]
        #expect(try limits.consumeAll(send, now: at(0)) == nil)
        #expect(try eventCount() == 1)
        #expect(try limits.consumeAll(send, now: at(30)) == at(60))
        #expect(try limits.consumeAll(send, now: at(60)) == nil)
        #expect(try limits.consumeAll(send, now: at(120)) == nil)
        #expect(try limits.consumeAll(send, now: at(180)) == at(3600))
        #expect(try limits.consumeAll([], now: at(180)) == nil)
    }

    @Test func pruneForgetsOldEvents() throws {
        #expect(try limits.consume(key: "k", limit: 1, window: 1000, now: at(0)) == nil)
        #expect(try limits.consume(key: "j", limit: 1, window: 1000, now: at(5)) == nil)
        try limits.prune(before: at(5))
        #expect(try eventCount() == 1)
        #expect(try limits.consume(key: "k", limit: 1, window: 1000, now: at(6)) == nil)
        #expect(try limits.consume(key: "j", limit: 1, window: 1000, now: at(6)) == at(1005))
    }

    @Test func workersRacingForTheLastEventsGetExactlyTheLimit() throws {
        let db = self.db
        let now = at(0)
        // 8 workers × 80 attempts against a limit of 250: without an atomic check-and-record,
        // some attempts read the same count and more than 250 get through. (250 is a bucketed
        // limit; all events share one bucket, so its count is exact here. The exact limits race
        // in `RateLimitBucketTests`.)
        let answers = onThreads(8) { _ -> [String] in
            do {
                let storage = try db.open()
                return try (0..<80).map { _ in
                    let retry = try storage.rateLimits.consumeAll([RateLimit(key: "daily", limit: 250, window: 86_400)], now: now)
                    return retry == nil ? "allowed" : "refused"
                }
            } catch {
                return ["\(error)"]
            }
        }.flatMap { $0 }
        #expect(answers.filter { $0 == "allowed" }.count == 250)
        #expect(answers.filter { $0 == "refused" }.count == 390)
        #expect(try eventCount() == 250)
    }
}
