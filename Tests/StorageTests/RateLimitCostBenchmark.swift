import Foundation
import Storage
import TestSupport
import Testing

/// Not an assertion: prints what one send's `consumeAll` costs with 0, 10 000 and 100 000 events
/// of the daily key in its window, on the engine under test. Wall-clock numbers drift from run to
/// run, so they are printed for a human (`COUNTERSIGN_RATE_LIMIT_BENCH=1 swift test --filter
/// RateLimitCostBenchmark`), never checked; `RateLimitBucketTests` checks the bounded reads.
///
/// Measured 2026-12-06 on the shared 2-core build machine (load 5–10), release build, median
/// µs per consumeAll with 0 / 10 000 / 100 000 daily events in the window:
/// before the buckets, SQLite 91 / 438 / 6779, PostgreSQL 345 / 1985 / 17689;
/// with them, SQLite 94 / 109 / 108 (151 / 160 / 125 in a second run), PostgreSQL
/// 381–767 / 599–812 / 439–1068 over three runs.
@Suite("RateLimitStore cost benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["COUNTERSIGN_RATE_LIMIT_BENCH"] != nil))
struct RateLimitCostBenchmark {
    @Test(arguments: [0, 10_000, 100_000])
    func consumeAllCost(eventsInWindow: Int) throws {
        let db = try TemporaryDatabase()
        let storage = try db.migratedStorage()
        let now = epoch
        // The daily events spread over the last 23 hours, as a busy day leaves them.
        for index in 0..<eventsInWindow {
            try storage.rateLimits.record(key: "sms:daily", at: now - 82_800 * Double(eventsInWindow - index) / Double(eventsInWindow))
        }
        let calls = 300
        let clock = ContinuousClock()
        var micros: [Double] = []
        var cpuMicros: [Double] = []
        for call in 0..<calls {
            // One phone send: cooldown and hourly per user, hourly per number and address,
            // the region and the daily limit lifted (as in the phone-loop benchmark).
            let at = now + Double(call) * 0.001
            var retry: Date?
            let cpuBefore = Self.threadCPUMicroseconds()
            let elapsed = try clock.measure {
                retry = try storage.rateLimits.consumeAll([
                    RateLimit(key: "phone-send:user:\(call)", limit: 1, window: 60),
                    RateLimit(key: "phone-send:user:\(call)", limit: 5, window: 3600),
                    RateLimit(key: "phone-send:number:\(call)", limit: 5, window: 3600),
                    RateLimit(key: "phone-send:ip:\(call % 8)", limit: 100_000_000, window: 3600),
                    RateLimit(key: "sms:region:US", limit: Int(Int32.max), window: 3600),
                    RateLimit(key: "sms:daily", limit: 100_000_000, window: 86_400),
                ], now: at)
            }
            cpuMicros.append(Self.threadCPUMicroseconds() - cpuBefore)
            #expect(retry == nil)
            micros.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        micros.sort()
        cpuMicros.sort()
        // Medians: on a shared machine a mean mostly measures the load. The thread's CPU time
        // leaves out time spent waiting for a core (and, on PostgreSQL, the server's work).
        print("rate-limit bench \(db.engine.rawValue): \(eventsInWindow) events in window: consumeAll median \(Int(micros[calls / 2])) µs"
              + " wall, \(Int(cpuMicros[calls / 2])) µs CPU of this thread")
    }

    static func threadCPUMicroseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }
}
