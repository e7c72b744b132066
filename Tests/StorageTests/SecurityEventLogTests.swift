import Foundation
import SQLiteStorage
import Storage
import TestSupport
import Testing

@Suite("SecurityEventLog conformance")
struct SecurityEventLogTests {
    let db: TemporaryDatabase
    let storage: any StorageBackend
    var log: any SecurityEventLog { storage.events }

    init() throws {
        db = try TemporaryDatabase()
        storage = try db.migratedStorage()
    }

    @Test func eventsAreListedNewestFirstForOneUserOrAll() throws {
        let events = [
            SecurityEvent(time: epoch, kind: "sign-in.failed", userId: "u1", ipAddress: "203.0.113.9"),
            SecurityEvent(time: epoch.addingTimeInterval(1), kind: "phone.code-sent", userId: "u2", ipAddress: "2001:db8::1",
                          phoneNumber: "+12015550123", detail: "provider=log"),
            SecurityEvent(time: epoch.addingTimeInterval(2.5), kind: "sign-in.locked", userId: "u1"),
            SecurityEvent(time: epoch.addingTimeInterval(3), kind: "sms.daily-limit"),
        ]
        for event in events { try log.append(event) }
        #expect(try log.events(userId: nil, limit: 10) == events.reversed())
        #expect(try log.events(userId: nil, limit: 2) == [events[3], events[2]])
        #expect(try log.events(userId: "u1", limit: 10) == [events[2], events[0]])
        #expect(try log.events(userId: "u1", limit: 1) == [events[2]])
        #expect(try log.events(userId: "nobody", limit: 10) == [])
        #expect(try log.events(userId: nil, limit: 0) == [])
    }

    @Test func eventsSinceATimeAreListedOldestFirst() throws {
        let events = (0..<4).map { SecurityEvent(time: epoch.addingTimeInterval(Double($0) * 60), kind: "k\($0)", userId: $0 % 2 == 0 ? "u1" : "u2") }
        for event in events { try log.append(event) }
        #expect(try log.events(since: nil, userId: nil) == events)
        #expect(try log.events(since: epoch.addingTimeInterval(60), userId: nil) == Array(events[1...]))
        #expect(try log.events(since: epoch.addingTimeInterval(61), userId: "u1") == [events[2]])
        #expect(try log.events(since: nil, userId: "nobody") == [])
    }

    @Test func valuesAreStoredVerbatim() throws {
        let event = SecurityEvent(time: epoch, kind: "x'); DROP TABLE countersign_security_events;--",
                                  userId: "%", ipAddress: "_", phoneNumber: "\\", detail: "line\nbreak \"quoted\" ✓")
        try log.append(event)
        #expect(try log.events(userId: "%", limit: 1) == [event])
        #expect(try log.events(userId: "u%", limit: 1) == [])
    }

    /// SQLite keeps a NUL; PostgreSQL's text cannot, and the store refuses it rather than cut
    /// the value short at it.
    @Test func aNULIsKeptOrRefusedNeverCut() throws {
        let event = SecurityEvent(time: epoch, kind: "k", userId: "u", detail: "before \u{0} after")
        switch db.engine {
        case .sqlite:
            try log.append(event)
            #expect(try log.events(userId: "u", limit: 1) == [event])
        case .postgres:
            #expect(throws: (any Error).self) { try log.append(event) }
            #expect(try log.events(userId: "u", limit: 1) == [])
        }
    }

    @Test func theTableIsAppendOnly() throws {
        try log.append(SecurityEvent(time: epoch, kind: "sign-in"))
        for sql in ["UPDATE countersign_security_events SET kind = 'other'", "DELETE FROM countersign_security_events"] {
            let error = try #require(throws: (any Error).self) { try db.execute(sql) }
            #expect("\(error)".contains("countersign_security_events is append-only"))
        }
        #expect(try log.events(userId: nil, limit: 5).map(\.kind) == ["sign-in"])
    }
}
