@testable import SQLiteStorage
import Foundation
import Storage
import Testing

@Suite("DateTimeOffsetText (EF Core's SQLite DateTimeOffset)")
struct DateTimeOffsetTextTests {
    @Test(arguments: [
        (1_795_694_400.0, "2026-11-26 12:00:00+00:00"),
        (1_795_694_400.5, "2026-11-26 12:00:00.5+00:00"),
        (1_795_694_400.25, "2026-11-26 12:00:00.25+00:00"),
        (0.0, "1970-01-01 00:00:00+00:00"),
        (-1.0, "1969-12-31 23:59:59+00:00"),
        (951_782_400.0, "2000-02-29 00:00:00+00:00"),
        (253_402_300_799.0, "9999-12-31 23:59:59+00:00"),
    ])
    func formatsAsEFCoreDoes(seconds: Double, text: String) {
        #expect(DateTimeOffsetText.format(Date(timeIntervalSince1970: seconds)) == text)
        #expect(DateTimeOffsetText.parse(text) == Date(timeIntervalSince1970: seconds))
    }

    @Test func keepsTickPrecision() {
        let date = Date(timeIntervalSince1970: 1_795_694_400.1234567)
        #expect(DateTimeOffsetText.format(date) == "2026-11-26 12:00:00.1234567+00:00")
        let parsed = DateTimeOffsetText.parse("2026-11-26 12:00:00.1234567+00:00")
        #expect(abs(parsed!.timeIntervalSince(date)) < 1e-6)
    }

    @Test(arguments: [
        ("2026-11-26 14:00:00+02:00", 1_795_694_400.0),
        ("2026-11-26 07:30:00-04:30", 1_795_694_400.0),
        ("2026-11-26T12:00:00Z", 1_795_694_400.0),
        ("2026-11-26 12:00:00", 1_795_694_400.0),
        ("9999-12-31 23:59:59.9999999+00:00", 253_402_300_799.9999999),  // DateTimeOffset.MaxValue
    ])
    func readsOtherOffsetsAndForms(text: String, seconds: Double) throws {
        let date = try #require(DateTimeOffsetText.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-4)
    }

    @Test(arguments: [
        "", "tomorrow", "2026-11-26", "2026-11-26 12:00", "2026-13-01 00:00:00+00:00", "2026-02-29 00:00:00+00:00",
        "2026-11-26 24:00:00+00:00", "2026-11-26 12:60:00+00:00", "2026-11-26 12:00:00.+00:00",
        "2026-11-26 12:00:00.12345678+00:00", "2026-11-26 12:00:00+0000", "2026-11-26 12:00:00+00:00 ",
        "2026-11-26 12:00:00+15:00", "26-11-2026 12:00:00+00:00", "2026-11-26 12:00:00 +00:00",
    ])
    func refusesAnythingElse(text: String) {
        #expect(DateTimeOffsetText.parse(text) == nil)
    }
}
