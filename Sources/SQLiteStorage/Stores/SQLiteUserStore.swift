import Crypto
import FoundationEssentials
import Storage

/// `UserStore` on the `AspNetUsers` table.
public final class SQLiteUserStore: UserStore {
    private let connection: SQLiteConnection
    private let random: RandomSource

    /// - Parameter random: makes the new `ConcurrencyStamp` GUID of every write.
    public init(connection: SQLiteConnection, random: RandomSource) {
        self.connection = connection
        self.random = random
    }

    static let columns = """
        "Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", \
        "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled", \
        "LockoutEnd", "LockoutEnabled", "AccessFailedCount", "FirstName", "LastName"
        """

    public func insert(_ user: UserRecord) throws {
        let arguments: SQLiteArguments = [
            user.id, user.userName, user.normalizedUserName, user.email, user.normalizedEmail, user.emailConfirmed,
            user.passwordHash, user.securityStamp, user.concurrencyStamp, user.phoneNumber, user.phoneNumberConfirmed,
            user.twoFactorEnabled, user.lockoutEnd.map(DateTimeOffsetText.format), user.lockoutEnabled,
            user.accessFailedCount, user.firstName, user.lastName,
        ]
        do {
            try connection.run("""
                INSERT INTO "AspNetUsers" (\(Self.columns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments)
        } catch let violation as SQLiteUniqueViolation {
            throw try duplicateError(for: violation, user: user)
        }
    }

    /// Which uniqueness rule the insert broke. The email is named first even when SQLite
    /// reports another index of the same row (user name = email in this application), since
    /// "address already registered" is the answer the user can act on.
    private func duplicateError(for violation: SQLiteUniqueViolation, user: UserRecord) throws -> StorageError {
        if violation.involves(table: "AspNetUsers", column: "NormalizedEmail") { return .duplicateEmail }
        if try self.user(normalizedEmail: user.normalizedEmail) != nil { return .duplicateEmail }
        if violation.involves(table: "AspNetUsers", column: "NormalizedUserName") { return .duplicateUserName }
        return .duplicateUserId
    }

    public func user(id: String) throws -> UserRecord? {
        try connection.queryFirst("SELECT \(Self.columns) FROM \"AspNetUsers\" WHERE \"Id\" = ?", [id], Self.record)
    }

    public func user(normalizedEmail: String) throws -> UserRecord? {
        try connection.queryFirst("SELECT \(Self.columns) FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = ?",
                                  [normalizedEmail], Self.record)
    }

    public func markEmailConfirmed(userId: String) throws {
        try update(userId, #""EmailConfirmed" = 1"#, [])
    }

    public func recordFailedSignIn(userId: String, maxFailures: Int, lockoutUntil: Date) throws -> Bool {
        precondition(maxFailures >= 1, "maxFailures must be at least 1")
        // The count after this failure is AccessFailedCount + 1; reaching the maximum locks and
        // starts the count again, so a count of 0 after the update means this failure locked.
        let counts = try connection.query("""
            UPDATE "AspNetUsers" SET
                "LockoutEnd" = CASE WHEN "AccessFailedCount" + 1 >= ?1 THEN ?2 ELSE "LockoutEnd" END,
                "AccessFailedCount" = CASE WHEN "AccessFailedCount" + 1 >= ?1 THEN 0 ELSE "AccessFailedCount" + 1 END,
                "ConcurrencyStamp" = ?3
            WHERE "Id" = ?4
            RETURNING "AccessFailedCount"
            """, [maxFailures, DateTimeOffsetText.format(lockoutUntil), newConcurrencyStamp(), userId]) { $0.int(at: 0) }
        guard let count = counts.first else { throw StorageError.userNotFound }
        return count == 0
    }

    public func resetFailedSignIns(userId: String) throws {
        try update(userId, #""AccessFailedCount" = 0, "LockoutEnd" = NULL"#, [])
    }

    public func updatePasswordHash(userId: String, hash: String) throws {
        try update(userId, #""PasswordHash" = ?"#, [hash])
    }

    public func changePassword(userId: String, hash: String, newSecurityStamp: String) throws {
        try update(userId, #""PasswordHash" = ?, "SecurityStamp" = ?"#, [hash, newSecurityStamp])
    }

    public func confirmPhoneNumber(userId: String, phoneNumber: String, newSecurityStamp: String) throws {
        try update(userId, #""PhoneNumber" = ?, "PhoneNumberConfirmed" = 1, "SecurityStamp" = ?"#,
                   [phoneNumber, newSecurityStamp])
    }

    public func setTwoFactorEnabled(userId: String, enabled: Bool) throws {
        try update(userId, #""TwoFactorEnabled" = ?"#, [enabled])
    }

    public func updateSecurityStamp(userId: String, newSecurityStamp: String) throws {
        try update(userId, #""SecurityStamp" = ?"#, [newSecurityStamp])
    }

    public func removePhoneNumber(userId: String, newSecurityStamp: String) throws {
        try update(userId, #""PhoneNumber" = NULL, "PhoneNumberConfirmed" = 0, "TwoFactorEnabled" = 0, "SecurityStamp" = ?"#,
                   [newSecurityStamp])
    }

    public func resetPassword(userId: String, hash: String, newSecurityStamp: String) throws {
        try update(userId, #""PasswordHash" = ?, "SecurityStamp" = ?, "AccessFailedCount" = 0, "LockoutEnd" = NULL"#,
                   [hash, newSecurityStamp])
    }

    public func delete(userId: String) throws -> Bool {
        try connection.run(#"DELETE FROM "AspNetUsers" WHERE "Id" = ?"#, [userId]) == 1
    }

    /// One UPDATE of the user's row that also sets a new ConcurrencyStamp, as every ASP.NET
    /// Identity write does. `assignments` is fixed SQL from this file, never user input.
    private func update(_ userId: String, _ assignments: String, _ arguments: SQLiteArguments) throws {
        let changed = try connection.run(
            "UPDATE \"AspNetUsers\" SET \(assignments), \"ConcurrencyStamp\" = ? WHERE \"Id\" = ?",
            arguments + [newConcurrencyStamp(), userId])
        guard changed == 1 else { throw StorageError.userNotFound }
    }

    private func newConcurrencyStamp() -> String {
        Guid.random(using: random)
    }

    /// Reads a row selected with `columns`. Columns ASP.NET allows to be NULL but our record
    /// does not (a user from an external login has no password hash) read as empty strings.
    static func record(_ row: Statement) throws -> UserRecord {
        var lockoutEnd: Date?
        if let text = row.optionalString(at: 12) {
            guard let date = DateTimeOffsetText.parse(text) else {
                throw StorageError.malformedValue(table: "AspNetUsers", column: "LockoutEnd", value: text)
            }
            lockoutEnd = date
        }
        return UserRecord(
            id: row.string(at: 0),
            userName: row.string(at: 1),
            normalizedUserName: row.string(at: 2),
            email: row.string(at: 3),
            normalizedEmail: row.string(at: 4),
            emailConfirmed: row.bool(at: 5),
            passwordHash: row.string(at: 6),
            securityStamp: row.string(at: 7),
            concurrencyStamp: row.string(at: 8),
            phoneNumber: row.optionalString(at: 9),
            phoneNumberConfirmed: row.bool(at: 10),
            twoFactorEnabled: row.bool(at: 11),
            lockoutEnd: lockoutEnd,
            lockoutEnabled: row.bool(at: 13),
            accessFailedCount: row.int(at: 14),
            firstName: row.string(at: 15),
            lastName: row.optionalString(at: 16)
        )
    }
}
