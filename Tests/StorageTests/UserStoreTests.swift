import SQLiteStorage
import Crypto
import Foundation
@testable import Storage
import TestSupport
import Testing

@Suite("UserStore conformance")
struct UserStoreTests {
    let db: TemporaryDatabase
    let storage: any StorageBackend
    var users: any UserStore { storage.users }

    init() throws {
        db = try TemporaryDatabase()
        storage = try db.migratedStorage()
    }

    /// A column as the engine stores it, rendered as text (nil for NULL).
    private func column(_ name: String, of id: String) throws -> String? {
        try db.texts("SELECT CAST(\"\(name)\" AS TEXT) FROM \"AspNetUsers\" WHERE \"Id\" = '\(id)'").first ?? nil
    }

    private func isGuid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        return parts == [8, 4, 4, 4, 12] && text.allSatisfy { "0123456789abcdef-".contains($0) }
    }

    @Test func everyFieldRoundTrips() throws {
        var user = makeUser()
        user.emailConfirmed = true
        user.phoneNumber = "+12015550123"
        user.phoneNumberConfirmed = true
        user.twoFactorEnabled = true
        user.lockoutEnd = epoch.addingTimeInterval(0.25)
        user.lockoutEnabled = false
        user.accessFailedCount = 3
        user.lastName = "Lovelace"
        try users.insert(user)
        #expect(try users.user(id: user.id) == user)
        #expect(try users.user(normalizedEmail: "ADA@EXAMPLE.COM") == user)
        #expect(try column("LockoutEnd", of: user.id) == db.expected(sqlite: "2026-11-26 12:00:00.25+00:00", postgres: "2026-11-26 12:00:00.25+00"))
        #expect(try column("EmailConfirmed", of: user.id) == db.expected(sqlite: "1", postgres: "true"))
    }

    @Test func absentOptionalsRoundTripAsNull() throws {
        let user = makeUser()
        try users.insert(user)
        #expect(try users.user(id: user.id) == user)
        #expect(try column("PhoneNumber", of: user.id) == nil)
        #expect(try column("LockoutEnd", of: user.id) == nil)
        #expect(try column("LastName", of: user.id) == nil)
    }

    @Test func unknownUsersAreNil() throws {
        try users.insert(makeUser())
        #expect(try users.user(id: "00000000-0000-0000-0000-000000000000") == nil)
        #expect(try users.user(normalizedEmail: "ada@example.com") == nil)  // not normalized
        #expect(try users.user(normalizedEmail: "NOBODY@EXAMPLE.COM") == nil)
    }

    @Test func markEmailConfirmedSetsTheFlagAndANewConcurrencyStamp() throws {
        let user = makeUser()
        try users.insert(user)
        try users.markEmailConfirmed(userId: user.id)
        let stored = try #require(try users.user(id: user.id))
        #expect(stored.emailConfirmed)
        #expect(stored.concurrencyStamp != user.concurrencyStamp && isGuid(stored.concurrencyStamp))
        var expected = user
        expected.emailConfirmed = true
        expected.concurrencyStamp = stored.concurrencyStamp
        #expect(stored == expected)
        try users.markEmailConfirmed(userId: user.id)  // twice is harmless
        #expect(try users.user(id: user.id)?.emailConfirmed == true)
    }

    @Test func updatePasswordHashKeepsTheSecurityStamp() throws {
        let user = makeUser()
        try users.insert(user)
        try users.updatePasswordHash(userId: user.id, hash: "$argon2id$v=19$m=65536,t=3,p=1$bmV3$bmV3")
        let stored = try #require(try users.user(id: user.id))
        var expected = user
        expected.passwordHash = "$argon2id$v=19$m=65536,t=3,p=1$bmV3$bmV3"
        expected.concurrencyStamp = stored.concurrencyStamp
        #expect(stored == expected)
        #expect(stored.concurrencyStamp != user.concurrencyStamp)
    }

    @Test func changePasswordSetsHashAndSecurityStamp() throws {
        let user = makeUser()
        try users.insert(user)
        try users.changePassword(userId: user.id, hash: "AQAAAAIAAYagAAAAE", newSecurityStamp: "NEWSTAMPNEWSTAMPNEWSTAMPNEWSTAMP")
        let stored = try #require(try users.user(id: user.id))
        var expected = user
        expected.passwordHash = "AQAAAAIAAYagAAAAE"
        expected.securityStamp = "NEWSTAMPNEWSTAMPNEWSTAMPNEWSTAMP"
        expected.concurrencyStamp = stored.concurrencyStamp
        #expect(stored == expected)
        #expect(stored.concurrencyStamp != user.concurrencyStamp)
    }

    @Test func confirmPhoneNumberStoresTheNumberConfirmedWithANewStamp() throws {
        var user = makeUser()
        user.phoneNumber = "+12015550100"
        try users.insert(user)
        try users.confirmPhoneNumber(userId: user.id, phoneNumber: "+12015550123", newSecurityStamp: "PHONESTAMP")
        let stored = try #require(try users.user(id: user.id))
        var expected = user
        expected.phoneNumber = "+12015550123"
        expected.phoneNumberConfirmed = true
        expected.securityStamp = "PHONESTAMP"
        expected.concurrencyStamp = stored.concurrencyStamp
        #expect(stored == expected)
        #expect(stored.concurrencyStamp != user.concurrencyStamp)
    }

    @Test func failedSignInsLockTheAccountAtTheMaximumAndStartCountingAgain() throws {
        let user = makeUser()
        try users.insert(user)
        let until = epoch
        var stamps: Set<String> = [user.concurrencyStamp]
        #expect(try users.recordFailedSignIn(userId: user.id, maxFailures: 3, lockoutUntil: until) == false)
        stamps.insert(try #require(try users.user(id: user.id)).concurrencyStamp)
        #expect(try users.user(id: user.id)?.accessFailedCount == 1)
        #expect(try users.recordFailedSignIn(userId: user.id, maxFailures: 3, lockoutUntil: until) == false)
        stamps.insert(try #require(try users.user(id: user.id)).concurrencyStamp)
        #expect(try users.user(id: user.id)?.accessFailedCount == 2)
        #expect(try users.user(id: user.id)?.lockoutEnd == nil)

        #expect(try users.recordFailedSignIn(userId: user.id, maxFailures: 3, lockoutUntil: until) == true)
        let locked = try #require(try users.user(id: user.id))
        stamps.insert(locked.concurrencyStamp)
        #expect(locked.accessFailedCount == 0)
        #expect(locked.lockoutEnd == until)
        #expect(try column("LockoutEnd", of: user.id) == db.expected(sqlite: "2026-11-26 12:00:00+00:00", postgres: "2026-11-26 12:00:00+00"))
        #expect(stamps.count == 4)

        // The next failure counts from zero and leaves the lockout as it was.
        #expect(try users.recordFailedSignIn(userId: user.id, maxFailures: 3, lockoutUntil: until.addingTimeInterval(600)) == false)
        let after = try #require(try users.user(id: user.id))
        #expect(after.accessFailedCount == 1)
        #expect(after.lockoutEnd == until)

        try users.resetFailedSignIns(userId: user.id)
        let reset = try #require(try users.user(id: user.id))
        #expect(reset.accessFailedCount == 0)
        #expect(reset.lockoutEnd == nil)
        #expect(reset.concurrencyStamp != after.concurrencyStamp)
    }

    @Test func aMaximumOfOneLocksAtTheFirstFailure() throws {
        let user = makeUser()
        try users.insert(user)
        #expect(try users.recordFailedSignIn(userId: user.id, maxFailures: 1, lockoutUntil: epoch))
        #expect(try users.user(id: user.id)?.lockoutEnd == epoch)
    }

    enum Write: String, CaseIterable, Sendable {
        case markEmailConfirmed, recordFailedSignIn, resetFailedSignIns, updatePasswordHash, changePassword, confirmPhoneNumber
    }

    @Test(arguments: Write.allCases)
    func writingAnUnknownUserThrowsUserNotFound(write: Write) throws {
        try users.insert(makeUser())
        let id = "00000000-0000-4000-8000-000000000000"
        #expect(throws: StorageError.userNotFound) {
            switch write {
            case .markEmailConfirmed: try users.markEmailConfirmed(userId: id)
            case .recordFailedSignIn: _ = try users.recordFailedSignIn(userId: id, maxFailures: 5, lockoutUntil: epoch)
            case .resetFailedSignIns: try users.resetFailedSignIns(userId: id)
            case .updatePasswordHash: try users.updatePasswordHash(userId: id, hash: "h")
            case .changePassword: try users.changePassword(userId: id, hash: "h", newSecurityStamp: "s")
            case .confirmPhoneNumber: try users.confirmPhoneNumber(userId: id, phoneNumber: "+12015550123", newSecurityStamp: "s")
            }
        }
    }

    @Test func anAddressDifferingOnlyInCaseIsADuplicateEmail() throws {
        try users.insert(makeUser(email: "ada@example.com"))
        var twin = makeUser(id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", email: "ADA@Example.com")
        twin.normalizedEmail = "ADA@EXAMPLE.COM"
        twin.userName = "someone-else"
        twin.normalizedUserName = "SOMEONE-ELSE"
        #expect(throws: StorageError.duplicateEmail) { try users.insert(twin) }
        // The same address as user name too (as registration writes it): still the email.
        let sameEverything = makeUser(id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", email: "Ada@Example.COM")
        #expect(throws: StorageError.duplicateEmail) { try users.insert(sameEverything) }
        #expect(try db.scalar("SELECT count(*) FROM \"AspNetUsers\"") == 1)
    }

    @Test func otherDuplicatesAreNamed() throws {
        let user = makeUser()
        try users.insert(user)
        var sameUserName = makeUser(id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", email: "other@example.com")
        sameUserName.userName = user.userName
        sameUserName.normalizedUserName = user.normalizedUserName
        #expect(throws: StorageError.duplicateUserName) { try users.insert(sameUserName) }
        #expect(throws: StorageError.duplicateUserId) { try users.insert(makeUser(id: user.id, email: "third@example.com")) }
    }

    @Test func sqlMetacharactersAreStoredVerbatim() throws {
        var user = makeUser(email: "o'brien+\"x\"@example.com")
        user.firstName = "Robert'); DROP TABLE \"AspNetUsers\";--"
        user.lastName = "100% _under_ \\back\\ ?1 :name @p $v $1 ✓" + db.expected(sqlite: " \u{0}", postgres: "")
        user.phoneNumber = "' OR '1'='1"
        user.passwordHash = "$1$;--/*"
        try users.insert(user)
        #expect(try users.user(id: user.id) == user)
        #expect(try users.user(normalizedEmail: "O'BRIEN+\"X\"@EXAMPLE.COM") == user)
        #expect(try users.user(normalizedEmail: "%") == nil)
        try users.confirmPhoneNumber(userId: user.id, phoneNumber: "'; DELETE FROM \"AspNetUsers\"; --", newSecurityStamp: "x'y")
        let stored = try #require(try users.user(id: user.id))
        #expect(stored.phoneNumber == "'; DELETE FROM \"AspNetUsers\"; --")
        #expect(stored.securityStamp == "x'y")
    }

    /// EF Core's SQLite text format of DateTimeOffset; PostgreSQL has a real timestamptz.
    @Test(.enabled(if: TestStorageEngine.current == .sqlite), arguments: [
        ("2026-11-26 14:00:00+02:00", 0.0),
        ("2026-11-26 07:30:00-04:30", 0.0),
        ("2026-11-26 12:00:00.1234567+00:00", 0.1234567),
        ("2026-11-26T12:00:00Z", 0.0),
    ])
    func lockoutEndWrittenByASPNetIsRead(text: String, fraction: Double) throws {
        let user = makeUser()
        try users.insert(user)
        try db.execute("UPDATE \"AspNetUsers\" SET \"LockoutEnd\" = '\(text)'")
        let lockoutEnd = try #require(try users.user(id: user.id)?.lockoutEnd)
        #expect(abs(lockoutEnd.timeIntervalSince(epoch) - fraction) < 1e-6)
    }

    @Test(.enabled(if: TestStorageEngine.current == .sqlite))
    func anUnreadableLockoutEndIsAnErrorNotAGuess() throws {
        let user = makeUser()
        try users.insert(user)
        try db.execute("UPDATE \"AspNetUsers\" SET \"LockoutEnd\" = 'tomorrow'")
        #expect(throws: StorageError.malformedValue(table: "AspNetUsers", column: "LockoutEnd", value: "tomorrow")) {
            try users.user(id: user.id)
        }
    }
}
