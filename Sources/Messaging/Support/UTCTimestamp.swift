import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The two date formats the providers write, always in UTC and always in English, whatever the
/// process locale.
enum UTCTimestamp {
    /// `2026-11-26T12:00:00Z`, whole seconds (the outbox files).
    static func iso8601(_ date: Date) -> String {
        let t = brokenDown(date)
        return "\(t.year)-\(two(t.month))-\(two(t.day))T\(two(t.hour)):\(two(t.minute)):\(two(t.second))Z"
    }

    /// `Thu, 26 Nov 2026 12:00:00 +0000` (RFC 5322 §3.3, the `Date:` header).
    static func rfc5322(_ date: Date) -> String {
        let t = brokenDown(date)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][t.weekday]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][t.month - 1]
        return "\(weekday), \(two(t.day)) \(month) \(t.year) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) +0000"
    }

    private struct Fields {
        var year, month, day, hour, minute, second, weekday: Int
    }

    private static func brokenDown(_ date: Date) -> Fields {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return Fields(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec), weekday: Int(parts.tm_wday)
        )
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
