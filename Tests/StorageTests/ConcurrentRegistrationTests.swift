import Crypto
import Foundation
import SQLiteStorage
import Storage
import TestSupport
import Testing
import Timekeeping

@Suite("Concurrent registration")
struct ConcurrentRegistrationTests {
    enum Outcome: Equatable, Sendable {
        case inserted
        case duplicateEmail
        case other(String)
    }

    @Test func twentyConnectionsRegisteringOneAddressLeaveOneRow() throws {
        let db = try TemporaryDatabase()
        _ = try db.migratedStorage()
        let outcomes = onThreads(20) { index -> Outcome in
            do {
                let storage = try db.open()
                var user = makeUser(id: Guid.random(using: SecureRandom()), email: index.isMultiple(of: 2) ? "race@example.com" : "RACE@example.com")
                user.normalizedEmail = "RACE@EXAMPLE.COM"
                user.normalizedUserName = "RACE@EXAMPLE.COM"
                user.firstName = "thread \(index)"
                try storage.users.insert(user)
                return .inserted
            } catch StorageError.duplicateEmail {
                return .duplicateEmail
            } catch {
                return .other("\(error)")
            }
        }
        #expect(outcomes.filter { $0 == .inserted }.count == 1)
        #expect(outcomes.filter { $0 == .duplicateEmail }.count == 19)
        #expect(outcomes.filter { if case .other = $0 { true } else { false } } == [])

        let storage = try db.open()
        #expect(try db.scalar("SELECT count(*) FROM \"AspNetUsers\"") == 1)
        let winner = try #require(outcomes.firstIndex(of: .inserted))
        #expect(try storage.users.user(normalizedEmail: "RACE@EXAMPLE.COM")?.firstName == "thread \(winner)")
    }
}
